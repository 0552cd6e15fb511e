"""The published-URL register: every page URL and every id a reader can link to.

Links pasted into briefings must keep working. data/published-urls.json lists
every page and every id inside its article (headings, key facts, timeline
events, sources, glossary terms, claims; not footnote ids, which follow the
citations) that the site has published;
``--check`` (run by the tests) fails
when one of them is missing from a build and data/redirects.yml does not say
where it went. New pages and anchors are fine: ``--update`` adds them.

    explainer urls --check      # build (explainer/cli.py), then compare
    explainer urls --update     # build, then add new addresses (make urls)
    explainer urls --check --site /tmp/site   # an existing build

Entries are never dropped by ``--update``: a page or anchor that disappeared
stays listed (so it stays protected) and must be redirected.
"""

from __future__ import annotations

import argparse
import json
from html.parser import HTMLParser
from pathlib import Path

from explainer import ROOT
from explainer.data import loading
from explainer.data.redirects import load_redirects, resolve_page
from explainer.urls import file_url, page_url

MANIFEST = ROOT / "data" / "published-urls.json"
REDIRECTS = loading.DATA / "redirects.yml"
SKIP_DIRS = ("assets/", "search/", "css/", "js/", "javascripts/", "stylesheets/")
# Template furniture that is on every page ("Cite this page" and its parts),
# not content with its own address.
FURNITURE_IDS = {"cite-this-page", "cite-downloads"} | {
    f"cite-{key}{suffix}" for key in ("plain", "chicago", "apa", "mla") for suffix in ("", "-label")}
PRINT_PAGE = "print_page/"


# Footnote ids follow the citations (fn:key, fnref:key, fnref2:key) and
# change when a citation does; they are not addresses a reader is given.
DERIVED_ID_PREFIXES = ("fn:", "fnref", "__")


class _Ids(HTMLParser):
    """Collect every id inside <article> (headings, key facts, timeline events,
    sources, glossary terms, claims...); spot redirect pages."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.redirect = False
        self.depth = 0  # inside <article> when > 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.redirect = True
        if tag == "article":
            self.depth += 1
        ident = attrs.get("id")
        if not ident or ident in FURNITURE_IDS or ident.startswith(DERIVED_ID_PREFIXES):
            return
        if self.depth > 0 or tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.ids.append(ident)

    def handle_endtag(self, tag):
        if tag == "article" and self.depth > 0:
            self.depth -= 1


def src_to_url(src: str) -> str:
    """docs path -> the register's key: 'focus-group.md' -> 'focus-group/', 'index.md' -> ''."""
    return page_url(src).lstrip("/")


def collect(site: Path) -> tuple[dict[str, list[str]], set[str]]:
    """(pages: url -> sorted ids, redirect page urls) of a built site."""
    pages: dict[str, list[str]] = {}
    redirects: set[str] = set()
    for html_path in sorted(Path(site).rglob("*.html")):
        url = file_url(html_path, site)
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


def load_manifest(path: Path = MANIFEST) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))["pages"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise SystemExit(f"{loading.rel(path)}:1: not a URL manifest ({exc}); regenerate with --update") from exc


def check(site: Path, manifest: dict[str, list[str]], redirects_path: Path = REDIRECTS) -> tuple[list[str], list[str]]:
    """(problems, new entries). A problem names the lost address and what to do."""
    built, redirect_pages = collect(site)
    register = load_redirects(redirects_path)
    page_moves = {src_to_url(old): src_to_url(resolve_page(old, register["pages"])) for old in register["pages"]}
    url_to_src = {src_to_url(old): old for old in register["pages"]}
    anchor_moves = {}
    for old, entry in register["anchors"].items():
        old_page, _, old_id = old.partition("#")
        new_page, _, new_id = entry["to"].partition("#")
        anchor_moves[(src_to_url(old_page), old_id)] = (src_to_url(resolve_page(new_page, register["pages"])), new_id)
    where = loading.rel(redirects_path)
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
        "about": "Every page URL (relative to site_url) and every id inside its article (headings, key facts, "
                 "timeline events, sources, glossary terms, claims, figures; not footnote ids) the site has "
                 "published. "
                 "Generated by `explainer urls --update` (make urls); entries are never removed. "
                 "A missing entry needs a redirect in data/redirects.yml.",
        "pages": pages,
    }
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="fail if a published address is gone")
    mode.add_argument("--update", action="store_true", help="add new addresses to the manifest")
    parser.add_argument("--site", type=Path, required=True, help="a built site")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--redirects", type=Path, default=REDIRECTS)
    args = parser.parse_args(argv)
    manifest = load_manifest(args.manifest)
    problems, new = check(args.site, manifest, args.redirects)
    for problem in problems:
        print(f"{loading.rel(args.manifest)}: {problem}")
    if args.update:
        write_manifest(merged(args.site, manifest), args.manifest)
        print(f"{loading.rel(args.manifest)}: {len(new)} new entries added")
    elif new:
        print(f"{loading.rel(args.manifest)}: {len(new)} new entries; run `make urls` to record them")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
