"""The strict build passes on the real site and fails on broken links."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, copy_project, mkdocs_build


def test_strict_build_produces_every_nav_page(built_site):
    assert (built_site / "index.html").exists()
    assert (built_site / "about" / "index.html").exists()
    assert (built_site / "404.html").exists()


def _break(tmp_path, text: str):
    project = copy_project(tmp_path / "project")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n" + text + "\n{: .nofact }\n", encoding="utf-8")
    return mkdocs_build(project / "mkdocs.yml", tmp_path / "out")


@pytest.mark.parametrize(
    "bad, expected",
    [
        ("See [nowhere](no-such-page.md).", r"no-such-page\.md"),
        ("See [the top](index.md#no-such-anchor).", r"no-such-anchor"),
        ("See <a href=\"../no-such-dir/\">raw HTML</a>.", r"no-such-dir"),
        ("--8<-- \"includes/no-such-snippet.md\"", r"no-such-snippet"),
    ],
    ids=["broken-link", "broken-anchor", "broken-raw-html-link-htmlproofer", "missing-snippet"],
)
def test_strict_build_fails_on_bad_fixture(tmp_path, bad, expected):
    result = _break(tmp_path, bad)
    assert result.returncode != 0, "a broken reference must fail the strict build"
    assert re.search(expected, result.stdout + result.stderr)


def test_no_external_urls_in_built_html(built_site):
    """Nothing the browser loads points off-site: no CDN, no web fonts."""
    loaders = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*?(?:src|href)="(https?:)?//', re.I)
    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for match in loaders.finditer(text):
            tag = text[match.start(): text.find(">", match.start()) + 1]
            if 'rel="canonical"' in tag or "rel=\"alternate\"" in tag:
                continue  # links, not loads
            pytest.fail(f"{html.relative_to(built_site)} loads an external resource: {tag[:200]}")


def test_mkdocs_config_has_no_repo_url():
    assert not re.search(r"^repo_url:", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
