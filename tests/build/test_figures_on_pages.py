"""Every figure on its page in the built site: the SVG with a text
alternative and size, a caption whose citations became footnotes, and (except
the timeline, whose page lists the events) its data in a collapsible box.
The SVG files themselves: tests/unit/figures/test_figures.py."""

from __future__ import annotations

import re

import pytest

FIGURE_PAGES = {
    "timeline": "timeline.md",
    "payment-flow": "focus-group.md",
    "a7-route": "what-happened-next.md",
    "komi-map": "komi-mining.md",
}


@pytest.mark.parametrize("slug, page", sorted(FIGURE_PAGES.items()))
def test_built_page_shows_figure_with_text_alternative(built_site, slug, page):
    html = (built_site / page.replace(".md", "") / "index.html").read_text(encoding="utf-8")
    match = re.search(rf'<figure class="data-figure[^"]*" id="fig-{slug}">(.*?)</figure>', html, re.S)
    assert match, f"no figure {slug} on /{page}"
    figure = match.group(1)
    img = re.search(r"<img ([^>]*)>", figure).group(1)
    assert f'src="../assets/figures/{slug}.svg"' in img
    alt = re.search(r'alt="([^"]*)"', img).group(1)
    assert len(alt) > 40, alt
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S).group(1)
    if slug == "timeline":
        # Issue 17: the events' sources stay with the entries below, and the caption says so.
        assert "below" in caption and 'class="footnote-ref"' not in caption, caption
    else:
        assert 'class="footnote-ref"' in caption, "caption citations did not become footnotes"
    assert "[^" not in caption
    if slug != "timeline":
        after = html[match.end(): match.end() + 400]
        assert "<details" in after, f"no data list under {slug}"
    assert (built_site / "assets" / "figures" / f"{slug}.svg").exists()
