"""Reference pages and open data, rendered from the data files.

One module holds the loaders, checks and renderers for the pages that are
generated from data (sources, timeline, glossary, key facts, the original
report checked claim by claim) and for the open-data downloads, so that the
MkDocs hook (scripts/hooks_reference.py), the content checker and the tests
all read the data in exactly one way.

A generated page is a short Markdown file with front matter (including
``generated: true``) and a marker line such as ``<!-- reference:timeline -->``;
the hook replaces the marker with the rendered Markdown at build time, so a
page can never drift from its data file.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

from scripts import sitedata as sd
from scripts.sitedata import Problem

MARKER_RE = re.compile(r"^<!--\s*reference:([a-z-]+)\s*-->\s*$", re.M)
MARKERS = ("sources", "timeline", "glossary", "key-facts", "claims", "downloads")

VERDICTS = {
    "accurate": "The claim matches the record.",
    "imprecise": "Broadly right, but loosely worded, incomplete or wrongly named.",
    "wrong": "The record contradicts the claim.",
    "outdated": "Right when published, overtaken by later events.",
    "unverified": "No original source was found to support or refute it.",
}
STATUSES = ("past", "scheduled")
KIND_GROUPS = (
    ("laws", "Laws and official documents", ("law", "official")),
    ("news", "News reports", ("news",)),
    ("analysis", "Analysis", ("analysis",)),
    ("reference", "Reference works", ("reference",)),
)
EVENT_ID_RE = re.compile(r"^ev-\d{4}(-\d{2}){0,2}-[a-z0-9]+(-[a-z0-9]+)*$")
CLAIM_ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
ANCHOR_RE = re.compile(r"\{\s*:?\s*#([A-Za-z][\w-]*)[^}]*\}")
HEADING_RE = re.compile(r"^#{2,3}\s+(.*?)\s*\{\s*#([A-Za-z][\w-]*)[^}]*\}\s*$")
HTML_ID_RE = re.compile(r"""\bid=["']([^"']+)["']""")
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LIST_SEPARATOR = "|"
MAX_QUOTE_WORDS = 12


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------
def md_text(value: Any) -> str:
    """Plain text made safe to drop into Markdown (HTML and link syntax)."""
    text = html.escape(str(value), quote=False)
    for char, entity in (("[", "&#91;"), ("]", "&#93;"), ("*", "&#42;"), ("_", "&#95;"), ("`", "&#96;")):
        text = text.replace(char, entity)
    return text


def attr(value: Any) -> str:
    return html.escape(str(value), quote=True)


def strip_citations(text: str) -> str:
    """Markdown text without its [^key] footnote references."""
    return re.sub(r"\s*\[\^[^\]\s]+\](?!:)", "", str(text)).strip()


def cited_keys(text: str) -> list[str]:
    out: list[str] = []
    for match in sd.CITE_RE.finditer(str(text)):
        if match.group(1) not in out:
            out.append(match.group(1))
    return out


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def page_url(page: str, use_directory_urls: bool = True) -> str:
    """'focus-group.md' -> '/focus-group/'; 'index.md' -> '/'."""
    if page in ("index.md", ""):
        return "/"
    stem = page[: -len(".md")] if page.endswith(".md") else page
    if use_directory_urls:
        if stem.endswith("/index"):
            stem = stem[: -len("index")]
            return "/" + stem
        return f"/{stem}/"
    return f"/{stem}.html"


def target_url(target: str, use_directory_urls: bool = True) -> str:
    page, _, anchor = str(target).partition("#")
    return page_url(page, use_directory_urls) + (f"#{anchor}" if anchor else "")


def date_start(value: str) -> dt.date:
    parts = [int(p) for p in str(value).split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def horizon_end(text: str) -> dt.date:
    """'July 2026' -> 2026-07-31 (the last day the sources reach)."""
    match = re.fullmatch(r"\s*([A-Z][a-z]+)\s+(\d{4})\s*", str(text))
    if not match or match.group(1) not in sd.MONTHS:
        raise ValueError(f"horizon {text!r} is not 'Month YYYY'")
    year, month = int(match.group(2)), sd.MONTHS.index(match.group(1)) + 1
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml; !ENV [NAME, default] gives the default."""


def _env_tag(loader, node):
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        names, default = values[:-1], values[-1] if len(values) > 1 else None
        for name in names or values:
            if isinstance(name, str) and os.environ.get(name):
                return os.environ[name]
        return default
    return os.environ.get(loader.construct_scalar(node))


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict:
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}  # noqa: S506


def nav_order(config: dict) -> list[str]:
    """Page paths in the order of the nav."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            if node.endswith(".md") and node not in out:
                out.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(config.get("nav") or [])
    return out


# --------------------------------------------------------------------------
# The data, loaded once
# --------------------------------------------------------------------------
@dataclass
class PageInfo:
    path: str          # relative to docs/, posix
    title: str
    marker: str | None  # which generated listing the page carries
    anchors: set
    citations: list     # [(key, line)]
    generated: bool
    headings: dict      # anchor -> heading text (H2/H3)


@dataclass
class Data:
    root: Path
    docs: Path
    data: Path
    config: dict
    sources: dict
    glossary: dict
    facts: list
    timeline: dict
    claims: dict
    pages: dict         # path -> PageInfo
    horizon: str
    problems: list

    @property
    def use_directory_urls(self) -> bool:
        return bool(self.config.get("use_directory_urls", True))

    def marker_page(self, marker: str) -> str | None:
        for path, info in self.pages.items():
            if info.marker == marker:
                return path
        return None


def load_timeline(path: Path) -> dict:
    if not path.exists():
        return {"events": [], "path": path}
    tree = sd.load_yaml(path) or {}
    return {"events": tree.get("events") or [], "path": path}


def load_claims(path: Path) -> dict:
    if not path.exists():
        return {"report": {}, "claims": [], "path": path}
    tree = sd.load_yaml(path) or {}
    return {"report": tree.get("report") or {}, "claims": tree.get("claims") or [], "path": path}


def scan_pages(docs: Path, facts: list[dict]) -> dict[str, PageInfo]:
    pages: dict[str, PageInfo] = {}
    for path in sd.doc_pages(docs):
        relpath = path.resolve().relative_to(docs.resolve()).as_posix()
        page = sd.read_page(path)
        anchors: set[str] = set()
        headings: dict[str, str] = {}
        for _line, text in sd.prose_lines(page.body, page.body_line):
            heading = HEADING_RE.match(text)
            if heading:
                headings[heading.group(2)] = heading.group(1).strip()
            anchors.update(m.group(1) for m in ANCHOR_RE.finditer(text))
            anchors.update(m.group(1) for m in HTML_ID_RE.finditer(text))
        anchors.update(str(f.get("id")) for f in facts if str(f.get("page")) == relpath)
        marker = MARKER_RE.search(page.body)
        title = str(page.meta.get("title") or relpath)
        pages[relpath] = PageInfo(relpath, title, marker.group(1) if marker else None, anchors,
                                  sd.citations(page.body, page.body_line), bool(page.meta.get("generated")),
                                  headings)
    return pages


def load(root: Path | None = None, docs: Path | None = None, data: Path | None = None,
         config: Path | None = None, config_values: dict | None = None) -> Data:
    """Load every data file and page; problems are collected, not raised
    (a YAML syntax error still raises DataError). ``config_values`` (nav,
    extra, site_name, use_directory_urls) replaces reading mkdocs.yml."""
    root = Path(root or sd.ROOT)
    docs = Path(docs or root / "docs")
    data = Path(data or root / "data")
    config = Path(config or root / "mkdocs.yml")
    if config_values is not None:
        cfg = config_values
    else:
        cfg = read_config(config) if config.exists() else {}
    problems: list[Problem] = []
    sources = sd.load_sources(data / "sources.yml", problems, sd.load_mirror_domains(data / "mirror-domains.yml"))
    glossary = sd.load_glossary(data / "glossary.yml")
    facts = sd.load_key_facts(data / "key_facts.yml")
    timeline = load_timeline(data / "timeline.yml")
    claims = load_claims(data / "claims.yml")
    horizon = str((cfg.get("extra") or {}).get("horizon") or "")
    d = Data(root, docs, data, cfg, sources, glossary, facts, timeline, claims,
             scan_pages(docs, facts), horizon, [])
    for marker in ("sources", "timeline", "glossary", "claims"):
        page = d.marker_page(marker)
        if page:
            d.pages[page].anchors |= generated_anchors(d, marker)
    d.problems = check(d)
    return d


def generated_anchors(d: Data, marker: str) -> set[str]:
    if marker == "sources":
        return set(d.sources) | {g[0] for g in KIND_GROUPS}
    if marker == "timeline":
        events = d.timeline["events"]
        return {str(e.get("id")) for e in events} | {f"y{str(e.get('date'))[:4]}" for e in events}
    if marker == "glossary":
        return {str(t.get("id")) for t in d.glossary["terms"]}
    if marker == "claims":
        return {str(c.get("id")) for c in d.claims["claims"]} | {"verdicts", "summary"}
    return set()


# --------------------------------------------------------------------------
# Checks (path:line: message)
# --------------------------------------------------------------------------
def check_target(d: Data, target: str, where: str, line: int, what: str,
                 need_anchor: bool = True) -> list[Problem]:
    """A link target 'page.md#anchor': the page exists and has the anchor."""
    page, hash_, anchor = str(target).partition("#")
    if page not in d.pages:
        return [Problem(where, line, f"{what}: page {page!r} does not exist under docs/")]
    if not hash_ and not need_anchor:
        return []
    if not hash_ or not anchor:
        return [Problem(where, line, f"{what}: link {target!r} needs a section anchor, as in page.md#section-id")]
    if anchor not in d.pages[page].anchors:
        known = ", ".join(sorted(a for a in d.pages[page].anchors if not a.startswith("kf-"))[:12])
        return [Problem(where, line, f"{what}: anchor #{anchor} not found in docs/{page}"
                                     + (f" (ids there: {known})" if known else ""))]
    return []


def check_sources_field(d: Data, keys: Any, where: str, line: int, what: str,
                        required: bool = True) -> list[Problem]:
    problems = []
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        if keys is None and not required:
            return []
        return [Problem(where, line, f"{what}: sources must be a list of keys, as in [vedomosti-2024-09-17]")]
    if required and not keys:
        problems.append(Problem(where, line, f"{what}: cites no source"))
    for key in keys:
        if key not in d.sources:
            problems.append(Problem(where, line, f"{what}: unknown source key {key!r}: add it to data/sources.yml"))
    return problems


def check_timeline(d: Data) -> list[Problem]:
    where = sd.rel(d.timeline["path"])
    problems: list[Problem] = []
    try:
        end = horizon_end(d.horizon) if d.horizon else None
    except ValueError as exc:
        problems.append(Problem("mkdocs.yml", 1, f"extra.horizon: {exc}"))
        end = None
    seen: dict[str, int] = {}
    for event in d.timeline["events"]:
        if not isinstance(event, dict):
            problems.append(Problem(where, 1, "each event must be a mapping with id, date, title, ..."))
            continue
        line = event["__line__"]
        lines = event["__lines__"]
        eid = str(event.get("id") or "")
        what = f"event {eid or '(no id)'}"
        for fld in ("id", "date", "title", "status", "see", "sources"):
            if not event.get(fld):
                problems.append(Problem(where, line, f"{what}: missing '{fld}'"))
        unknown = set(sd.clean(event)) - {"id", "date", "title", "status", "see", "sources"}
        if unknown:
            problems.append(Problem(where, line, f"{what}: unknown field(s) {', '.join(sorted(unknown))}"))
        if eid:
            if not EVENT_ID_RE.match(eid):
                problems.append(Problem(where, lines.get("id", line),
                                        f"{what}: id must look like ev-yyyy-mm-dd-word"))
            elif eid in seen:
                problems.append(Problem(where, lines.get("id", line),
                                        f"duplicate event id {eid!r} (first at line {seen[eid]})"))
            else:
                seen[eid] = line
        date = event.get("date")
        dline = lines.get("date", line)
        date_ok = False
        if date:
            msg = sd.check_date(date)
            if msg:
                problems.append(Problem(where, dline, f"{what}: date: {msg}"))
            else:
                date_ok = True
                if eid and EVENT_ID_RE.match(eid) and not eid.startswith(f"ev-{date}-"):
                    problems.append(Problem(where, lines.get("id", line),
                                            f"{what}: id must start with ev-{date}- (its date)"))
        title = str(event.get("title") or "")
        if "\n" in title.strip() or len(title) > 200:
            problems.append(Problem(where, lines.get("title", line), f"{what}: title must be one line (at most 200 characters)"))
        if sd.CITE_RE.search(title):
            problems.append(Problem(where, lines.get("title", line),
                                    f"{what}: put source keys under 'sources', not in the title"))
        status = event.get("status")
        if status and status not in STATUSES:
            problems.append(Problem(where, lines.get("status", line),
                                    f"{what}: status {status!r} is not one of {', '.join(STATUSES)}"))
        elif date_ok and end and status == "past" and date_start(str(date)) > end:
            problems.append(Problem(where, lines.get("status", line),
                                    f"{what}: dated after the horizon ({d.horizon}), so its status must be "
                                    "'scheduled', not 'past'"))
        if event.get("see"):
            problems += check_target(d, str(event["see"]), where, lines.get("see", line), what)
        if "sources" in event:
            problems += check_sources_field(d, event.get("sources"), where, lines.get("sources", line), what)
    return problems


def check_claims(d: Data) -> list[Problem]:
    where = sd.rel(d.claims["path"])
    problems: list[Problem] = []
    report = d.claims["report"]
    if d.claims["claims"] or report:
        rline = report.get("__line__", 1) if isinstance(report, dict) else 1
        for fld in ("publisher", "title", "date", "source"):
            if not isinstance(report, dict) or not report.get(fld):
                problems.append(Problem(where, rline, f"report: missing '{fld}'"))
        if isinstance(report, dict):
            if report.get("date") and sd.check_date(report["date"]):
                problems.append(Problem(where, report["__lines__"].get("date", rline),
                                        f"report: date: {sd.check_date(report['date'])}"))
            if report.get("source") and str(report["source"]) not in d.sources:
                problems.append(Problem(where, report["__lines__"].get("source", rline),
                                        f"report: unknown source key {report['source']!r}"))
    seen: dict[str, int] = {}
    for claim in d.claims["claims"]:
        line = claim["__line__"]
        lines = claim["__lines__"]
        cid = str(claim.get("id") or "")
        what = f"claim {cid or '(no id)'}"
        for fld in ("id", "claim", "verdict", "finding", "sources"):
            if not claim.get(fld):
                problems.append(Problem(where, line, f"{what}: missing '{fld}'"))
        unknown = set(sd.clean(claim)) - {"id", "claim", "quote", "verdict", "finding", "sources", "see"}
        if unknown:
            problems.append(Problem(where, line, f"{what}: unknown field(s) {', '.join(sorted(unknown))}"))
        if cid:
            if not CLAIM_ID_RE.match(cid):
                problems.append(Problem(where, lines.get("id", line), f"{what}: id must be lowercase words joined by hyphens"))
            elif cid in seen:
                problems.append(Problem(where, lines.get("id", line), f"duplicate claim id {cid!r} (first at line {seen[cid]})"))
            else:
                seen[cid] = line
        verdict = claim.get("verdict")
        if verdict and verdict not in VERDICTS:
            problems.append(Problem(where, lines.get("verdict", line),
                                    f"{what}: verdict {verdict!r} is not one of {', '.join(VERDICTS)}"))
        quote = str(claim.get("quote") or "")
        if len(quote.split()) > MAX_QUOTE_WORDS:
            problems.append(Problem(where, lines.get("quote", line),
                                    f"{what}: quote is {len(quote.split())} words; quote at most "
                                    f"{MAX_QUOTE_WORDS} words and paraphrase the rest"))
        for fld in ("claim", "finding"):
            for key in cited_keys(str(claim.get(fld) or "")):
                if key not in d.sources:
                    problems.append(Problem(where, lines.get(fld, line), f"{what}: unknown source key [^{key}] in {fld}"))
        if "sources" in claim:
            problems += check_sources_field(d, claim.get("sources"), where, lines.get("sources", line), what)
        if claim.get("see"):
            problems += check_target(d, str(claim["see"]), where, lines.get("see", line), what)
    return problems


def check_glossary_links(d: Data) -> list[Problem]:
    where = sd.rel(d.glossary["path"])
    problems: list[Problem] = []
    for term in d.glossary["terms"]:
        line = term["__line__"]
        lines = term["__lines__"]
        what = f"term {term.get('id')}"
        see = term.get("see")
        if see is not None and not isinstance(see, list):
            problems.append(Problem(where, lines.get("see", line), f"{what}: see must be a list of page.md#section links"))
            continue
        for target in see or []:
            problems += check_target(d, str(target), where, lines.get("see", line), what, need_anchor=False)
        if "sources" in term:
            problems += check_sources_field(d, term.get("sources"), where, lines.get("sources", line), what,
                                            required=False)
    return problems


def check_lists_for_csv(d: Data) -> list[Problem]:
    """A list value containing the CSV list separator could not round-trip."""
    problems = []
    for path, entries in ((d.glossary["path"], d.glossary["terms"]), (d.timeline["path"], d.timeline["events"])):
        for entry in entries:
            for fld, value in sd.clean(entry).items():
                if isinstance(value, list) and any(LIST_SEPARATOR in str(v) for v in value):
                    problems.append(Problem(sd.rel(path), entry["__lines__"].get(fld, entry["__line__"]),
                                            f"{fld}: list items may not contain {LIST_SEPARATOR!r} "
                                            "(the list separator of the CSV downloads)"))
    return problems


def check_pages(d: Data) -> list[Problem]:
    problems = []
    for marker in MARKERS:
        found = [p for p, info in d.pages.items() if info.marker == marker]
        if len(found) > 1:
            problems.append(Problem(f"docs/{found[1]}", 1, f"marker reference:{marker} is also in docs/{found[0]}"))
    for path, info in d.pages.items():
        if info.marker and info.marker not in MARKERS:
            problems.append(Problem(f"docs/{path}", 1, f"unknown marker reference:{info.marker} "
                                                       f"(one of {', '.join(MARKERS)})"))
        if info.marker and info.marker != "downloads" and not info.generated:
            problems.append(Problem(f"docs/{path}", 1, "a page rendered from data needs 'generated: true' "
                                                       "in its front matter"))
    return problems


def check(d: Data) -> list[Problem]:
    problems = check_timeline(d) + check_claims(d) + check_glossary_links(d) + check_lists_for_csv(d) + check_pages(d)
    return sorted(problems, key=lambda p: (p.path, p.line))


# --------------------------------------------------------------------------
# Who cites what
# --------------------------------------------------------------------------
def citing_pages(d: Data) -> dict[str, list[str]]:
    """Source key -> pages (docs-relative paths) whose rendered text cites it,
    in nav order."""
    out: dict[str, list[str]] = {}

    def add(key: str, page: str | None) -> None:
        if page and key in d.sources and page not in out.setdefault(key, []):
            out[key].append(page)

    for path, info in d.pages.items():
        for key, _line in info.citations:
            add(key, path)
    kf_page = d.marker_page("key-facts")
    for fact in d.facts:
        for key in cited_keys(str(fact.get("text") or "")):
            add(key, str(fact.get("page")))
            add(key, kf_page)
    for term in d.glossary["terms"]:
        for key in as_list(term.get("sources")) + cited_keys(str(term.get("definition") or "")):
            add(key, d.marker_page("glossary"))
    for event in d.timeline["events"]:
        for key in as_list(event.get("sources")):
            add(key, d.marker_page("timeline"))
    for claim in d.claims["claims"]:
        for key in as_list(claim.get("sources")) + cited_keys(str(claim.get("finding") or "")):
            add(key, d.marker_page("claims"))
    report_key = d.claims["report"].get("source") if isinstance(d.claims["report"], dict) else None
    if report_key:
        add(str(report_key), d.marker_page("claims"))
    order = {p: i for i, p in enumerate(nav_order(d.config))}
    for key in out:
        out[key].sort(key=lambda p: (order.get(p, len(order)), p))
    return out


def target_label(d: Data, target: str) -> str:
    """'Page title – section heading' for a page.md#anchor link."""
    page, _, anchor = str(target).partition("#")
    info = d.pages[page]
    section = info.headings.get(anchor)
    return md_text(f"{info.title} – {section}" if section and section != info.title else info.title)


def event_sort_key(event: dict) -> tuple:
    """By date; an event known only to the month or year goes after the
    dated events of that month or year."""
    date = str(event.get("date"))
    return (date + "-99" * (2 - date.count("-")), str(event.get("id")))


def rel_link(from_page: str, to_target: str) -> str:
    """A Markdown link target from one docs page to another (docs-relative)."""
    depth = from_page.count("/")
    return "../" * depth + to_target


# --------------------------------------------------------------------------
# Rendering (Markdown for the marker)
# --------------------------------------------------------------------------
def cite(keys: Iterable[str]) -> str:
    return "".join(f"[^{k}]" for k in keys)


def render_sources(d: Data, here: str) -> str:
    cited = citing_pages(d)
    out: list[str] = []
    for group_id, heading, kinds in KIND_GROUPS:
        members = [s for s in d.sources.values() if s.kind in kinds]
        if not members:
            continue
        members.sort(key=lambda s: (s.publisher.casefold(), s.date, s.key))
        out.append(f"## {heading} ({len(members)}) {{#{group_id}}}\n")
        out.append('<ul class="source-list" markdown>')
        for s in members:
            title = md_text(s.title)
            lang = "" if s.language == "en" else f' lang="{attr(s.language)}"'
            if s.title.startswith("[") and s.title.endswith("]"):
                # The editors' description of an unrecorded headline: no quotes.
                parts = [f"**{md_text(s.publisher)}**, {title}"]
            else:
                parts = [f"**{md_text(s.publisher)}**, “<cite{lang}>{title}</cite>”"]
            if s.title_en and s.title_en != s.title:
                parts[0] += f" [{md_text(s.title_en)}]"
            parts.append(f'<time datetime="{attr(s.date)}">{sd.human_date(s.date)}</time>')
            text = ", ".join(parts) + f". In {sd.LANGUAGES.get(s.language, s.language)}."
            if s.url:
                text += f" <{s.url}>."
            else:
                text += " Not linked: no copy on the publisher's own website was found."
            if s.via:
                text += f" Read via {md_text(s.via)}."
            if s.note:
                text += f" {md_text(s.note)}"
            text += f" Accessed {sd.human_date(s.accessed)}."
            pages = cited.get(s.key, [])
            if pages:
                links = ", ".join(f"[{md_text(d.pages[p].title)}]({rel_link(here, p)})" for p in pages)
                text += f" Cited on: {links}."
            out.append(f'<li id="{attr(s.key)}" markdown="span">{text}</li>')
        out.append("</ul>\n")
    return "\n".join(out)


def render_timeline(d: Data, here: str) -> str:
    events = sorted(d.timeline["events"], key=event_sort_key)
    out: list[str] = []
    year = None
    for event in events:
        date = str(event["date"])
        if date[:4] != year:
            if year is not None:
                out.append("</ul>\n")
            year = date[:4]
            out.append(f"## {year} {{#y{year}}}\n")
            out.append('<ul class="timeline-list" markdown>')
        target = str(event["see"])
        status = ""
        if event.get("status") == "scheduled":
            status = "<strong>Scheduled:</strong> "
        text = (f'<time datetime="{attr(date)}">{sd.human_date(date)}</time>: {status}'
                f'{md_text(str(event["title"]).strip())}{cite(as_list(event.get("sources")))} '
                f'Read more: [{target_label(d, target)}]({rel_link(here, target)})')
        out.append(f'<li id="{attr(event["id"])}" markdown="span">{text}</li>')
    if year is not None:
        out.append("</ul>\n")
    return "\n".join(out)


def term_heading(term: dict) -> str:
    heading = md_text(term["term"])
    if term.get("abbr") and str(term["abbr"]) != str(term["term"]):
        heading += f" ({md_text(term['abbr'])})"
    return heading


def render_glossary(d: Data, here: str) -> str:
    out: list[str] = []
    terms = sorted(d.glossary["terms"], key=lambda t: str(t.get("term")).casefold())
    for term in terms:
        out.append(f"## {term_heading(term)} {{#{term['id']}}}\n")
        if term.get("russian"):
            russian = f'<span lang="ru">{md_text(term["russian"])}</span>'
            if term.get("russian_abbr"):
                russian += f' (<abbr lang="ru">{md_text(term["russian_abbr"])}</abbr>)'
            if term.get("translit"):
                russian += f', transliterated <i lang="ru-Latn">{md_text(term["translit"])}</i>'
            out.append(f"In Russian: {russian}.\n")
        definition = " ".join(str(term["definition"]).split())
        keys = [k for k in as_list(term.get("sources")) if k not in cited_keys(definition)]
        out.append(f"{definition}{cite(keys)}\n")
        aliases = as_list(term.get("abbr_aliases"))
        if aliases:
            out.append(f"Also abbreviated: {', '.join(md_text(a) for a in aliases)}.\n")
        links = []
        for target in as_list(term.get("see")):
            links.append(f"[{target_label(d, target)}]({rel_link(here, target)})")
        if links:
            out.append(f"Where it matters: {'; '.join(links)}\n")
    return "\n".join(out)


def facts_by_page(d: Data) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for fact in d.facts:
        groups.setdefault(str(fact.get("page")), []).append(fact)
    order = {p: i for i, p in enumerate(nav_order(d.config))}
    return sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def page_slug(page: str) -> str:
    stem = page[: -len(".md")] if page.endswith(".md") else page
    stem = "home" if stem == "index" else stem
    return "page-" + re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def render_key_facts(d: Data, here: str) -> str:
    out: list[str] = []
    for page, facts in facts_by_page(d):
        title = d.pages[page].title if page in d.pages else page
        out.append(f"## {md_text(title)} {{#{page_slug(page)}}}\n")
        out.append('<ul class="key-fact-list" markdown>')
        for fact in facts:
            text = " ".join(str(fact["text"]).split())
            link = f'[#{fact["id"]}]({rel_link(here, page)}#{fact["id"]})'
            out.append(f'<li markdown="span">{text} <span class="kf-link">Link: {link}</span></li>')
        out.append("</ul>\n")
    return "\n".join(out)


def render_claims(d: Data, here: str) -> str:
    claims = d.claims["claims"]
    out: list[str] = []
    counts = {v: sum(1 for c in claims if c.get("verdict") == v) for v in VERDICTS}
    out.append("## The verdicts {#verdicts}\n")
    out.append("| Verdict | Meaning | Claims |")
    out.append("| --- | --- | --- |")
    for verdict, meaning in VERDICTS.items():
        out.append(f"| {verdict.capitalize()} | {meaning} | {counts[verdict]} |")
    out.append("")
    out.append("## The claims in brief {#summary}\n")
    out.append('<ol class="claim-summary" markdown>')
    for claim in claims:
        out.append(f'<li markdown="span">**{str(claim["verdict"]).capitalize()}:** '
                   f'[{md_text(claim["claim"])}](#{claim["id"]})</li>')
    out.append("</ol>\n")
    for number, claim in enumerate(claims, 1):
        heading = " ".join(str(claim["claim"]).split()).rstrip(".")
        out.append(f"## {number}. {md_text(heading)} {{#{claim['id']}}}\n")
        out.append(f"**Verdict: {str(claim['verdict']).capitalize()}.** {VERDICTS[claim['verdict']]}\n")
        if claim.get("quote"):
            out.append(f"The report’s words: “{md_text(' '.join(str(claim['quote']).split()))}”\n")
        finding = " ".join(str(claim["finding"]).split())
        keys = [k for k in as_list(claim.get("sources")) if k not in cited_keys(finding)]
        out.append(f"What the record shows: {finding}{cite(keys)}\n")
        if claim.get("see"):
            target = str(claim["see"])
            out.append(f"Read more: [{target_label(d, target)}]({rel_link(here, target)})\n")
    return "\n".join(out)


def render_downloads(d: Data, here: str, build_date: str) -> str:
    out = ["| Data set | Rows | JSON | CSV | JSON Schema |", "| --- | --- | --- | --- | --- |"]
    for name, label, rows in dataset_rows(d):
        base = rel_link(here, f"data/{name}")
        out.append(f"| {label} | {len(rows)} | [{name}.json]({base}.json) | [{name}.csv]({base}.csv) "
                   f"| [{name}.schema.json]({rel_link(here, f'data/schemas/{name}.schema.json')}) |")
    out.append("")
    out.append(f"Licence: {LICENCE} (<{LICENCE_URL}>). Built on "
               f'<time datetime="{build_date}">{sd.human_date(build_date)}</time>. '
               f"The column descriptions for the CSV files, in the W3C CSV on the Web format, are in "
               f"[csv-metadata.json]({rel_link(here, 'data/csv-metadata.json')}).")
    out.append("{: .nofact }\n")
    return "\n".join(out)


def render(d: Data, marker: str, here: str, build_date: str = "") -> str:
    if marker == "sources":
        return render_sources(d, here)
    if marker == "timeline":
        return render_timeline(d, here)
    if marker == "glossary":
        return render_glossary(d, here)
    if marker == "key-facts":
        return render_key_facts(d, here)
    if marker == "claims":
        return render_claims(d, here)
    if marker == "downloads":
        return render_downloads(d, here, build_date)
    raise ValueError(f"unknown marker {marker!r}")


def expand(d: Data, markdown: str, here: str, build_date: str = "") -> str:
    """Replace the marker line in a page's Markdown with its rendering."""
    return MARKER_RE.sub(lambda m: render(d, m.group(1), here, build_date), markdown)


# --------------------------------------------------------------------------
# ClaimReview JSON-LD
# --------------------------------------------------------------------------
def claim_reviews(d: Data, page: str, site_url: str, site_name: str, reviewed: str) -> list[dict]:
    report = d.claims["report"]
    base = site_url.rstrip("/") + page_url(page, d.use_directory_urls)
    publisher = {"@type": "Organization", "name": str(report.get("publisher"))}
    appearance = {
        "@type": "NewsArticle",
        "headline": str(report.get("title")),
        "datePublished": str(report.get("date")),
        "publisher": publisher,
    }
    out = []
    for claim in d.claims["claims"]:
        verdict = str(claim["verdict"])
        out.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{base}#{claim['id']}",
            "claimReviewed": " ".join(str(claim["claim"]).split()),
            "datePublished": reviewed,
            "author": {"@type": "Organization", "name": site_name, "url": site_url},
            "reviewRating": {
                "@type": "Rating",
                "alternateName": verdict.capitalize(),
                "ratingExplanation": VERDICTS[verdict],
            },
            "itemReviewed": {
                "@type": "Claim",
                "author": publisher,
                "datePublished": str(report.get("date")),
                "appearance": appearance,
            },
        })
    return out


def json_ld_scripts(reviews: list[dict]) -> str:
    """<script type="application/ld+json"> blocks; '<', '>' and '&' are
    escaped so that the data can never close the element early."""
    blocks = []
    for review in reviews:
        text = json.dumps(review, ensure_ascii=False, indent=1)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        blocks.append(f'<script type="application/ld+json">\n{text}\n</script>')
    return "\n".join(blocks)


# --------------------------------------------------------------------------
# Open data
# --------------------------------------------------------------------------
def build_date(root: Path | None = None) -> str:
    """SOURCE_DATE_EPOCH if set, else the date of the last commit, else today
    (all UTC), so that a rebuild of the same commit gives the same files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root or sd.ROOT,
                                capture_output=True, text=True, timeout=10)
        if result.returncode == 0 and result.stdout.strip():
            return dt.datetime.fromtimestamp(int(result.stdout.strip()), dt.timezone.utc).date().isoformat()
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


# Column order of each download (CSV columns and JSON item keys).
COLUMNS = {
    "sources": ["key", "kind", "publisher", "title", "title_en", "date", "language", "url", "via", "note",
                "accessed", "anchor", "cited_on"],
    "timeline": ["id", "date", "status", "title", "see", "sources", "anchor"],
    "glossary": ["id", "term", "abbr", "abbr_aliases", "russian", "russian_abbr", "translit", "definition",
                 "sources", "see", "anchor"],
    "key-facts": ["id", "page", "text", "sources", "anchor"],
    "claims": ["id", "claim", "quote", "verdict", "finding", "sources", "see", "anchor"],
}
LIST_COLUMNS = {
    "sources": {"cited_on"},
    "timeline": {"sources"},
    "glossary": {"abbr_aliases", "sources", "see"},
    "key-facts": {"sources"},
    "claims": {"sources"},
}
TITLES = {
    "sources": "Sources",
    "timeline": "Timeline",
    "glossary": "Glossary",
    "key-facts": "Key facts",
    "claims": "The original report, checked",
}


def _opt(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return " ".join(str(value).split())


def dataset_rows(d: Data) -> list[tuple[str, str, list[dict]]]:
    """(name, label, rows) for each download; rows use COLUMNS order."""
    u = d.use_directory_urls

    def where(marker: str, anchor: str) -> str | None:
        page = d.marker_page(marker)
        return f"{page_url(page, u)}#{anchor}" if page else None

    cited = citing_pages(d)
    sources = [{
        "key": s.key, "kind": s.kind, "publisher": s.publisher, "title": s.title, "title_en": _opt(s.title_en),
        "date": s.date, "language": s.language, "url": _opt(s.url), "via": _opt(s.via), "note": _opt(s.note),
        "accessed": s.accessed, "anchor": where("sources", s.key),
        "cited_on": [page_url(p, u) for p in cited.get(s.key, [])],
    } for s in d.sources.values()]
    timeline = [{
        "id": str(e["id"]), "date": str(e["date"]), "status": str(e["status"]), "title": _opt(e["title"]),
        "see": target_url(str(e["see"]), u), "sources": as_list(e.get("sources")),
        "anchor": where("timeline", str(e["id"])),
    } for e in sorted(d.timeline["events"], key=event_sort_key)]
    glossary = [{
        "id": str(t["id"]), "term": str(t["term"]), "abbr": _opt(t.get("abbr")),
        "abbr_aliases": as_list(t.get("abbr_aliases")), "russian": _opt(t.get("russian")),
        "russian_abbr": _opt(t.get("russian_abbr")), "translit": _opt(t.get("translit")),
        "definition": strip_citations(" ".join(str(t["definition"]).split())),
        "sources": list(dict.fromkeys(as_list(t.get("sources")) + cited_keys(str(t["definition"])))),
        "see": [target_url(s, u) for s in as_list(t.get("see"))], "anchor": where("glossary", str(t["id"])),
    } for t in d.glossary["terms"]]
    facts = [{
        "id": str(f["id"]), "page": page_url(str(f["page"]), u),
        "text": strip_citations(" ".join(str(f["text"]).split())), "sources": cited_keys(str(f["text"])),
        "anchor": f"{page_url(str(f['page']), u)}#{f['id']}",
    } for f in d.facts]
    claims = [{
        "id": str(c["id"]), "claim": _opt(c["claim"]), "quote": _opt(c.get("quote")), "verdict": str(c["verdict"]),
        "finding": strip_citations(" ".join(str(c["finding"]).split())),
        "sources": list(dict.fromkeys(as_list(c.get("sources")) + cited_keys(str(c["finding"])))),
        "see": target_url(str(c["see"]), u) if c.get("see") else None, "anchor": where("claims", str(c["id"])),
    } for c in d.claims["claims"]]
    return [("sources", TITLES["sources"], sources), ("timeline", TITLES["timeline"], timeline),
            ("glossary", TITLES["glossary"], glossary), ("key-facts", TITLES["key-facts"], facts),
            ("claims", TITLES["claims"], claims)]


def to_json(name: str, rows: list[dict], d: Data, date: str, site_url: str) -> str:
    doc = {
        "$schema": f"schemas/{name}.schema.json",
        "title": f"{TITLES[name]}: {d.config.get('site_name', '')}".strip(": "),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "build_date": date,
        "horizon": d.horizon,
        "site_url": site_url,
        "items": rows,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(name: str, rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS[name])
    for row in rows:
        writer.writerow([LIST_SEPARATOR.join(row[c]) if c in LIST_COLUMNS[name] else ("" if row[c] is None else row[c])
                         for c in COLUMNS[name]])
    return buf.getvalue()


def from_csv(name: str, text: str) -> list[dict]:
    """Read a download back into the JSON item form (for the round-trip test
    and for anyone who wants it)."""
    rows = []
    for record in csv.DictReader(io.StringIO(text, newline="")):
        row: dict[str, Any] = {}
        for col in COLUMNS[name]:
            value = record[col]
            if col in LIST_COLUMNS[name]:
                row[col] = value.split(LIST_SEPARATOR) if value else []
            else:
                row[col] = value if value != "" else None
        rows.append(row)
    return rows


def csv_metadata(d: Data, date: str, schemas: Path) -> str:
    """W3C CSV on the Web metadata describing every CSV download."""
    tables = []
    for name, label, _rows in dataset_rows(d):
        schema = json.loads((schemas / f"{name}.schema.json").read_text(encoding="utf-8"))
        props = schema["properties"]["items"]["items"]["properties"]
        columns = []
        for col in COLUMNS[name]:
            column = {"name": col, "titles": col, "dc:description": props[col].get("description", "")}
            if col in LIST_COLUMNS[name]:
                column["separator"] = LIST_SEPARATOR
            columns.append(column)
        tables.append({"url": f"{name}.csv", "dc:title": label, "tableSchema": {"columns": columns}})
    doc = {
        "@context": "http://www.w3.org/ns/csvw",
        "dc:title": d.config.get("site_name", ""),
        "dc:license": {"@id": LICENCE_URL},
        "dc:created": date,
        "tables": tables,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def downloads(d: Data, date: str, site_url: str) -> dict[str, str]:
    """Every generated download: path under the site -> text."""
    schemas = d.data / "schemas"
    out: dict[str, str] = {}
    for name, _label, rows in dataset_rows(d):
        out[f"data/{name}.json"] = to_json(name, rows, d, date, site_url)
        out[f"data/{name}.csv"] = to_csv(name, rows)
        out[f"data/schemas/{name}.schema.json"] = (schemas / f"{name}.schema.json").read_text(encoding="utf-8")
    out["data/csv-metadata.json"] = csv_metadata(d, date, schemas)
    return out
