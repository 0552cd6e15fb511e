"""Serve a built site on loopback, for the tests and the benchmarks (not part
of the build package: nothing in explainer/ imports this).

- ``Server``: a static server in a thread (``http.server``), no headers, no
  compression: the plainest host there is.
- ``GzipServer``: the same with gzip and the deploy configuration's cache
  lifetimes, for the bench's side-by-side runs of this site and stock Material.
- ``Nginx``: Debian's nginx in the foreground under a temporary prefix,
  serving the site with the server block that ``explainer nginx`` writes
  (security headers, CSP, cache lifetimes, gzip), so that what is tested or
  measured is what ships. Nothing is written to root-owned paths and nothing
  is left running after ``close()``.
- ``as_if_in_a_terminal``: a command whose Ctrl-C (SIGINT) works as in a
  terminal, for stopping ``mkdocs serve`` the way a maintainer does.
- ``CHROMIUM``/``CHROMIUM_ARGS``: how the tests and benchmarks start the
  Debian Chromium with Playwright, offline.

``tests/conftest.py`` and the bench scripts import it; what `make serve`
runs is ``explainer.engine.serve.command``.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.client
import http.server
import io
import mimetypes
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# A process started in the background of a shell without job control (as
# `make test` and CI start pytest and its workers) inherits SIGINT as
# ignored, and Python then never raises KeyboardInterrupt: `mkdocs serve`
# would not stop on Ctrl-C and a test would wait for its time-out. The
# wrapper restores the default before it runs the command.
_DEFAULT_SIGINT = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                   "os.execvp(sys.argv[1], sys.argv[1:])")


def as_if_in_a_terminal(cmd: list[str]) -> list[str]:
    """``cmd`` with SIGINT at its default (KeyboardInterrupt in Python), as
    a terminal's Ctrl-C finds it."""
    import sys

    return [sys.executable, "-c", _DEFAULT_SIGINT, *cmd]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test and bench output clean
        pass


class Server:
    """A static server on loopback in a thread; ``handler_class`` picks how paths map."""

    handler_class = QuietHandler

    def __init__(self, root: Path, port: int | None = None):
        port = port or free_port()
        handler = functools.partial(self.handler_class, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class GzipHandler(QuietHandler):
    """Static files with gzip (level 6) for text types, the site's 404 page,
    and the cache lifetimes of the deploy configuration
    (explainer/postbuild/headers.py): how the bench serves this site and
    stock Material alike, so that neither gets a header the other lacks."""

    COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")

    def send_head(self):
        from explainer.postbuild import headers as security_headers

        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the standard redirect to the slash
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
            if not path.is_file():
                self.send_error(404)
                return None
        body = path.read_bytes()
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(status)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        if "gzip" in self.headers.get("Accept-Encoding", "") and ctype.startswith(self.COMPRESSIBLE):
            body = gzip.compress(body, compresslevel=6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        rel = path.relative_to(Path(self.directory)).as_posix() if status == 200 else ""
        self.send_header("Cache-Control", security_headers.CACHE_IMMUTABLE
                         if security_headers.FINGERPRINTED_RE.match(rel) else security_headers.CACHE_SHORT)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class GzipServer(Server):
    """``Server`` with ``GzipHandler``."""

    handler_class = GzipHandler


def nginx_binary() -> str | None:
    for name in NGINX_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Nginx:
    """nginx in the foreground (daemon off) under ``workdir``, serving ``site``
    with the generated server block (explainer/postbuild/headers.py)."""

    PROBES = "/__probes__/"

    def __init__(self, binary: str, site: Path, workdir: Path, port: int | None = None, *,
                 probes: Path | None = None, detach: bool = False):
        """``probes``: a folder served under /__probes__/ with the same headers,
        for deliberately broken pages the tests put there (never into the site).
        ``detach``: the server outlives the process that started it (it is
        shared by the test workers; ``close()`` from any of them stops it)."""
        from explainer.postbuild import headers as security_headers

        self.port = port or free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.site = Path(site)
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        deploy = self.workdir / "deploy"
        self.scan, self.headers = security_headers.generate(self.site, deploy, root=str(self.site),
                                                            listen=f"127.0.0.1:{self.port}")
        self.server_block = deploy / "nginx-explainer.conf"
        if probes is not None:
            # Nested in `location /` without headers of its own, so that it
            # inherits that location's headers (the CSP included).
            block = self.server_block.read_text(encoding="utf-8")
            assert "    location / {\n" in block, self.server_block
            self.server_block.write_text(block.replace(
                "    location / {\n",
                f"    location / {{\n        location ^~ {self.PROBES} {{ alias {Path(probes).resolve()}/; }}\n", 1),
                encoding="utf-8")
        temp = [f"{kind}_temp_path {self.workdir / kind};"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")]
        # As root, workers would drop to 'nobody', who cannot read private
        # temporary folders; this server stays on loopback.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        self.error_log = self.workdir / "error.log"
        self.conf = self.workdir / "nginx.conf"
        self.conf.write_text(
            f"{user}worker_processes 1;\ndaemon off;\npid {self.workdir / 'nginx.pid'};\n"
            f"error_log {self.error_log} warn;\nevents {{ worker_connections 256; }}\n"
            f"http {{\n    access_log off;\n    " + "\n    ".join(temp) + "\n"
            f"    include {self.server_block};\n}}\n",
            encoding="utf-8",
        )
        base = [binary, "-p", str(self.workdir), "-c", str(self.conf), "-e", str(self.error_log)]
        check = subprocess.run([*base, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t rejected the generated configuration:\n{check.stderr}")
        self.proc = subprocess.Popen(base, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     start_new_session=detach)
        self.pid = self.proc.pid
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.proc.stderr.read().decode()}")
            try:
                self.get("/")
                return
            except OSError:
                time.sleep(0.1)
        self.close()
        raise RuntimeError("nginx did not answer within 10 s")

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

    def __getstate__(self):
        """Picklable for the other test workers: everything but the process handle."""
        return {k: v for k, v in self.__dict__.items() if k != "proc"}

    def close(self):
        proc = self.__dict__.get("proc")
        if proc is None:  # started by another process: stop it by its pid
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
