"""The renderers and the Markdown extension, without a build: citations
become footnotes with the register's text (and code is left alone), the
back-links are labelled instead of titled, and the "In short" furniture and
listings render from data."""

from __future__ import annotations

import markdown
from conftest import ROOT

from explainer import data as site_data
from explainer.data import source_register
from explainer.render import furniture, listings

KEY = "zawya-2024-12-25"


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["explainer.markdown", "footnotes", "pymdownx.superfences"],
                             extension_configs={"explainer.markdown": {"data_dir": str(ROOT / "data")}})


def test_citation_gets_the_registered_reference():
    html = render(f"A claim.[^{KEY}]\n")
    reference = source_register.load_sources()[KEY]
    assert f'href="#fn:{KEY}"' in html and f'id="fn:{KEY}"' in html, html
    assert reference.publisher in html and reference.title.split()[0] in html, html


def test_citation_inside_code_is_left_as_text():
    """The reported bug: ``Write `[^publisher-2024-01-01]` in a page`` made the
    build fail with an unknown key 'in a key fact'. In a code span or a fenced
    block it is an example, not a citation."""
    html = render("Write citations as `[^publisher-2024-01-01]` in a page.\n\n"
                  "```\n[^another-2024-01-01]\n```\n\n" f"A real one.[^{KEY}]\n")
    assert "<code>[^publisher-2024-01-01]</code>" in html, html
    assert "[^another-2024-01-01]" in html
    assert "fn:publisher-2024-01-01" not in html and "fn:another-2024-01-01" not in html
    assert html.count('class="footnote-ref"') == 1, html


def test_unknown_key_is_left_for_the_checks():
    """No definition is invented for an unregistered key (the content checks
    report it with path:line before any page is rendered)."""
    html = render("A claim.[^no-such-key]\n")
    assert "[^no-such-key]" in html and "fn:no-such-key" not in html


def test_backlinks_are_labelled_not_titled():
    html = render(f"A claim.[^{KEY}]\n")
    backref = html[html.index('class="footnote-backref"') - 200: html.index('class="footnote-backref"') + 200]
    assert "aria-label=" in backref and "title=" not in backref, backref


def test_in_short_box_carries_key_fact_ids_and_review_line():
    d = site_data.load(ROOT)
    facts = [f for f in d.facts if f["page"] == "index.md"]
    text = furniture.page_furniture(facts, "2026-11-24", d.horizon)
    for fact in facts:
        assert f'<li id="{fact["id"]}"' in text, fact["id"]
    assert "In short" in text and "24 November 2026" in text and d.horizon in text, text


def test_every_listing_renders_from_data():
    d = site_data.load(ROOT)
    for name in ("sources", "timeline", "glossary", "key-facts", "claims", "downloads"):
        here = d.marker_page(name)
        assert here, f"no page holds listing {name!r}"
        assert listings.render(d, name, here, "2026-12-01").strip(), name
    first_event = d.timeline["events"][0]["id"]
    assert first_event in listings.render(d, "timeline", d.marker_page("timeline"), "2026-12-01")
