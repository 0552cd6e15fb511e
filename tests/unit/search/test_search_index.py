"""The built search index (explainer/search/index.py): the ranking additions, and
the merge of a page rebuild into the full index under `make serve`."""

from __future__ import annotations

from explainer.search import index as search


def test_footnote_numbers_leave_the_index():
    index = {"docs": [{"location": "a/", "text": "<p>Law 223-FZ.<sup>7</sup> Signed.<sup>12</sup></p>"}]}
    assert search.strip_footnote_marks(index) == 2
    assert index["docs"][0]["text"] == "<p>Law 223-FZ. Signed.</p>"


def test_rank_lowers_title_boost_and_keeps_reference_pages_findable_by_name():
    index = {"config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
             "docs": [{"location": "", "boost": 0.2}, {"location": "#x", "boost": 0.2},
                      {"location": "timeline/", "boost": 0.01}, {"location": "timeline/#y", "boost": 0.01},
                      {"location": "focus-group/#elr"}]}
    search.rank(index)
    assert index["config"]["fields"]["title"]["boost"] == search.TITLE_BOOST
    boosts = {d["location"]: d.get("boost") for d in index["docs"]}
    assert boosts == {"": 0.2, "#x": 0.2, "timeline/": search.REFERENCE_PAGE_BOOST, "timeline/#y": 0.01,
                      "focus-group/#elr": None}


def test_reference_pages_are_indexed_as_whole_pages_only():
    index = {"docs": [{"location": "timeline/"}, {"location": "timeline/#y2024"}, {"location": "sources/#x"},
                      {"location": "glossary/#elr"}, {"location": "focus-group/#elr"}]}
    assert search.page_only(index) == 2
    assert [d["location"] for d in index["docs"]] == ["timeline/", "glossary/#elr", "focus-group/#elr"]
    flat = {"docs": [{"location": "timeline.html"}, {"location": "timeline.html#y2024"}]}
    assert search.page_only(flat, use_directory_urls=False) == 1


def test_merge_replaces_only_the_rebuilt_pages_entries_in_place():
    full = {"config": {"lang": ["en"]}, "docs": [
        {"location": "", "title": "Home"}, {"location": "#why", "title": "Why"},
        {"location": "about/", "title": "About"}, {"location": "about/#method", "title": "Method"},
        {"location": "about-us/", "title": "Not the about page"},
        {"location": "glossary/", "title": "Glossary"}]}
    partial = {"config": {"lang": ["en"]}, "docs": [
        {"location": "about/", "title": "About (new)"}, {"location": "about/#sources", "title": "Sources"}]}
    merged = search.merge(full, partial, ["about/"])
    assert [d["title"] for d in merged["docs"]] == [
        "Home", "Why", "About (new)", "Sources", "Not the about page", "Glossary"]
    assert merged["config"] == full["config"]
    # The home page's location is '': its entries are '' and '#...', nothing else.
    merged = search.merge(full, {"docs": [{"location": "", "title": "Home (new)"}]}, [""])
    assert [d["title"] for d in merged["docs"]] == [
        "Home (new)", "About", "Method", "Not the about page", "Glossary"]
