"""explainer/postbuild/assets.py on the built site: each page loads one
joined stylesheet and one joined extra script, with the same content in the
same order, purged of CSS rules no page uses (PurgeCSS). Fixture sites for
each rule are in tests/unit/postbuild/test_assets.py."""

from __future__ import annotations

import re

from conftest import html_file as _html
from conftest import url_paths as page_paths

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
SCRIPT = re.compile(r'<script src="([^"]+)"')


def _asset(site, page, href):
    return site / href.lstrip("/") if href.startswith("/") else (page.parent / href).resolve()


def test_every_page_loads_one_stylesheet_and_one_script(built_site):
    for path in page_paths(built_site):
        text = _html(built_site, path).read_text(encoding="utf-8")
        sheets = STYLESHEET.findall(text)
        assert len(sheets) == 1 and re.search(r"assets/stylesheets/site\.[0-9a-f]{8}\.css$", sheets[0]), \
            f"{path}: {sheets}"
        scripts = SCRIPT.findall(text)
        assert len(scripts) == 1 and re.search(r"assets/javascripts/site\.[0-9a-f]{8}\.js$", scripts[0]), \
            f"{path}: {scripts}"


def test_joined_stylesheet_keeps_every_file_in_order(built_site):
    text = (built_site / "index.html").read_text(encoding="utf-8")
    joined = (built_site / STYLESHEET.findall(text)[0]).read_text(encoding="utf-8")
    parts = re.findall(r"^/\* (\S+) \*/$", joined, re.M)
    assert parts[0].startswith("assets/stylesheets/main.") and parts[1].startswith("assets/stylesheets/palette.")
    assert parts[2:] == ["stylesheets/extra.css", "stylesheets/linking.css", "stylesheets/print.css"], parts


def test_print_site_assets_load_on_the_print_page_only(built_site):
    for path in page_paths(built_site):
        page = _html(built_site, path)
        text = page.read_text(encoding="utf-8")
        joined = _asset(built_site, page, STYLESHEET.findall(text)[0]).read_text(encoding="utf-8")
        script = _asset(built_site, page, SCRIPT.findall(text)[0]).read_text(encoding="utf-8")
        on_print_page = path == "/print_page/"
        assert ("/* css/print-site.css */" in joined) == on_print_page, path
        assert ("/* js/print-site.js */" in script) == on_print_page, path
        assert "Page ' counter(page)" not in joined or on_print_page, f"{path}: print-site page footers"


def test_purged_stylesheet_keeps_what_pages_and_scripts_use(built_site):
    text = (built_site / "index.html").read_text(encoding="utf-8")
    joined = (built_site / STYLESHEET.findall(text)[0]).read_text(encoding="utf-8")
    main = next((built_site / "assets" / "stylesheets").glob("main.*.min.css")).read_text(encoding="utf-8")
    assert len(joined) < 0.8 * len(main), "nothing was purged"
    # Used in the pages' HTML, set by Material's script at run time (search
    # results, tooltips), the dark palette, and this site's own rules.
    for selector in (".md-typeset .footnote-ref", ".md-search-result__item", ".md-tooltip2--active",
                     "[data-md-color-scheme=slate]", ".cite-page", ".copy-link", ".md-nav__link--active"):
        assert selector in joined, f"purged although used: {selector}"
    # Features this site does not use.
    for selector in (".md-post", ".md-consent", ".md-tabs__link", ".md-banner", ".tabbed-set"):
        assert selector not in joined, f"kept although unused: {selector}"
