"""The change log after the build: the Atom feed and "Changes to this page".

- ``write_feed``: ``feed.xml`` at the site root, an Atom 1.0 feed of every
  entry in data/changes.yml, written with ``feedgen`` (pinned in
  pyproject.toml), newest first. Every page announces it with
  ``<link rel="alternate" type="application/atom+xml">`` (overrides/main.html).
  Its dates are the entries' own, so a rebuild writes the same bytes.
- ``add_page_changes``: the entries that touch a page, as a "Changes to this
  page" section at the foot of its article, before "Cite this page"; on the
  living site, "Cite this page" also gets the page's address in the newest
  edition.

Framework-free: runs on whatever engine wrote ``site/``.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from explainer.data import changes as log
from explainer.data import datetext
from explainer.data.bundle import Data
from explainer.render import change_log
from explainer.urls import built_file, page_url

FEED_FILE = change_log.FEED_FILE
CITE_MARK = '<section class="cite-page"'


def _when(date: str) -> dt.datetime:
    return dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC)


def first_sentence(text: str) -> str:
    text = " ".join(str(text).split())
    end = text.find(". ")
    return text if end == -1 else text[: end + 1]


def feed_xml(d: Data, base: str, site_name: str, author: str, use_directory_urls: bool = True) -> bytes:
    """The Atom feed of the change log (bytes, UTF-8)."""
    changes_page = d.marker_page("changes") or "changes.md"
    changes_url = urljoin(base, page_url(changes_page, use_directory_urls).lstrip("/"))
    entries = log.entries(d.changes)
    fg = FeedGenerator()
    fg.id(changes_url)
    fg.title(f"{site_name}: changes")
    fg.subtitle("Corrections, updates and new pages, with the sections they touched and why.")
    fg.author({"name": author or site_name})
    fg.link(href=urljoin(base, FEED_FILE), rel="self", type="application/atom+xml")
    fg.link(href=changes_url, rel="alternate", type="text/html")
    fg.language("en-GB")
    fg.rights("Text licensed under CC BY 4.0")
    fg.updated(_when(entries[0]["date"]) if entries else _when("1980-01-01"))
    for entry in reversed(entries):  # feedgen puts each new entry first: newest ends on top
        fe = fg.add_entry()
        fe.id(f"{changes_url}#{entry['id']}")
        kind = change_log.kind_label(entry["kind"])
        fe.title(f"{kind}, {datetext.human_date(entry['date'])}: {first_sentence(entry['what'])}")
        fe.link(href=f"{changes_url}#{entry['id']}", rel="alternate", type="text/html")
        fe.published(_when(entry["date"]))
        fe.updated(_when(entry["date"]))
        fe.category(term=entry["kind"], label=kind)
        touched = "; ".join(change_log.touch_label(d, p, a) for p, a in log.targets(entry))
        fe.summary(" ".join(str(entry["what"]).split()))
        fe.content(f"{' '.join(str(entry['what']).split())} Why: {' '.join(str(entry['why']).split())} "
                   f"Touches: {touched}.", type="text")
        for page, anchor in log.targets(entry):
            url = urljoin(base, page_url(page, use_directory_urls).lstrip("/")) + (f"#{anchor}" if anchor else "")
            fe.link(href=url, rel="related", type="text/html")
    return fg.atom_str(pretty=True)


def write_feed(site_dir: Path, d: Data, base: str, site_name: str, author: str,
               use_directory_urls: bool = True) -> Path:
    out = Path(site_dir) / FEED_FILE
    out.write_bytes(feed_xml(d, base, site_name, author, use_directory_urls))
    return out


CITE_LINKS_RE = re.compile(r'(<p class="cite-links">.*?)(</p>)', re.S)


def add_edition_link(text: str, d: Data, base: str, page: str, build_date: str,
                     use_directory_urls: bool = True) -> str:
    """On the living site, "Cite this page" also offers the page in the
    newest edition (data/changes.yml, ``editions``) dated by the build date."""
    if (d.config.get("extra") or {}).get("edition"):
        return text  # an edition's own links are in the template
    date = log.latest_edition(d.changes, build_date)
    if not date:
        return text
    url = urljoin(change_log.living_base({**d.config, "site_url": base}),
                  f"editions/{date}/" + page_url(page, use_directory_urls).lstrip("/"))
    link = (f' Frozen copy in the edition of {datetext.human_date(date)}: '
            f'<a class="cite-edition" href="{html.escape(url)}">{html.escape(url)}</a>.')
    return CITE_LINKS_RE.sub(lambda m: m.group(1).rstrip() + link + m.group(2), text, count=1)


def add_page_changes(site_dir: Path, d: Data, use_directory_urls: bool = True,
                     base: str = "/", build_date: str = "", only: list[Path] | None = None) -> int:
    """Put "Changes to this page" into every built page the log touches (of
    ``only``, when given); returns how many."""
    changes_page = d.marker_page("changes")
    if not changes_page:
        return 0
    target_url = page_url(changes_page, use_directory_urls)
    count = 0
    for page in sorted(d.pages):
        path = built_file(site_dir, page, use_directory_urls)
        if not path.is_file() or (only is not None and path not in only):
            continue
        here = posixpath.dirname(page_url(page, use_directory_urls).rstrip("/") + ("/" if use_directory_urls else ""))
        href = posixpath.relpath(target_url, here or "/")
        href += "/" if use_directory_urls and not href.endswith((".html", "/")) else ""
        section = change_log.page_changes_html(d, page, href)
        text = add_edition_link(path.read_text(encoding="utf-8"), d, base, page, build_date, use_directory_urls)
        at = text.find(CITE_MARK)
        if at == -1:
            at = text.find("</article>")
        if at == -1:
            raise ValueError(f"{path}: no <article> to put 'Changes to this page' in")
        path.write_text(text[:at] + section + text[at:], encoding="utf-8")
        count += bool(section)
    return count
