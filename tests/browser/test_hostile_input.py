"""Bad input from readers fails safe.

On real nginx with the generated configuration, unknown paths get the site's
404 page with status 404, very long or odd URLs get a clean 4xx, never a
5xx; in Chromium under the strict CSP, hostile search queries cause no
console error, render no markup from the query, run no script, and leave
search usable.
"""

from __future__ import annotations

import re

import pytest
from conftest import paste_keys, watch


# --------------------------------------------------------------------------
# Readers: odd addresses on nginx
# --------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/no-such-page/", "/focus-group/no/such/depth/", "/index.php",
                                  "/%D1%81%D1%82%D1%80%D0%B0%D0%BD%D0%B8%D1%86%D0%B0/"],
                         ids=["unknown", "deep", "php-probe", "cyrillic"])
def test_unknown_paths_get_the_404_page(nginx, path):
    status, headers, body = nginx.get(path)
    assert status == 404, (path, status)
    assert body == (nginx.site / "404.html").read_bytes()
    assert "content-security-policy" in headers


ODD_URLS = {
    "10k-path": "/" + "a" * 10_000,
    "10k-query": "/about/?q=" + "x" * 10_000,
    "nul-byte": "/%00",
    "bad-escape": "/%",
    "dot-dot-traversal": "/../../etc/passwd",
    "encoded-traversal": "/..%2f..%2f..%2fetc%2fpasswd",
    "html-in-path": "/<script>alert(1)</script>",
    "invalid-utf8": "/%ff%fe%fd/",
    "many-slashes": "/about" + "/" * 3000,
    "long-odd-mix": "/" + "%F0%9F%92%A5~^:+-*\"'" * 400,
}


@pytest.mark.parametrize("name", sorted(ODD_URLS))
def test_odd_urls_get_a_clean_answer(nginx, name):
    path = ODD_URLS[name]
    status, _headers, body = nginx.get(path)
    assert status < 500, f"{name}: {status}"
    assert status in (200, 400, 404, 414), f"{name}: {status}"
    if status == 200:
        # Only an existing page may answer 200, and never a file outside the site.
        assert b"root:" not in body and body.lstrip().startswith(b"<!doctype html>"), name
    errors = nginx.error_log.read_text(encoding="utf-8", errors="replace")
    assert not re.search(r"\[(crit|alert|emerg)\]", errors), errors[-2000:]


# --------------------------------------------------------------------------
# Readers: hostile search queries in Chromium, under the strict CSP
# --------------------------------------------------------------------------
HOSTILE_QUERIES = {
    "lunr-operators": "* ~ ^ : + -",
    "lunr-field-and-fuzz": "title:focus~2^10 +-crypto",
    "unmatched-quote": '"focus group',
    "1000-chars": ("crypto " * 143)[:1000],
    "emoji": "💸🚀 крипто ₽",
    "script-tag": "<script>window.__pwned=1</script>",
    "img-onerror": '<img src=x onerror="window.__pwned=1">',
}


@pytest.fixture()
def clipboard_context(browser):
    """A reader's browser that may paste (clipboard permissions)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900},
                              permissions=["clipboard-read", "clipboard-write"])
    yield ctx
    ctx.close()


def _search(page, query: str):
    """Clear the box and paste the query, as a reader does with text from
    elsewhere (Ctrl+A, Backspace, Ctrl+V)."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press("Control+A")
    box.press("Backspace")
    paste_keys(page, query)
    assert box.input_value() == query, "the paste did not arrive"
    page.wait_for_timeout(700)


def _assert_no_markup_from_query(page):
    found = page.evaluate("""() => ({
        pwned: window.__pwned || 0,
        imgs: document.querySelectorAll('.md-search-result img, .md-search img[src="x"]').length,
        scripts: document.querySelectorAll('.md-search-result script').length,
    })""")
    assert found == {"pwned": 0, "imgs": 0, "scripts": 0}, found


@pytest.mark.parametrize("name", sorted(HOSTILE_QUERIES))
def test_hostile_search_query_is_harmless_and_search_recovers(nginx, clipboard_context, name):
    watched = watch(clipboard_context, nginx.url("/"))
    page, errors = watched.page, watched.errors
    _search(page, HOSTILE_QUERIES[name])
    _assert_no_markup_from_query(page)
    meta = page.locator(".md-search-result__meta")
    assert meta.inner_text().strip(), "search shows no status for the query"
    # Search still works afterwards.
    _search(page, "Siluanov")
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    assert not errors, errors
    assert not watched.violations()
    page.close()


def test_markup_detector_catches_injected_markup(nginx, clipboard_context):
    page = clipboard_context.new_page()
    page.goto(nginx.url("/"), wait_until="networkidle")
    _search(page, "Siluanov")
    page.evaluate("""document.querySelector('.md-search-result__list')
                     .insertAdjacentHTML('beforeend', '<li class="md-search-result__item"><img src="x"></li>')""")
    with pytest.raises(AssertionError):
        _assert_no_markup_from_query(page)
    page.close()


def test_hostile_query_in_a_shared_search_link_is_harmless(nginx, clipboard_context):
    """search.share opens the search from ?q=; the query must stay text."""
    watched = watch(clipboard_context, nginx.url("/?q=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E"))
    page, errors = watched.page, watched.errors
    page.wait_for_timeout(700)
    _assert_no_markup_from_query(page)
    assert page.locator("input.md-search__input").input_value().startswith("<img"), "query not restored as text"
    assert not errors, errors
    page.close()
