"""Shared fixtures: a strict build served on loopback, and a real Chromium.

Tools that are missing fail the run under CI=true; elsewhere they skip with
the reason, so a newcomer without root still gets the other results.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]
IN_CI = os.environ.get("CI") == "true"


def missing_tool(reason: str):
    """Fail under CI (a missing tool is never a silent pass); skip elsewhere."""
    if IN_CI:
        pytest.fail(f"required tool missing under CI=true: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@functools.cache
def offline_zip() -> str:
    """The offline copy (scripts/build_offline.py), built once per session and
    reused by every test build through OFFLINE_ZIP (scripts/offline_hook.py);
    `make test` builds it first and exports OFFLINE_ZIP itself."""
    if os.environ.get("OFFLINE_ZIP"):
        return os.environ["OFFLINE_ZIP"]
    from explainer.postbuild.offline import OfflineBuildError, build_zip

    out = Path(tempfile.mkdtemp(prefix="explainer-test-offline-")) / "explainer-offline.zip"
    try:
        return str(build_zip(out))
    except OfflineBuildError:
        return ""  # each build then makes its own copy and reports the error


def mkdocs_env(**extra: str) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", HTMLPROOFER="true")
    env.update(extra)
    if "OFFLINE_ZIP" not in env:
        env["OFFLINE_ZIP"] = offline_zip()
    return env


def mkdocs_build(config: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        capture_output=True, text=True, env=mkdocs_env(**env), cwd=config.parent,
    )


PROJECT_PARTS = ("mkdocs.yml", "mkdocs.offline.yml", "docs", "data", "includes", "scripts", "overrides")


def copy_project(dest: Path) -> Path:
    """A throw-away copy of the site sources, for bad-input fixtures."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    if (ROOT / "node_modules").is_dir():  # npm packages the build reads (offline shim)
        (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


class Server:
    """A static server on loopback in a thread; ``handler`` picks how paths map."""

    handler_class = QuietHandler

    def __init__(self, root: Path, port: int):
        handler = functools.partial(self.handler_class, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.origin = f"http://127.0.0.1:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def site_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, site_port) -> Path:
    """The real site, built strictly (htmlproofer on), with site_url set to
    the test server so that instant navigation works."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", site, SITE_URL=f"http://127.0.0.1:{site_port}/")
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def server(built_site, site_port):
    srv = Server(built_site, site_port)
    yield srv
    srv.close()


def page_paths(site: Path) -> list[str]:
    """URL paths of every HTML page in a built site (the 404 page included)."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel.startswith(("assets/", "search/")):
            continue
        paths.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return paths


@pytest.fixture(scope="session")
def pages(built_site) -> list[str]:
    found = page_paths(built_site)
    assert "/" in found and "/about/" in found, found
    return found


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
