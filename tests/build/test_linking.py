"""Made to be linked from briefings (issue 5): permanent URLs and anchors
with redirects, permalinks on hover and focus, copy-link, "Cite this page",
print stylesheet and whole-site PDF, link previews, 404, sitemap, robots.txt.

Each test fails when its feature is removed; the URL manifest and the
redirect register are also shown failing on bad fixtures."""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs_build
from explainer.data import files as sd
from explainer.checks import published as url_manifest

SKIP_URLS = ("404.html", url_manifest.PRINT_PAGE)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
def built_pages(site: Path) -> dict[str, Path]:
    """URL (relative to the site root) -> HTML file, for real content pages."""
    pages, _redirects = url_manifest.collect(site)
    return {url: site / (url + "index.html" if url.endswith("/") or url == "" else url)
            for url in pages if url not in SKIP_URLS}


def doc_for(url: str) -> Path:
    """The Markdown source of a page URL ('' -> index.md, 'a/' -> a.md or a/index.md)."""
    stem = url.rstrip("/")
    for candidate in (ROOT / "docs" / f"{stem}.md", ROOT / "docs" / stem / "index.md"):
        if stem and candidate.exists():
            return candidate
    return ROOT / "docs" / "index.md"


def meta(html: str, attr: str, name: str) -> str | None:
    match = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    return None if match is None else sd_unescape(match.group(1))


def sd_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def site_url(server) -> str:
    return server.origin + "/"


def build_copy(tmp_path: Path, name: str, edit=None) -> tuple[Path, Path]:
    """Copy the project, apply edit(project), build strictly; return (project, site)."""
    project = copy_project(tmp_path / name)
    if edit:
        edit(project)
    site = tmp_path / f"{name}-site"
    result = mkdocs_build(project / "mkdocs.yml", site)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, site


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --------------------------------------------------------------------------
# Links that never break
# --------------------------------------------------------------------------
def test_every_published_url_and_anchor_still_resolves(built_site):
    manifest = url_manifest.load_manifest()
    assert manifest, "tests/url-manifest.json is missing or empty: run `make urls`"
    problems, new = url_manifest.check(built_site, manifest)
    assert not problems, "\n".join(problems)
    if new:
        warnings.warn(f"{len(new)} new URLs/anchors not yet in tests/url-manifest.json "
                      f"(run `make urls`): {', '.join(new[:10])}", stacklevel=1)


def test_manifest_lists_pages_headings_and_key_facts():
    manifest = url_manifest.load_manifest()
    assert "" in manifest and "about/" in manifest
    assert "what-happened" in manifest[""] and "audience" in manifest["about/"]
    assert any(i.startswith("kf-") for i in manifest[""]), manifest[""]


def test_lost_anchor_fails_until_redirected(tmp_path, browser):
    _, site = build_copy(tmp_path, "before")
    manifest = url_manifest.merged(site, {})

    def rename(project):
        replace_in(project / "docs" / "about.md", "{#audience}", "{#readers}")
    project, site = build_copy(tmp_path, "renamed", rename)
    problems, _ = url_manifest.check(site, manifest, project / "data" / "redirects.yml")
    assert any(p.startswith("/about/#audience: anchor is gone") for p in problems), problems

    def rename_and_redirect(project):
        rename(project)
        (project / "data" / "redirects.yml").write_text(
            "pages: {}\nanchors:\n  about.md#audience: about.md#readers\n", encoding="utf-8")
    project, site = build_copy(tmp_path, "redirected", rename_and_redirect)
    problems, _ = url_manifest.check(site, manifest, project / "data" / "redirects.yml")
    assert not problems, problems

    # In the browser, the old anchor lands on the new one.
    from conftest import Server, free_port

    srv = Server(site, free_port())
    try:
        page = browser.new_page()
        page.goto(srv.url("/about/#audience"))
        page.wait_for_url(re.compile(r"#readers$"), timeout=10_000)
        page.close()
    finally:
        srv.close()


def test_moved_page_fails_until_redirected_and_keeps_fragment(tmp_path, browser):
    _, site = build_copy(tmp_path, "before")
    manifest = url_manifest.merged(site, {})

    def move(project):
        (project / "docs" / "about.md").rename(project / "docs" / "about-this-site.md")
        for path in [project / "mkdocs.yml", *sorted((project / "docs").rglob("*.md"))]:
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"\babout\.md\b", "about-this-site.md", text), encoding="utf-8")
        facts = project / "data" / "key_facts.yml"
        facts.write_text(re.sub(r"page: about\.md\b", "page: about-this-site.md",
                                facts.read_text(encoding="utf-8")), encoding="utf-8")
    project, site = build_copy(tmp_path, "moved", move)
    problems, _ = url_manifest.check(site, manifest, project / "data" / "redirects.yml")
    assert any(p.startswith("/about/: page is gone") for p in problems), problems

    def move_and_redirect(project):
        move(project)
        (project / "data" / "redirects.yml").write_text(
            "pages:\n  about.md: about-this-site.md\nanchors: {}\n", encoding="utf-8")
    project, site = build_copy(tmp_path, "redirected", move_and_redirect)
    problems, _ = url_manifest.check(site, manifest, project / "data" / "redirects.yml")
    assert not problems, problems
    assert 'http-equiv="refresh"' in (site / "about" / "index.html").read_text(encoding="utf-8")

    from conftest import Server, free_port

    srv = Server(site, free_port())
    try:
        page = browser.new_page()
        page.goto(srv.url("/about/#corrections"))
        page.wait_for_url(re.compile(r"/about-this-site/#corrections$"), timeout=10_000)
        page.close()
    finally:
        srv.close()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("pages:\n  about: index.md\n", r"data/redirects\.yml:2: pages: 'about' -> 'index\.md': both sides must"),
        ("anchors:\n  about.md: index.md\n", r"data/redirects\.yml:2: anchors: .*need '#id'"),
        ("pages:\n  old.md: no-such-page.md\n", r"data/redirects\.yml:2: old\.md -> no-such-page\.md: no such page"),
        ("pages:\n  about.md: index.md\n", r"data/redirects\.yml:2: about\.md still exists"),
        ("pages: [\n", r"data/redirects\.yml:\d+: invalid YAML"),
    ],
    ids=["not-a-page", "anchor-without-id", "missing-target", "overwrites-page", "bad-yaml"],
)
def test_bad_redirect_register_fails_the_build_with_file_and_line(tmp_path, text, expected):
    project = copy_project(tmp_path / "project")
    (project / "data" / "redirects.yml").write_text(text, encoding="utf-8")
    result = mkdocs_build(project / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert re.search(expected, result.stdout + result.stderr), result.stdout + result.stderr


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
        page.wait_for_function("([s, o]) => getComputedStyle(document.querySelector(s)).opacity === o",
                               arg=[selector, opacity], timeout=2_000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: it never got there
        return False
    return True


def test_permalink_shows_on_hover_and_keyboard_focus_and_copies_absolute_url(server, browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    page = ctx.new_page()
    page.goto(server.url("/about/"), wait_until="networkidle")
    link, copy = "h2#method > .headerlink", "h2#method > .copy-link"
    assert _settles_at(page, link, "0") and _settles_at(page, copy, "0"), "permalink visible without hover"
    page.hover("h2#method")
    assert _settles_at(page, link, "1") and _settles_at(page, copy, "1"), "hover does not show the permalink"
    page.mouse.move(5, 890)
    assert _settles_at(page, copy, "0")
    _tab_to(page, link)
    assert _settles_at(page, link, "1") and _settles_at(page, copy, "1"), "keyboard focus does not show it"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('h2#method > .copy-link')")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("navigator.clipboard.readText()") == server.url("/about/#method")
    ctx.close()


def test_key_facts_have_copy_link_buttons(built_site):
    manifest_ids = url_manifest.collect(built_site)[0][""]
    facts = [i for i in manifest_ids if i.startswith("kf-")]
    html = (built_site / "index.html").read_text(encoding="utf-8")
    for fact in facts:
        assert re.search(rf'<li id="{fact}">.*?data-clipboard-text="[^"]*/#{fact}".*?</li>', html, re.S), fact


# --------------------------------------------------------------------------
# Cite this page
# --------------------------------------------------------------------------
def citation_problems(site: Path, base: str) -> list[str]:
    problems = []
    for url, path in built_pages(site).items():
        html = path.read_text(encoding="utf-8")
        doc = sd.read_page(doc_for(url))
        box = re.search(r'<section class="cite-page".*?</section>', html, re.S)
        if not box:
            problems.append(f"/{url}: no 'Cite this page'")
            continue
        text = re.sub(r"\s+", " ", sd_unescape(re.sub(r"<[^>]+>", "", box.group(0))))
        for part in (str(doc.meta["title"]), base + url, f"Reviewed {sd.human_date(str(doc.meta['reviewed']))}",
                     "Accessed [the date you read it]"):
            if part not in text:
                problems.append(f"/{url}: citation lacks {part!r}: {text}")
    return problems


def test_every_page_has_a_citation_with_title_url_and_review_date(built_site, server):
    problems = citation_problems(built_site, site_url(server))
    assert not problems, "\n".join(problems)


def test_citation_access_date_and_keyboard_copy(server, browser):
    ctx = browser.new_context()
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    page = ctx.new_page()
    page.goto(server.url("/about/"), wait_until="networkidle")
    today = dt.date.today()
    expected = f"{today.day} {sd.MONTHS[today.month - 1]} {today.year}"
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
    assert copied.startswith("The explainer's editors. “About this explainer.”"), copied
    # After an instant (script-driven) page change the new page is filled in too.
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


# --------------------------------------------------------------------------
# Link previews
# --------------------------------------------------------------------------
def preview_problems(site: Path, base: str) -> list[str]:
    from PIL import Image

    problems = []
    for url, path in built_pages(site).items():
        html = path.read_text(encoding="utf-8")
        doc = sd.read_page(doc_for(url))
        title, description = str(doc.meta["title"]), str(doc.meta["description"])
        expected = {("name", "description"): description, ("property", "og:title"): title,
                    ("property", "og:description"): description, ("property", "og:url"): base + url,
                    ("name", "twitter:card"): "summary_large_image", ("name", "twitter:title"): title,
                    ("name", "twitter:description"): description}
        for (attr, name), value in expected.items():
            if meta(html, attr, name) != value:
                problems.append(f"/{url}: {name} is {meta(html, attr, name)!r}, expected {value!r}")
        image = meta(html, "property", "og:image")
        if not (image and image.startswith(base) and image == meta(html, "name", "twitter:image")
                and meta(html, "property", "og:image:alt")):
            problems.append(f"/{url}: og:image/twitter:image missing, not absolute or without alt: {image!r}")
            continue
        png = site / image[len(base):]
        if not png.exists():
            problems.append(f"/{url}: preview image {png} was not drawn")
            continue
        with Image.open(png) as img:
            if img.size != (1200, 630) or img.format != "PNG":
                problems.append(f"/{url}: preview image is {img.format} {img.size}")
    return problems


def test_every_page_has_description_open_graph_and_twitter_tags(built_site, server):
    problems = preview_problems(built_site, site_url(server))
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------
# Print and PDF
# --------------------------------------------------------------------------
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
        title = str(sd.read_page(doc_for(url)).meta["title"])
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


# --------------------------------------------------------------------------
# 404, sitemap, robots.txt
# --------------------------------------------------------------------------
def test_404_page_has_search_and_main_links(built_site, server, context):
    html = (built_site / "404.html").read_text(encoding="utf-8")
    for url in ("", "about/"):
        assert f'href="{site_url(server)}{url}"' in html, url
    page = context.new_page()
    page.goto(server.url("/404.html"), wait_until="networkidle")
    assert page.locator("h1").inner_text() == "Page not found"
    page.get_by_label("Search this site").fill("Siluanov")
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    assert page.url.startswith(server.url("/")), page.url
    page.close()


def test_sitemap_lists_every_page(built_site, server):
    tree = ET.parse(built_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {el.text for el in tree.findall(".//s:loc", ns)}
    expected = {site_url(server) + url for url in built_pages(built_site)}
    assert expected <= locs, sorted(expected - locs)


def test_robots_txt_points_to_the_sitemap(built_site, server):
    robots = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert re.search(r"^User-agent: \*$", robots, re.M)
    assert f"Sitemap: {site_url(server)}sitemap.xml" in robots.splitlines()
    assert not re.search(r"^Disallow: /\s*$", robots, re.M)


def test_checks_fail_on_a_build_without_the_linking_features(tmp_path):
    """The same checks on a build with this feature set removed (hook and
    template overrides): each one reports problems."""
    def strip(project):
        replace_in(project / "mkdocs.yml", "  - scripts/linking_hooks.py\n", "")
        (project / "overrides" / "main.html").unlink()
        (project / "overrides" / "404.html").unlink()
    _, site = build_copy(tmp_path, "stripped", strip)
    base = "http://127.0.0.1:8000/"
    assert citation_problems(site, base)
    assert any("og:image" in p for p in preview_problems(site, base))
    assert not (site / "robots.txt").exists()
    assert 'class="copy-link"' not in (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "Page not found" not in (site / "404.html").read_text(encoding="utf-8")


def test_footnote_backlinks_are_labelled_not_titled(built_site):
    # A title would make Material mount a tooltip per back-link at load time
    # (scripts/linking_hooks.py, backref_labels); the name stays the same.
    text = (built_site / "timeline" / "index.html").read_text(encoding="utf-8")
    backrefs = re.findall(r'<a class="footnote-backref"[^>]*>', text)
    assert len(backrefs) > 50, len(backrefs)
    for tag in backrefs:
        assert 'aria-label="Jump back to footnote ' in tag and " title=" not in tag, tag
