"""The generated deploy configuration on a real nginx.

A strict build is served by Debian's nginx, started in the foreground on a
loopback port with a prefix in a temporary folder (nothing written to
root-owned paths, nothing left running), using the server block that
scripts/security_headers.py writes. Chromium then checks that the strict
Content-Security-Policy blocks nothing the site needs: no violation on any
page, and search, palette toggle, copy buttons, tooltips and instant
navigation still work. Plain HTTP checks confirm the headers, cache
lifetimes and gzip.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, free_port, missing_tool, mkdocs_build, page_paths
from explainer.postbuild import headers as security_headers

NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")

# Collects CSP violations from the first byte of every document.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def nginx_binary() -> str | None:
    for name in NGINX_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Nginx:
    """nginx in the foreground (daemon off) under a temporary prefix."""

    def __init__(self, binary: str, site: Path, workdir: Path, port: int):
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.workdir = workdir
        deploy = workdir / "deploy"
        self.scan, self.headers = security_headers.generate(site, deploy, root=str(site),
                                                            listen=f"127.0.0.1:{port}")
        self.server_block = deploy / "nginx-explainer.conf"
        temp = [f"{kind}_temp_path {workdir / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                   "uwsgi", "scgi")]
        # As root, workers would drop to 'nobody', who cannot read pytest's
        # private temporary folders; this test server stays on loopback.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        self.conf = workdir / "nginx.conf"
        self.conf.write_text(
            f"{user}worker_processes 1;\ndaemon off;\npid {workdir / 'nginx.pid'};\n"
            f"error_log {workdir / 'error.log'} warn;\nevents {{ worker_connections 128; }}\n"
            f"http {{\n    access_log off;\n    " + "\n    ".join(temp) + "\n"
            f"    include {self.server_block};\n}}\n",
            encoding="utf-8",
        )
        base = [binary, "-p", str(workdir), "-c", str(self.conf), "-e", str(workdir / "error.log")]
        check = subprocess.run([*base, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, f"nginx -t rejected the generated configuration:\n{check.stderr}"
        self.proc = subprocess.Popen(base, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"nginx exited: {self.proc.stderr.read().decode()}")
            try:
                self.get("/")
                return
            except OSError:
                time.sleep(0.1)
        self.close()
        raise AssertionError("nginx did not answer within 10 s")

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        """A raw request (no automatic decompression). Header names lower-case."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest("GET", path, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                conn.putheader(name, value)
            conn.endheaders()
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    binary = nginx_binary()
    if not binary:
        missing_tool("nginx not found (apt-get install nginx-light, or run make system-deps as root)")
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    site = work / "site"
    # site_url on the nginx origin, so that instant navigation is active.
    result = mkdocs_build(ROOT / "mkdocs.yml", site, SITE_URL=f"http://127.0.0.1:{port}/")
    assert result.returncode == 0, result.stdout + result.stderr
    server = Nginx(binary, site, work, port)
    server.site = site
    yield server
    server.close()


def open_with_csp_listener(context, url: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.add_init_script(CSP_LISTENER)
    page.goto(url, wait_until="networkidle")
    return page, errors


def violations(page, errors) -> list[str]:
    found = page.evaluate("window.__csp || []")
    found += [e for e in errors if "Content Security Policy" in e or "Content-Security-Policy" in e]
    return found


# --------------------------------------------------------------------------
# Configuration and headers
# --------------------------------------------------------------------------
def test_policy_has_no_unsafe_inline_script_and_forbids_framing(nginx):
    csp = nginx.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'sha256-" in script_src, "inline scripts must be allowed by hash"
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in re.search(r"style-src ([^;]+)", csp).group(1)
    # Every executable inline script in the build is covered by a hash.
    for item in nginx.scan.inline:
        assert item.hash in csp, f"{item.path}:{item.line}: inline {item.kind} not hashed"


def test_headers_file_for_static_hosts_matches(nginx):
    text = (nginx.site / "_headers").read_text(encoding="utf-8")
    for name, value in nginx.headers.items():
        assert f"  {name}: {value}" in text
    assert re.search(r"^/assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js\n  Cache-Control: .*immutable", text, re.M)


def page_response_problems(status: int, headers: dict, body: bytes, expected: dict[str, str]) -> list[str]:
    """What is wrong with a page's gzip response (empty list: nothing)."""
    problems = []
    if status != 200:
        problems.append(f"status {status}")
    if headers.get("content-encoding") != "gzip" or body[:2] != b"\x1f\x8b":
        problems.append("not gzip-compressed")
    for name, value in expected.items():
        if headers.get(name.lower()) != value:
            problems.append(f"{name} missing or different: {headers.get(name.lower())!r}")
    if headers.get("cache-control") != security_headers.CACHE_SHORT:
        problems.append(f"Cache-Control {headers.get('cache-control')!r}")
    if not headers.get("content-type", "").startswith("text/html"):
        problems.append(f"Content-Type {headers.get('content-type')!r}")
    if "/" in headers.get("server", ""):
        problems.append(f"Server reveals a version: {headers['server']}")
    return problems


def test_every_page_carries_headers_short_cache_and_gzip(nginx):
    pages = page_paths(nginx.site)
    assert "/" in pages
    for path in pages:
        problems = page_response_problems(*nginx.get(path, {"Accept-Encoding": "gzip"}), nginx.headers)
        assert not problems, f"{path}: {problems}"


def test_header_check_catches_a_server_without_them(server, nginx):
    """The same check against the plain test server (no headers, no gzip)."""
    conn = http.client.HTTPConnection("127.0.0.1", int(server.origin.rsplit(":", 1)[1]), timeout=10)
    conn.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    resp = conn.getresponse()
    problems = page_response_problems(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read(),
                                      nginx.headers)
    conn.close()
    assert "not gzip-compressed" in problems
    assert any(p.startswith("Content-Security-Policy missing") for p in problems), problems


def test_fingerprinted_assets_are_immutable_and_compressed(nginx):
    assets = security_headers.fingerprinted_assets(nginx.site)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), assets
    for asset in assets:
        status, headers, body = nginx.get("/" + asset, {"Accept-Encoding": "gzip"})
        assert status == 200, asset
        assert headers["cache-control"] == security_headers.CACHE_IMMUTABLE, asset
        assert headers.get("content-encoding") == "gzip", asset
        assert headers.get("x-content-type-options") == "nosniff", asset
    status, headers, _ = nginx.get("/search/search_index.json", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert headers["cache-control"] == security_headers.CACHE_SHORT


def test_no_gzip_for_clients_that_do_not_ask(nginx):
    status, headers, body = nginx.get("/")
    assert status == 200 and "content-encoding" not in headers and body.lstrip().startswith(b"<!doctype html>")


def test_unknown_path_serves_the_404_page_with_headers(nginx):
    status, headers, body = nginx.get("/no-such-page/")
    assert status == 404
    assert body == (nginx.site / "404.html").read_bytes(), "the site's own 404 page, not nginx's"
    assert headers.get("content-security-policy") == nginx.headers["Content-Security-Policy"]


# --------------------------------------------------------------------------
# The browser under the policy
# --------------------------------------------------------------------------
def test_no_csp_violation_on_any_page(nginx, context):
    for path in page_paths(nginx.site):
        page, errors = open_with_csp_listener(context, nginx.url(path))
        assert page.title(), path
        found = violations(page, errors)
        assert not found, f"{path}: {found}"
        assert not errors, f"{path}: {errors}"
        page.close()


def test_instant_navigation_runs_under_the_policy(nginx, context):
    page, errors = open_with_csp_listener(context, nginx.url("/"))
    link = page.locator("a.md-footer__link--next")
    if not link.count():
        pytest.fail("the home page has no 'next' footer link to follow")
    target = urlsplit(link.get_attribute("href") or "").path
    page.evaluate("window.__marker = 'same-document'")
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__marker || ''") == "same-document", "navigation.instant fell back to a full load"
    assert urlsplit(page.url).path != "/", target
    assert not violations(page, errors), violations(page, errors)
    assert not errors, errors


def test_search_works_under_the_policy(nginx, context):
    page, errors = open_with_csp_listener(context, nginx.url("/about/"))
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Siluanov", delay=20)
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(e => e.href)")
    # The index (fetched by the worker) answers, with pages of this site only.
    assert hrefs and all(h.startswith(nginx.origin + "/") for h in hrefs), hrefs
    assert any(urlsplit(h).path == "/" for h in hrefs), f"the home page mentions Siluanov: {hrefs}"
    assert not violations(page, errors), violations(page, errors)
    assert not errors, errors


def test_palette_toggle_works_under_the_policy(nginx, browser):
    ctx = browser.new_context(color_scheme="light")
    page = ctx.new_page()
    page.add_init_script(CSP_LISTENER)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(nginx.url("/"), wait_until="networkidle")
    seen = {page.locator("body").get_attribute("data-md-color-scheme")}
    for _ in range(2):
        page.locator("form[data-md-component=palette] label:visible").first.click()
        seen.add(page.locator("body").get_attribute("data-md-color-scheme"))
    assert {"default", "slate"} <= seen, seen
    # The choice survives a reload (inline palette script, allowed by hash).
    scheme = page.locator("body").get_attribute("data-md-color-scheme")
    page.reload(wait_until="networkidle")
    assert page.locator("body").get_attribute("data-md-color-scheme") == scheme
    assert not violations(page, errors), violations(page, errors)
    ctx.close()


def test_copy_buttons_work_under_the_policy(nginx, browser):
    """Material's clipboard: the search-share button on every page, and the
    code-block copy buttons wherever a page has them."""
    ctx = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.add_init_script(CSP_LISTENER)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(nginx.url("/"), wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("focus group", delay=20)
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    page.locator("[data-md-component=search-share]").click()
    page.locator(".md-dialog--active").wait_for(timeout=5_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert re.search(r"/\?q=focus\+", copied), copied
    # Code-block copy buttons (content.code.copy), on any page that has one.
    for path in page_paths(nginx.site):
        html = (nginx.site / (path.lstrip("/") or "index.html")
                if path.endswith(".html") else nginx.site / path.lstrip("/") / "index.html")
        if "md-clipboard" not in html.read_text(encoding="utf-8"):
            continue
        page.goto(nginx.url(path), wait_until="networkidle")
        button = page.locator("button.md-clipboard").first
        button.click()
        assert page.evaluate("navigator.clipboard.readText()").strip(), f"{path}: copy button copied nothing"
    assert not violations(page, errors), violations(page, errors)
    assert not errors, errors
    ctx.close()


def test_tooltips_work_under_the_policy(nginx, context):
    page, errors = open_with_csp_listener(context, nginx.url("/"))
    abbr = page.locator("article abbr").first
    if not abbr.count():
        pytest.fail("the home page has no abbreviation to hover")
    abbr.hover()
    tip = page.locator(".md-tooltip2--active, .md-tooltip--active").first
    tip.wait_for(timeout=5_000)
    assert tip.inner_text().strip(), "tooltip is empty"
    page.mouse.move(0, 0)
    ref = page.locator("article a.footnote-ref").first
    if ref.count():
        ref.hover()
        note = page.locator(".md-tooltip2--active, .md-tooltip--active").first
        note.wait_for(timeout=5_000)
        assert note.inner_text().strip(), "footnote tooltip is empty"
    assert not violations(page, errors), violations(page, errors)
    assert not errors, errors


# --------------------------------------------------------------------------
# The guards themselves fail on bad input
# --------------------------------------------------------------------------
def test_violation_listener_catches_a_blocked_inline_script(nginx, context, tmp_path):
    """An inline script that is not in the build (so not hashed) is reported."""
    bad = nginx.site / "csp-probe.html"
    bad.write_text('<!doctype html><html lang="en"><head><title>probe</title></head><body>'
                   '<script>document.title = "ran"</script></body></html>', encoding="utf-8")
    try:
        page, errors = open_with_csp_listener(context, nginx.url("/csp-probe.html"))
        assert page.title() == "probe", "an unhashed inline script must not run"
        assert violations(page, errors), "the listener must report the blocked script"
        page.close()
    finally:
        bad.unlink()
