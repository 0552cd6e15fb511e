"""The living-source features in the strict build: the /changes/ page, the
feed announced on every page and read back with feedparser, "Changes to
this page", passed dates in the timeline, key facts and section notes, the
build date on every page, and the copy-with-source buttons."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import feedparser
from bs4 import BeautifulSoup
from conftest import content_pages

from explainer import ROOT
from explainer import data as site_data
from explainer.config import build_date
from explainer.data import changes as log
from explainer.render import dates

ROLLOUT = "ev-2026-09-01-ruble-rollout"


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_feed_is_announced_on_every_page_and_parses(built_site):
    d = site_data.load(ROOT)
    parsed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert not parsed.bozo and parsed.version == "atom10"
    assert len(parsed.entries) == len(d.changes["entries"])
    for url, path in content_pages(built_site).items():
        links = soup(path).select('head link[rel="alternate"][type="application/atom+xml"]')
        assert len(links) == 1, url
        href = links[0]["href"]
        assert not href.startswith("/"), f"{url}: root-absolute feed link {href}"


def test_changes_page_lists_every_entry_with_its_kind(built_site):
    d = site_data.load(ROOT)
    page = soup(built_site / "changes" / "index.html")
    for entry in d.changes["entries"]:
        item = page.select_one(f"li#{entry['id']}")
        assert item is not None, entry["id"]
        assert f"change--{entry['kind']}" in item["class"]
    assert page.select("li.change--correction strong")[0].get_text() == "Correction."


def test_every_page_has_its_changes_and_build_date(built_site):
    d = site_data.load(ROOT)
    built = build_date(ROOT)
    for url, path in content_pages(built_site).items():
        page = soup(path)
        reviewed = page.select_one("p.page-reviewed .page-built time")
        assert reviewed is not None and reviewed["datetime"] == built, url
        section = page.select_one("article section.page-changes")
        assert section is not None, f"{url}: no 'Changes to this page'"
        assert section.find_next_sibling("section", class_="cite-page") is not None, url
        for a in section.select("a[href]"):
            target = urljoin(f"https://x/{url}", a["href"])
            assert target.startswith("https://x/changes/#ch-"), (url, a["href"])
    focus = soup(built_site / "focus-group" / "index.html")
    kinds = [li.strong.get_text() for li in focus.select("section.page-changes li")]
    assert "Correction" in kinds and kinds[-1] == "New page"
    revised = focus.select_one("#kf-223-fz a.revised")
    assert revised.get_text() == "Revised 1 December 2026 (correction)"
    assert log.for_anchor(d.changes, "focus-group.md", "kf-223-fz")


def test_passed_date_shown_in_timeline_key_fact_and_section(built_site):
    d = site_data.load(ROOT)
    passed = {e["id"] for e in dates.passed_events(d, build_date(ROOT))}
    timeline = soup(built_site / "timeline" / "index.html")
    shown = {li["id"] for li in timeline.select("li.event-passed")}
    assert shown == passed
    if ROLLOUT in passed:  # the build date is after 1 September 2026
        item = timeline.select_one(f"li#{ROLLOUT} strong.state-passed")
        assert item.get_text() == "Date passed, not confirmed by the sources (checked to July 2026):"
        home = soup(built_site / "index.html")
        assert home.select_one(f"#kf-horizon a.date-passed[href$='#{ROLLOUT}']") is not None
        ruble = soup(built_site / "digital-ruble" / "index.html")
        note = ruble.select_one("h2#postponed").find_next_sibling()
        assert "date-passed-note" in note["class"], note
        assert note.select_one("a[href$='#" + ROLLOUT + "']") is not None
        assert note.select("sup a.footnote-ref")


def test_copy_with_source_on_every_key_fact(built_site):
    d = site_data.load(ROOT)
    for fact in d.facts:
        page = "index.html" if fact["page"] == "index.md" else fact["page"][:-3] + "/index.html"
        item = soup(built_site / page).select_one(f"li#{fact['id']}")
        assert item is not None and not item.has_attr("data-cite"), fact["id"]
        button = item.select_one("button.copy-fact")
        assert button is not None and button.get_text() == "Copy with source", fact["id"]
        text = html.unescape(button["data-clipboard-text"])
        assert re.search(rf"https?://\S+#{fact['id']}$", text), text
        assert "Source" in text and "[^" not in text
