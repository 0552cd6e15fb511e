"""Bad input fails safe, with a message that names file and line.

Editors: the fixtures of tests/test_content_check.py (which proves the
checker, ``make check``) are reused here to prove the other two doors an
editor walks through: the strict build itself (``mkdocs build``, ``make
serve``), which must refuse the same input with the same ``path:line``
instead of a traceback or a silently wrong page; and the checker's command
line, which must print ``path:line: message`` and exit 1. New fixtures cover
what only the build sees: broken links and anchors, key facts that point
nowhere.

Readers: on real nginx with the generated configuration, unknown paths get
the site's 404 page with status 404, very long or odd URLs get a clean 4xx,
never a 5xx; in Chromium under the strict CSP, hostile search queries cause
no console error, render no markup from the query, run no script, and leave
search usable.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, copy_project, mkdocs_build
from test_content_check import CASES, _edit, _line_of
from test_nginx import CSP_LISTENER, nginx, violations  # noqa: F401 (nginx is a fixture)


def _build(project):
    result = mkdocs_build(project / "mkdocs.yml", project.parent / "out")
    return result.returncode, result.stdout + result.stderr


# --------------------------------------------------------------------------
# Editors: the strict build refuses the checker's fixtures with path:line
# --------------------------------------------------------------------------
# case name -> (expected message regex, whether the line must match the
# fixture's own line as computed by test_content_check)
BUILD_CASES = {
    "unknown-source-key": (r"unknown source key \[\^no-such-key\]", True),
    "duplicate-source-key": (r"duplicate source key 'zawya-2024-12-25'", True),
    "malformed-date": (r"malformed date '25/12/2024'", True),
    "impossible-date": (r"no such calendar date", True),
    "mirror-url": (r"web\.lifelines\.name is a mirror or aggregator", True),
    "url-not-on-publisher-domain": (r"example\.org is not a domain of RT", True),
    "malformed-front-matter": (r"malformed front matter", True),
    "missing-front-matter": (r"missing front matter", False),
    "key-fact-without-id": (r"key fact id None is missing", True),
    "invalid-yaml": (r"invalid YAML", False),
}


@pytest.mark.parametrize("name", sorted(BUILD_CASES))
def test_strict_build_refuses_with_path_and_line(tmp_path, name):
    relpath, mutate, needle, _ = CASES[name]
    expected, exact_line = BUILD_CASES[name]
    project = copy_project(tmp_path / "p")
    mutate(project)
    code, output = _build(project)
    assert code != 0, f"{name}: the strict build accepted bad input"
    line = str(_line_of(project / relpath, needle)) if exact_line else r"\d+"
    pattern = re.escape(relpath) + ":" + line + r": .*" + expected
    assert re.search(pattern, output), f"{name}: expected {pattern!r} in build output:\n{output[-3000:]}"
    assert "Traceback" not in output, f"{name}: a traceback instead of a message:\n{output[-3000:]}"


def test_strict_build_names_a_page_missing_from_the_nav(tmp_path):
    project = copy_project(tmp_path / "p")
    CASES["page-not-in-nav"][1](project)
    code, output = _build(project)
    assert code != 0
    assert re.search(r"not included in the \"nav\" configuration:\s+- stray\.md", output), output[-2000:]


@pytest.mark.parametrize(
    "bad, expected",
    [
        ("See [nowhere](no-such-page.md).", r"about\.md.*no-such-page\.md|no-such-page\.md.*about\.md"),
        ("See [the top](index.md#no-such-anchor).", r"about\.md.*no-such-anchor|no-such-anchor.*about\.md"),
    ],
    ids=["broken-link", "broken-anchor"],
)
def test_strict_build_names_the_file_with_a_broken_reference(tmp_path, bad, expected):
    project = copy_project(tmp_path / "p")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n" + bad + "\n{: .nofact }\n", encoding="utf-8")
    code, output = _build(project)
    assert code != 0
    assert re.search(expected, output), output[-3000:]


def test_key_fact_citing_an_unknown_source_names_its_line(tmp_path):
    project = copy_project(tmp_path / "p")
    facts = project / "data" / "key_facts.yml"
    _edit(facts, "  - id: kf-focus-group\n", "  - id: kf-bad-cite\n    page: index.md\n"
          "    text: Claimed.[^no-such-source]\n  - id: kf-focus-group\n")
    code, output = _build(project)
    assert code != 0
    line = _line_of(facts, "kf-bad-cite")
    assert re.search(rf"data/key_facts\.yml:{line}: key fact kf-bad-cite: unknown source key \[\^no-such-source\]",
                     output), output[-2000:]


def test_key_fact_with_a_malformed_id_names_its_line(tmp_path):
    project = copy_project(tmp_path / "p")
    facts = project / "data" / "key_facts.yml"
    _edit(facts, "  - id: kf-focus-group\n", "  - id: Focus Group!\n")
    code, output = _build(project)
    assert code != 0
    line = _line_of(facts, "Focus Group!")
    assert re.search(rf"data/key_facts\.yml:{line}: key fact id 'Focus Group!'", output), output[-2000:]


# --------------------------------------------------------------------------
# Editors: what only the checker sees, through its command line (make check)
# --------------------------------------------------------------------------
CLI_CASES = ["undefined-abbreviation", "missing-description", "description-too-long",
             "malformed-review-date", "heading-without-id", "footnote-text-in-page"]


@pytest.mark.parametrize("name", CLI_CASES)
def test_check_command_prints_path_line_and_fails(tmp_path, name):
    relpath, mutate, needle, message = CASES[name]
    project = copy_project(tmp_path / "p")
    mutate(project)
    result = subprocess.run([sys.executable, "-m", "explainer.checks.content", "--root", str(project)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    line = _line_of(project / relpath, needle)
    assert re.search(rf"^(\S*/)?{re.escape(relpath)}:{line}: .*{message}", result.stdout, re.M), result.stdout


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
    errors = (nginx.workdir / "error.log").read_text(encoding="utf-8", errors="replace")
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


def _search(page, query: str):
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    page.wait_for_timeout(700)


def _assert_no_markup_from_query(page):
    found = page.evaluate("""() => ({
        pwned: window.__pwned || 0,
        imgs: document.querySelectorAll('.md-search-result img, .md-search img[src="x"]').length,
        scripts: document.querySelectorAll('.md-search-result script').length,
    })""")
    assert found == {"pwned": 0, "imgs": 0, "scripts": 0}, found


@pytest.mark.parametrize("name", sorted(HOSTILE_QUERIES))
def test_hostile_search_query_is_harmless_and_search_recovers(nginx, context, name):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.add_init_script(CSP_LISTENER)
    page.goto(nginx.url("/"), wait_until="networkidle")
    _search(page, HOSTILE_QUERIES[name])
    _assert_no_markup_from_query(page)
    meta = page.locator(".md-search-result__meta")
    assert meta.inner_text().strip(), "search shows no status for the query"
    # Search still works afterwards.
    _search(page, "Siluanov")
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    assert not errors, errors
    assert not violations(page, errors)
    page.close()


def test_markup_detector_catches_injected_markup(nginx, context):
    page = context.new_page()
    page.goto(nginx.url("/"), wait_until="networkidle")
    _search(page, "Siluanov")
    page.evaluate("""document.querySelector('.md-search-result__list')
                     .insertAdjacentHTML('beforeend', '<li class="md-search-result__item"><img src="x"></li>')""")
    with pytest.raises(AssertionError):
        _assert_no_markup_from_query(page)
    page.close()


def test_hostile_query_in_a_shared_search_link_is_harmless(nginx, context):
    """search.share opens the search from ?q=; the query must stay text."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(CSP_LISTENER)
    page.goto(nginx.url("/?q=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E"), wait_until="networkidle")
    page.wait_for_timeout(700)
    _assert_no_markup_from_query(page)
    assert page.locator("input.md-search__input").input_value().startswith("<img"), "query not restored as text"
    assert not errors, errors
    page.close()
