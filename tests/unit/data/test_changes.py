"""The living-source features without a build: the change log (data,
schema, cross-file rules, the review-date rule), the passed state of
scheduled dates (timeline listing, key facts, section notes, review items),
the Atom feed read back with feedparser, and the copy-with-source sentence."""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
import sys
from urllib.parse import urljoin

import feedparser
import pytest
from conftest import ROOT, copy_project, edit, line_of

from explainer import data as site_data
from explainer.checks import content as check_content
from explainer.data import changes as log
from explainer.data import loading, pagefiles
from explainer.data.bundle import event_state
from explainer.postbuild import feed
from explainer.postbuild import html as page_html
from explainer.render import change_log, citetext, dates, listings

BASE = "https://example.org/explainer/"


@pytest.fixture(scope="module")
def d():
    return site_data.load(ROOT)


# --------------------------------------------------------------------------
# The change log as data
# --------------------------------------------------------------------------
def test_real_change_log_is_valid_and_covers_every_reviewed_page(d):
    assert d.changes["problems"] == []
    assert [p for p in d.problems if "changes.yml" in p.path] == []
    assert len(d.changes["entries"]) >= 6
    kinds = {e["kind"] for e in d.changes["entries"]}
    assert {"correction", "update", "new-page"} <= kinds
    for path in pagefiles.doc_pages(d.docs):
        page = path.relative_to(d.docs).as_posix()
        reviewed = str(pagefiles.read_page(path).meta.get("reviewed"))
        assert any(e["date"] == reviewed for e in log.for_page(d.changes, page)), page


def test_entries_are_newest_first_and_found_by_page_and_anchor(d):
    dates_ = [e["date"] for e in log.entries(d.changes)]
    assert dates_ == sorted(dates_, reverse=True)
    corrections = log.for_anchor(d.changes, "focus-group.md", "kf-223-fz")
    assert corrections and corrections[0]["kind"] == "correction"
    assert log.for_page(d.changes, "changes.md")[0]["id"] == "ch-2026-12-01-change-log"


BAD_LOG = {
    # name: (old text in data/changes.yml, new text, needle on the reported line, message)
    "unknown-anchor": ("      - index.md#why-it-matters\n", "      - index.md#no-such-section\n",
                       "no-such-section", r"has no id 'no-such-section'"),
    "unknown-page": ("      - changes.md\n", "      - nowhere.md\n", "nowhere.md",
                     r"touches 'nowhere.md', which does not exist"),
    "bad-kind": ("    kind: correction\n", "    kind: erratum\n", "kind: erratum", r"erratum"),
    "id-without-date": ("  - id: ch-2026-12-01-change-log\n", "  - id: ch-2026-11-30-change-log\n",
                        "ch-2026-11-30-change-log", r"must start with ch-2026-12-01-"),
    "unknown-field": ("    why: The explainer's first release.\n",
                      "    why: The explainer's first release.\n    author: someone\n", "author: someone",
                      r"author"),
}


@pytest.mark.parametrize("name", sorted(BAD_LOG))
def test_bad_change_log_is_reported_with_path_and_line(tmp_path, name):
    old, new, needle, message = BAD_LOG[name]
    project = copy_project(tmp_path / "p")
    target = project / "data" / "changes.yml"
    edit(target, old, new)
    problems = [str(p) for p in check_content.run(project)]
    line = line_of(target, needle)
    pattern = rf"data/changes\.yml:{line}: .*{message}"
    assert any(re.search(pattern, p) for p in problems), f"{pattern!r} not in:\n" + "\n".join(problems)


def test_review_date_without_a_log_entry_fails_the_check(tmp_path):
    project = copy_project(tmp_path / "p")
    page = project / "docs" / "glossary.md"
    edit(page, 'reviewed: "2026-11-24"', 'reviewed: "2026-11-30"')
    problems = [str(p) for p in check_content.run(project)]
    line = line_of(page, 'reviewed: "2026-11-30"')
    assert any(re.search(rf"docs/glossary\.md:{line}: reviewed 2026-11-30, but \S*data/changes\.yml has no entry", p)
               for p in problems), "\n".join(problems)


# --------------------------------------------------------------------------
# Passed dates
# --------------------------------------------------------------------------
ROLLOUT = "ev-2026-09-01-ruble-rollout"


def test_passed_state_in_the_timeline_listing(d):
    before = listings.render_timeline(d, "timeline.md", "2026-08-31")
    after = listings.render_timeline(d, "timeline.md", "2026-09-02")
    item = lambda text: re.search(rf'<li id="{ROLLOUT}"[^>]*>.*?</li>', text).group(0)  # noqa: E731
    assert "<strong>Scheduled:</strong>" in item(before) and "event-passed" not in item(before)
    assert 'class="event-passed"' in item(after)
    assert "Date passed, not confirmed by the sources (checked to July 2026):" in item(after)
    # An event that is past stays past whatever the date.
    past = [e for e in d.timeline["events"] if e["status"] == "past"][0]
    assert event_state(past, dates.today_of("2099-01-01")) == "past"


def test_passed_date_marks_the_key_facts_that_name_it(d):
    fact = next(f for f in d.facts if f["id"] == "kf-horizon")
    assert dates.fact_mark(d, fact, "2026-08-31", "timeline.md") == ""
    mark = dates.fact_mark(d, fact, "2026-12-01", "timeline.md")
    assert f"](timeline.md#{ROLLOUT}){{: .date-passed }}" in mark
    assert "1 September 2026: date passed, not confirmed by the sources (checked to July 2026)" in mark


def test_passed_date_note_at_the_section_the_event_points_to(d):
    assert dates.section_note(d, "digital-ruble.md#postponed", "2026-08-31", "timeline.md") == ""
    note = dates.section_note(d, "digital-ruble.md#postponed", "2026-12-01", "timeline.md")
    assert "date-passed-note" in note and "[^ria-2025-11-14]" in note
    assert f"(timeline.md#{ROLLOUT})" in note
    assert dates.section_note(d, "komi-mining.md#bans", "2026-12-01", "timeline.md") == ""


def test_check_lists_passed_dates_as_review_items_that_do_not_fail(tmp_path):
    items = check_content.review_items(site_data.load(ROOT), today="2026-12-01")
    assert [i.message.split()[1] for i in items] == [ROLLOUT]
    assert items[0].path == "data/timeline.yml"
    assert items[0].line == line_of(ROOT / "data" / "timeline.yml", f"id: {ROLLOUT}")
    assert check_content.review_items(site_data.load(ROOT), today="2026-08-31") == []
    epoch = int(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC).timestamp())
    env = {"SOURCE_DATE_EPOCH": str(epoch), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "explainer.checks.content"], cwd=ROOT, capture_output=True,
                         text=True, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(rf"^data/timeline\.yml:\d+: review: {ROLLOUT} was scheduled for 1 September 2026",
                     run.stdout, re.M), run.stdout
    assert "1 review item(s)" in run.stderr


def test_missing_date_note_line_is_reported(tmp_path):
    project = copy_project(tmp_path / "p")
    edit(project / "docs" / "komi-mining.md", '{{ date_note("komi-mining.md#bans") }}\n', "")
    problems = [str(p) for p in check_content.run(project)]
    line = line_of(project / "data" / "timeline.yml", "id: ev-2031-03-15-bans-end")
    assert any(re.search(rf'data/timeline\.yml:{line}: ev-2031-03-15-bans-end: scheduled, but docs/komi-mining\.md '
                        r'has no line \{\{ date_note', p) for p in problems), "\n".join(problems)


# --------------------------------------------------------------------------
# The Atom feed
# --------------------------------------------------------------------------
def test_feed_parses_as_atom_with_one_entry_per_change(d):
    xml = feed.feed_xml(d, BASE, "Site", "Editors")
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert len(parsed.entries) == len(d.changes["entries"])
    assert [e.id for e in parsed.entries] == [urljoin(BASE, "changes/") + "#" + e["id"]
                                              for e in log.entries(d.changes)]
    assert parsed.feed.links[0].href == urljoin(BASE, "feed.xml")
    kinds = {e.tags[0].term for e in parsed.entries}
    assert "correction" in kinds
    correction = next(e for e in parsed.entries if e.tags[0].term == "correction")
    assert correction.title.startswith("Correction, 4 December 2026: ")
    assert any(link.href == urljoin(BASE, "what-happened-next/#sanctions") for link in correction.links)
    assert parsed.feed.updated.startswith(log.entries(d.changes)[0]["date"])  # the newest entry's date
    # The same data gives the same bytes (reproducible builds).
    assert feed.feed_xml(d, BASE, "Site", "Editors") == xml


def test_changes_to_this_page_and_revised_notes(d):
    section = change_log.page_changes_html(d, "focus-group.md", "../changes/")
    assert section.startswith('<section class="page-changes"') and "Changes to this page" in section
    assert "<strong>Correction</strong>" in section and "<strong>New page</strong>" in section
    note = change_log.revised_note(d, "focus-group.md", "kf-223-fz", "changes.md")
    assert note == (" [Revised 1 December 2026 (correction)](changes.md#ch-2026-12-01-audit-corrections)"
                    "{: .revised .revised--correction }")
    assert change_log.revised_note(d, "focus-group.md", "kf-expansion-undated", "changes.md") == ""


# --------------------------------------------------------------------------
# Copy a fact with its citation
# --------------------------------------------------------------------------
def test_fact_sentence_names_sources_and_the_button_adds_the_link(d):
    fact = next(f for f in d.facts if f["id"] == "kf-focus-group")
    sentence = citetext.fact_sentence(fact, d.sources, "Home", "Site", "2026-12-01")
    source = d.sources["vedomosti-2024-09-17"]
    assert "[^" not in sentence and "<" not in sentence
    assert sentence.startswith("In September 2024 Vedomosti reported that the authorities")
    assert f"Source: {source.publisher}, “{source.title}”" in sentence
    assert sentence.endswith("“Home”, Site, reviewed 1 December 2026:")
    li = f'<li data-cite="{html.escape(sentence)}" id="kf-focus-group">Text</li>'
    out = page_html.add_copy_buttons(f"<article>{li}</article>", "https://example.org/")
    assert 'data-cite' not in out
    button = re.search(r'<button type="button" class="copy-fact" data-clipboard-text="([^"]+)"', out)
    assert html.unescape(button.group(1)) == sentence + " https://example.org/#kf-focus-group"
    assert 'class="copy-link" data-clipboard-text="https://example.org/#kf-focus-group"' in out


# --------------------------------------------------------------------------
# The weekly rebuild and the editions in the deploy workflow
# --------------------------------------------------------------------------
def test_workflow_rebuilds_weekly_with_todays_date_and_publishes_the_editions():
    workflow = loading.load_yaml(ROOT / ".github" / "workflows" / "pages.yml")
    triggers = workflow.get("on") or workflow.get(True)  # YAML 1.1 reads a bare `on` as true
    assert re.fullmatch(r"\d+ \d+ \* \* [0-6]", triggers["schedule"][0]["cron"])
    build = workflow["jobs"]["build"]
    assert build["env"]["BUILD_TODAY"] == "${{ github.event_name == 'schedule' }}"
    steps = {s.get("name"): s for s in build["steps"]}
    assert 'SOURCE_DATE_EPOCH=$(date -u +%s)' in steps["Build date"]["run"]
    names = [s.get("name") for s in build["steps"]]
    assert names.index("Build date") < names.index("Test (as CI does)") < names.index("Build for Pages")
    assert "git archive FETCH_HEAD editions | tar -x -C site" in steps["Add the editions"]["run"]
    upload = next(i for i, s in enumerate(build["steps"]) if "upload-pages-artifact" in str(s.get("uses")))
    assert names.index("Build for Pages") < names.index("Add the editions") < upload
