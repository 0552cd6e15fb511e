"""Check pages and data files; print every problem as ``path:line: message``.

Run: ``explainer check`` (or ``make check``). Exit status 1 if any problem is
found, 0 otherwise. Options let the tests point it at fixtures. These are the
site's editorial rules (every paragraph cites, second-hand reports are
attributed, abbreviations are defined); the structure of the data files is
checked by their JSON Schemas (explainer/data/schema.py) and the rules across
files by explainer/data/crossrefs.py, both called from here.

Review items are printed after the problems, as ``path:line: review: ...``,
and do not change the exit status: each scheduled timeline event whose date
is before the build date, which the site shows as "date passed, not
confirmed by the sources" until an editor finds out what happened.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from explainer import data as site_data
from explainer.config import build_date, nav_pages, read_config
from explainer.data import changes as change_log
from explainer.data import files as sd
from explainer.data import schema
from explainer.data.files import Problem
from explainer.render import dates as date_notes

MAX_DESCRIPTION = 160
HEADING_RE = re.compile(r"^(#{2,3})\s+(.*?)\s*$")
HEADING_ID_RE = re.compile(r"\{\s*#([A-Za-z][\w-]*)[^}]*\}\s*$")
# A word made only of capitals and digits with at least two capitals:
# FSB, ЭПР, A7A5, ТПП.
WORD_RE = re.compile(r"(?<![\w])[\w]+(?![\w])")
CAPS = re.compile(r"[A-ZА-ЯЁ]")
LOWER = re.compile(r"[a-zа-яё]")
STRIP_FOR_ABBR = [
    re.compile(r"`[^`]*`"),               # code spans
    re.compile(r"<[^>]+>"),               # HTML tags and autolinks
    re.compile(r"\]\([^)]*\)"),           # link targets
    re.compile(r"\[\^[^\]]+\]"),          # footnote references
    re.compile(r"\{[:#.][^}]*\}"),        # attribute lists
    re.compile(r"https?://\S+"),          # bare URLs
]


def nav_files(config: Path) -> set[str]:
    """Pages in the nav of mkdocs.yml (read by MkDocs' own loader)."""
    return set(nav_pages(read_config(config)))


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
        out.update(m.group(1) for m in sd.CITE_RE.finditer(node))


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
                for m in sd.CITE_RE.finditer(value):
                    yield m.group(1), where, kline
            else:
                yield from data_source_refs(value, where, kline)
    elif isinstance(node, list):
        for item in node:
            yield from data_source_refs(item, where, line)


def check_page(page: sd.Page, sources: dict, abbreviations: dict[str, str],
               nav: set[str] | None, docs: Path) -> list[Problem]:
    where = sd.rel(page.path)
    problems = list(page.problems)
    multiword = [a for a in abbreviations if " " in a]
    meta = page.meta
    if page.problems:
        return problems
    lines = meta.get("__lines__", {})
    for fld in ("title", "description", "reviewed"):
        if not meta.get(fld):
            problems.append(Problem(where, 1, f"front matter has no '{fld}'"))
    desc = str(meta.get("description") or "")
    if desc:
        dline = lines.get("description", 1) + 1
        if len(desc) > MAX_DESCRIPTION:
            problems.append(Problem(where, dline,
                                    f"description is {len(desc)} characters; at most {MAX_DESCRIPTION}"))
        if not desc.endswith(".") or re.search(r"[.!?]\s+[A-ZА-Я]", desc):
            problems.append(Problem(where, dline, "description must be one sentence ending with a full stop"))
    if meta.get("reviewed"):
        msg = sd.check_date(meta["reviewed"])
        if msg or len(str(meta["reviewed"])) != 10:
            problems.append(Problem(where, lines.get("reviewed", 1) + 1,
                                    f"reviewed: {msg or 'use a full date, YYYY-MM-DD'}"))
    if nav is not None:
        relpath = page.path.resolve().relative_to(docs.resolve()).as_posix()
        if relpath not in nav:
            problems.append(Problem(where, 1, f"page {relpath} is not in the nav of mkdocs.yml"))

    for key, line in sd.citations(page.body, page.body_line):
        if key not in sources:
            problems.append(Problem(where, line, f"unknown source key [^{key}]: add it to data/sources.yml"))
    for lineno, line in sd.prose_lines(page.body, page.body_line):
        if sd.FOOTNOTE_DEF_RE.match(line):
            problems.append(Problem(where, lineno,
                                    "footnote text written in the page; cite a key from data/sources.yml instead"))
        for link in MD_LINK_RE.finditer(line):
            if link.group(1).strip().lower().rstrip(".") in VAGUE_LINK_TEXT:
                problems.append(Problem(where, lineno, f"link text {link.group(1)!r} does not say where it goes "
                                                       "(a reader of a list of links, or a search engine, sees "
                                                       "only the text): name the place, as in 'More on the bill'"))
        heading = HEADING_RE.match(line)
        if heading and not HEADING_ID_RE.search(heading.group(2)):
            problems.append(Problem(where, lineno,
                                    f"heading '{heading.group(2)}' has no explicit id such as {{#short-id}}"))
        text = line
        for rx in STRIP_FOR_ABBR:
            text = rx.sub(" ", text)
        if text.lstrip().startswith("*["):
            continue
        for phrase in multiword:
            text = text.replace(phrase, " ")
        for match in WORD_RE.finditer(text):
            word = match.group(0)
            if len(CAPS.findall(word)) >= 2 and not LOWER.search(word) and word not in abbreviations:
                problems.append(Problem(where, lineno,
                                        f"abbreviation {word!r} is not defined in data/glossary.yml"))
    relpath = page.path.resolve().relative_to(docs.resolve()).as_posix()
    calls = [(n, m.group(1)) for n, line in sd.prose_lines(page.body, page.body_line)
             for m in [IN_SHORT_RE.match(line)] if m]
    if not calls:
        problems.append(Problem(where, page.body_line,
                                f'no {{{{ in_short("{relpath}") }}}} line under the title: the page would lose '
                                'its "In short" box and review line'))
    for lineno, named in calls:
        if named != relpath:
            problems.append(Problem(where, lineno, f'in_short("{named}") names another page; '
                                                   f'write in_short("{relpath}")'))
    if len(calls) > 1:
        problems.append(Problem(where, calls[1][0], "a second in_short(...) line; a page has one"))
    if not meta.get("generated"):
        problems += check_paragraph_citations(page, where)
        problems += check_attribution(prose_units(page), sources, where)
    return problems


# Link texts that say nothing of their target (Lighthouse's SEO audit
# "link-text" uses the same kind of list; so do screen readers' link lists).
VAGUE_LINK_TEXT = {"more", "here", "click here", "read more", "learn more", "see more", "more info",
                   "more information", "this", "link", "go", "start", "continue", "details", "this page"}
MD_LINK_RE = re.compile(r"(?<!!)\[([^\]\^][^\]]*)\]\([^)\s]+\)")


# Blocks that are not prose paragraphs: headings, tables, HTML, snippets,
# abbreviation and link definitions, admonition title lines, rules, images.
NOT_PARAGRAPH_RE = re.compile(
    r"^(#{1,6}\s|\||<|--8<--|\*\[|\[[^\]]+\]:|!!!|\?\?\?|-{3,}\s*$|\*{3,}\s*$|!\[|\{:|\{\{)"
)
IN_SHORT_RE = re.compile(r"""^\{\{\s*in_short\(\s*["']([^"']+)["']\s*\)\s*\}\}\s*$""")

# Strength of evidence. A source marked `evidence: second-hand` in
# data/sources.yml was read only through other outlets' reports of it. A
# sentence whose citations are all second-hand must say so in its own words,
# with one of these attribution words ("X reported that...", "according to").
ATTRIBUTION_RE = re.compile(
    r"\b(reported|reports|reportedly|according\s+to|said|says|told|claimed|claims|quoted|cited|citing|"
    r"wrote|writes|alleged|alleges)\b", re.I)
# A sentence ends at . ! or ? (with the footnote markers that follow it)
# before white space and a capital letter, a quotation mark or a bracket.
SENTENCE_END_RE = re.compile(r"""[.!?]["”’)]?((?:\[\^[^\]\s]+\])*)(?=\s+[A-ZА-ЯЁ“"‘(]|\s*$)""")


def sentences(text: str) -> list[str]:
    """Split prose into sentences; the footnote markers after a full stop
    belong to the sentence before it."""
    out, start = [], 0
    for match in SENTENCE_END_RE.finditer(text):
        out.append(text[start:match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return [s for s in out if s]


def unattributed_second_hand(text: str, sources: dict) -> list[tuple[str, list[str]]]:
    """(sentence, keys) for each sentence that cites only second-hand sources
    and has no attribution word."""
    found = []
    for sentence in sentences(sd.strip_code(text)):
        keys = [m.group(1) for m in sd.CITE_RE.finditer(sentence)]
        known = [sources[k] for k in keys if k in sources]
        if not known or len(known) != len(keys) or not all(s.second_hand for s in known):
            continue
        if not ATTRIBUTION_RE.search(sd.CITE_RE.sub("", sentence)):
            found.append((sentence, keys))
    return found


def check_attribution(units: list[list[tuple[int, str]]], sources: dict, where: str) -> list[Problem]:
    problems = []
    for unit in units:
        text = " ".join(line.strip() for _, line in unit)
        for sentence, keys in unattributed_second_hand(text, sources):
            line = next((n for n, text_line in unit if f"[^{keys[0]}]" in text_line), unit[0][0])
            short = sd.CITE_RE.sub("", sentence)
            short = short if len(short) <= 70 else short[:67] + "..."
            problems.append(Problem(where, line,
                                    f"'{short}' cites only second-hand sources ({', '.join(keys)}) "
                                    "but attributes nothing: say who reported it (\"X reported...\", "
                                    "\"according to X\") or cite the original"))
    return problems
LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
NOFACT_RE = re.compile(r"^\s*\{:[^}]*\.nofact\b[^}]*\}\s*$")


def prose_blocks(body: str, first_line: int) -> list[list[tuple[int, str]]]:
    """Blank-line separated blocks of (file_line, text), fenced code removed."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if sd.FENCE_RE.match(line):
            in_fence = not in_fence
            if current:
                blocks.append(current)
            current = []
            continue
        if in_fence:
            continue
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
        else:
            current.append((first_line + offset, line))
    if current:
        blocks.append(current)
    return blocks


def prose_units(page: sd.Page, with_kind: bool = False) -> list:
    """The page's paragraphs and list items, each a list of (file_line, text);
    blocks that are not prose, and `{: .nofact }` blocks, are left out."""
    out = []
    for block in prose_blocks(page.body, page.body_line):
        first = block[0][1].lstrip()
        if NOT_PARAGRAPH_RE.match(first) or NOFACT_RE.match(block[-1][1]):
            continue
        if LIST_ITEM_RE.match(block[0][1]):
            units: list[list[tuple[int, str]]] = []
            for lineno, line in block:
                if LIST_ITEM_RE.match(line) or not units:
                    units.append([])
                units[-1].append((lineno, line))
            kind = "list item"
        else:
            units, kind = [block], "paragraph"
        out += [(unit, kind) if with_kind else unit for unit in units]
    return out


def check_paragraph_citations(page: sd.Page, where: str) -> list[Problem]:
    """Every body paragraph, and every list item, cites a source ([^key]),
    unless its block ends with a `{: .nofact }` line (a whole list counts as
    one block). See CONTRIBUTING.md, "Citing"."""
    problems = []
    for unit, kind in prose_units(page, with_kind=True):
        text = " ".join(sd.strip_code(line) for _, line in unit)
        if not sd.CITE_RE.search(text):
            problems.append(Problem(where, unit[0][0],
                                    f"{kind} cites no source: add a [^key] footnote, or end the block "
                                    "with a `{: .nofact }` line if it states no fact"))
    return problems


def check_key_facts(facts: list[dict], sources: dict, path: Path, docs: Path) -> list[Problem]:
    """What the key facts' schema cannot say: ids are unique, the page
    exists, the text cites a source and attributes second-hand reports."""
    where = sd.rel(path)
    problems = []
    seen: dict[str, int] = {}
    for fact in facts:
        line = fact["__line__"]
        fid = fact.get("id")
        if isinstance(fid, str) and fid in seen:
            problems.append(Problem(where, line, f"duplicate key fact id {fid!r} (first at line {seen[fid]})"))
        elif isinstance(fid, str):
            seen[fid] = line
        page = fact.get("page")
        if isinstance(page, str) and page and not (docs / page).exists():
            problems.append(Problem(where, line, f"key fact {fid}: page {page!r} does not exist"))
        text = str(fact.get("text") or "")
        if not sd.CITE_RE.search(text):
            problems.append(Problem(where, line, f"key fact {fid}: text cites no source"))
        tline = fact.get("__lines__", {}).get("text", line)
        problems += check_attribution([[(tline, " ".join(text.split()))]], sources, where)
    return problems


def check_glossary(glossary: dict) -> list[Problem]:
    """What the glossary's schema cannot say: ids are unique."""
    where = sd.rel(glossary["path"])
    problems = []
    seen: dict[str, int] = {}
    for term in glossary["terms"]:
        line = term["__line__"]
        tid = term.get("id")
        if isinstance(tid, str) and tid in seen:
            problems.append(Problem(where, line, f"duplicate glossary id {tid!r} (first at line {seen[tid]})"))
        elif isinstance(tid, str):
            seen[tid] = line
    return problems


def check_reviewed_logged(d: site_data.Data) -> list[Problem]:
    """A page's ``reviewed`` date has an entry in data/changes.yml that
    touches the page on that date (what was reviewed, and why, is logged)."""
    if d.changes["path"] is None or not Path(d.changes["path"]).exists():
        return [Problem(sd.rel(d.data / "changes.yml"), 1, "no change log: every page's review needs an entry")]
    problems = []
    for path in sd.doc_pages(d.docs):
        page = sd.read_page(path)
        reviewed = str(page.meta.get("reviewed") or "")
        relpath = path.resolve().relative_to(d.docs.resolve()).as_posix()
        if page.problems or sd.check_date(reviewed) or len(reviewed) != 10:
            continue  # check_page reports a missing or malformed date
        if not any(e["date"] == reviewed for e in change_log.for_page(d.changes, relpath)):
            line = page.meta.get("__lines__", {}).get("reviewed", 1) + 1
            problems.append(Problem(sd.rel(path), line,
                                    f"reviewed {reviewed}, but {sd.rel(d.changes['path'])} has no entry on "
                                    f"{reviewed} that touches {relpath}: log what changed and why"))
    return problems


def check_date_notes(d: site_data.Data) -> list[Problem]:
    """Every section a scheduled event points at carries its
    ``{{ date_note("page.md#id") }}`` line, so that the note appears there
    once the date passes; each such line names its own page's section."""
    problems = []
    found: dict[str, set[str]] = {}
    for path in sd.doc_pages(d.docs):
        page = sd.read_page(path)
        relpath = path.resolve().relative_to(d.docs.resolve()).as_posix()
        for line, target in date_notes.note_lines(page.body, page.body_line):
            tpage, _, anchor = target.partition("#")
            info = d.pages.get(relpath)
            if tpage != relpath or not anchor or info is None or anchor not in info.headings:
                problems.append(Problem(sd.rel(path), line, f'date_note("{target}") must name a section of '
                                                             f'this page, as in date_note("{relpath}#section-id")'))
            found.setdefault(relpath, set()).add(anchor)
    where = sd.rel(d.timeline["path"])
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


def review_items(root: Path, docs: Path | None = None, data: Path | None = None,
                 config: Path | None = None, today: str | None = None) -> list[Problem]:
    """Not problems: each scheduled event whose date is before the build date
    (``explainer.config.build_date``), to be checked against new sources. The
    site already shows it as "date passed, not confirmed by the sources"."""
    try:
        d = site_data.load(root, docs, data, config)
    except sd.DataError:
        return []
    today = today or build_date(root)
    where = sd.rel(d.timeline["path"])
    return [Problem(where, e.get("__line__", 1),
                    f"review: {e['id']} was scheduled for {sd.human_date(str(e['date']))}, before the build date "
                    f"{sd.human_date(today)}; the sources (checked to {d.horizon}) do not say whether it happened. "
                    "Find a source and set status: past (or correct the date); until then the site shows "
                    "it as a date passed, not confirmed")
            for e in date_notes.passed_events(d, today)]


def unique(problems: list[Problem]) -> list[Problem]:
    """Sorted by path and line, each once (a file is read by several loaders)."""
    seen = {(p.path, p.line, p.message): p for p in problems}
    return sorted(seen.values(), key=lambda p: (p.path, p.line))


def run(root: Path, docs: Path | None = None, data: Path | None = None,
        config: Path | None = None) -> list[Problem]:
    docs = docs or root / "docs"
    data = data or root / "data"
    config = config or root / "mkdocs.yml"
    problems: list[Problem] = []
    try:
        mirrors = sd.load_mirror_domains(data / "mirror-domains.yml")
        sources = sd.load_sources(data / "sources.yml", problems, mirrors)
        glossary = sd.load_glossary(data / "glossary.yml")
        facts = sd.load_key_facts(data / "key_facts.yml", problems)
    except sd.DataError as exc:
        return exc.problems
    abbreviations = sd.abbreviation_map(glossary)
    problems += glossary["problems"]
    problems += check_glossary(glossary)
    problems += check_key_facts(facts, sources, data / "key_facts.yml", docs)
    # Timeline, claims, glossary links and generated pages (explainer/data);
    # unknown source keys in data files are reported further down, once.
    try:
        loaded = site_data.load(root, docs, data, config)
        problems += [p for p in loaded.problems if "unknown source key" not in p.message]
        problems += check_reviewed_logged(loaded) + check_date_notes(loaded)
    except sd.DataError as exc:
        problems += exc.problems

    abbr_file = root / "includes" / "abbreviations.md"
    expected = sd.render_abbreviations(glossary)
    if not abbr_file.exists() or abbr_file.read_text(encoding="utf-8") != expected:
        problems.append(Problem(sd.rel(abbr_file), 1,
                                "out of date with data/glossary.yml: run `make data`"))
    if Path(root).resolve() == sd.ROOT:
        # Figures drawn from data/ (explainer/figures/build.py); fixtures skip this.
        from explainer.figures.build import stale_figures
        problems += stale_figures()

    nav = nav_files(config) if config.exists() else None
    used: set[str] = set()
    for path in sd.doc_pages(docs):
        page = sd.read_page(path)
        problems += check_page(page, sources, abbreviations, nav, docs)
        used.update(key for key, _ in sd.citations(page.body, page.body_line))

    # Every data file against its schema (the loaders above have checked
    # theirs; the rest, such as redirects.yml and places.yml, only here).
    for path in sorted(data.glob("*.yml")):
        name = schema.schema_name(path)
        try:
            if schema.schema_path(name).is_file():
                tree, found = schema.check_file(path)
                problems += found
            else:
                tree = sd.load_yaml(path)
                problems.append(Problem(sd.rel(path), 1, "no schema for this data file: add "
                                                         f"{sd.rel(schema.schema_path(name))}"))
        except sd.DataError as exc:
            problems += exc.problems
            continue
        if path.name in ("sources.yml", "mirror-domains.yml"):
            continue
        collect_data_citations(tree, used)
        for key, where, line in data_source_refs(tree, sd.rel(path)):
            if key not in sources:
                problems.append(Problem(where, line, f"unknown source key {key!r}: add it to data/sources.yml"))

    for key, source in sources.items():
        if key not in used:
            problems.append(Problem(sd.rel(data / "sources.yml"), source.line,
                                    f"source {key!r} is registered but never cited"))
    return unique(problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=sd.ROOT)
    parser.add_argument("--docs", type=Path)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--config", type=Path)
    args = parser.parse_args(argv)
    problems = run(args.root, args.docs, args.data, args.config)
    for problem in problems:
        print(problem)
    # Review items do not fail the check: the site already labels them.
    reviews = review_items(args.root, args.docs, args.data, args.config)
    for item in reviews:
        print(item)
    if reviews:
        print(f"{len(reviews)} review item(s): scheduled dates that have passed (not failures)", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
