"""The search query sets (tests/fixtures/search-queries.yml, tuned against,
and search-queries-heldout.yml, written before any tuning and kept apart)
that tests/browser/test_search.py, tests/browser/test_firefox.py and
scripts/bench_search.py enter into the box: large, in both scripts, in the
forms the issue names, and pointing at pages and sections that exist."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, ROOT

from explainer.data import loading

SETS = {name: loading.load_yaml(FIXTURES / f"{name}.yml")["queries"]
        for name in ("search-queries", "search-queries-heldout")}
ALL = [q for queries in SETS.values() for q in queries]


def test_query_sets_are_large_and_apart():
    assert len(ALL) >= 120, len(ALL)
    # At least a third held out, and no query in both parts.
    assert len(SETS["search-queries-heldout"]) * 3 >= len(ALL)
    tuned = {q["query"].casefold() for q in SETS["search-queries"]}
    both = [q["query"] for q in SETS["search-queries-heldout"] if q["query"].casefold() in tuned]
    assert not both, f"in both parts: {both}"


def test_query_sets_cover_how_people_search():
    for name, queries in SETS.items():
        scripts = {any("\u0400" <= ch <= "\u04ff" for ch in q["query"]) for q in queries}
        assert scripts == {True, False}, f"{name}: the set needs Latin and Cyrillic queries"
        kinds = {q["kind"] for q in queries}
        assert {"question", "law", "person", "place", "date", "misspelling"} <= kinds, f"{name}: {kinds}"


@pytest.mark.parametrize("q", ALL, ids=lambda q: q["query"])
def test_query_points_at_a_real_page_and_section(q):
    pages = q["page"] if isinstance(q["page"], list) else [q["page"]]
    for url in pages:
        page = (ROOT / "docs" / (url.strip("/") or "index")).with_suffix(".md")
        assert page.exists(), f"{q['query']}: no page {url}"
    if q.get("section"):
        assert len(pages) == 1, f"{q['query']}: a section needs exactly one page"
        page = (ROOT / "docs" / (pages[0].strip("/") or "index")).with_suffix(".md")
        assert "{#" + q["section"] + "}" in page.read_text(encoding="utf-8"), \
            f"{q['query']}: no heading id #{q['section']} in {page.name}"
