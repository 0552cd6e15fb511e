"""The data files (explainer/data): the real data is clean, and bad data is
refused with ``path:line: message`` by the checker; the JSON-LD renderer
cannot be broken out of its script element; the build date is reproducible.
The built listings are compared with the data in tests/build/test_listings.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from conftest import line_of as _line_of

from explainer import data as site_data
from explainer.checks import content as check_content
from explainer.config import build_date
from explainer.render import jsonld


def real_data() -> site_data.Data:
    return site_data.load(ROOT)


def test_reference_data_has_no_problems():
    problems = real_data().problems
    assert not problems, "\n".join(map(str, problems))


# --------------------------------------------------------------------------
# Bad data: path:line messages from the checker and the build
# --------------------------------------------------------------------------
def _project_with(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    project = copy_project(tmp_path / "project")
    for rel_path, (old, new) in edits.items():
        path = project / rel_path
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture anchor {old!r} not in {rel_path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return project


FIRST_EVENT_DATE = '    date: "2020-07-31"'
FIRST_EVENT_SEE = "    see: focus-group.md#elr"


@pytest.mark.parametrize(
    "rel_path, old, new, needle, message",
    [
        ("data/timeline.yml", FIRST_EVENT_DATE, '    date: "2020-02-30"', '"2020-02-30"',
         "no such calendar date"),
        ("data/timeline.yml", FIRST_EVENT_DATE, '    date: "31.07.2020"', '"31.07.2020"', "malformed date"),
        ("data/timeline.yml", FIRST_EVENT_SEE, "    see: focus-group.md#no-such-section", "no-such-section",
         "anchor #no-such-section not found in docs/focus-group.md"),
        ("data/timeline.yml", FIRST_EVENT_SEE, "    see: no-such-page.md#x", "no-such-page",
         "page 'no-such-page.md' does not exist"),
        ("data/timeline.yml", "is due to end.\n    status: scheduled", "is due to end.\n    status: past",
         "is due to end.", "so its status must be 'scheduled'"),
        ("data/timeline.yml", "    status: past", "    status: done", "status: done", "status 'done' is not one of"),
        ("data/timeline.yml", "  - id: ev-2020-07-31-elr-law", "  - id: ev-2021-01-01-elr-law", "ev-2021-01-01",
         "id must start with ev-2020-07-31-"),
        ("data/claims.yml", "    verdict: wrong", "    verdict: misleading", "verdict: misleading",
         "verdict 'misleading' is not one of accurate, imprecise, wrong, outdated, unverified"),
        ("data/claims.yml", "    quote: $2.04 trillion",
         "    quote: the cumulative crypto market cap recently decreased slightly to $2.04 trillion, it said today",
         "decreased slightly", "quote at most 12 words"),
        ("data/claims.yml", "  - id: banks", "  - id: legalise", None, "duplicate claim id 'legalise' (first at line"),
        ("docs/timeline.md", "generated: true\n", "", None, "needs 'generated: true'"),
        ('docs/timeline.md', '{{ listing("timeline") }}', '{{ listing("timelines") }}', None,
         "unknown marker reference:timelines"),
    ],
    ids=["impossible-date", "malformed-date", "missing-anchor", "missing-page", "past-after-horizon",
         "unknown-status", "id-date-mismatch", "verdict-off-scale", "long-quote", "duplicate-claim",
         "page-not-marked-generated", "unknown-marker"],
)
def test_checker_reports_bad_data_with_path_and_line(tmp_path, rel_path, old, new, needle, message):
    project = _project_with(tmp_path, {rel_path: (old, new)})
    problems = check_content.run(project)
    hits = [p for p in problems if message in p.message]
    assert hits, f"expected {message!r}; got:\n" + "\n".join(map(str, problems))
    assert hits[0].path.endswith(rel_path.split("/")[-1])
    if needle:
        target = project / rel_path
        # The reported line is the offending field's line (or its entry's).
        line = _line_of(target, needle)
        assert any(abs(h.line - line) <= 6 for h in hits), (line, [str(h) for h in hits])


def test_json_ld_cannot_close_its_script_element():
    text = jsonld.json_ld_scripts([{"claimReviewed": "</script><script>alert(1)</script> & more"}])
    inner = text.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "</script" not in inner and "<" not in inner
    assert json.loads(inner)["claimReviewed"].startswith("</script>")


def test_build_date_is_reproducible(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782864000")
    assert build_date(ROOT) == "2026-07-01"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", build_date(ROOT))


