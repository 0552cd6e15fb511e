"""Security headers as code: derive the deploy configuration from the build.

Run after every build (``make build`` does)::

    explainer nginx site build/deploy   # site/_headers and build/deploy/nginx-explainer.conf

The script reads every HTML file of the built site with the standard
library's HTML parser, takes the exact text of each executable inline
``<script>`` and each ``<style>`` element, and puts their sha256 hashes into a
Content-Security-Policy that has no ``'unsafe-inline'``. Material, the
site's hooks and plugins write inline scripts (palette, redirect pages, "Cite
this page"), so hashes are always computed from the output, never by hand.
Data blocks (``application/json``, JSON-LD) do not run and need no hash.

It writes two configurations that carry the same headers:

- ``_headers`` in the site folder, for static hosts (Netlify, Cloudflare
  Pages) that read it from the published folder;
- an nginx ``server`` block (``nginx-explainer.conf`` in the folder given,
  ``build/deploy/`` for ``make build``) with gzip, the
  404 page, and cache lifetimes: a year (immutable) for fingerprinted files
  (Material's ``assets/*.[hash].min.js|css`` and the joined
  ``assets/*/site.[hash].css|js`` of explainer/postbuild/assets.py), five minutes
  for HTML and everything else.

Markup that a strict policy would block is refused with ``path:line:``
messages and exit status 1: inline event handlers (``onclick=...``),
``javascript:`` URLs (except Material's inert search-share link), and inline
scripts of an unknown type.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from explainer import ROOT
from explainer.urls import file_url, site_pages

# Types whose inline content the browser executes (empty = classic script).
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript",
                    "application/ecmascript"}
# Data blocks: not executed, not subject to script-src.
DATA_TYPES = {"application/json", "application/ld+json", "text/plain", "text/template"}
# Event handler content attributes (HTML standard, GlobalEventHandlers and
# window/document handlers): the names a browser would run as script.
EVENTS = set("""
abort afterprint animationend animationiteration animationstart auxclick beforeinput beforematch
beforeprint beforetoggle beforeunload blur cancel canplay canplaythrough change click close contextlost
contextmenu contextrestored copy cuechange cut dblclick drag dragend dragenter dragleave dragover dragstart
drop durationchange emptied ended error focus focusin focusout formdata hashchange input invalid keydown
keypress keyup languagechange load loadeddata loadedmetadata loadstart message messageerror mousedown
mouseenter mouseleave mousemove mouseout mouseover mouseup offline online pagehide pagereveal pageshow
pageswap paste pause play playing pointercancel pointerdown pointerenter pointerleave pointermove pointerout
pointerover pointerup popstate progress ratechange rejectionhandled reset resize scroll scrollend
securitypolicyviolation seeked seeking select selectionchange selectstart slotchange stalled storage submit
suspend timeupdate toggle touchcancel touchend touchmove touchstart transitionend unhandledrejection unload
volumechange waiting wheel
""".split())
# Material's search-share link is written as href="javascript:void(0)"; its
# script replaces the href with the share URL and cancels every click, so the
# URL never runs (tests/browser/test_nginx.py clicks it under the policy).
INERT_SHARE_HREF = "javascript:void(0)"
# Material's fingerprinted bundles: assets/javascripts/bundle.a5f9d56c.min.js,
# assets/javascripts/workers/search.a7633da7.min.js, assets/stylesheets/main.57a0d79d.min.css
# and this site's joined files (explainer/postbuild/assets.py): assets/stylesheets/site.1a2b3c4d.css
FINGERPRINTED_RE = re.compile(r"^assets/.+\.[0-9a-f]{8}(?:\.min)?\.(?:js|css)$")
NGINX_FINGERPRINTED = r"^/assets/.+\.[0-9a-f]{8}(\.min)?\.(js|css)$"

CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_SHORT = "public, max-age=300"

PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=()")

MIME_TYPES = {
    "text/html": "html htm",
    "text/css": "css",
    "application/javascript": "js mjs",
    "application/json": "json map",
    "application/xml": "xml",
    "image/svg+xml": "svg",
    "image/png": "png",
    "image/jpeg": "jpg jpeg",
    "image/webp": "webp",
    "image/avif": "avif",
    "image/x-icon": "ico",
    "font/woff2": "woff2",
    "text/plain": "txt",
    "application/gzip": "gz",
    "application/pdf": "pdf",
}
GZIP_TYPES = "text/css application/javascript application/json application/xml image/svg+xml text/plain"


@dataclass
class Inline:
    kind: str  # "script" or "style"
    text: str
    path: str
    line: int

    @property
    def hash(self) -> str:
        digest = hashlib.sha256(self.text.encode("utf-8")).digest()
        return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@dataclass
class Scan:
    inline: list[Inline] = field(default_factory=list)
    style_attrs: list[Inline] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    pages: int = 0


class _InlineParser(HTMLParser):
    """Collects inline scripts and styles with their line numbers."""

    def __init__(self, path: str, scan: Scan):
        super().__init__(convert_charrefs=False)
        self.path = path
        self.scan = scan
        self.current: tuple[str, int, bool] | None = None  # (tag, line, executable)
        self.buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") and name[2:] in EVENTS:
                self.scan.problems.append(
                    f"{self.path}:{line}: inline event handler {name}= on <{tag}> is blocked by the "
                    "Content-Security-Policy; attach the handler from a script file instead")
            if name in ("href", "src", "action", "formaction") and value and \
                    value.strip().lower().startswith("javascript:") and \
                    not (tag == "a" and values.get("data-md-component") == "search-share"
                         and value == INERT_SHARE_HREF):
                self.scan.problems.append(
                    f"{self.path}:{line}: javascript: URL in {name}= on <{tag}> is blocked by the "
                    "Content-Security-Policy")
            if name == "style" and value:
                self.scan.style_attrs.append(Inline("style-attr", value, self.path, line))
        if tag == "script" and "src" not in values:
            kind = (values.get("type") or "").strip().lower()
            if kind in EXECUTABLE_TYPES:
                self.current = ("script", line, True)
            elif kind in DATA_TYPES:
                self.current = ("script", line, False)
            else:
                self.scan.problems.append(
                    f"{self.path}:{line}: inline <script type={kind!r}>: unknown type; use a JavaScript "
                    f"type or a data type ({', '.join(sorted(DATA_TYPES))})")
                self.current = ("script", line, False)
            self.buffer = []
        elif tag == "style":
            self.current = ("style", line, True)
            self.buffer = []

    def handle_data(self, data):
        if self.current:
            self.buffer.append(data)

    # Inside <script> and <style> the parser delivers raw text, but keep any
    # reference-looking text exactly as written.
    def handle_entityref(self, name):
        if self.current:
            self.buffer.append(f"&{name};")

    def handle_charref(self, name):
        if self.current:
            self.buffer.append(f"&#{name};")

    def handle_endtag(self, tag):
        if self.current and tag == self.current[0]:
            kind, line, counted = self.current
            if counted:
                self.scan.inline.append(Inline(kind, "".join(self.buffer), self.path, line))
            self.current = None
            self.buffer = []


def scan_site(site: Path) -> Scan:
    scan = Scan()
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        parser = _InlineParser(rel, scan)
        parser.feed(html.read_text(encoding="utf-8"))
        parser.close()
        scan.pages += 1
    return scan


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def content_security_policy(scan: Scan) -> str:
    scripts = _unique(sorted(i.hash for i in scan.inline if i.kind == "script"))
    styles = _unique(sorted(i.hash for i in scan.inline if i.kind == "style"))
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *scripts]),
        "style-src " + " ".join(["'self'", *styles]),
    ]
    if scan.style_attrs:
        attrs = _unique(sorted(i.hash for i in scan.style_attrs))
        directives.append("style-src-attr " + " ".join(["'unsafe-hashes'", *attrs]))
    directives += [
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def security_headers(scan: Scan) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(scan),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def fingerprinted_assets(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                  if p.is_file() and FINGERPRINTED_RE.match(p.relative_to(site).as_posix()))


def html_paths(site: Path) -> list[str]:
    return ["/" + file_url(html, site) for html in site_pages(site) if not file_url(html, site).startswith("assets/")]


def render_headers_file(site: Path, headers: dict[str, str]) -> str:
    """Netlify / Cloudflare Pages ``_headers``: security headers everywhere,
    cache lifetimes per file (rules that match the same path are merged, so
    no Cache-Control is set under ``/*``)."""
    lines = ["# Generated by explainer/postbuild/headers.py from the built pages. Do not edit.", "/*"]
    lines += [f"  {name}: {value}" for name, value in headers.items()]
    for asset in fingerprinted_assets(site):
        lines += [f"/{asset}", f"  Cache-Control: {CACHE_IMMUTABLE}"]
    for path in html_paths(site):
        lines += [path, f"  Cache-Control: {CACHE_SHORT}"]
    return "\n".join(lines) + "\n"


def _nginx_headers(headers: dict[str, str], cache: str, indent: str = "        ") -> str:
    out = [f'{indent}add_header {name} "{value}" always;' for name, value in headers.items()]
    out.append(f'{indent}add_header Cache-Control "{cache}" always;')
    return "\n".join(out)


def render_nginx(headers: dict[str, str], root: str, listen: str) -> str:
    types = "\n".join(f"        {mime} {exts};" for mime, exts in MIME_TYPES.items())
    return f"""# Generated by explainer/postbuild/headers.py from the built pages. Do not edit:
# run `make build` (or explainer nginx SITE_DIR OUT_DIR) again.
# An nginx server block; include it from the http {{}} block of nginx.conf.
# Put TLS in front of it (or add `listen 443 ssl` and a Strict-Transport-Security
# header) when it serves readers.
server {{
    listen {listen};
    server_name _;
    root {root};
    index index.html;
    server_tokens off;
    absolute_redirect off;
    charset utf-8;
    charset_types text/css application/javascript application/json image/svg+xml text/plain application/xml;
    types {{
{types}
    }}
    default_type application/octet-stream;

    gzip on;
    gzip_vary on;
    gzip_comp_level 6;
    gzip_min_length 256;
    gzip_types {GZIP_TYPES};

    error_page 404 /404.html;

    # add_header is not inherited into a location that sets its own, so each
    # location repeats the full set.

    # Material's fingerprinted bundles never change under the same name.
    location ~ "{NGINX_FINGERPRINTED}" {{
        try_files $uri =404;
{_nginx_headers(headers, CACHE_IMMUTABLE)}
    }}

    # Pages, the search index and unfingerprinted files: short lifetime.
    location / {{
        try_files $uri $uri/ =404;
{_nginx_headers(headers, CACHE_SHORT)}
    }}
}}
"""


def generate(site: Path, deploy: Path | None, root: str = "/var/www/explainer",
             listen: str = "80") -> tuple[Scan, dict[str, str]]:
    """Scan the built site and write its configurations. Raises
    ValueError listing path:line problems if the markup cannot run under a
    strict policy."""
    site = Path(site)
    if not (site / "index.html").exists():
        raise FileNotFoundError(f"{site}: no index.html; build the site first (make build)")
    scan = scan_site(site)
    if scan.problems:
        raise ValueError("\n".join(scan.problems))
    headers = security_headers(scan)
    (site / "_headers").write_text(render_headers_file(site, headers), encoding="utf-8")
    if deploy is not None:
        deploy.mkdir(parents=True, exist_ok=True)
        (deploy / "nginx-explainer.conf").write_text(render_nginx(headers, root, listen), encoding="utf-8")
    return scan, headers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, nargs="?", default=ROOT / "site", help="built site folder")
    parser.add_argument("--deploy", type=Path, default=ROOT / "deploy",
                        help="folder for the nginx server block (default: deploy/)")
    parser.add_argument("--root", default="/var/www/explainer", help="nginx root (where the site is copied)")
    parser.add_argument("--listen", default="80", help="nginx listen directive value")
    args = parser.parse_args(argv)
    try:
        scan, headers = generate(args.site, args.deploy, args.root, args.listen)
    except (ValueError, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 1
    scripts = {i.hash for i in scan.inline if i.kind == "script"}
    print(f"security-headers: {scan.pages} HTML files, {len(scripts)} distinct inline script hashes; "
          f"wrote {args.site / '_headers'} and {args.deploy / 'nginx-explainer.conf'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
