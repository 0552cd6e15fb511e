"""The published-URL register (data/published-urls.json, explainer/checks/
published.py): every page URL and every id inside each page's <article> that
the site has published (headings, key facts, timeline events, sources,
glossary terms, claims, figures; not footnote ids) still resolves, or is
redirected by data/redirects.yml. A lost anchor and a moved page fail until
redirected, and the redirects work in a browser with the fragment kept.
Bad redirect registers stop the build with file and line."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from conftest import ROOT, background, background_build, build, built, copy_project, output
from explainer.checks import published as url_manifest
from explainer.config import nav_pages, read_config
from explainer import data as site_data
from explainer.serve import Server


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


def _changed_job(redirects: str | None):
    def job(folder: Path):
        project = copy_project(folder / "project")
        rename_anchor(project)
        move_page(project)
        if redirects:
            (project / "data" / "redirects.yml").write_text(redirects, encoding="utf-8")
        # The timeline figure links each event's page: redraw it, as an editor would.
        drawn = subprocess.run([sys.executable, "-m", "explainer.figures.timeline"], cwd=project,
                               capture_output=True, text=True)
        assert drawn.returncode == 0, output(drawn)
        site = folder / "site"
        result = build(project, site)
        assert result.returncode == 0, output(result)[-3000:]
        return project, site
    return job


background("changed-unredirected", _changed_job(None))
background("changed-redirected", _changed_job(REDIRECTS))


@pytest.fixture(scope="module")
def changed():
    """(project, site) with the anchor renamed and the page moved, without
    redirects, and the same with them; both built strictly."""
    return {"unredirected": built("changed-unredirected"), "redirected": built("changed-redirected")}


def problems_of(built_site, project, site) -> list[str]:
    manifest = url_manifest.merged(built_site, {})
    return url_manifest.check(site, manifest, project / "data" / "redirects.yml")[0]


def test_lost_anchor_fails_until_redirected(built_site, changed):
    found = problems_of(built_site, *changed["unredirected"])
    assert any(p.startswith("/about/#audience: anchor is gone") for p in found), found
    found = problems_of(built_site, *changed["redirected"])
    assert not [p for p in found if "audience" in p], found


def test_moved_page_fails_until_redirected(built_site, changed):
    found = problems_of(built_site, *changed["unredirected"])
    assert any(p.startswith("/context/: page is gone") for p in found), found
    assert any(p.startswith("/key-facts/#page-context: anchor is gone") for p in found), found
    project, site = changed["redirected"]
    assert problems_of(built_site, project, site) == []
    assert 'http-equiv="refresh"' in (site / "context" / "index.html").read_text(encoding="utf-8")


def test_redirects_land_on_the_new_anchor_and_keep_the_fragment(changed, browser):
    """In the browser: the old anchor lands on the new one, and the moved
    page's old address lands on the new page at the same fragment."""
    _project, site = changed["redirected"]
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


BAD_REGISTERS = ["pages:\n  about: index.md\n", "anchors:\n  about.md: index.md\n",
                 "pages:\n  old.md: no-such-page.md\n", "pages:\n  about.md: index.md\n", "pages: [\n"]


def _register(text: str):
    return lambda project: (project / "data" / "redirects.yml").write_text(text, encoding="utf-8")


for _number, _text in enumerate(BAD_REGISTERS):
    background_build(f"register-{_number}", _register(_text), HTMLPROOFER="false")


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
def test_bad_redirect_register_fails_the_build_with_file_and_line(text, expected):
    _project, _site, result = built(f"register-{BAD_REGISTERS.index(text)}")
    assert result.returncode != 0
    assert re.search(expected, output(result)), output(result)[-3000:]


