"""Delivery (issue 9): the GitHub Pages workflow, the offline zip read from
disk, hosting under a sub-path, reproducible builds, and the Zensical build.

Each check is also shown failing once on a bad fixture.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import urlopen

import pytest
import yaml

from conftest import ROOT, QuietHandler, Server, copy_project, free_port, missing_tool, mkdocs_env, page_paths
from explainer.postbuild import offline as build_offline

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
ZIP_IN_SITE = Path("downloads") / "explainer-offline.zip"
PREFIX = "/explainer/"


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
class LinkParser(HTMLParser):
    """Every URL a page links to or loads, with the tag it came from."""

    ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src",
             "iframe": "src", "use": "href"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = self.ATTRS.get(tag)
        if name and attrs.get(name):
            self.urls.append((tag, attrs[name], attrs))
        if tag in ("img", "source") and attrs.get("srcset"):
            for part in attrs["srcset"].split(","):
                self.urls.append((tag, part.strip().split(" ")[0], attrs))


def links_of(html_text: str) -> list[tuple[str, str, dict]]:
    parser = LinkParser()
    parser.feed(html_text)
    return parser.urls


def is_load(tag: str, attrs: dict) -> bool:
    """True if the browser fetches the URL by itself (not a link to follow)."""
    if tag == "link":
        rel = attrs.get("rel", "")
        return not any(r in rel.split() for r in ("canonical", "alternate", "prev", "next"))
    return tag != "a"


def skip_scheme(url: str) -> bool:
    return url.startswith(("mailto:", "tel:", "data:", "javascript:", "#"))


def env_without_offline_zip(**extra: str) -> dict:
    env = mkdocs_env(**extra)
    env.pop("OFFLINE_ZIP", None)
    return env


def commit_epoch() -> str:
    return os.environ.get("SOURCE_DATE_EPOCH") or str(build_offline.source_date_epoch())


def mkdocs_cmd(config: Path, site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(site_dir)]


# ---------------------------------------------------------------------------
# Offline copy
# ---------------------------------------------------------------------------
def test_offline_config_repeats_the_main_plugins():
    """MkDocs replaces lists under INHERIT, so mkdocs.offline.yml repeats the
    plugin list: it must stay the main list plus the offline plugin."""
    from mkdocs.config import load_config

    env = {"HTMLPROOFER": "true"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        main = load_config(str(ROOT / "mkdocs.yml"))
        offline = load_config(str(ROOT / "mkdocs.offline.yml"))
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    offline_names = {"offline", "material/offline"}
    names = [n for n in offline.plugins if n not in offline_names]
    assert names == list(main.plugins), "mkdocs.offline.yml: plugins (or hooks) differ from mkdocs.yml"
    for name in names:
        options = getattr(main.plugins[name], "config", None)
        if options is not None:  # hooks are modules without options
            assert dict(offline.plugins[name].config) == dict(options), \
                f"mkdocs.offline.yml: options of plugin {name!r} differ from mkdocs.yml"
    assert offline_names & set(offline.plugins)
    assert offline.extra["polyfills"] == ["assets/javascripts/iframe-worker/shim.js"]


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
            "async () => { const imgs = [...document.images];"
            " await Promise.all(imgs.map(i => i.decode().catch(() => null)));"
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


def offline_build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "explainer.postbuild.offline", "--out", str(project / "out.zip")],
        cwd=project, capture_output=True, text=True, env=env_without_offline_zip(),
    )


def test_offline_build_refuses_the_cdn_shim(tmp_path):
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.offline.yml"
    config.write_text(re.sub(r"\nextra:\n(  .*\n|\s*#.*\n|\n)*", "\n", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    assert "polyfills" not in config.read_text(encoding="utf-8")
    result = offline_build(project)
    assert result.returncode != 0
    assert "extra.polyfills must list assets/javascripts/iframe-worker/shim.js" in result.stderr, result.stderr


def test_offline_build_names_the_missing_shim(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "node_modules").unlink(missing_ok=True)
    result = offline_build(project)
    assert result.returncode != 0
    assert "node_modules/iframe-worker/shim/index.js: not found" in result.stderr, result.stderr


def test_offline_build_fails_on_a_warning(tmp_path):
    """The offline build is strict for warnings too: MkDocs' -q would hide
    them from strict mode, so scripts/build_offline.py does not pass it. A
    link to a missing page is only a warning to MkDocs (htmlproofer, which
    would also refuse it, is off here)."""
    project = copy_project(tmp_path / "project")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nSee [nowhere](no-such-page.md).\n{: .nofact }\n",
                     encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "explainer.postbuild.offline", "--out", str(project / "out.zip")],
        cwd=project, capture_output=True, text=True, env=env_without_offline_zip(HTMLPROOFER="false"),
    )
    assert result.returncode != 0, "the offline build passed with a warning"
    assert re.search(r"WARNING.*no-such-page\.md", result.stderr), result.stderr[-3000:]
    assert not (project / "out.zip").exists()


def test_about_page_offers_the_zip(built_site):
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'id="offline"' in about
    assert 'href="../downloads/explainer-offline.zip"' in about


# ---------------------------------------------------------------------------
# Hosting under a sub-path (a GitHub project page)
# ---------------------------------------------------------------------------
class SubpathHandler(QuietHandler):
    """Serves the site only under PREFIX, like https://OWNER.github.io/REPO/."""

    def translate_path(self, path):
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(PREFIX):
            return str(Path(self.directory) / "\0outside-prefix")  # never exists: 404
        return super().translate_path("/" + path[len(PREFIX):])


class SubpathServer(Server):
    handler_class = SubpathHandler

    def __init__(self, root: Path, port: int):
        super().__init__(root, port)
        self.base = self.origin + PREFIX


@pytest.fixture(scope="module")
def subpath_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory, subpath_port) -> Path:
    site = tmp_path_factory.mktemp("subpath-site")
    result = subprocess.run(mkdocs_cmd(ROOT / "mkdocs.yml", site), capture_output=True, text=True, cwd=ROOT,
                            env=mkdocs_env(SITE_URL=f"http://127.0.0.1:{subpath_port}{PREFIX}"))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def subpath_server(subpath_site, subpath_port):
    srv = SubpathServer(subpath_site, subpath_port)
    yield srv
    srv.close()


def status(url: str) -> int:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status
    except HTTPError as exc:
        return exc.code


def subpath_problems(site: Path, srv: SubpathServer) -> list[str]:
    """Fetch every page under the prefix; every same-origin link and load must
    stay under the prefix and answer 200; canonical URLs and the sitemap must
    name the prefixed addresses."""
    problems, checked = [], {}
    for path in page_paths(site):
        url = srv.base + path.lstrip("/")
        code = status(url)
        if code != 200:
            problems.append(f"{url}: HTTP {code}")
            continue
        with urlopen(url, timeout=10) as response:
            text = response.read().decode("utf-8")
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', text)
        if path != "/404.html":
            if not canonical or canonical.group(1) != url:
                problems.append(f"{url}: canonical is {canonical.group(1) if canonical else None}")
        for tag, link, attrs in links_of(text):
            if skip_scheme(link):
                continue
            target = urljoin(url, link).split("#", 1)[0]
            if urlsplit(target).netloc != urlsplit(srv.origin).netloc:
                if is_load(tag, attrs):
                    problems.append(f"{url}: <{tag}> loads {target} from another origin")
                continue
            if not urlsplit(target).path.startswith(PREFIX):
                problems.append(f"{url}: <{tag}> {link} leaves {PREFIX}")
                continue
            if target not in checked:
                checked[target] = status(target)
            if checked[target] != 200:
                problems.append(f"{url}: <{tag}> {link} answers HTTP {checked[target]}")
    with urlopen(srv.base + "sitemap.xml", timeout=10) as response:
        locs = re.findall(r"<loc>([^<]+)</loc>", response.read().decode("utf-8"))
    problems += [f"sitemap.xml: {loc} is not under {srv.base}" for loc in locs if not loc.startswith(srv.base)]
    return problems


def test_site_works_under_a_sub_path(subpath_site, subpath_server):
    assert subpath_problems(subpath_site, subpath_server) == []


def test_sub_path_check_catches_a_root_build(built_site, tmp_path):
    """The test build made for the server root, served under /explainer/,
    fails: canonical URLs, the sitemap and the 404 page's assets are wrong."""
    srv = SubpathServer(built_site, free_port())
    try:
        found = subpath_problems(built_site, srv)
    finally:
        srv.close()
    assert any("canonical" in p for p in found), found
    assert any(p.startswith("sitemap.xml") for p in found), found
    assert any(p.startswith(srv.base + "404.html") and "leaves" in p for p in found), found


def test_sub_path_search_and_navigation_in_chromium(subpath_server, context):
    page = context.new_page()
    errors, bad = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(subpath_server.base, wait_until="networkidle")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("ruble", delay=20)
    first = page.locator(".md-search-result__item > a").first
    first.wait_for(timeout=15_000)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(e => e.href)")
    assert hrefs and all(urlsplit(h).path.startswith(PREFIX) for h in hrefs), hrefs
    page.keyboard.press("Escape")
    links = page.locator(".md-sidebar--primary .md-nav__link[href]")
    other = links.evaluate_all(
        "els => els.findIndex(e => e.offsetParent !== null && !e.href.includes('#')"
        " && new URL(e.href).pathname !== location.pathname)")
    assert other >= 0, "no link to another page in the navigation"
    links.nth(other).click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path.startswith(PREFIX) and urlsplit(page.url).path != PREFIX, page.url
    assert not bad and not errors, bad + errors


# ---------------------------------------------------------------------------
# Reproducible builds
# ---------------------------------------------------------------------------
def build_copy(dest: Path, epoch: str, site_url: str, *, fresh_zip: bool) -> Path:
    """A clean build of a fresh copy of the project, as `make build` does it
    (strict build, then the deploy headers)."""
    project = copy_project(dest / "project")
    site = dest / "site"
    env = env_without_offline_zip(SOURCE_DATE_EPOCH=epoch, SITE_URL=site_url) if fresh_zip \
        else mkdocs_env(SOURCE_DATE_EPOCH=epoch, SITE_URL=site_url)
    result = subprocess.run(mkdocs_cmd(project / "mkdocs.yml", site), cwd=project, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    if (project / "scripts" / "security_headers.py").exists():
        result = subprocess.run([sys.executable, "-m", "explainer.postbuild.headers", str(site),
                                 "--deploy", str(dest / "deploy")], cwd=project, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    return site


def tree_differences(a: Path, b: Path) -> list[str]:
    """Files that exist in only one tree or differ in bytes (zips: by entry)."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out = [f"only in first: {n}" for n in sorted(files_a - files_b)]
    out += [f"only in second: {n}" for n in sorted(files_b - files_a)]
    for name in sorted(files_a & files_b):
        if filecmp.cmp(a / name, b / name, shallow=False):
            continue
        detail = ""
        if name.endswith(".zip"):
            with zipfile.ZipFile(a / name) as za, zipfile.ZipFile(b / name) as zb:
                entries = sorted({i.filename for i in za.infolist()} | {i.filename for i in zb.infolist()})
                differing = [e for e in entries if e not in za.namelist() or e not in zb.namelist()
                             or za.read(e) != zb.read(e) or za.getinfo(e).date_time != zb.getinfo(e).date_time]
                detail = f" (entries: {', '.join(differing[:10])})"
        out.append(f"differs: {name}{detail}")
    return out


@pytest.fixture(scope="module")
def two_clean_builds(tmp_path_factory) -> tuple[Path, Path]:
    epoch, url = commit_epoch(), "https://example.org/explainer/"
    dirs = [tmp_path_factory.mktemp("repro-a"), tmp_path_factory.mktemp("repro-b")]
    with ThreadPoolExecutor(2) as pool:
        sites = list(pool.map(lambda d: build_copy(d, epoch, url, fresh_zip=True), dirs))
    return sites[0], sites[1]


def test_two_clean_builds_are_byte_identical(two_clean_builds):
    first, second = two_clean_builds
    assert (first / ZIP_IN_SITE).is_file()
    assert tree_differences(first, second) == []


def test_reproducibility_check_catches_a_different_build_date(two_clean_builds, tmp_path):
    """Without a fixed SOURCE_DATE_EPOCH the build date leaks into the sitemap."""
    first, _ = two_clean_builds
    later = str(int(commit_epoch()) + 3 * 86400)
    other = build_copy(tmp_path, later, "https://example.org/explainer/", fresh_zip=False)
    found = tree_differences(first, other)
    assert "differs: sitemap.xml" in found and "differs: sitemap.xml.gz" in found, found


# ---------------------------------------------------------------------------
# Build caches (.cache/): compiled templates (scripts/cache_hook.py), preview
# images (scripts/preview_images.py), offline zips (scripts/offline_hook.py).
# A warm build writes the same bytes as a cold one.
# ---------------------------------------------------------------------------
def warm_rebuild(project: Path, site: Path, epoch: str, site_url: str) -> subprocess.CompletedProcess:
    cmd = [c for c in mkdocs_cmd(project / "mkdocs.yml", site) if c != "-q"]
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True,
                          env=env_without_offline_zip(SOURCE_DATE_EPOCH=epoch, SITE_URL=site_url))


def test_warm_build_matches_a_cold_build(two_clean_builds, tmp_path):
    """The first clean build filled its project's .cache/; building that
    project again reuses every cache and writes the same bytes as the other
    clean build. Tampering with the caches shows the comparison failing."""
    first, second = two_clean_builds
    project = first.parent / "project"
    cache = project / ".cache"
    assert list((cache / "jinja").iterdir()) and list((cache / "preview-images").glob("*.png"))
    assert len(list((cache / "offline").glob("*.zip"))) == 1
    epoch, url = commit_epoch(), "https://example.org/explainer/"
    warm = tmp_path / "warm"
    result = warm_rebuild(project, warm, epoch, url)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "inputs unchanged, reusing .cache/offline/" in output, output[-3000:]
    # _headers and deploy/ come from security_headers.py, not the build.
    assert [d for d in tree_differences(warm, second) if "_headers" not in d] == []

    # Bad fixture: a wrong preview image and a wrong zip in the caches.
    preview = sorted((cache / "preview-images").glob("*.png"))[0]
    preview.write_bytes(preview.read_bytes() + b"tampered")
    cached_zip = next((cache / "offline").glob("*.zip"))
    with zipfile.ZipFile(cached_zip, "w") as stale:
        stale.writestr("explainer-offline/index.html", "an old offline copy")
    tampered = tmp_path / "tampered"
    assert warm_rebuild(project, tampered, epoch, url).returncode == 0
    found = tree_differences(tampered, second)
    assert any(d.startswith("differs: assets/previews/") for d in found), found
    assert any(d.startswith(f"differs: {ZIP_IN_SITE.as_posix()}") for d in found), found


def test_offline_cache_key_covers_its_inputs(tmp_path, monkeypatch):
    """build_offline.input_digest changes with any page, data file, template,
    script, setting, package or build date, so a stale zip is never reused."""
    root = tmp_path / "project"
    copy_project(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.delenv("SITE_URL", raising=False)
    base = build_offline.input_digest(root)
    assert build_offline.input_digest(root) == base
    (root / "docs" / "__pycache__").mkdir()
    (root / "docs" / "__pycache__" / "x.pyc").write_bytes(b"ignored")
    assert build_offline.input_digest(root) == base
    for relpath in ("docs/about.md", "data/sources.yml", "overrides/main.html", "scripts/hooks.py",
                    "mkdocs.offline.yml", "includes/abbreviations.md"):
        path = root / relpath
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert build_offline.input_digest(root) != base, f"{relpath} is not part of the offline cache key"
        path.write_bytes(original)
    assert build_offline.input_digest(root) == base
    monkeypatch.setenv("SITE_URL", "https://example.org/other/")
    assert build_offline.input_digest(root) != base, "SITE_URL is not part of the offline cache key"
    monkeypatch.delenv("SITE_URL")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700086400")
    assert build_offline.input_digest(root) != base, "the build date is not part of the offline cache key"


# ---------------------------------------------------------------------------
# Zensical
# ---------------------------------------------------------------------------
def zensical() -> str:
    exe = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
    if not exe:
        missing_tool("zensical not found (pip install -r requirements-test.txt)")
    return exe


def zensical_config(project: Path, site_dir: Path) -> Path:
    """The unchanged mkdocs.yml with the classic look and its own site_dir."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text, count = re.subn(r"^theme:\n  name: material\n", "theme:\n  name: material\n  variant: classic\n",
                          text, flags=re.M)
    assert count == 1, "mkdocs.yml: expected 'theme:' followed by '  name: material'"
    config = project / "zensical.yml"
    config.write_text(text + f"\nsite_dir: {site_dir.relative_to(project)}\n", encoding="utf-8")
    return config


def expected_pages(docs: Path) -> list[str]:
    out = []
    for md in sorted(docs.rglob("*.md")):
        rel = md.relative_to(docs).with_suffix("")
        out.append("index.html" if rel.name == "index" and rel.parent == Path(".")
                   else (rel.parent / "index.html").as_posix() if rel.name == "index"
                   else (rel / "index.html").as_posix())
    return out


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> tuple[Path, Path, float]:
    exe = zensical()
    base = tmp_path_factory.mktemp("zensical")
    project = copy_project(base / "project")
    site = project / "site-zensical"  # Zensical wants site_dir inside the project
    config = zensical_config(project, site)
    env = dict(os.environ)
    start = time.monotonic()
    result = subprocess.run([exe, "build", "-f", str(config)], cwd=project, capture_output=True, text=True, env=env)
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stdout + result.stderr
    return project, site, elapsed


def test_zensical_builds_every_page(zensical_site):
    project, site, elapsed = zensical_site
    missing = [p for p in expected_pages(project / "docs") if not (site / p).is_file()]
    assert not missing, f"zensical did not build: {missing}"
    assert 'class="md-header' in (site / "index.html").read_text(encoding="utf-8")
    print(f"zensical: {len(expected_pages(project / 'docs'))} pages in {elapsed:.2f} s")


def test_zensical_ignores_our_hooks(zensical_site):
    """Recorded difference (CONTRIBUTING.md): Zensical does not run hooks, so
    citations stay bare [^key] markers without the register's text. When this
    fails, Zensical has started running hooks: update the migration notes."""
    project, site, _ = zensical_site
    citing = [md for md in sorted((project / "docs").glob("*.md"))
              if re.search(r"\[\^[a-z0-9-]+\](?!:)", md.read_text(encoding="utf-8"))]
    assert citing, "no page cites a source"
    out = site / (citing[0].stem if citing[0].stem != "index" else "") / "index.html"
    text = out.read_text(encoding="utf-8")
    assert re.search(r"\[\^[a-z0-9-]+\]", text), \
        f"{out.relative_to(site)}: citations rendered; Zensical may run hooks now: revisit CONTRIBUTING.md"
