"""Search finds what briefing writers type (tests/fixtures/search-queries.yml),
in a real Chromium, through the real search box, on nginx under the CSP; the
index is fetched only when a reader starts to search. Hostile queries:
tests/browser/test_hostile_input.py."""

from __future__ import annotations

import json
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import FIXTURES, type_keys, wait_until
from explainer.data import files as sd

QUERIES = sd.load_yaml(FIXTURES / "search-queries.yml")["queries"]
TOP1_TARGET = 0.95


def settle(page, quiet_ms: int = 400, timeout: float = 10.0) -> None:
    """Wait until the result list has not changed for quiet_ms: every key
    starts a search, and on a loaded machine the last answer can come late."""
    import time

    deadline, last, since = time.monotonic() + timeout, None, time.monotonic()
    while time.monotonic() < deadline:
        now = page.evaluate("() => document.querySelector('.md-search-result__list').innerHTML")
        if now != last:
            last, since = now, time.monotonic()
        elif (time.monotonic() - since) * 1000 >= quiet_ms:
            return
        time.sleep(0.05)


def run_query(page, query: str) -> list[dict]:
    """Type a query; return the result groups, best first, as
    {"page": path, "links": [hrefs of the group]}."""
    box = page.locator("input.md-search__input")
    box.press("Control+A")
    box.press("Backspace")
    wait_until(page, "() => !/matching/i.test(document.querySelector('.md-search-result__meta').textContent)")
    type_keys(page, query)
    wait_until(page, "() => /matching/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=10_000)
    settle(page)
    return page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__item')].map(li => ({
               page: new URL(li.querySelector('a').href).pathname,
               links: [...li.querySelectorAll('a')].map(a => new URL(a.href).hash.slice(1))}))""")


def test_search_finds_home_page_for_a_word_on_it(server, context):
    """A word of the home page's title (other pages mention its facts too)."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url("/about/"), wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("explained", delay=20)
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    settle(page)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(e => e.href)")
    assert urlsplit(hrefs[0]).path == "/", hrefs
    assert not errors, errors


def test_queries_reach_their_page(server, browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url("/"), wait_until="networkidle")
    page.locator("input.md-search__input").click()
    top1, misses, not_top3, section_misses = 0, [], [], []
    for q in QUERIES:
        groups = run_query(page, q["query"])
        pages = [g["page"] for g in groups]
        if pages and pages[0] == q["page"]:
            top1 += 1
            if q.get("section") and q["section"] not in groups[0]["links"]:
                section_misses.append(f"{q['query']!r}: #{q['section']} not in {groups[0]['links']}")
        else:
            misses.append(f"{q['query']!r}: expected {q['page']}, got {pages[:3]}")
        if q["page"] not in pages[:3]:
            not_top3.append(misses[-1])
    ctx.close()
    rate = top1 / len(QUERIES)
    top3 = len(QUERIES) - len(not_top3)
    report = (f"top-1 {top1}/{len(QUERIES)} = {rate:.0%}, top-3 {top3}/{len(QUERIES)}\n"
              + "\n".join(misses + section_misses))
    print(report)  # shown with -rP: the figures for the closing note
    assert not errors, errors
    assert not not_top3, report
    assert rate >= TOP1_TARGET, report
    assert not section_misses, report


# ---------------------------------------------------------------------------
# The index is fetched on demand (docs/javascripts/search-on-demand.js)
# ---------------------------------------------------------------------------
SEARCH_FILES = ("search/search_index.json", "/lunr/")
RESULTS_SHOWN = "() => /matching/i.test(document.querySelector('.md-search-result__meta').textContent)"


def _open(server, browser, path: str, phone: bool = False):
    """A fresh page at path; returns (context, page, every URL it requests)."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
                              has_touch=phone, is_mobile=phone)
    page = ctx.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(server.url(path), wait_until="networkidle")
    return ctx, page, urls


def _search_requests(urls: list[str]) -> list[str]:
    return [u for u in urls if any(part in u for part in SEARCH_FILES)]


@pytest.mark.parametrize("how", ["click", "shortcut", "touch"])
def test_index_loads_when_a_reader_starts_to_search(server, browser, how):
    ctx, page, urls = _open(server, browser, "/focus-group/", phone=how == "touch")
    page.wait_for_timeout(500)
    assert not _search_requests(urls), f"fetched before anyone searched: {_search_requests(urls)}"
    if how == "click":
        page.locator("input.md-search__input").click()
    elif how == "shortcut":
        page.keyboard.press("/")  # Material's shortcut focuses the search box
    else:
        page.locator("label.md-header__button[for=__search]").tap()
    page.locator("input.md-search__input").press_sequentially("Sindor", delay=5)
    wait_until(page, RESULTS_SHOWN, timeout=10_000)
    first = page.locator(".md-search-result__item a").first.get_attribute("href") or ""
    assert "komi-mining" in first, first
    assert any("search/search_index.json" in u for u in urls), "results without the index?"
    ctx.close()


def test_shared_search_link_loads_the_index_at_once(server, browser):
    ctx, page, urls = _open(server, browser, "/about/?q=Sindor")
    wait_until(page, RESULTS_SHOWN, timeout=10_000)
    assert any("search/search_index.json" in u for u in urls)
    ctx.close()


def test_reading_does_not_fetch_the_index(server, browser):
    # Reading, scrolling, following a footnote and toggling the palette do
    # not fetch the index.
    ctx, page, urls = _open(server, browser, "/komi-mining/")
    page.mouse.wheel(0, 2000)
    page.locator("a.footnote-ref").first.hover()
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_timeout(500)
    assert not _search_requests(urls), _search_requests(urls)
    ctx.close()


def test_search_after_an_instant_page_change(server, browser):
    # The prefetch list is read when the first page loads: after instant
    # navigation to a page at another depth its addresses must still be right.
    ctx, page, urls = _open(server, browser, "/")
    page.evaluate("window.__marker = 'same-document'")
    page.locator(".md-sidebar--primary a.md-nav__link", has_text="Timeline").first.click()
    page.wait_for_url(server.url("/timeline/"))
    assert page.evaluate("window.__marker || ''") == "same-document", "not an instant page change"
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("Sindor", delay=5)
    wait_until(page, RESULTS_SHOWN, timeout=10_000)
    lunr = [u for u in urls if "/lunr/" in u]
    assert lunr and all(u.startswith(server.url("/assets/javascripts/lunr/")) for u in lunr), lunr
    ctx.close()


def test_language_files_are_fetched_with_the_index(server, browser):
    # search-on-demand.js fetches the lunr files listed by
    # explainer/postbuild/search.py (lunr_files) at the same moment as the index,
    # and the list must be exactly what Material's worker then imports.
    ctx, page, _ = _open(server, browser, "/focus-group/")
    listed = json.loads(page.locator("#__search-prefetch").text_content())
    expected = sorted(urljoin(page.url, u) for u in listed)
    assert expected, "no language files listed, although the site searches in Russian too"
    events: list[tuple[str, str]] = []
    ctx.on("request", lambda r: events.append(("request", r.url)))
    ctx.on("requestfinished", lambda r: events.append(("finished", r.url)))
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("Sindor", delay=5)
    wait_until(page, RESULTS_SHOWN, timeout=10_000)
    index_done = next(i for i, (kind, url) in enumerate(events)
                      if kind == "finished" and url.endswith("search/search_index.json"))
    early = sorted({url for kind, url in events[:index_done] if kind == "request" and "/lunr/" in url})
    assert early == expected, f"fetched before the index arrived: {early}, listed: {expected}"
    imported = sorted({url for kind, url in events if kind == "request" and "/lunr/" in url})
    assert imported == expected, f"the worker imports {imported}, the list says {expected}"
    ctx.close()


@pytest.mark.xfail(strict=True, reason="Material 9.8.2 searches on keyup only: once the index is loaded, text "
                   "pasted with the mouse, dictated or inserted by an input method gets no new results until a key "
                   "is pressed (reader-facing; the fix belongs in docs/javascripts/search-on-demand.js)")
def test_text_inserted_without_keys_gets_results(server, browser):
    ctx, page, _ = _open(server, browser, "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Sindor", delay=5)
    wait_until(page, RESULTS_SHOWN, timeout=10_000)  # the index is loaded
    box.press("Control+A")
    box.press("Backspace")
    wait_until(page, "() => !/matching/i.test(document.querySelector('.md-search-result__meta').textContent)")
    page.keyboard.insert_text("Siluanov")  # what a mouse paste, dictation or an input method does
    try:
        wait_until(page, RESULTS_SHOWN, timeout=3_000)
    finally:
        ctx.close()
