"""The published-URL register (data/published-urls.json, explainer/checks/
published.py): every page URL and every id inside each page's <article> that
the site has published (headings, key facts, timeline events, sources,
glossary terms, claims, figures; not footnote ids) still resolves, or is
redirected by data/redirects.yml. A lost anchor and a moved page fail until
redirected, and the redirects work in a browser with the fragment kept.
Bad redirect registers stop the build with file and line."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from conftest import ROOT, background, background_build, build, built, copy_project, output

from explainer import data as site_data
from explainer.checks import published as url_manifest
from explainer.config import nav_pages, read_config
from harness.servers import Server


def test_every_published_url_and_anchor_still_resolves(built_site):
    manifest = url_manifest.load_manifest()
    assert manifest, "data/published-urls.json is missing or empty: run `make urls`"
    problems, new = url_manifest.check(built_site, manifest)
    assert not problems, "\n".join(problems)
    if new:
        warnings.warn(f"{len(new)} new URLs/anchors not yet in data/published-urls.json "
                      f"(run `make urls`): {', '.join(new[:10])}", stacklevel=1)


def test_register_lists_every_kind_of_id_and_no_footnote_ids():
    manifest = url_manifest.load_manifest()
    d = site_data.load(ROOT)
    assert "" in manifest and "about/" in manifest
    assert "what-happened" in manifest[""] and "audience" in manifest["about/"]
    every = {i for ids in manifest.values() for i in ids}
    expected = {
        "key facts": {str(f["id"]) for f in d.facts},
        "timeline events": {str(e["id"]) for e in d.timeline["events"]},
        "sources": set(d.sources),
        "glossary terms": {str(t["id"]) for t in d.glossary["terms"]},
        "claims": {str(c["id"]) for c in d.claims["claims"]},
    }
    for kind, ids in expected.items():
        assert ids and ids <= every, f"{kind} missing from the register: {sorted(ids - every)[:10]}"
    pages = {url_manifest.src_to_url(p) for p in nav_pages(read_config(ROOT / "mkdocs.yml"))}
    assert pages <= set(manifest), sorted(pages - set(manifest))
    derived = sorted(i for i in every if i.startswith(url_manifest.DERIVED_ID_PREFIXES))
    assert not derived, f"footnote ids in the register: {derived[:10]}"
    furniture = sorted(i for i in every if i in url_manifest.FURNITURE_IDS)
    assert not furniture, f"template furniture in the register: {furniture}"


def test_collect_reads_ids_inside_the_article_only(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text(
        '<div id="outside"></div><article><h2 id="q">Q</h2><li id="kf-x">x</li><li id="ev-2024-x">e</li>'
        '<sup id="fnref:k"></sup><li id="fn:k"></li><section class="cite-page" id="cite-this-page">'
        '<p id="cite-plain"></p></section></article>', encoding="utf-8")
    pages, _ = url_manifest.collect(site)
    assert pages == {"a/": ["ev-2024-x", "kf-x", "q"]}, pages


# --------------------------------------------------------------------------
# A lost anchor and a moved page, in one changed copy of the project
# --------------------------------------------------------------------------
MOVED = ("context.md", "why-it-happened.md")


def rename_anchor(project: Path) -> None:
    about = project / "docs" / "about.md"
    text = about.read_text(encoding="utf-8")
    assert "{#audience}" in text
    about.write_text(text.replace("{#audience}", "{#readers}"), encoding="utf-8")


def move_page(project: Path) -> None:
    old, new = MOVED
    (project / "docs" / old).rename(project / "docs" / new)
    pattern = re.compile(rf"(?<![\w-]){re.escape(old)}\b")
    for path in [project / "mkdocs.yml", *sorted((project / "docs").rglob("*.md")),
                 *sorted((project / "data").glob("*.yml"))]:
        text = path.read_text(encoding="utf-8")
        path.write_text(pattern.sub(new, text), encoding="utf-8")
    page = project / "docs" / new
    page.write_text(page.read_text(encoding="utf-8").replace(f'in_short("{old}")', f'in_short("{new}")'),
                    encoding="utf-8")


# The key-facts page groups facts under a heading per page (#page-context):
# moving the page renames that heading too, and the register asks for it.
REDIRECTS = (f"pages:\n  {MOVED[0]}: {MOVED[1]}\nanchors:\n  about.md#audience: about.md#readers\n"
             "  key-facts.md#page-context: key-facts.md#page-why-it-happened\n")


def _changed_job(folder: Path):
    """The anchor renamed and the page moved, with their redirects; built strictly."""
    project = copy_project(folder / "project")
    rename_anchor(project)
    move_page(project)
    (project / "data" / "redirects.yml").write_text(REDIRECTS, encoding="utf-8")
    site = folder / "site"
    result = build(project, site)
    assert result.returncode == 0, output(result)[-3000:]
    return project, site


background("changed", _changed_job)


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    """(project, site, register) with the anchor renamed and the page moved:
    the register the build used ("redirected"), and an empty register read
    against the same build ("unredirected"), which is what the check sees
    when an editor moves things and forgets the redirects."""
    project, site = built("changed")
    empty = tmp_path_factory.mktemp("register") / "redirects.yml"
    empty.write_text("pages: {}\nanchors: {}\n", encoding="utf-8")
    return {"unredirected": (project, site, empty),
            "redirected": (project, site, project / "data" / "redirects.yml")}


def problems_of(built_site, project, site, register) -> list[str]:
    manifest = url_manifest.merged(built_site, {})
    return url_manifest.check(site, manifest, register)[0]


def test_lost_anchor_fails_until_redirected(built_site, changed):
    found = problems_of(built_site, *changed["unredirected"])
    assert any(p.startswith("/about/#audience: anchor is gone") for p in found), found
    found = problems_of(built_site, *changed["redirected"])
    assert not [p for p in found if "audience" in p], found


def test_moved_page_fails_until_redirected(built_site, changed):
    found = problems_of(built_site, *changed["unredirected"])
    assert any(p.startswith("/context/: page is gone") for p in found), found
    assert any(p.startswith("/key-facts/#page-context: anchor is gone") for p in found), found
    project, site, register = changed["redirected"]
    assert problems_of(built_site, project, site, register) == []
    assert 'http-equiv="refresh"' in (site / "context" / "index.html").read_text(encoding="utf-8")


def test_redirects_land_on_the_new_anchor_and_keep_the_fragment(changed, browser):
    """In the browser: the old anchor lands on the new one, and the moved
    page's old address lands on the new page at the same fragment."""
    _project, site, _register = changed["redirected"]
    srv = Server(site)
    try:
        page = browser.new_page()
        page.goto(srv.url("/about/#audience"))
        page.wait_for_url(re.compile(r"/about/#readers$"), timeout=10_000)
        page.goto(srv.url("/context/#yuan"))
        page.wait_for_url(re.compile(r"/why-it-happened/#yuan$"), timeout=10_000)
        page.close()
    finally:
        srv.close()


# The register's rules are unit-tested (tests/unit/data/test_redirects.py); one
# strict build shows that the build refuses a bad register with path:line:
# a moved page sent to a page that does not exist, and a moved anchor sent
# to an id its page does not have.
BAD_REGISTER = ("pages:\n  old.md: no-such-page.md\n"
                "anchors:\n  focus-group.md#nope: participants.md#no-such-id\n")


def _bad_register(project):
    (project / "data" / "redirects.yml").write_text(BAD_REGISTER, encoding="utf-8")


background_build("bad-register", _bad_register, HTMLPROOFER="false")


def test_bad_redirect_register_fails_the_build_with_file_and_line():
    _project, _site, result = built("bad-register")
    assert result.returncode != 0
    text = output(result)
    assert re.search(r"data/redirects\.yml:2: old\.md -> no-such-page\.md: no such page in docs/", text), text[-3000:]
    assert re.search(r"data/redirects\.yml:4: focus-group\.md#nope -> participants\.md#no-such-id: "
                     r"no id #no-such-id on participants\.md", text), text[-3000:]
