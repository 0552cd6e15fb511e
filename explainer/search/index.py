"""The built search index: other forms readers type, ranking, and the lunr
files the worker imports (the map of search is in explainer/search/__init__.py).

Readers arrive with abbreviations (OFAC), Russian originals (ЭПР),
transliterations, older English spellings (rouble) or common misspellings.
The glossary (data/glossary.yml) has them per term (``abbr``,
``russian_abbr``, ``russian``, ``abbr_aliases``, ``search_forms``); this step adds
them, after the build, to the search-index entries of the sections in the
term's ``see`` list (or, without one, of the term's glossary entry). Nothing is added to
the visible page, so no hidden text reaches screen readers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from explainer.urls import target_url


def location_for(target: str, use_directory_urls: bool = True) -> str:
    """'focus-group.md#what' -> 'focus-group/#what' (search index location)."""
    return target_url(target, use_directory_urls).lstrip("/")


def forms_by_location(glossary: dict, use_directory_urls: bool = True) -> dict[str, list[str]]:
    """Map index locations to the extra forms that should find them."""
    out: dict[str, list[str]] = {}
    glossary_page = "glossary/" if use_directory_urls else "glossary.html"
    for term in glossary["terms"]:
        names = [term.get(k) for k in ("abbr", "russian_abbr", "russian")]
        names += list(term.get("abbr_aliases") or []) + list(term.get("search_forms") or [])
        forms = list(dict.fromkeys(str(f) for f in names if f))
        if not forms:
            continue
        # Forms lead to the sections that explain the term; the glossary
        # entry gets them only when no section is named.
        targets = [location_for(str(t), use_directory_urls) for t in term.get("see") or []]
        if not targets:
            targets.append(f"{glossary_page}#{term['id']}")
        for loc in targets:
            out.setdefault(loc, [])
            out[loc] += [f for f in forms if f not in out[loc]]
    return out


def augment_index(index: dict, extra: dict[str, list[str]]) -> int:
    """Append forms to matching entries; return how many entries changed."""
    changed = 0
    by_loc = {doc["location"]: doc for doc in index["docs"]}
    for loc, forms in extra.items():
        doc = by_loc.get(loc)
        if doc is None:
            # A section that is not in the index (renamed anchor): fall back to its page.
            doc = by_loc.get(loc.split("#")[0])
        if doc is None:
            raise ValueError(f"search forms for {loc!r}: no such page or section in the search index")
        doc["text"] = (doc.get("text") or "") + " " + " ".join(forms)
        changed += 1
    return changed


# A footnote reference as it reaches the index text: "<sup>7</sup>".
FOOTNOTE_MARK = re.compile(r"<sup>\d+</sup>")


def strip_footnote_marks(index: dict) -> int:
    """Drop footnote numbers from the indexed text: as words they match any
    query with that number in it ("No. 7", "7 September") on every cited
    sentence, and they make the index the reader downloads larger. The
    preview loses nothing a reader could use (the numbers link nowhere
    there). Returns how many marks were removed."""
    removed = 0
    for doc in index["docs"]:
        text, n = FOOTNOTE_MARK.subn("", doc.get("text") or "")
        doc["text"] = text
        removed += n
    return removed


# How much more a word in a section's title counts than one in its text.
# MkDocs writes 1000, which lets any title word outweigh everything else: the
# report page's "Chinese banks refused yuan payments" outranked the explainer
# that answers "yuan" in its text, and "Which laws created it?" won every
# query containing "law". At 20 a title still leads, but the text that
# answers a query counts.
TITLE_BOOST = 20.0
# A reference page as a whole page: found by its name ("timeline"), still
# below an explainer whose text answers the query ("Energoresurs-K" is on
# the key-facts page too).
REFERENCE_PAGE_BOOST = 0.3


def rank(index: dict) -> None:
    """The ranking additions, judged on tests/fixtures/search-queries*.yml:
    the title boost above, and reference pages (front matter
    ``search.boost`` under REFERENCE_PAGE_BOOST, such as the glossary, the
    timeline and the checked report) ranked low section by section but less
    so as a whole page,
    so that a reader who asks for one by name ("timeline", "glossary",
    "original report") still gets it first. The home page (a summary of the
    explainers) keeps its boost on the page too."""
    fields = index.setdefault("config", {}).setdefault("fields", {})
    fields.setdefault("title", {})["boost"] = TITLE_BOOST
    for doc in index["docs"]:
        location = doc["location"]
        if location and "#" not in location and doc.get("boost", 1) < REFERENCE_PAGE_BOOST:
            doc["boost"] = REFERENCE_PAGE_BOOST


# Pages indexed as a whole page only (title and opening text), not section by
# section: the timeline, the key facts and the source list repeat, from
# data/, what the explainer pages say and cite, and ranked last anyway
# (search.boost in their front matter) they only made the index the first
# search downloads about 40% larger. A reader who asks for one by name still
# finds it. The glossary keeps its entries: the search forms of terms without
# a "see" section lead there.
PAGE_ONLY = ("timeline/", "key-facts/", "sources/")


def page_only(index: dict, pages: tuple[str, ...] = PAGE_ONLY, use_directory_urls: bool = True) -> int:
    """Drop the section entries of ``pages``; return how many were dropped."""
    if not use_directory_urls:
        pages = tuple(p[:-1] + ".html" for p in pages)
    before = len(index["docs"])
    index["docs"] = [d for d in index["docs"] if not (d["location"].startswith(pages) and "#" in d["location"])]
    return before - len(index["docs"])


LUNR = "assets/javascripts/lunr"


def lunr_files(langs: list[str]) -> list[str]:
    """The files Material 9.8.2's search worker imports for these languages,
    in its order (setupSearchLanguages in the worker), as site paths.
    docs/javascripts/search-on-demand.js fetches them alongside the index
    when a reader starts to search, so that the worker finds them in the
    browser's cache instead of fetching them one after another;
    tests/browser/test_search.py checks this list against what the worker requests."""
    files = []
    for lang in langs:
        if lang == "ja":
            files.append(f"{LUNR}/tinyseg.js")
        elif lang in ("hi", "th"):
            files.append(f"{LUNR}/wordcut.js")
        if lang != "en":
            files.append(f"{LUNR}/min/lunr.{lang}.min.js")
    if len(langs) > 1:
        files.append(f"{LUNR}/min/lunr.multi.min.js")
    return [f"{LUNR}/min/lunr.stemmer.support.min.js", *files] if files else []


def augment_site(site: Path, glossary: dict, use_directory_urls: bool = True) -> int:
    """Add the glossary's forms to ``site/search/search_index.json``; return
    how many index entries changed. A site without that index (another
    engine) is an error: say so rather than ship search without the forms."""
    index_path = Path(site) / "search" / "search_index.json"
    if not index_path.exists():
        raise FileNotFoundError(f"{index_path}: no lunr search index to add the glossary's forms to")
    index = json.loads(index_path.read_text(encoding="utf-8"))
    changed = augment_index(index, forms_by_location(glossary, use_directory_urls))
    strip_footnote_marks(index)
    page_only(index, use_directory_urls=use_directory_urls)
    rank(index)
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return changed


# --------------------------------------------------------------------------
# Under `make serve`: a page rebuild's entries into the full index
# --------------------------------------------------------------------------
def _belongs(location: str, page_location: str) -> bool:
    """Whether a search-index location ('about/#method') is on the page at
    'about/' (the home page's location is '')."""
    return location == page_location or location.startswith(page_location + "#")


def merge(full: dict, partial: dict, page_locations: list[str]) -> dict:
    """The full index with the entries of ``page_locations`` replaced by those
    of ``partial`` (the index MkDocs wrote for the rebuilt pages only, under
    `make serve`), in the full index's order."""
    fresh = [doc for doc in partial.get("docs", [])
             if any(_belongs(doc["location"], loc) for loc in page_locations)]
    docs: list[dict] = []
    placed = False
    for doc in full.get("docs", []):
        if any(_belongs(doc["location"], loc) for loc in page_locations):
            if not placed:
                docs.extend(fresh)
                placed = True
            continue
        docs.append(doc)
    if not placed:
        docs.extend(fresh)
    return {**full, "docs": docs}
