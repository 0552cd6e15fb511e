"""The strict build passes on the real site, writes every page, loads
nothing from elsewhere, and fails on broken links, anchors and snippets."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, background_build, built, expected_pages, html_file, output, url_paths

from explainer.config import read_config


def test_strict_build_produces_every_nav_page(built_site):
    """Every page of the nav, the 404 page, the print page and the key facts'
    own pages, and nothing unexpected besides the redirect pages."""
    expected = expected_pages()
    assert len(expected) >= 15, expected
    missing = [p for p in expected if not html_file(built_site, p).is_file()]
    assert not missing, f"not built: {missing}"
    extra = [p for p in url_paths(built_site) if p not in expected
             and 'http-equiv="refresh"' not in html_file(built_site, p).read_text(encoding="utf-8")]
    assert not extra, f"built but not expected: {extra}"


def appending(text: str):
    def edit(project):
        about = project / "docs" / "about.md"
        about.write_text(about.read_text(encoding="utf-8") + "\n" + text + "\n{: .nofact }\n", encoding="utf-8")
    return edit


# Three broken references in one page, one strict build: htmlproofer
# (raise_error_after_finish) and MkDocs' own link validation report every one
# before the build stops. A missing snippet stops the rendering of its page
# at once, so it has a build of its own.
BAD_LINKS = {
    "broken-link": ("See [nowhere](no-such-page.md).", r"about\.md.*no-such-page\.md|no-such-page\.md.*about\.md"),
    "broken-anchor": ("See [the top](index.md#no-such-anchor).",
                      r"about\.md.*no-such-anchor|no-such-anchor.*about\.md"),
    "broken-raw-html-link-htmlproofer": ("See <a href=\"../no-such-dir/\">a raw link</a>.",
                                         r"no-such-dir.*about\.md"),
}
MISSING_SNIPPET = ("--8<-- \"includes/no-such-snippet.md\"", r"no-such-snippet")
BAD_FIXTURES = {**BAD_LINKS, "missing-snippet": MISSING_SNIPPET}
background_build("build-broken-links", appending("\n".join(bad for bad, _ in BAD_LINKS.values())))
background_build("build-missing-snippet", appending(MISSING_SNIPPET[0]))


@pytest.mark.parametrize("name", sorted(BAD_FIXTURES))
def test_strict_build_fails_on_bad_fixture_and_names_the_file(name):
    """(Also the old tests/test_bad_input.py broken-link and broken-anchor
    cases: the message names the page.)"""
    _project, _site, result = built("build-missing-snippet" if name == "missing-snippet" else "build-broken-links")
    assert result.returncode != 0, "a broken reference must fail the strict build"
    assert re.search(BAD_FIXTURES[name][1], output(result)), output(result)[-3000:]


def test_no_external_urls_in_built_html(built_site):
    """Nothing the browser loads points off-site: no CDN, no web fonts.
    (The browser pass also records every request a page makes.)"""
    loaders = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*?(?:src|href)="(https?:)?//', re.I)
    pages = list(built_site.rglob("*.html"))
    assert len(pages) >= 15
    for html in pages:
        text = html.read_text(encoding="utf-8")
        for match in loaders.finditer(text):
            tag = text[match.start(): text.find(">", match.start()) + 1]
            if 'rel="canonical"' in tag or "rel=\"alternate\"" in tag:
                continue  # links, not loads
            pytest.fail(f"{html.relative_to(built_site)} loads an external resource: {tag[:200]}")


def test_mkdocs_config_has_no_repo_url(monkeypatch):
    """Read as the build reads it (MkDocs' loader, both engines' one file):
    a repo_url would make every reader's browser call the code host's API."""
    from mkdocs.config import load_config

    for offline in ("false", "true"):
        monkeypatch.setenv("OFFLINE", offline)
        config = load_config(str(ROOT / "mkdocs.yml"))
        assert not config.repo_url, f"repo_url is set (OFFLINE={offline}): {config.repo_url}"
    assert "repo_url" not in read_config(ROOT / "mkdocs.yml")
