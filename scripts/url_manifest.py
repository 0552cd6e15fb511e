"""The URL manifest: every published page URL, heading id and key-fact id.

Links pasted into briefings must keep working. tests/url-manifest.json lists
every address the site has published; ``--check`` (run by the tests) fails
when one of them is missing from a build and data/redirects.yml does not say
where it went. New pages and anchors are fine: ``--update`` adds them.

    .venv/bin/python -m scripts.url_manifest --check      # build, then compare
    .venv/bin/python -m scripts.url_manifest --update     # build, then rewrite the manifest
    .venv/bin/python -m scripts.url_manifest --check --site /tmp/site   # an existing build

Entries are never dropped by ``--update``: a page or anchor that disappeared
stays listed (so it stays protected) and must be redirected.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import sitedata as sd  # noqa: E402

MANIFEST = sd.ROOT / "tests" / "url-manifest.json"
REDIRECTS = sd.DATA / "redirects.yml"
SKIP_DIRS = ("assets/", "search/", "css/", "js/", "javascripts/", "stylesheets/")
# Template furniture that is on every page, not content with its own address.
FURNITURE_IDS = {"cite-this-page"}
PRINT_PAGE = "print_page/"


class _Ids(HTMLParser):
    """Collect heading ids and key-fact ids; spot redirect pages."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.redirect = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.redirect = True
        ident = attrs.get("id")
        if not ident or ident in FURNITURE_IDS:
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") or (tag == "li" and ident.startswith("kf-")):
            self.ids.append(ident)


def page_url(html_path: Path, site: Path) -> str:
    rel = html_path.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def collect(site: Path) -> tuple[dict[str, list[str]], set[str]]:
    """(pages: url -> sorted ids, redirect page urls) of a built site."""
    pages: dict[str, list[str]] = {}
    redirects: set[str] = set()
    for html_path in sorted(Path(site).rglob("*.html")):
        url = page_url(html_path, site)
        if url.startswith(SKIP_DIRS) or url == "404.html":
            continue
        parser = _Ids()
        parser.feed(html_path.read_text(encoding="utf-8"))
        if parser.redirect:
            redirects.add(url)
            continue
        # The print page's ids are rewritten copies of the pages' ids.
        pages[url] = [] if url == PRINT_PAGE else sorted(set(parser.ids))
    return pages, redirects


def src_to_url(src: str) -> str:
    """docs path -> site URL, as MkDocs does with use_directory_urls."""
    from mkdocs.structure.files import File

    return File(src, "", "", True).url


def load_manifest(path: Path = MANIFEST) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))["pages"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise SystemExit(f"{sd.rel(path)}:1: not a URL manifest ({exc}); regenerate with --update") from exc


def check(site: Path, manifest: dict[str, list[str]], redirects_path: Path = REDIRECTS) -> tuple[list[str], list[str]]:
    """(problems, new entries). A problem names the lost address and what to do."""
    from scripts.linking_hooks import load_redirects, resolve_page

    built, redirect_pages = collect(site)
    register = load_redirects(redirects_path)
    page_moves = {src_to_url(old): src_to_url(resolve_page(old, register["pages"])) for old in register["pages"]}
    url_to_src = {src_to_url(old): old for old in register["pages"]}
    anchor_moves = {}
    for old, entry in register["anchors"].items():
        old_page, _, old_id = old.partition("#")
        new_page, _, new_id = entry["to"].partition("#")
        anchor_moves[(src_to_url(old_page), old_id)] = (src_to_url(resolve_page(new_page, register["pages"])), new_id)
    where = sd.rel(redirects_path)
    problems: list[str] = []
    for url, ids in sorted(manifest.items()):
        target = url
        if url not in built:
            if url not in page_moves:
                problems.append(f"/{url}: page is gone; add 'pages: {{old.md: new.md}}' to {where}")
                continue
            if url not in redirect_pages:
                problems.append(f"/{url}: {where} redirects it (from {url_to_src[url]}) "
                                "but the build wrote no redirect page there")
            target = page_moves[url]
            if target not in built:
                problems.append(f"/{url}: redirected to /{target}, which the build does not have")
                continue
        for ident in ids:
            if ident in built[target]:
                continue
            moved = anchor_moves.get((url, ident)) or anchor_moves.get((target, ident))
            if moved and moved[0] in built and moved[1] in built[moved[0]]:
                continue
            if moved:
                problems.append(f"/{url}#{ident}: redirected to /{moved[0]}#{moved[1]}, which does not exist")
            else:
                problems.append(f"/{url}#{ident}: anchor is gone; add 'anchors: {{page.md#{ident}: "
                                f"page.md#new-id}}' to {where}")
    new = [f"/{url}" for url in built if url not in manifest]
    new += [f"/{url}#{i}" for url, ids in built.items() if url in manifest for i in ids if i not in manifest[url]]
    return problems, sorted(new)


def merged(site: Path, manifest: dict[str, list[str]]) -> dict[str, list[str]]:
    """The manifest plus everything the build has; nothing is dropped."""
    built, _ = collect(site)
    out = {url: sorted(set(ids)) for url, ids in manifest.items()}
    for url, ids in built.items():
        out[url] = sorted(set(out.get(url, [])) | set(ids))
    return dict(sorted(out.items()))


def write_manifest(pages: dict[str, list[str]], path: Path = MANIFEST) -> None:
    doc = {
        "about": "Every page URL (relative to site_url) and heading or key-fact id the site has published. "
                 "Generated by scripts/url_manifest.py --update; entries are never removed. "
                 "A missing entry needs a redirect in data/redirects.yml.",
        "pages": pages,
    }
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def build(config: Path, out: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                             "-d", str(out)], capture_output=True, text=True, env=env, cwd=config.parent)
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{result.stdout}{result.stderr}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="fail if a published address is gone")
    mode.add_argument("--update", action="store_true", help="add new addresses to the manifest")
    parser.add_argument("--site", type=Path, help="an existing build (default: build into a temporary folder)")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--redirects", type=Path, default=REDIRECTS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="url-manifest-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(sd.ROOT / "mkdocs.yml", site)
        manifest = load_manifest(args.manifest)
        problems, new = check(site, manifest, args.redirects)
        for problem in problems:
            print(f"{sd.rel(args.manifest)}: {problem}")
        if args.update:
            write_manifest(merged(site, manifest), args.manifest)
            print(f"{sd.rel(args.manifest)}: {len(new)} new entries added")
        elif new:
            print(f"{sd.rel(args.manifest)}: {len(new)} new entries; run `make urls` to record them")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
