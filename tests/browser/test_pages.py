"""One visit per page in a real Chromium, on nginx with the generated
configuration (CSP and all headers), collecting everything on that visit:
console and page errors, requests to other origins, Content-Security-Policy
violations, axe-core (WCAG 2.2 A and AA) in the light and the dark scheme,
and sideways scrolling at phone width. One test per page, so a failure names
the page. The detectors are shown failing on a bad fixture page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from conftest import FACT_PAGES_IN_BROWSERS, browser_pages, expected_pages, probe_page, wait_until, watch

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations", "incomplete"]}
# What axe cannot decide and asks a person to check ("incomplete"). Contrast
# it cannot measure counts as a problem: on this site it can always be
# measured (the left navigation's title once could not be: linking.css).
NEEDS_REVIEW = {"color-contrast"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
SCHEME = "document.body.getAttribute('data-md-color-scheme')"


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def visits(browser):
    """One context for every visit: light scheme, desktop width, no stored palette."""
    ctx = browser.new_context(viewport=DESKTOP, color_scheme="light")
    yield ctx
    ctx.close()


def foreign(requests: list[str], origin: str) -> list[str]:
    netloc = urlsplit(origin).netloc
    return [u for u in requests if not u.startswith(("data:", "blob:")) and urlsplit(u).netloc != netloc]


def axe_violations(axe, page, scheme: str) -> list[str]:
    results = axe.run(page, options=AXE_OPTIONS)
    out = []
    for violation in results.response["violations"]:
        nodes = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                          for n in violation["nodes"][:3])
        out.append(f"axe [{scheme}] {violation['id']} ({violation['impact']}): {nodes}")
    for unsure in results.response["incomplete"]:
        if unsure["id"] in NEEDS_REVIEW:
            nodes = "; ".join(f"{n['target'][0]} ({(n.get('any') or [{}])[0].get('message', '')})"
                              for n in unsure["nodes"][:3])
            out.append(f"axe [{scheme}] {unsure['id']} needs review: {nodes}")
    return out


def visit(context, axe, url: str, origin: str) -> list[str]:
    """Open url once and return every problem found on that visit."""
    watched = watch(context, url)
    page = watched.page
    problems = []
    try:
        if not page.title():
            problems.append("no title")
        # Light: the reader's system setting, followed until they choose.
        if page.evaluate(SCHEME) != "default":
            problems.append(f"light system setting, scheme {page.evaluate(SCHEME)!r}")
        problems += axe_violations(axe, page, "light")
        # Dark: the same page after the system setting changes.
        page.emulate_media(color_scheme="dark")
        try:
            wait_until(page, f"{SCHEME} === 'slate'", timeout=5_000)
        except TimeoutError:
            problems.append(f"dark system setting, scheme {page.evaluate(SCHEME)!r}")
        problems += axe_violations(axe, page, "dark")
        # Phone width: nothing wider than the screen.
        page.set_viewport_size(PHONE)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems.append(f"{overflow}px of sideways scroll at {PHONE['width']}px")
        problems += [f"CSP: {v}" for v in watched.violations()]
        problems += [e for e in watched.errors if "Content Security Policy" not in e]
        problems += [f"request to another origin: {u}" for u in foreign(watched.requests, origin)]
    finally:
        page.close()
    return problems


@pytest.mark.parametrize("path", browser_pages())
def test_page(nginx, visits, axe, path):
    problems = visit(visits, axe, nginx.url(path), nginx.origin)
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_every_built_page_is_visited(pages):
    # Every page is visited but the key facts' pages beyond the sample
    # (conftest.FACT_PAGES_IN_BROWSERS), which must exist all the same.
    assert sorted(pages) == sorted(expected_pages()), "pages built but not expected (or the reverse)"
    left = set(expected_pages()) - set(browser_pages())
    assert left and all(p.startswith("/key-facts/kf-") for p in left), sorted(left)
    assert all(f"/key-facts/{fid}/" in pages for fid in FACT_PAGES_IN_BROWSERS)


BAD_CSS = (".pale { color: #bbb; background: #fff; } .wide { width: 2000px; }\n"
           ".unsure { color: #777; background: linear-gradient(#fff, #000); }\n")
BAD_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>probe</title>
<link rel="stylesheet" href="visit-probe.css"></head><body data-md-color-scheme="default">
<main><p class="pale">Pale text that fails contrast.</p>
<div class="wide">Too wide for a phone.</div>
<p class="unsure">Text on a gradient, whose contrast axe cannot measure.</p>
<script>document.title = "ran";</script>
<img src="no-such-picture.png" alt="missing"></main></body></html>"""


def test_visit_catches_a_bad_page(nginx, visits, axe):
    """A page with low contrast, a too-wide block, an unhashed inline script
    (blocked by the CSP) and a missing image: each detector reports it."""
    with probe_page("visit-probe.html", BAD_PAGE, **{"visit-probe.css": BAD_CSS}) as probe:
        found = visit(visits, axe, nginx.url(probe), nginx.origin)
    text = "\n".join(found)
    assert "axe [light] color-contrast" in text and "axe [dark] color-contrast" in text, text
    assert "color-contrast needs review" in text, text
    assert "sideways scroll" in text, text
    assert "CSP: script-src-elem blocked inline" in text, text
    assert "404" in text, text  # the missing image: a console error
    assert "dark system setting" in text, text  # not a Material page: no palette to follow
    assert foreign(["http://127.0.0.1:1/x", "https://cdn.example/x.js", "data:x"], "http://127.0.0.1:1") \
        == ["https://cdn.example/x.js"]


def test_palette_toggle_switches_scheme(nginx, browser):
    """The reader's choice: two clicks from "system" go through light to dark."""
    ctx = browser.new_context(color_scheme="light")
    page = ctx.new_page()
    page.goto(nginx.url("/"), wait_until="networkidle")
    body = page.locator("body")
    seen = {body.get_attribute("data-md-color-scheme")}
    for _ in range(2):
        page.locator("form[data-palette] label:visible").first.click()
        seen.add(body.get_attribute("data-md-color-scheme"))
    assert {"default", "slate"} <= seen, seen
    ctx.close()


def test_palette_follows_the_system_until_the_reader_chooses(nginx, browser):
    """The toggle that replaces Material's palette component (overrides/
    partials/javascripts/palette.html) behaves as Material's: "system" by
    default, following a change of the system setting; a choice is stored
    and then kept whatever the system says; Enter cycles; the meta tags
    follow; the switching flag does not stay."""
    ctx = browser.new_context(color_scheme="dark")
    page = ctx.new_page()
    page.goto(nginx.url("/focus-group/"), wait_until="networkidle")
    state = """() => ({scheme: document.body.getAttribute('data-md-color-scheme'),
        media: document.body.getAttribute('data-md-color-media'),
        switching: document.body.hasAttribute('data-md-color-switching'),
        labels: [...document.querySelectorAll('form[data-palette] label')].filter(l => !l.hidden).map(l => l.title),
        meta: document.querySelector('meta[name=color-scheme]')?.content,
        theme: document.querySelector('meta[name=theme-color]')?.content,
        header: getComputedStyle(document.querySelector('header')).backgroundColor,
        headerScheme: getComputedStyle(document.querySelector('header')).colorScheme})"""

    def hex_of(rgb: str) -> str:
        return "#" + "".join(f"{int(x):02x}" for x in re.findall(r"\d+", rgb)[:3])

    s = page.evaluate(state)
    assert s["scheme"] == "slate" and s["media"] == "(prefers-color-scheme)" and s["meta"] == "dark", s
    assert s["labels"] == ["Switch to light mode"] and s["theme"] == hex_of(s["header"]), s
    assert s["meta"] == s["headerScheme"], s
    page.emulate_media(color_scheme="light")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    s = page.evaluate(state)
    assert s["meta"] == s["headerScheme"] == "light" and s["theme"] == hex_of(s["header"]), s
    page.locator("form[data-palette] label:visible").click()  # to "light", chosen
    page.wait_for_timeout(100)
    s = page.evaluate(state)
    assert s["scheme"] == "default" and s["labels"] == ["Switch to dark mode"] and not s["switching"], s
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(100)
    assert page.evaluate(state)["scheme"] == "default", "a chosen palette must not follow the system"
    page.locator("#__palette_1").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    s = page.evaluate(state)
    assert s["scheme"] == "slate" and s["labels"] == ["Switch to system preference"], s
    assert page.evaluate("document.activeElement.id") == "__palette_2"
    page.reload(wait_until="networkidle")
    assert page.evaluate(state)["scheme"] == "slate"
    ctx.close()
