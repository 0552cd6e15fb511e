"""The offline copy (explainer/postbuild/offline.py, `make offline`): the
same mkdocs.yml built with OFFLINE=true (Material's offline plugin), packed
reproducibly into build/explainer-offline.zip and published as
/downloads/explainer-offline.zip. Read from disk in Chromium: every page,
picture and link works, search answers from file://, nothing is fetched
from elsewhere (no CDN shim). Each check is shown failing on a bad fixture.
(The zip's bytes are compared with a fresh one in test_reproducible.py.)"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, background, build, built, copy_project, is_load, links_of, output, skip_scheme
from conftest import url_paths as page_paths

from explainer.engine import hooks as mkdocs_hooks
from explainer.postbuild import offline as build_offline

ZIP_IN_SITE = Path("downloads") / "explainer-offline.zip"


def test_one_config_switches_the_offline_plugin_by_env(monkeypatch):
    """No second config repeating the plugin list (the old mkdocs.offline.yml
    and its sync test): mkdocs.yml enables Material's offline plugin when
    OFFLINE=true, with the same plugins and options otherwise."""
    from mkdocs.config import load_config

    configs = {}
    for value in ("false", "true"):
        monkeypatch.setenv("OFFLINE", value)
        configs[value] = load_config(str(ROOT / "mkdocs.yml"))
    hosted, offline = configs["false"], configs["true"]
    assert list(hosted.plugins) == list(offline.plugins)
    assert not mkdocs_hooks.is_offline_build(hosted) and mkdocs_hooks.is_offline_build(offline)
    for name in hosted.plugins:
        options = getattr(hosted.plugins[name], "config", None)
        if options is not None and name != "material/offline":
            assert dict(offline.plugins[name].config) == dict(options), name


@pytest.fixture(scope="module")
def offline_zip(built_site) -> Path:
    path = built_site / ZIP_IN_SITE
    assert path.is_file(), f"{ZIP_IN_SITE} missing from the build"
    return path


@pytest.fixture(scope="module")
def offline_root(offline_zip, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(offline_zip) as archive:
        archive.extractall(dest)
    return dest / build_offline.TOP_FOLDER


def test_offline_zip_holds_every_page_and_nothing_else(offline_zip, built_site):
    with zipfile.ZipFile(offline_zip) as archive:
        infos = archive.infolist()
    names = {i.filename for i in infos}
    assert all(n.startswith(build_offline.TOP_FOLDER + "/") for n in names)
    assert len({i.date_time for i in infos}) == 1, "every entry carries the same (commit) time"
    assert not [n for n in names if n.endswith(".map")]
    inside = {n.split("/", 1)[1] for n in names}
    for required in ("index.html", "search/search_index.js", "assets/javascripts/iframe-worker/shim.js"):
        assert required in inside
    for path in page_paths(built_site):
        if path == "/404.html":
            assert "404.html" not in inside, "the 404 page only works on a server"
            continue
        flat = "index.html" if path == "/" else (path.strip("/") + ".html" if path.endswith("/") else path.lstrip("/"))
        assert flat in inside, f"offline copy lacks {flat} (hosted page {path})"


def static_link_problems(root: Path) -> list[str]:
    """Every link and load in the unzipped copy must reach a file inside it;
    loads must never leave the folder."""
    problems = []
    for page in sorted(root.rglob("*.html")):
        rel = page.relative_to(root)
        for tag, url, attrs in links_of(page.read_text(encoding="utf-8")):
            if skip_scheme(url):
                continue
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                if is_load(tag, attrs):
                    problems.append(f"{rel}: <{tag}> loads {url} from outside the folder")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_relative_to(root.resolve()):
                problems.append(f"{rel}: <{tag}> {url} points outside the folder")
            elif not target.is_file():
                problems.append(f"{rel}: <{tag}> {url} has no file behind it")
    return problems


def test_offline_copy_links_stay_inside_the_folder(offline_root):
    assert static_link_problems(offline_root) == []


def test_offline_link_check_catches_bad_fixture(offline_root, tmp_path):
    bad = tmp_path / "copy"
    shutil.copytree(offline_root, bad)
    about = bad / "about.html"
    about.write_text(about.read_text(encoding="utf-8").replace(
        "</body>", '<img src="https://cdn.example.invalid/x.png" alt=""><a href="no-such.html">x</a></body>'),
        encoding="utf-8")
    found = static_link_problems(bad)
    assert any("cdn.example.invalid" in p for p in found) and any("no-such.html" in p for p in found), found


def browse_offline(context, root: Path, limit: int | None = None, search: bool = True) -> dict:
    """Open index.html over file://, follow every navigation link by clicking,
    look at every picture, search, and open a result. Returns what it saw."""
    seen: dict = {"requests": [], "errors": [], "broken_images": [], "pages": [], "images": 0}
    context.on("request", lambda req: seen["requests"].append(req.url))
    page = context.new_page()
    page.on("pageerror", lambda exc: seen["errors"].append(f"pageerror: {exc}"))
    page.on("console", lambda msg: seen["errors"].append(f"console: {msg.text}") if msg.type == "error" else None)
    start = (root / "index.html").as_uri()
    page.goto(start, wait_until="load")
    # The visible page links of the main navigation (not in-page anchors).
    targets = page.locator(".md-sidebar--primary .md-nav__link[href]").evaluate_all(
        "els => [...new Set(els.filter(e => e.offsetParent !== null && e.getAttribute('href').includes('.html'))"
        ".map(e => e.getAttribute('href')))]")
    for href in targets[:limit]:
        page.goto(start, wait_until="load")
        page.locator(f'.md-sidebar--primary .md-nav__link[href="{href}"]:visible').first.click()
        page.wait_for_load_state("load")
        seen["pages"].append(page.url)
        images = page.evaluate(
            # Lazy pictures below the fold load as a reader scrolls to them:
            # load them now, and give each decode at most 10 s (a decode that
            # never settles is reported as a broken picture, not a hang).
            "async () => { const imgs = [...document.images];"
            " imgs.forEach(i => { i.loading = 'eager'; });"
            " await Promise.all(imgs.map(i => Promise.race([i.decode().catch(() => null),"
            " new Promise(r => setTimeout(r, 10000))])));"
            " return imgs.map(i => [i.currentSrc || i.src, i.complete && i.naturalWidth > 0]); }")
        seen["images"] += len(images)
        seen["broken_images"] += [f"{page.url}: {src}" for src, ok in images if not ok]
    if search:
        page.goto(start, wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("ruble", delay=20)
        result = page.locator(".md-search-result__item > a").first
        result.wait_for(timeout=15_000)
        seen["results"] = page.locator(".md-search-result__item > a").count()
        result.click()
        page.wait_for_load_state("load")
        seen["after_search"] = page.url
    page.close()
    return seen


def outside(requests: list[str], root: Path) -> list[str]:
    base = root.resolve().as_uri() + "/"
    return [u for u in requests if not u.startswith((base, "data:", "blob:", "about:"))]


def test_offline_copy_works_from_disk_in_chromium(offline_root, context):
    seen = browse_offline(context, offline_root)
    assert len(seen["pages"]) >= 5, seen["pages"]
    assert all(u.startswith("file://") and u.endswith(".html") for u in seen["pages"]), seen["pages"]
    assert not seen["broken_images"], seen["broken_images"]
    if any("<img" in p.read_text(encoding="utf-8") for p in offline_root.glob("*.html")):
        assert seen["images"] > 0, "pages have pictures but none were seen"
    assert seen["results"] > 0 and seen["after_search"].startswith("file://")
    assert not outside(seen["requests"], offline_root), outside(seen["requests"], offline_root)
    assert not seen["errors"], seen["errors"]


def test_offline_browser_check_catches_bad_fixture(offline_root, tmp_path, context):
    """A picture that does not load and a request leaving the folder are both seen."""
    bad = tmp_path / "copy"
    shutil.copytree(offline_root, bad)
    for page in bad.glob("*.html"):
        page.write_text(page.read_text(encoding="utf-8").replace(
            "</body>", '<img src="missing-picture.png" alt="x"><img src="../outside.png" alt="y"></body>'),
            encoding="utf-8")
    (tmp_path / "outside.png").write_bytes((offline_root / "assets" / "favicon.svg").read_bytes())
    seen = browse_offline(context, bad, limit=2, search=False)
    assert any("missing-picture.png" in b for b in seen["broken_images"]), seen["broken_images"]
    assert any(u.endswith("/outside.png") for u in outside(seen["requests"], bad)), seen["requests"]


def test_offline_copy_uses_the_vendored_shim_not_the_cdn(offline_root):
    """The hook lists the vendored iframe-worker shim as the polyfill before
    the offline plugin would add its unpkg.com copy (which, from disk with no
    network, hides the search box). Instant navigation needs a server: it is
    off in mkdocs.yml for every build (issue 18), and must stay off here."""
    pages = sorted(offline_root.rglob("*.html"))
    assert len(pages) >= 14
    shim = mkdocs_hooks.SHIM_URI
    assert (offline_root / shim).read_bytes() == (ROOT / "node_modules/iframe-worker/shim/index.js").read_bytes()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text, f"{page.relative_to(offline_root)} names the CDN"
        if page.name == "index.html" and page.parent == offline_root:
            assert shim in text, "the home page does not load the vendored shim"
            config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                                          text, re.S).group(1))
            assert "navigation.instant" not in config["features"], config["features"]
    bad = "<script src=\"https://unpkg.com/iframe-worker/shim\"></script>"
    assert any("unpkg.com" in p for p in problems_in_page(bad)), "the link check must catch the CDN shim"


def problems_in_page(snippet: str) -> list[str]:
    return [f"<{tag}> loads {url}" for tag, url, attrs in links_of(snippet)
            if urlsplit(url).scheme and is_load(tag, attrs)]


def test_offline_copy_links_to_the_hosted_zip(offline_root, built_site):
    """The offline copy does not contain itself: its About page points at the
    hosted zip; the hosted About page at its own."""
    about = (offline_root / "about.html").read_text(encoding="utf-8")
    assert re.search(r'href="https?://[^"]+/downloads/explainer-offline\.zip"', about), "no hosted zip link"
    hosted = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'id="offline"' in hosted
    assert 'href="../downloads/explainer-offline.zip"' in hosted


def explainer_offline(project: Path, **env: str) -> subprocess.CompletedProcess:
    """`explainer offline` run in a copy of the project (its own package)."""
    import os

    run_env = dict(os.environ, **env)
    run_env.pop("OFFLINE_ZIP", None)
    return subprocess.run([sys.executable, "-m", "explainer.cli", "offline", "--out", str(project / "out.zip"),
                           "--root", str(project)], cwd=project, capture_output=True, text=True, env=run_env)


def _no_shim_job(folder: Path):
    project = copy_project(folder / "project")
    (project / "node_modules").unlink(missing_ok=True)
    return project, explainer_offline(project)


def _warning_job(folder: Path):
    project = copy_project(folder / "project")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nSee [nowhere](no-such-page.md).\n{: .nofact }\n",
                     encoding="utf-8")
    return project, explainer_offline(project, HTMLPROOFER="false")


def _no_zip_job(folder: Path):
    return folder, build(ROOT, folder / "site", OFFLINE_ZIP=str(folder / "no-such.zip"), HTMLPROOFER="false")


background("offline-no-shim", _no_shim_job)
background("offline-warning", _warning_job)
background("offline-no-zip", _no_zip_job)


def test_offline_build_names_the_missing_shim():
    project, result = built("offline-no-shim")
    assert result.returncode != 0
    assert "node_modules/iframe-worker/shim/index.js: not found" in output(result), output(result)[-3000:]
    assert not (project / "out.zip").exists()


def test_offline_build_fails_on_a_warning():
    """The offline build is strict for warnings too: MkDocs' -q would hide
    them from strict mode, so explainer/engine/build.py does not pass it. A link to
    a missing page is only a warning to MkDocs (htmlproofer, which would
    also refuse it, is off here)."""
    project, result = built("offline-warning")
    assert result.returncode != 0, "the offline build passed with a warning"
    assert re.search(r"WARNING.*no-such-page\.md", output(result)), output(result)[-3000:]
    assert not (project / "out.zip").exists()


def test_hosted_build_names_a_missing_offline_zip():
    """The hosted build links the zip; without one (no `make offline`, a wrong
    OFFLINE_ZIP) it stops and says how to make it."""
    _folder, result = built("offline-no-zip")
    assert result.returncode != 0
    assert "no-such.zip: no offline zip; `make offline` builds it" in output(result), output(result)[-3000:]
