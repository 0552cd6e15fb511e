"""The search query set (tests/fixtures/search-queries.yml) that
tests/browser/test_search.py and scripts/bench_search.py type into the box:
large, in both scripts, and pointing at pages and sections that exist."""

from __future__ import annotations

from conftest import FIXTURES, ROOT
from explainer.data import files as sd

QUERIES = sd.load_yaml(FIXTURES / "search-queries.yml")["queries"]


def test_query_set_is_large_and_valid():
    assert len(QUERIES) >= 40
    scripts = {any("\u0400" <= ch <= "\u04ff" for ch in q["query"]) for q in QUERIES}
    assert scripts == {True, False}, "the set needs Latin and Cyrillic queries"
    for q in QUERIES:
        page = (ROOT / "docs" / (q["page"].strip("/") or "index")).with_suffix(".md")
        assert page.exists(), f"{q['query']}: no page {q['page']}"
        if q.get("section"):
            assert "{#" + q["section"] + "}" in page.read_text(encoding="utf-8"), \
                f"{q['query']}: no heading id #{q['section']} in {page.name}"
