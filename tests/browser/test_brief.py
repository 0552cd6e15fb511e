"""The briefing pieces in a real Chromium (issue 17), on nginx with the real
headers: the timeline's text measured where it is drawn (no text under 11
CSS pixels, at 390 px and on desktop), its labels' links, the sanctions
matrix's links landing on table rows, and the front page's first screen."""

from __future__ import annotations

import pytest
from conftest import watch

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MIN_PX = 11

# The rendered size of every <text> in the picture the page shows: the SVG
# (fetched from the image's own address) is laid out inline at the image's
# rendered width, and each text's font size is scaled by that width over the
# viewBox width, as the browser scales the image.
MEASURE = """async (selector) => {
  const img = [...document.querySelectorAll(selector)].find(i => i.getClientRects().length);
  if (!img) return null;
  await img.decode();
  const width = img.getBoundingClientRect().width;
  const text = await (await fetch(img.currentSrc)).text();
  const holder = document.createElement('div');
  holder.style.cssText = `position:absolute;left:0;top:0;width:${width}px;visibility:hidden`;
  holder.innerHTML = text.replace(/^<\\?xml[^>]*>/, '');  // (sizes are attributes, not in its <style>)
  document.body.appendChild(holder);
  const svg = holder.querySelector('svg');
  svg.setAttribute('width', width); svg.removeAttribute('height');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  holder.remove();
  return {src: img.currentSrc, width, min: Math.min(...sizes), count: sizes.length};
}"""


def lands_on(page, anchor: str, viewport: dict) -> dict:
    """After a click on a link to #anchor: the address ends in it and the
    element comes to rest inside the window (smooth scrolling waited for)."""
    box = None
    for _ in range(50):
        if page.evaluate("location.hash") == f"#{anchor}":
            box = page.locator(f"#{anchor}").bounding_box()
            if box and 0 <= box["y"] < viewport["height"]:
                return box
        page.wait_for_timeout(100)
    raise AssertionError(f"#{anchor} not reached: hash {page.evaluate('location.hash')!r}, box {box}")


@pytest.mark.parametrize("viewport, picture", [(PHONE, "timeline-phone.svg"), (DESKTOP, "timeline.svg")])
def test_timeline_text_is_readable_where_it_is_drawn(server, browser, viewport, picture):
    ctx = browser.new_context(viewport=viewport)
    try:
        w = watch(ctx, server.url("/timeline/"))
        w.page.locator("#fig-timeline").scroll_into_view_if_needed()
        w.page.wait_for_load_state("networkidle")
        assert w.violations() == []  # the page's own (the measuring below adds a <style> the CSP refuses)
        found = w.page.evaluate(MEASURE, "#fig-timeline img")
        assert found and found["src"].endswith("/" + picture), found
        assert found["count"] > 20 and found["min"] >= MIN_PX, found
        # The other picture is not shown, and (lazy) not even fetched.
        other = "timeline.svg" if picture != "timeline.svg" else "timeline-phone.svg"
        assert not [u for u in w.requests if u.endswith("/" + other)], w.requests
        assert w.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        ctx.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_timeline_labels_link_to_their_entries(server, browser, viewport):
    ctx = browser.new_context(viewport=viewport)
    try:
        w = watch(ctx, server.url("/timeline/"))
        page = w.page
        links = page.evaluate("""() => [...document.querySelectorAll('#fig-timeline a.timeline-hit')]
            .filter(a => a.getClientRects().length).map(a => {
              const r = a.getBoundingClientRect();
              const i = a.closest('.timeline-layout').querySelector('img').getBoundingClientRect();
              const id = a.hash.slice(1);
              return {id, name: a.textContent.trim(), inside: r.left >= i.left - 1 && r.right <= i.right + 1
                      && r.top >= i.top - 1 && r.bottom <= i.bottom + 1 && r.width > 20 && r.height > 10,
                      target: !!document.getElementById(id)}; })""")
        assert 10 <= len(links) <= 14, links
        assert all(link["inside"] and link["target"] and link["name"] for link in links), links
        first = page.locator("#fig-timeline a.timeline-hit:visible").filter(has_text=links[0]["name"]).first
        first.focus()
        page.keyboard.press("Enter")
        lands_on(page, links[0]["id"], viewport)
    finally:
        ctx.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_sanctions_matrix_links_land_on_table_rows(server, browser, viewport):
    ctx = browser.new_context(viewport=viewport)
    try:
        w = watch(ctx, server.url("/what-happened-next/"))
        page = w.page
        cells = page.evaluate("""() => {
          const heads = [...document.querySelectorAll('#sanctions-matrix thead th')].map(th => th.textContent);
          return [...document.querySelectorAll('#sanctions-matrix td a')].map(a => {
            const row = document.getElementById(a.hash.slice(1));
            const issuer = heads[a.closest('td').cellIndex];
            return {href: a.hash, issuer,
                    row: !!row && row.tagName === 'TR' && !!row.closest('#sanctions-table'),
                    who: row ? row.cells[1].textContent : ''}; }); }""")
        assert len(cells) >= 14, cells
        assert all(c["row"] and c["issuer"] in c["who"] for c in cells), cells
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        link = page.locator("#sanctions-matrix td a").first
        row = link.evaluate("a => a.hash.slice(1)")
        link.click()
        lands_on(page, row, viewport)
        # Opened from elsewhere (a link pasted in a briefing), the row is the :target and is highlighted.
        page.goto(server.url(f"/what-happened-next/#{row}"))
        assert page.evaluate("document.querySelector('tr:target')?.id") == row
    finally:
        ctx.close()


def ax_roles(page, selectors: list[str]) -> dict[str, str]:
    """The role Chromium's own accessibility tree gives the first element
    matching each selector (what a screen reader is told)."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        roles = {}
        for selector in selectors:
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            assert node, selector
            tree = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"]
            roles[selector] = tree[0]["role"]["value"]
        return roles
    finally:
        cdp.detach()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_sanctions_table_keeps_its_semantics_when_laid_out_as_blocks(server, browser, viewport):
    """On a phone the table's rows are blocks (extra.css); with no ARIA roles
    (HTML forbids them inside a table) Chromium must still expose a table of
    rows, row headers and cells, on a phone as on a desktop."""
    ctx = browser.new_context(viewport=viewport)
    try:
        page = watch(ctx, server.url("/what-happened-next/")).page
        display = page.evaluate("getComputedStyle(document.querySelector('#sanctions-table tbody tr')).display")
        assert display == ("block" if viewport is PHONE else "table-row"), display
        roles = ax_roles(page, ["#sanctions-table", "#sanctions-table tbody tr", "#sanctions-table tbody th",
                                "#sanctions-table tbody td", "#sanctions-table thead th"])
        assert list(roles.values()) == ["table", "row", "rowheader", "cell", "columnheader"], roles
    finally:
        ctx.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_front_page_opens_with_the_in_short_box_and_no_gap(server, browser, viewport):
    ctx = browser.new_context(viewport=viewport)
    try:
        w = watch(ctx, server.url("/"))
        found = w.page.evaluate("""() => {
          const h1 = document.querySelector('article h1'), next = h1.nextElementSibling;
          return {next: next.className, gap: next.getBoundingClientRect().top - h1.getBoundingClientRect().bottom,
                  boxTop: next.getBoundingClientRect().top,
                  sections: [...document.querySelectorAll('.brief-card h2')].map(h => h.id),
                  overflow: document.documentElement.scrollWidth}; }""")
        assert "in-short" in found["next"], found
        assert found["gap"] <= 24 and found["boxTop"] < viewport["height"] / 3, found
        assert found["sections"] == ["what-happened", "why-it-matters", "horizon", "dates", "unknowns", "next"]
        assert found["overflow"] <= viewport["width"], found
        assert w.violations() == [] and w.errors == []
    finally:
        ctx.close()
