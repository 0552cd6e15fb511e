"""Shared fixtures: one strict build of the site per run, served by one
nginx with the generated configuration, a Chromium per worker, and the
builds of project copies that tests need, made in the background.

The suite has the pipeline's shape: ``unit/`` (no build), ``build/`` (builds
and what they write), ``browser/`` (Chromium, Firefox, pa11y). ``make test``
builds the offline zip first and passes it as OFFLINE_ZIP; every build here
reuses it. CONTRIBUTING.md ("How the suite is organised") lists every build
the suite makes and why.

Each build is made once per run, whatever the number of workers: a test
module names the builds it needs with ``background(name, job)`` when it is
imported; once collection is over, a thread in each worker walks the list
of the selected modules' jobs, skipping any that another worker has started
(a lock file per job in the run's shared folder), and ``built(name)`` waits
for a job, or runs it, and reads its pickled result. Builds are subprocesses,
so they run beside the tests (unit tests first, then the browser, then the
build tests that read the results).

A tool that is missing fails the run under CI=true; elsewhere it skips with
the reason, so a newcomer without root still gets the other results.
Nothing outside tests/ imports this file (servers live in harness/servers.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from explainer import ROOT
from explainer.config import nav_pages, read_config, source_date_epoch
from explainer.engine.build import mkdocs_build
from explainer.urls import page_url, site_pages
from harness.servers import CHROMIUM, CHROMIUM_ARGS, Nginx, Server, free_port, nginx_binary

IN_CI = os.environ.get("CI") == "true"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Every build in a session (and in copies without git) gets the same date.
os.environ.setdefault("SOURCE_DATE_EPOCH", str(source_date_epoch(ROOT)))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def missing_tool(reason: str):
    """Fail under CI (a missing tool is never a silent pass); skip elsewhere."""
    if IN_CI:
        pytest.fail(f"required tool missing under CI=true: {reason}")
    pytest.skip(reason)


# ---------------------------------------------------------------------------
# Builds
# ---------------------------------------------------------------------------
def offline_zip() -> str:
    """The offline copy every test build links: OFFLINE_ZIP when it names one
    (`make test` passes build/explainer-offline.zip), else built once per run
    (a shared job, so a failure is reported once, with the build's output)."""
    ready = os.environ.get("OFFLINE_ZIP", "").strip()
    if not ready:
        return built("offline-zip")
    if not Path(ready).is_file():
        pytest.fail(f"OFFLINE_ZIP={ready}: no such file")
    import datetime as dt
    import zipfile

    from explainer.postbuild.offline import ZIP_EPOCH

    epoch = max(int(os.environ["SOURCE_DATE_EPOCH"]), ZIP_EPOCH)
    with zipfile.ZipFile(ready) as archive:
        stamp = archive.infolist()[0].date_time
    expected = dt.datetime.fromtimestamp(epoch - epoch % 2, dt.UTC).timetuple()[:6]  # 2 s steps
    if stamp != expected:
        pytest.fail(f"OFFLINE_ZIP={ready} was packed for another build date ({stamp}) than this run's "
                    f"SOURCE_DATE_EPOCH={epoch}: run `make offline` (make test does)")
    return ready


def _offline_zip_job(folder: Path) -> str:
    from explainer.engine.offline import build_zip
    from explainer.postbuild.offline import OfflineBuildError

    try:
        return str(build_zip(folder / "explainer-offline.zip", ROOT))
    except OfflineBuildError as exc:
        pytest.fail(f"the offline copy does not build:\n{exc}")


def build(project: Path, site_dir: Path, *, offline: bool = False, **env: str):
    """A strict build (htmlproofer on) of ``project`` into ``site_dir``;
    returns the CompletedProcess (it does not raise on failure)."""
    run_env = {"HTMLPROOFER": "true"}
    if not offline:
        run_env["OFFLINE_ZIP"] = offline_zip()
    run_env.update(env)
    return mkdocs_build(project, site_dir, offline=offline, check=False, env=run_env)


def output(result) -> str:
    return result.stdout + result.stderr


PROJECT_PARTS = ("mkdocs.yml", "pyproject.toml", "package.json", "docs", "data", "includes", "overrides",
                 "explainer")


def copy_project(dest: Path, *, caches: bool = True) -> Path:
    """A throw-away copy of the sources and the build package, for bad-input
    fixtures. A build run in it (cwd = the copy) imports the copy's package.
    With ``caches``, the preview images the session build drew come along,
    so the copy's build does not draw them again (the reproducibility test
    builds without them)."""
    dest.mkdir(parents=True, exist_ok=True)
    parts = PROJECT_PARTS + ((".cache",) if caches else ())
    for part in parts:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    if (ROOT / "node_modules").is_dir():  # npm packages the build reads (PurgeCSS, shim, geodata)
        (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture anchor {old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The first line holding ``needle`` (bytes that are not UTF-8 are
    replaced, so a fixture's bad byte can be found too)."""
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def url_paths(site: Path) -> list[str]:
    """URL paths of every HTML page of a built site (404 and print page included)."""
    paths = []
    for html in site_pages(site):
        rel = html.relative_to(site).as_posix()
        if rel.startswith(("assets/", "search/")):
            continue
        paths.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return paths


def html_file(site: Path, path: str) -> Path:
    """The file behind a URL path: '/' -> index.html, '/a/' -> a/index.html."""
    rel = path.lstrip("/")
    return site / rel if rel.endswith(".html") else site / rel / "index.html"


def content_pages(site: Path, *, fact_pages: bool = False) -> dict[str, Path]:
    """URL (relative to the site root) -> HTML file, for the real content
    pages (no redirect stubs, no 404 page, no print page). The key facts'
    own pages (key-facts/kf-.../, generated from data, with no Markdown
    source under docs/) only with ``fact_pages``: tests/build/test_cite_page.py
    checks them; the Nu, axe and pa11y runs visit every page."""
    from explainer.checks import published

    pages, _redirects = published.collect(site)
    return {url: site / (url + "index.html" if url.endswith("/") or url == "" else url)
            for url in pages if url not in ("404.html", published.PRINT_PAGE)
            and (fact_pages or not url.startswith("key-facts/kf-"))}


def doc_for(url: str) -> Path:
    """The Markdown source of a page URL ('' -> index.md, 'a/' -> a.md or a/index.md)."""
    stem = url.rstrip("/")
    for candidate in (ROOT / "docs" / f"{stem}.md", ROOT / "docs" / stem / "index.md"):
        if stem and candidate.exists():
            return candidate
    return ROOT / "docs" / "index.md"


# The key facts' own pages come from one template (explainer/render/fact_pages.py)
# filled from data. The browser checks (axe in both schemes, pa11y, Firefox)
# visit two of them: the first fact, and one with every variant the template
# has (revisions, a passed date shown as a disclosure, a cited source). The
# Nu checker, the link checker and tests/build/test_cite_page.py read all 29;
# tests/unit/render/test_fact_pages.py checks what varies between them.
FACT_PAGES_IN_BROWSERS = ("kf-focus-group", "kf-ruble-horizon")


def browser_pages() -> list[str]:
    """expected_pages() with the key facts' pages cut to FACT_PAGES_IN_BROWSERS."""
    return [p for p in expected_pages()
            if not p.startswith("/key-facts/kf-") or p.strip("/").split("/")[-1] in FACT_PAGES_IN_BROWSERS]


def expected_pages() -> list[str]:
    """The URL paths the build must write, known before it runs (the nav,
    the 404 page, the print page and each key fact's own page, outside the
    nav), so that tests can be made per page."""
    import yaml

    pages = [page_url(src) for src in nav_pages(read_config(ROOT / "mkdocs.yml"))]
    facts = yaml.safe_load((ROOT / "data" / "key_facts.yml").read_text(encoding="utf-8"))["facts"]
    return pages + ["/404.html", "/print_page/"] + [f"/key-facts/{f['id']}/" for f in facts]


# ---------------------------------------------------------------------------
# Builds: each made once per run, shared by every xdist worker
# ---------------------------------------------------------------------------
# The controller (or the only process, without xdist) makes one folder for
# the run and picks the test server's port; pytest_configure_node hands both
# to the workers (pytest-xdist's documented way to share a session resource:
# a folder all workers see, and a lock per job in it).
_RUN: dict = {}


def pytest_configure(config):
    given = getattr(config, "workerinput", None)
    if given is None:
        _RUN.update(work=Path(tempfile.mkdtemp(prefix="explainer-tests-")), site_port=free_port(), owner=True)
    else:
        _RUN.update(work=Path(given["explainer_work"]), site_port=given["explainer_site_port"], owner=False)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    node.workerinput["explainer_work"] = str(_RUN["work"])
    node.workerinput["explainer_site_port"] = _RUN["site_port"]


def pytest_terminal_summary(terminalreporter):
    """The builds this run made, once each, with their wall times."""
    log = _RUN.get("work", Path("/nonexistent")) / "jobs.log"
    if not _RUN.get("owner") or not log.is_file():
        return
    rows = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    terminalreporter.write_sep("=", f"{len(rows)} build jobs, each run once "
                                    f"({sum(float(r[1]) for r in rows):.0f} s of wall time in all)")
    for name, seconds, worker in sorted(rows, key=lambda r: -float(r[1])):
        terminalreporter.write_line(f"{float(seconds):6.1f}s  {name}  ({worker})")


def pytest_unconfigure(config):
    """The owner of the run's folder stops the shared nginx and removes the folder."""
    if not _RUN.get("owner"):
        return
    started = _RUN["work"] / "nginx.result"
    if started.is_file():
        with contextlib.suppress(Exception):
            kind, server = pickle.loads(started.read_bytes())
            if kind == "value":
                server.close()
    shutil.rmtree(_RUN["work"], ignore_errors=True)


def site_url() -> str:
    """The session build's site_url: the shared nginx's origin."""
    return f"http://127.0.0.1:{_RUN['site_port']}/"


_JOBS: dict[str, tuple[str, Callable[[Path], object]]] = {}
_DONE: dict[str, tuple[str, object]] = {}  # this process's copies of finished jobs' results


def _caller_module(depth: int) -> str:
    import inspect

    module = inspect.getmodule(inspect.stack(0)[depth + 1].frame)
    return module.__name__ if module else ""


def background(name: str, job: Callable[[Path], object], *, _module: str | None = None) -> None:
    """Name a build a test needs: ``job(folder)`` runs once per test run
    (whichever worker gets to it first, from the start of the session, if a
    test of the calling module is selected) and ``built(name)`` returns what
    it returned, or raises what it raised, in every worker."""
    assert name not in _JOBS, f"two builds named {name!r}"
    _JOBS[name] = (_module or _caller_module(1), job)


def background_build(name: str, edit: Callable[[Path], None] | None = None, **env: str) -> None:
    """A background build of a copy of the project changed by ``edit``;
    ``built(name)`` gives (project, site, CompletedProcess)."""
    def job(folder: Path):
        project = copy_project(folder / "project")
        if edit:
            edit(project)
        site = folder / "site"
        return project, site, build(project, site, **env)

    background(name, job, _module=_caller_module(1))


def _outcome(name: str, *, wait: bool = True) -> tuple[str, object] | None:
    """Run job ``name`` unless some process of this run has (its result is
    pickled beside its lock), and return ("value", v), ("raised", exc), or
    ("skip"|"fail", message) for pytest's own outcomes (they do not pickle).
    With ``wait=False``, None if another process or thread is running it."""
    if name in _DONE:
        return _DONE[name]
    work = _RUN["work"]
    result = work / f"{name}.result"
    with open(work / f"{name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return None
        if not result.is_file():
            folder = work / name
            folder.mkdir(parents=True, exist_ok=True)
            start = time.monotonic()
            try:
                outcome = ("value", _JOBS[name][1](folder))
            except pytest.skip.Exception as exc:
                outcome = ("skip", str(exc.msg))
            except pytest.fail.Exception as exc:
                outcome = ("fail", f"{exc.msg}\n(in the build job {name!r})")
            except Exception as exc:
                exc.add_note(f"(raised in the build job {name!r}:\n{traceback.format_exc()})")
                outcome = ("raised", exc)
            try:
                data = pickle.dumps(outcome)
            except Exception:  # an exception that does not pickle: keep its text
                data = pickle.dumps(("fail", f"build job {name!r}:\n{traceback.format_exception(outcome[1])}"))
            partial = result.with_suffix(".part")
            partial.write_bytes(data)
            partial.replace(result)
            with open(work / "jobs.log", "a", encoding="utf-8") as log:
                log.write(f"{name}\t{time.monotonic() - start:.1f}\t{os.environ.get('PYTEST_XDIST_WORKER', 'main')}\n")
        outcome = pickle.loads(result.read_bytes())
    _DONE[name] = outcome
    return outcome


def built(name: str):
    """The result of a build job, waiting for it (or running it) if it is not done."""
    kind, value = _outcome(name)
    if kind == "raised":
        raise value
    if kind == "skip":
        pytest.skip(value)
    if kind == "fail":
        pytest.fail(value)
    return value


def pytest_collection_modifyitems(session, config, items):
    """Unit tests first (seconds, and the builds start meanwhile), then the
    browser, then the build tests, whose builds are done by then."""
    def stage(item) -> int:
        parts = Path(str(item.fspath)).parts
        return 0 if "unit" in parts else 1 if "browser" in parts else 2
    items.sort(key=stage)


def pytest_collection_finish(session):
    """Start the jobs of the selected modules in a thread of this worker. Every
    worker has collected the same items and walks the same list, skipping a
    job that another worker is running or has done, so each job runs once."""
    if session.config.option.collectonly:
        return
    modules = {item.module.__name__ for item in session.items if getattr(item, "module", None)}
    wants_site = any("built_site" in item.fixturenames for item in session.items)
    wanted = [name for name, (module, _job) in _JOBS.items()
              if (module == __name__ and wants_site) or module in modules]
    if os.environ.get("OFFLINE_ZIP", "").strip() and "offline-zip" in wanted:
        wanted.remove("offline-zip")  # make test made it

    def prefetch():
        for name in wanted:
            _outcome(name, wait=False)

    if wanted:
        threading.Thread(target=prefetch, name="builds", daemon=True).start()


# ---------------------------------------------------------------------------
# The session build, served by one nginx with the generated configuration
# ---------------------------------------------------------------------------
def _session_site(folder: Path) -> Path:
    """The real site, built strictly (htmlproofer on), with site_url on the
    test server's origin, as a deploy has it (canonical and sitemap URLs)."""
    site = folder / "site"
    result = build(ROOT, site, SITE_URL=site_url())
    assert result.returncode == 0, output(result)[-5000:]
    return site


background("session-site", _session_site)
background("offline-zip", _offline_zip_job)


def _probes() -> Path:
    return _RUN["work"] / "probes"


@contextlib.contextmanager
def probe_page(name: str, html_text: str, **beside: str):
    """A deliberately broken page (and files ``beside`` it, by name), served
    by the shared nginx under /__probes__/ with the site's headers for the
    length of a ``with`` block, never in the built site, which other
    workers read meanwhile: a checker is shown to catch what it must.
    Yields the page's URL path."""
    files = {name: html_text, **beside}
    for file_name, text in files.items():
        path = _probes() / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    try:
        yield Nginx.PROBES + name
    finally:
        for file_name in files:
            (_probes() / file_name).unlink()


def _nginx_job(folder: Path) -> Nginx:
    binary = nginx_binary()
    if not binary:
        missing_tool("nginx not found (apt-get install nginx-light, or run make system-deps as root)")
    return Nginx(binary, built("session-site"), folder, _RUN["site_port"], probes=_probes(), detach=True)


background("nginx", _nginx_job)


@pytest.fixture(scope="session")
def site_port() -> int:
    return _RUN["site_port"]


@pytest.fixture(scope="session")
def built_site() -> Path:
    return built("session-site")


@pytest.fixture(scope="session")
def pages(built_site) -> list[str]:
    found = url_paths(built_site)
    assert "/" in found and "/about/" in found, found
    return found


@pytest.fixture(scope="session")
def nginx(built_site) -> Nginx:
    """The session build on Debian's nginx at site_url's origin, one server
    for the whole run (the owner of the run's folder stops it at the end)."""
    return built("nginx")


@pytest.fixture(scope="session")
def server(nginx):
    """Where browser tests open the site: nginx with the real headers."""
    return nginx


@pytest.fixture(scope="session")
def plain_server(built_site):
    """The same build on a bare Python server (no headers, no gzip)."""
    srv = Server(built_site)
    yield srv
    srv.close()


# ---------------------------------------------------------------------------
# Chromium
# ---------------------------------------------------------------------------
# Collects CSP violations from the first byte of every document.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        missing_tool(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture()
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


class Watched:
    """A page with its console errors, page errors, requests and CSP violations."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error"
                else None)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("request", lambda req: self.requests.append(req.url))
        page.add_init_script(CSP_LISTENER)

    def violations(self) -> list[str]:
        found = self.page.evaluate("window.__csp || []")
        return found + [e for e in self.errors if "Content Security Policy" in e or "Content-Security-Policy" in e]


def watch(context, url: str | None = None, wait_until: str = "networkidle") -> Watched:
    """A new page in ``context`` that records what goes wrong; opened at ``url``."""
    watched = Watched(context.new_page())
    if url:
        watched.page.goto(url, wait_until=wait_until)
    return watched


def type_keys(page, text: str) -> None:
    """Type as a reader's keyboard does: keydown (with the text), input and
    keyup for every character, in any layout. Playwright's own type() sends
    only an input event for characters outside the US layout (Cyrillic, ₽,
    emoji), which no keyboard does; those go through the DevTools protocol
    as a Russian layout would send them."""
    cdp = None
    for char in text:
        if char.isascii():
            page.keyboard.press(char)
            continue
        cdp = cdp or page.context.new_cdp_session(page)
        cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": char, "text": char, "unmodifiedText": char})
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": char})
    if cdp is not None:
        cdp.detach()


def wait_until(page, expression: str, arg=None, timeout: float = 10_000) -> None:
    """Poll a JavaScript expression (or function) until it is truthy.
    Playwright's wait_for_function compiles its predicate in the page, which
    the site's CSP (no 'unsafe-eval') forbids; evaluate() does not."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{expression!r} still false after {timeout:.0f} ms")
        time.sleep(0.03)


def paste_keys(page, text: str) -> None:
    """Paste as a reader does: the text on the clipboard, then Ctrl+V (the
    context needs the clipboard permissions)."""
    page.evaluate("t => navigator.clipboard.writeText(t)", text)
    page.keyboard.press("Control+V")


# ---------------------------------------------------------------------------
# Links in built HTML (offline copy and sub-path checks)
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
