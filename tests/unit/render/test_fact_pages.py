"""A page per key fact (explainer/render/fact_pages.py), without a build:
one per fact of data/key_facts.yml, the fact as title and description, its
revisions from the change log, a link in context."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

from explainer import data as site_data
from explainer.config import build_date
from explainer.render import fact_pages
from explainer.render.text import plain


@pytest.fixture(scope="module")
def d():
    return site_data.load(ROOT)


def test_one_page_per_key_fact(d):
    found = fact_pages.pages(d)
    assert [fp.src for fp in found] == [f"key-facts/{f['id']}.md" for f in d.facts]
    assert len(found) == 29


def test_page_says_the_fact_its_revisions_and_where_it_stands(d):
    fp = next(p for p in fact_pages.pages(d) if p.fact["id"] == "kf-223-fz")
    text = fact_pages.markdown(d, fp, build_date(ROOT))
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert meta["description"] == plain(fp.fact["text"]) and meta["search"] == {"exclude": True}
    assert plain(fp.fact["text"]).startswith(meta["title"]) and not meta["title"].endswith("…")
    assert meta["reviewed"] == "2026-12-01"
    assert "[^birchlegal-2024-08]" in body, "the citations stay, so the page gets its footnotes"
    assert "(../focus-group.md#kf-223-fz)" in body
    assert "First published" in body and "(../changes.md#ch-2026-12-01-" in body  # its correction


def test_a_fact_never_revised_says_so(d):
    revised = {a for e in d.changes["entries"] if e["kind"] != "new-page" for a in e["touches"]}
    fp = next(p for p in fact_pages.pages(d) if f"{p.page}#{p.fact['id']}" not in revised)
    assert "Not revised since it was first published." in fact_pages.markdown(d, fp, build_date(ROOT))
