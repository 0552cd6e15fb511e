"""The post-build pass: ``site/`` in, ``site/`` out, whichever engine wrote it.

``run`` is called by the engine at the end of every MkDocs build
(explainer/engine/hooks.py, so ``mkdocs build`` and ``mkdocs serve`` give the
finished site), with the data the build loaded and the generated files it
has already written, and by ``explainer postbuild SITE`` for any other
build. In order:

1. ``generated``: the open data under ``/data/`` and the timeline's pictures
   (unless the engine wrote them), and ``robots.txt``;
2. ``feed``: the change log's Atom feed (``feed.xml``) and "Changes to
   this page" at the foot of each page it touches;
3. ``html``: copy-link buttons, print URLs and the print-site link on every
   page; the whole-site print page made valid HTML;
4. ``search``: the glossary's other forms added to the search index
   (explainer/search/index.py);
5. ``previews``: an Open Graph image per page, from its front matter;
6. ``assets``: the stylesheets (and scripts) every page loads joined into one
   file each, and unused CSS purged;
7. ``headers``: the Content-Security-Policy and other headers, from the
   finished pages, into ``site/_headers`` (hosted build only).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from explainer import data as site_data
from explainer.config import build_date
from explainer.data import datetext, pagefiles
from explainer.postbuild import assets, feed, headers, html, previews
from explainer.render import cite, downloads
from explainer.search import index as search_index
from explainer.urls import built_file, file_url, page_url, site_pages, slug

PREVIEW_DIR = "assets/previews"
PRINT_PAGE = "print_page"


@dataclass
class Site:
    """What the pass needs to know about a build."""
    site_dir: Path
    root: Path
    site_url: str
    site_name: str
    use_directory_urls: bool = True
    offline: bool = False
    site_author: str = ""

    @property
    def base(self) -> str:
        return self.site_url if self.site_url.endswith("/") else self.site_url + "/"


def preview_path(src: str, use_directory_urls: bool = True) -> str:
    """Site path of a page's Open Graph image: 'focus-group.md' -> 'assets/previews/focus-group.png'."""
    return f"{PREVIEW_DIR}/{slug(page_url(src, use_directory_urls))}.png"


def print_page_file(site: Site) -> Path | None:
    for candidate in (site.site_dir / PRINT_PAGE / "index.html", site.site_dir / f"{PRINT_PAGE}.html"):
        if candidate.exists():
            return candidate
    return None


def generated_files(d: site_data.Data, root: Path, site_url: str) -> dict[str, str]:
    """Site path -> text of every file the build makes from data rather than
    copies from docs/: the open-data downloads, the timeline's pictures
    (drawn as of the build date) and each page's citation files. An engine registers them as site files
    before it renders pages (explainer/engine/hooks.py, so link checks see
    them); otherwise ``run`` writes them."""
    from explainer.figures import timeline

    date = build_date(root)
    files = downloads.downloads(d, date, site_url)
    files.update(timeline.drawing(dt.date.fromisoformat(date), d.data / "timeline.yml").files())
    # Each page's citation record as BibTeX, RIS and CSL-JSON (cite/<page>.bib, ...).
    for item in cite.all_records(d, site_url).values():
        files.update(cite.download_files(item))
    return files


def write_generated(site: Site, d: site_data.Data, generated: dict[str, str] | None) -> None:
    """The generated files, unless the engine has written them, and robots.txt."""
    if generated is None:
        for path, text in generated_files(d, site.root, site.site_url).items():
            out = site.site_dir / path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
    (site.site_dir / "robots.txt").write_text(html.robots_txt(site.base), encoding="utf-8")


def rewrite_pages(site: Site, only: list[Path] | None = None) -> None:
    printed = print_page_file(site)
    for path in site_pages(site.site_dir) if only is None else only:
        text = path.read_text(encoding="utf-8")
        if path == printed:
            new = html.fix_print_page(text)
        else:
            url = file_url(path, site.site_dir)
            target = None
            if printed is not None:
                here = posixpath.dirname(path.relative_to(site.site_dir).as_posix()) or "."
                target = posixpath.relpath(file_url(printed, site.site_dir) or ".", here)
                target += "/" if site.use_directory_urls and not target.endswith(".html") else ""
            new = html.rewrite_page(text, urljoin(site.base, url), target)
        if new != text:
            path.write_text(new, encoding="utf-8")


def write_previews(site: Site, d: site_data.Data, only: list[Path] | None = None) -> None:
    from explainer.render import fact_pages

    for fp in fact_pages.pages(d):
        path = built_file(site.site_dir, fp.src, site.use_directory_urls)
        if (only is not None and path not in only) or not path.is_file():
            continue
        # The fact itself as the picture's text, under the page it stands on.
        previews.render(f"Key fact from “{d.pages[fp.page].title}”", fp.description,
                        site.site_dir / preview_path(fp.src, site.use_directory_urls),
                        site_name=site.site_name, reviewed=datetext.human_date(fp.reviewed) if fp.reviewed else "",
                        horizon=d.horizon)
    for src in sorted(d.pages):
        if only is not None and built_file(site.site_dir, src, site.use_directory_urls) not in only:
            continue
        meta = pagefiles.read_page(d.docs / src).meta
        reviewed = str(meta.get("reviewed") or "")
        previews.render(str(meta.get("title") or d.pages[src].title),
                        str(meta.get("description") or ""),
                        site.site_dir / preview_path(src, site.use_directory_urls),
                        site_name=site.site_name, reviewed=datetext.human_date(reviewed) if reviewed else "",
                        horizon=d.horizon)


def run(site: Site, d: site_data.Data | None = None, only: list[Path] | None = None,
        generated: dict[str, str] | None = None) -> None:
    """The whole pass; a problem raises with a message that names the file.

    ``d``: the data the build loaded (loaded here if not given).
    ``only``: the pages `make serve` has just rebuilt after a save that
    changed nothing but their text (explainer/engine/incremental.py). Those
    pages get every per-page step; the stylesheet is joined but not purged,
    and what depends on the whole site (downloads, feed, headers) is kept.
    ``generated``: the generated files, when the engine has written them."""
    d = d or site_data.load(site.root)
    if only is None:
        write_generated(site, d, generated)
        feed.write_feed(site.site_dir, d, site.base, site.site_name,
                        site.site_author or str(d.config.get("site_author") or site.site_name),
                        site.use_directory_urls)
    feed.add_page_changes(site.site_dir, d, site.use_directory_urls, site.base, build_date(site.root), only)
    rewrite_pages(site, only)
    search_index.augment_site(site.site_dir, d.glossary, site.use_directory_urls)
    write_previews(site, d, only)
    assets.bundle_site(site.site_dir, urlsplit(site.site_url or "/").path or "/", purge=only is None, pages=only)
    if not site.offline and only is None:
        headers.generate(site.site_dir, None)
