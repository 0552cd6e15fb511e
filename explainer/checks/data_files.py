"""Rules over the data files that their schemas cannot say, and what is
derived from them: key facts and glossary ids, the change log for every
review date, date notes for scheduled events, source keys in every data
file (cited keys registered, registered keys cited), the generated
abbreviation list and figures kept up to date; and the review items
(scheduled dates that have passed)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from explainer.checks.prose import check_attribution
from explainer.data import Data, changes, datetext, loading, pagefiles, schema
from explainer.data.loading import Problem
from explainer.render import abbreviations, dates


def collect_data_citations(node: Any, out: set[str]) -> None:
    """Source keys used anywhere in a data file: [^key] in text, or
    values of 'source'/'sources' fields."""
    if isinstance(node, dict):
        for key, value in node.items():
            if str(key).startswith("__"):
                continue
            if key in ("source", "sources"):
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        out.add(item)
            collect_data_citations(value, out)
    elif isinstance(node, list):
        for item in node:
            collect_data_citations(item, out)
    elif isinstance(node, str):
        out.update(m.group(1) for m in pagefiles.CITE_RE.finditer(node))


def data_source_refs(node: Any, where: str, line: int = 1) -> Iterable[tuple[str, str, int]]:
    """(key, path, line) for every source reference in a data file."""
    if isinstance(node, dict):
        line = node.get("__line__", line)
        lines = node.get("__lines__", {})
        for key, value in node.items():
            if str(key).startswith("__"):
                continue
            kline = lines.get(key, line)
            if key in ("source", "sources"):
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        yield item, where, kline
            if isinstance(value, str):
                for m in pagefiles.CITE_RE.finditer(value):
                    yield m.group(1), where, kline
            else:
                yield from data_source_refs(value, where, kline)
    elif isinstance(node, list):
        for item in node:
            yield from data_source_refs(item, where, line)


def duplicate_ids(entries: list[dict], where: str, what: str) -> list[Problem]:
    """Each entry's ``id`` is given once in its file (first place named)."""
    problems, seen = [], {}
    for entry in entries:
        ident, line = entry.get("id"), entry.get("__line__", 1)
        if isinstance(ident, str) and ident in seen:
            problems.append(Problem(where, line, f"duplicate {what} id {ident!r} (first at line {seen[ident]})"))
        elif isinstance(ident, str):
            seen[ident] = line
    return problems


def check_key_facts(facts: list[dict], sources: dict, path: Path, docs: Path) -> list[Problem]:
    """What the key facts' schema cannot say: ids are unique, the page
    exists, the text cites a source and attributes second-hand reports."""
    where = loading.rel(path)
    problems = duplicate_ids(facts, where, "key fact")
    for fact in facts:
        line, fid = fact["__line__"], fact.get("id")
        page = fact.get("page")
        if isinstance(page, str) and page and not (docs / page).exists():
            problems.append(Problem(where, line, f"key fact {fid}: page {page!r} does not exist"))
        text = str(fact.get("text") or "")
        if not pagefiles.CITE_RE.search(text):
            problems.append(Problem(where, line, f"key fact {fid}: text cites no source"))
        tline = fact.get("__lines__", {}).get("text", line)
        problems += check_attribution([[(tline, " ".join(text.split()))]], sources, where)
    return problems


def check_glossary(glossary: dict) -> list[Problem]:
    """What the glossary's schema cannot say: ids are unique."""
    return duplicate_ids(glossary["terms"], loading.rel(glossary["path"]), "glossary")


def check_reviewed_logged(d: Data) -> list[Problem]:
    """A page's ``reviewed`` date has an entry in data/changes.yml that
    touches the page on that date (what was reviewed, and why, is logged)."""
    if d.changes["path"] is None or not Path(d.changes["path"]).exists():
        return [Problem(loading.rel(d.data / "changes.yml"), 1, "no change log: every page's review needs an entry")]
    problems = []
    for path in pagefiles.doc_pages(d.docs):
        page = pagefiles.read_page(path)
        reviewed = str(page.meta.get("reviewed") or "")
        relpath = path.resolve().relative_to(d.docs.resolve()).as_posix()
        if page.problems or datetext.check_date(reviewed) or len(reviewed) != 10:
            continue  # check_page reports a missing or malformed date
        if not any(e["date"] == reviewed for e in changes.for_page(d.changes, relpath)):
            line = page.meta.get("__lines__", {}).get("reviewed", 1) + 1
            problems.append(Problem(loading.rel(path), line,
                                    f"reviewed {reviewed}, but {loading.rel(d.changes['path'])} has no entry on "
                                    f"{reviewed} that touches {relpath}: log what changed and why"))
    return problems


def check_date_notes(d: Data) -> list[Problem]:
    """Every section a scheduled event points at carries its
    ``{{ date_note("page.md#id") }}`` line, so that the note appears there
    once the date passes; each such line names its own page's section."""
    problems = []
    found: dict[str, set[str]] = {}
    for path in pagefiles.doc_pages(d.docs):
        page = pagefiles.read_page(path)
        relpath = path.resolve().relative_to(d.docs.resolve()).as_posix()
        for line, target in dates.note_lines(page.body, page.body_line):
            tpage, _, anchor = target.partition("#")
            info = d.pages.get(relpath)
            if tpage != relpath or not anchor or info is None or anchor not in info.headings:
                problems.append(Problem(loading.rel(path), line, f'date_note("{target}") must name a section of '
                                                             f'this page, as in date_note("{relpath}#section-id")'))
            found.setdefault(relpath, set()).add(anchor)
    where = loading.rel(d.timeline["path"])
    for event in d.timeline["events"]:
        if event.get("status") != "scheduled":
            continue
        page, _, anchor = str(event.get("see") or "").partition("#")
        if page in d.pages and anchor in d.pages[page].anchors and anchor not in found.get(page, set()):
            problems.append(Problem(where, event.get("__line__", 1),
                                    f'{event.get("id")}: scheduled, but docs/{page} has no line '
                                    f'{{{{ date_note("{page}#{anchor}") }}}} under the heading #{anchor}; '
                                    "add it, so that the page says so once the date passes"))
    return problems


def review_items(d: Data, today: str) -> list[Problem]:
    """Not problems: each scheduled event whose date is before the build date
    (``explainer.config.build_date``), to be checked against new sources. The
    site already shows it as "date passed, not confirmed by the sources"."""
    where = loading.rel(d.timeline["path"])
    return [Problem(where, e.get("__line__", 1),
                    f"review: {e['id']} was scheduled for {datetext.human_date(str(e['date']))}, before the build date "
                    f"{datetext.human_date(today)}; the sources (checked to {d.horizon}) do not say whether it "
                    "happened. "
                    "Find a source and set status: past (or correct the date); until then the site shows "
                    "it as a date passed, not confirmed")
            for e in dates.passed_events(d, today)]


def check_abbreviation_list(d: Data) -> list[Problem]:
    """includes/abbreviations.md is what the glossary renders today."""
    path = d.root / "includes" / "abbreviations.md"
    if path.exists() and path.read_text(encoding="utf-8") == abbreviations.render(d.glossary):
        return []
    return [Problem(loading.rel(path), 1, "out of date with data/glossary.yml: run `make data`")]


# Data files the bundle (explainer/data/bundle.py) loads and checks against
# their schemas; the sweep below checks the schema of every other one.
LOADED = {"sources.yml", "mirror-domains.yml", "glossary.yml", "key_facts.yml", "timeline.yml", "sanctions.yml",
          "claims.yml", "changes.yml", "redirects.yml"}


def check_source_use(d: Data, cited_in_pages: set[str]) -> list[Problem]:
    """Every source key in every data file is registered, and every
    registered source is cited somewhere (a page or a data file); data files
    the bundle does not load are checked against their schemas here."""
    problems: list[Problem] = []
    used = set(cited_in_pages)
    for path in sorted(d.data.glob("*.yml")):
        name = schema.schema_name(path)
        try:
            if not schema.schema_path(name).is_file():
                tree = loading.load_yaml(path)
                problems.append(Problem(loading.rel(path), 1, "no schema for this data file: add "
                                                         f"{loading.rel(schema.schema_path(name))}"))
            elif path.name in LOADED:
                tree = loading.load_yaml(path)
            else:
                tree, found = schema.check_file(path)
                problems += found
        except loading.DataError as exc:
            problems += exc.problems
            continue
        if path.name in ("sources.yml", "mirror-domains.yml"):
            continue
        collect_data_citations(tree, used)
        for key, where, line in data_source_refs(tree, loading.rel(path)):
            if key not in d.sources:
                problems.append(Problem(where, line, f"unknown source key {key!r}: add it to data/sources.yml"))
    for key, source in d.sources.items():
        if key not in used:
            problems.append(Problem(loading.rel(d.data / "sources.yml"), source.line,
                                    f"source {key!r} is registered but never cited"))
    return problems
