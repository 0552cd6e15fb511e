"""Made to be linked from briefings (issue 5), in Chromium on the served
site: one permalink per heading, on hover and keyboard focus, that copies the absolute URL,
"Cite this page" with the access date and keyboard copy (and without
JavaScript), the whole site printed to one PDF, a printed page with its link
targets and footnotes, and the 404 page's search."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from conftest import content_pages as built_pages
from conftest import doc_for, wait_until

from explainer.checks import published as url_manifest
from explainer.config import MONTHS
from explainer.data import pagefiles


def _tab_to(page, selector: str, limit: int = 300) -> None:
    """Press Tab until the element matching selector has focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
    pytest.fail(f"{selector} never received keyboard focus")


def _settles_at(page, selector: str, opacity: str) -> bool:
    """True when the element's opacity reaches the value (fades take 125 ms)."""
    try:
        wait_until(page, "([s, o]) => getComputedStyle(document.querySelector(s)).opacity === o",
                   [selector, opacity], timeout=2_000)
    except TimeoutError:
        return False
    return True


def test_permalink_shows_on_hover_and_keyboard_focus_and_copies_absolute_url(server, browser):
    """Each heading has one link affordance (issue 22): the permalink, shown on
    hover and keyboard focus, which copies the absolute URL when used."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    page = ctx.new_page()
    page.goto(server.url("/about/"), wait_until="networkidle")
    link = "h2#method > .headerlink"
    assert page.locator("h2#method :is(a, button)").count() == 1, "a heading carries more than one link control"
    assert _settles_at(page, link, "0"), "permalink visible without hover"
    page.hover("h2#method")
    assert _settles_at(page, link, "1"), "hover does not show the permalink"
    page.mouse.move(5, 890)
    assert _settles_at(page, link, "0")
    _tab_to(page, link)
    assert _settles_at(page, link, "1"), "keyboard focus does not show it"
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("navigator.clipboard.readText()") == server.url("/about/#method")
    assert page.evaluate("location.hash") == "#method"
    ctx.close()


def test_citation_access_date_and_keyboard_copy(server, browser):
    ctx = browser.new_context()
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    page = ctx.new_page()
    page.goto(server.url("/about/"), wait_until="networkidle")
    today = dt.date.today()
    expected = f"{today.day} {MONTHS[today.month - 1]} {today.year}"
    assert page.locator("#cite-plain .cite-accessed time").get_attribute("datetime") == today.isoformat()
    _tab_to(page, "#cite-plain + .cite-copy")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    copied = re.sub(r"\s+", " ", page.evaluate("navigator.clipboard.readText()"))
    assert copied.startswith("About this explainer. "), copied
    assert server.url("/about/") in copied and f"Accessed {expected}." in copied, copied
    _tab_to(page, "#cite-chicago + .cite-copy")
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    copied = re.sub(r"\s+", " ", page.evaluate("navigator.clipboard.readText()"))
    # Chicago as citeproc-js formats it (title case, typographic apostrophe)
    assert copied.startswith("The explainer’s editors. “About This Explainer.”"), copied
    # After following a link in the navigation the new page is filled in too.
    page.locator(".md-sidebar--primary a.md-nav__link", has_text="Home").first.click()
    page.wait_for_url(server.url("/"))
    page.locator("#cite-plain .cite-accessed time").wait_for(timeout=5_000)
    assert page.evaluate("document.querySelectorAll('#cite-plain .cite-accessed time').length") == 1
    ctx.close()


def test_citation_without_javascript_asks_for_the_date(server, browser):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(server.url("/about/"))
    assert page.locator("#cite-plain .cite-accessed").inner_text() == "[the date you read it]"
    ctx.close()


def _pdf_text(data: bytes) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")), len(reader.pages)


CHROME_TEXT = ["Skip to content", "Back to top", "Text licensed under CC BY 4.0", "Copy plain citation"]


def test_whole_site_prints_to_one_pdf_with_every_page_and_no_navigation(built_site, server, browser):
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="print-site-link">[^<]*<a href="\.\./print_page/">', about), "no link to the print page"
    page = browser.new_page()
    page.goto(server.url("/" + url_manifest.PRINT_PAGE), wait_until="networkidle")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-search", ".md-footer"):
        assert not page.locator(selector).first.is_visible(), f"{selector} is printed"
    text, count = _pdf_text(page.pdf(format="A4", print_background=False))
    page.close()
    for url in built_pages(built_site):
        title = str(pagefiles.read_page(doc_for(url)).meta["title"])
        assert title in text, f"the printed site lacks /{url} ({title!r})"
    for chrome in CHROME_TEXT:
        assert chrome not in text, f"{chrome!r} is printed"
    assert "print_page/#" not in text.replace(" ", ""), "links within the print page are spelt out"
    assert count > len(built_pages(built_site)), count
    print(f"\nwhole-site PDF: {count} pages")  # shown with -s; quoted in reports


def test_printed_page_shows_link_targets_and_keeps_footnotes(server, browser):
    page = browser.new_page()
    page.goto(server.url("/"), wait_until="networkidle")
    text, _ = _pdf_text(page.pdf(format="A4"))
    page.close()
    assert f"<{server.url('/about/')}>" in text.replace(" ", ""), "internal link target not printed"
    assert "Accessed" in text and "Vedomosti" in text, "footnotes (sources) are not printed"
    for chrome in CHROME_TEXT:
        assert chrome not in text, f"{chrome!r} is printed"


def test_404_page_has_search_and_main_links(built_site, server, context):
    html = (built_site / "404.html").read_text(encoding="utf-8")
    for url in ("", "about/"):
        assert f'href="{server.origin}/{url}"' in html, url
    page = context.new_page()
    page.goto(server.url("/404.html"), wait_until="networkidle")
    assert page.locator("h1").inner_text() == "Page not found"
    page.get_by_label("Search this site").fill("Siluanov")
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    assert page.url.startswith(server.url("/")), page.url
    page.close()
