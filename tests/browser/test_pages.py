"""The built site in a real Chromium: loads cleanly, searches, switches
palette, fits a phone screen, requests nothing from other origins, and passes
axe-core (WCAG 2.2 A and AA) in light and dark."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def open_page(context, url: str):
    """Open a page, collecting console errors, page errors and requests."""
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("request", lambda req: requests.append(req.url))
    page.goto(url, wait_until="networkidle")
    return page, errors, requests


def test_every_page_loads_without_errors_and_stays_on_origin(server, pages, context):
    origin = urlsplit(server.origin)
    for path in pages:
        page, errors, requests = open_page(context, server.url(path))
        assert page.title(), f"{path}: no title"
        assert not errors, f"{path}: {errors}"
        foreign = [u for u in requests if not u.startswith(("data:", "blob:"))
                   and urlsplit(u).netloc != origin.netloc]
        assert not foreign, f"{path}: requests to other origins: {foreign}"
        page.close()


def search(page, query: str) -> list[str]:
    """Type into the real search box; return result links, best first."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    return page.locator(".md-search-result__item > a").evaluate_all("els => els.map(e => e.href)")


def test_search_finds_home_page_for_a_word_on_it(server, context):
    page, errors, _ = open_page(context, server.url("/about/"))
    # A word of the home page's title (other pages mention its facts too).
    hrefs = search(page, "explained")
    assert urlsplit(hrefs[0]).path == "/", hrefs
    assert not errors


def test_palette_toggle_switches_scheme(server, browser):
    ctx = browser.new_context(color_scheme="light")
    page = ctx.new_page()
    page.goto(server.url("/"), wait_until="networkidle")
    body = page.locator("body")
    before = body.get_attribute("data-md-color-scheme")
    # Two clicks from "system" go through light to dark.
    seen = {before}
    for _ in range(2):
        page.locator("form[data-md-component=palette] label:visible").first.click()
        seen.add(body.get_attribute("data-md-color-scheme"))
    assert {"default", "slate"} <= seen, seen
    ctx.close()


def test_no_page_scrolls_sideways_on_a_phone(server, pages, browser):
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2,
                              is_mobile=True, has_touch=True)
    for path in pages:
        page = ctx.new_page()
        page.goto(server.url(path), wait_until="networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path}: {overflow}px of sideways scroll at 375px"
        page.close()
    ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_has_no_wcag_violations(server, pages, browser, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    ctx = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    failures = []
    for path in pages:
        page = ctx.new_page()
        page.goto(server.url(path), wait_until="networkidle")
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        for violation in results.response["violations"]:
            nodes = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                              for n in violation["nodes"][:3])
            failures.append(f"{path} [{scheme}] {violation['id']} ({violation['impact']}): {nodes}")
        page.close()
    ctx.close()
    assert not failures, "\n".join(failures)
