"""Post-build: fewer requests per first view, by joining stylesheets and
scripts that every page loads one after another.

Stock Material loads two stylesheets; this site adds one for its own fixes,
one for links, one for print, and the print-site plugin adds two more, plus
two scripts. Each is a request, and every stylesheet blocks the first paint.
After the build, this step rewrites each page:

- a run of ``<link rel="stylesheet" href="...">`` tags with nothing but
  white space between them becomes one ``assets/stylesheets/site.<hash>.css``
  (the same files in the same order, so the cascade is unchanged; relative
  ``url()`` references are rewritten for the new location);
- a run of plain ``<script src="..."></script>`` tags (Material's bundle and
  the extra scripts after it) becomes one ``assets/javascripts/site.<hash>.js``.
  Material's bundle is a single strict function; its ``"use strict"`` moves
  inside that function so the scripts after it keep their own (sloppy)
  mode. A run is left alone if another file is in strict mode, where joining
  could change its meaning; Material's bundle in any other shape stays
  separate.

The site's own files in a run (not Material's ``.min`` files) are minified
on the way in (rcssmin, rjsmin).

Before joining, the print-site plugin's stylesheets and script are removed
from every page but its own print page (/print_page/), the only page that
uses them; its ``@page`` rules otherwise also put "Page N" footers on
single-page prints.

After joining, each stylesheet is purged of rules no page can use, by
PurgeCSS (npm, pinned in package.json; explainer/postbuild/purge_css.mjs): a selector
stays if its names occur in the built HTML or JavaScript. That takes
Material's stylesheet for features this site does not use (blog, tabs, code
highlighting, consent, tags...) off every first view.

Only files of this site are joined; a tag with any other attribute, or an
address on another origin, ends a run. The content hash in the file name
lets hosts cache it for a year (explainer/postbuild/headers.py marks it
immutable). Same-origin files, so the Content-Security-Policy is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import posixpath
import re
import shutil
import subprocess
from pathlib import Path


class AssetError(Exception):
    """Joining or purging the assets failed."""


LINK = r'<link rel="stylesheet" href="([^"]+)">'
SCRIPT = r'<script src="([^"]+)"></script>'
LINK_RUN = re.compile(rf"{LINK}(?:\s*{LINK})+")
SCRIPT_RUN = re.compile(rf"{SCRIPT}(?:\s*{SCRIPT})+")
HREF = re.compile(r'(?:href|src)="([^"]+)"')
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
SOURCE_MAP = re.compile(r"^\s*(//|/\*)# sourceMappingURL=.*$", re.M)
STRICT = re.compile(r"""^(?:\s|/\*.*?\*/|//[^\n]*\n)*(['"])use strict\1""", re.S)
log = logging.getLogger("mkdocs.hooks.bundle")
PRINT_SITE_TAG = re.compile(r'\s*(?:<link rel="stylesheet" href="[^"]*\bcss/print-site(?:-[a-z]+)?\.css">'
                            r'|<script src="[^"]*\bjs/print-site\.js"></script>)')
PRINT_PAGE_MARK = 'id="print-site-page"'
PURGE_SCRIPT = Path(__file__).resolve().parent / "purge_css.mjs"
MATERIAL_BUNDLE = re.compile(r"^assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js$")
# Material's bundle is one strict arrow-function IIFE (esbuild output):
# '"use strict";(()=>{...})();'. Moving the directive inside the function
# keeps it strict without making the scripts joined after it strict.
MATERIAL_SHAPE = re.compile(r'^"use strict";\(\(\)=>\{.*\}\)\(\);$', re.S)


# Material ships its files minified; the site's own (docs/stylesheets,
# docs/javascripts) are kept readable in the repository and minified here.
MINIFIED = re.compile(r"\.min\.(?:css|js)$")


def minify(text: str, kind: str) -> str:
    """The site's own CSS and JavaScript without comments and white space, by
    rcssmin and rjsmin (pinned in pyproject.toml): pure functions of their
    input, so builds stay reproducible. On the first view this saves about
    40% of those files' gzip bytes."""
    if kind == "css":
        import rcssmin
        return rcssmin.cssmin(text)
    import rjsmin
    return rjsmin.jsmin(text)


def _material_inner_strict(text: str) -> str | None:
    text = text.strip()
    if not MATERIAL_SHAPE.match(text):
        return None
    return '(()=>{"use strict";' + text[len('"use strict";(()=>{'):]


def _site_path(page_dir: str, href: str, base: str = "/") -> str | None:
    """The site-relative path of a same-origin href, or None. Root-relative
    hrefs (the 404 page uses them) must start with the site's base path."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", href, re.I) or "?" in href or "#" in href:
        return None
    if href.startswith("/"):
        return posixpath.normpath(href[len(base):]) if href.startswith(base) else None
    return posixpath.normpath(posixpath.join(page_dir, href))


def _rewrite_css_urls(css: str, source: str, target: str) -> str:
    """Keep relative url() references pointing at the same files."""
    src_dir, dst_dir = posixpath.dirname(source), posixpath.dirname(target)

    def fix(match: re.Match) -> str:
        quote, ref = match.group(1), match.group(2).strip()
        if re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", ref, re.I):
            return match.group(0)
        moved = posixpath.relpath(posixpath.normpath(posixpath.join(src_dir, ref)), dst_dir or ".")
        return f"url({quote}{moved}{quote})"

    return CSS_URL.sub(fix, css)


class Bundler:
    def __init__(self, site: Path, base: str = "/"):
        self.site = site
        self.base = base if base.endswith("/") else base + "/"
        self.made: dict[tuple[str, ...], str] = {}

    def _bundle(self, paths: tuple[str, ...], kind: str) -> str | None:
        if paths in self.made:
            return self.made[paths]
        texts = []
        for path in paths:
            file = self.site / path
            if not file.is_file():
                return None
            text = SOURCE_MAP.sub("", file.read_text(encoding="utf-8"))
            if kind == "js" and MATERIAL_BUNDLE.match(path):
                text = _material_inner_strict(text)
                if text is None:
                    return None
            elif kind == "js" and STRICT.match(text):
                return None
            if not MINIFIED.search(path):
                text = minify(text, kind)
            texts.append((path, text))
        folder = "assets/stylesheets" if kind == "css" else "assets/javascripts"
        parts = []
        for path, text in texts:
            if kind == "css":
                text = _rewrite_css_urls(text, path, f"{folder}/x.css")
            parts.append(f"/* {path} */\n{text.rstrip()}\n" + (";\n" if kind == "js" else ""))
        body = "".join(parts)
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:8]
        target = f"{folder}/site.{digest}.{kind}"
        (self.site / target).parent.mkdir(parents=True, exist_ok=True)
        (self.site / target).write_text(body, encoding="utf-8")
        self.made[paths] = target
        return target

    def _replace_run(self, match: re.Match, page_dir: str, kind: str) -> str:
        hrefs = HREF.findall(match.group(0))
        paths = [_site_path(page_dir, h, self.base) for h in hrefs]
        if any(p is None for p in paths):
            return match.group(0)
        absolute = all(h.startswith("/") for h in hrefs)
        if not absolute and any(h.startswith("/") for h in hrefs):
            return match.group(0)
        keep = ""
        target = self._bundle(tuple(paths), kind)
        if target is None and kind == "js" and MATERIAL_BUNDLE.match(paths[0]) and len(paths) > 2:
            # Material's bundle in an unexpected shape stays separate; join
            # what follows it.
            keep = f'<script src="{hrefs[0]}"></script>\n'
            target = self._bundle(tuple(paths[1:]), kind)
        if target is None:
            return match.group(0)
        rel = self.base + target if absolute else posixpath.relpath(target, page_dir or ".")
        tag = f'<link rel="stylesheet" href="{rel}">' if kind == "css" else f'<script src="{rel}"></script>'
        return keep + tag

    def page(self, html_file: Path) -> None:
        rel_dir = posixpath.dirname(html_file.relative_to(self.site).as_posix())
        text = html_file.read_text(encoding="utf-8")
        new = text if PRINT_PAGE_MARK in text else PRINT_SITE_TAG.sub("", text)
        new = LINK_RUN.sub(lambda m: self._replace_run(m, rel_dir, "css"), new)
        new = SCRIPT_RUN.sub(lambda m: self._replace_run(m, rel_dir, "js"), new)
        if new != text:
            html_file.write_text(new, encoding="utf-8")


def _pages(site: Path) -> list[Path]:
    return [f for f in sorted(Path(site).rglob("*.html"))
            if not f.relative_to(site).as_posix().startswith("assets/")]


def purge_css(site: Path, targets: list[str]) -> dict[str, str]:
    """Purge the joined stylesheets (explainer/postbuild/purge_css.mjs), give each its
    new content hash and point the pages at it. Returns old -> new paths."""
    if not targets:
        return {}
    node = shutil.which("node")
    if node is None:
        raise AssetError("assets: node not found; install Node.js (Debian: apt-get install nodejs npm)")
    files = [str(site / t) for t in targets]
    result = subprocess.run([node, str(PURGE_SCRIPT), str(site), *files], capture_output=True, text=True,
                            cwd=PURGE_SCRIPT.parent.parent)
    if result.returncode != 0:
        hint = " (run npm install, or any make target)" if "purgecss" in result.stderr else ""
        raise AssetError(f"assets: {PURGE_SCRIPT.name} failed{hint}:\n{result.stderr.strip()[-2000:]}")
    try:
        summary = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssetError(f"assets: {PURGE_SCRIPT.name} printed no summary:\n{result.stdout[-500:]}") from None
    for item in summary:
        log.info(f"assets: {Path(item['file']).name}: {item['before']:,} -> {item['after']:,} bytes "
                 "after removing unused CSS rules")
    renamed = {}
    for target in targets:
        body = (site / target).read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:8]
        new = re.sub(r"\.[0-9a-f]{8}\.css$", f".{digest}.css", target)
        if new != target:
            (site / target).replace(site / new)
            renamed[target] = new
    if renamed:
        names = {posixpath.basename(a): posixpath.basename(b) for a, b in renamed.items()}
        pattern = re.compile("|".join(re.escape(n) for n in names))
        for html_file in _pages(site):
            text = html_file.read_text(encoding="utf-8")
            new_text = pattern.sub(lambda m: names[m.group(0)], text)
            if new_text != text:
                html_file.write_text(new_text, encoding="utf-8")
    return renamed


def bundle_site(site: Path, base: str = "/", purge: bool = True,
                pages: list[Path] | None = None) -> dict[tuple[str, ...], str]:
    """Join the runs of every page (of ``pages``, when given) and purge the
    joined stylesheets."""
    bundler = Bundler(Path(site), base)
    for html_file in _pages(Path(site)) if pages is None else pages:
        bundler.page(html_file)
    if purge:
        css = sorted({t for t in bundler.made.values() if t.endswith(".css")})
        renamed = purge_css(Path(site), css)
        bundler.made = {k: renamed.get(v, v) for k, v in bundler.made.items()}
    return bundler.made
