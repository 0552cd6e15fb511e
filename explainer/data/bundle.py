"""Every data file and page, loaded once for a build or a check.

``load`` returns a ``Data``: sources, glossary, key facts, timeline, claims
and every page's headings, anchors and citations, so that the renderers, the
macros, the checks and the tests read the data in exactly one way. A page
holds a generated listing with one line, ``{{ listing("timeline") }}``
(``MARKER_RE``); the listing's anchors count as the page's own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer import ROOT
from explainer.config import nav_pages, read_config
from explainer.data import loading, pagefiles, schema, source_register
from explainer.data.changes import load_changes
from explainer.data.loading import DATA, Problem
from explainer.data.redirects import load_redirects

# The one line by which a page holds a generated listing: {{ listing("timeline") }}
MARKER_RE = re.compile(r"""^\{\{\s*listing\(\s*["']([a-z-]+)["']\s*\)\s*\}\}\s*$""", re.M)
MARKERS = ("sources", "timeline", "glossary", "key-facts", "claims", "downloads", "changes", "editions")
# The line by which a page shows the sanctions: {{ sanctions("table") }} or ("matrix").
SANCTIONS_RE = re.compile(r"""^\{\{\s*sanctions\(\s*["'](table|matrix)["']\s*\)\s*\}\}\s*$""", re.M)
SANCTIONS_PAGE = "what-happened-next.md"
MATRIX_ID = "sanctions-matrix"

# Meaning of each verdict, shown on the claims page and in the JSON-LD. The
# allowed values are the enum of data/schemas/input/claims.schema.json
# (tests/unit/data/test_schema.py keeps the two equal).
VERDICTS = {
    "accurate": "The claim matches the record.",
    "imprecise": "Broadly right, but loosely worded, incomplete or wrongly named.",
    "wrong": "The record contradicts the claim.",
    "outdated": "Right when published, overtaken by later events.",
    "unverified": "No original source was found to support or refute it.",
}
KIND_GROUPS = (
    ("laws", "Laws and official documents", ("law", "official")),
    ("news", "News reports", ("news",)),
    ("analysis", "Analysis", ("analysis",)),
    ("reference", "Reference works", ("reference",)),
)
ANCHOR_RE = re.compile(r"\{\s*:?\s*#([A-Za-z][\w-]*)[^}]*\}")
HEADING_RE = re.compile(r"^#{2,3}\s+(.*?)\s*\{\s*#([A-Za-z][\w-]*)[^}]*\}\s*$")
HTML_ID_RE = re.compile(r"""\bid=["']([^"']+)["']""")
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LIST_SEPARATOR = "|"


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------
def strip_citations(text: str) -> str:
    """Markdown text without its [^key] footnote references."""
    return re.sub(r"\s*\[\^[^\]\s]+\](?!:)", "", str(text)).strip()


def cited_keys(text: str) -> list[str]:
    out: list[str] = []
    for match in pagefiles.CITE_RE.finditer(str(text)):
        if match.group(1) not in out:
            out.append(match.group(1))
    return out


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def date_start(value: str) -> dt.date:
    parts = [int(p) for p in str(value).split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def date_end(value: str) -> dt.date:
    """The last day a date can mean: '2026-09' -> 2026-09-30, '2026' -> 2026-12-31."""
    parts = [int(p) for p in str(value).split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        year, month = parts
        return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


# The third state of a timeline event: still `scheduled` in the data, but its
# date is before the build date, and the sources (checked to the horizon) do
# not say whether it happened.
PASSED = "passed"


def event_state(event: dict, today: dt.date) -> str:
    """'past', 'scheduled', or PASSED for a scheduled event whose date has gone by."""
    status = str(event.get("status") or "")
    if status == "scheduled" and date_end(str(event.get("date"))) < today:
        return PASSED
    return status




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
    sanctions: dict | None = None  # load_sanctions(); its events are also in timeline["events"]
    # data/changes.yml (explainer/data/changes.py): {'entries', 'editions', 'path', 'problems'}
    changes: dict = field(default_factory=lambda: {"entries": [], "editions": [], "path": None, "problems": []})
    # data/redirects.yml (explainer/data/redirects.py): {'pages', 'anchors'}
    redirects: dict = field(default_factory=lambda: {"pages": {}, "anchors": {}})

    @property
    def use_directory_urls(self) -> bool:
        return bool(self.config.get("use_directory_urls", True))

    def marker_page(self, marker: str) -> str | None:
        for path, info in self.pages.items():
            if info.marker == marker:
                return path
        return None


def _entries(tree: Any, section: str) -> list[dict]:
    """The mappings of a top-level list (what is not a mapping, the schema reports)."""
    items = tree.get(section) if isinstance(tree, dict) else None
    return [e for e in items if isinstance(e, dict)] if isinstance(items, list) else []


def load_glossary(path: Path | None = None) -> dict:
    """{'terms', 'abbreviations', 'path', 'problems'}: 'problems' are its
    schema's (explainer/data/schema.py). Entries that are not mappings are left out."""
    path = Path(path or DATA / "glossary.yml")
    data, problems = schema.check_file(path, "glossary")
    data = data if isinstance(data, dict) else {}

    def entries(section: str) -> list[dict]:
        items = data.get(section) or []
        return [e for e in items if isinstance(e, dict)] if isinstance(items, list) else []

    return {"terms": entries("terms"), "abbreviations": entries("abbreviations"), "path": path,
            "problems": problems}


def load_key_facts(path: Path | None = None, problems: list[Problem] | None = None) -> list[dict]:
    """The key facts; their schema's problems are appended to ``problems``
    when a list is given. Entries that are not mappings are left out."""
    path = Path(path or DATA / "key_facts.yml")
    if not path.exists():
        return []
    data, found = schema.check_file(path, "key_facts")
    if problems is not None:
        problems += found
    facts = data.get("facts") if isinstance(data, dict) else None
    return [f for f in facts if isinstance(f, dict)] if isinstance(facts, list) else []


def load_timeline(path: Path) -> dict:
    """{'events', 'path', 'problems'}: 'problems' are the schema's (explainer/data/schema.py)."""
    if not path.exists():
        return {"events": [], "path": path, "problems": []}
    tree, problems = schema.check_file(path, "timeline")
    return {"events": _entries(tree, "events"), "path": path, "problems": problems}


def load_sanctions(path: Path) -> dict:
    """{'issuers', 'targets', 'actions', 'path', 'problems'} of data/sanctions.yml."""
    if not path.exists():
        return {"issuers": [], "targets": [], "actions": [], "path": path, "problems": []}
    tree, problems = schema.check_file(path, "sanctions")
    return {"issuers": _entries(tree, "issuers"), "targets": _entries(tree, "targets"),
            "actions": _entries(tree, "actions"), "path": path, "problems": problems}


def sanction_events(sanctions: dict) -> list[dict]:
    """The timeline events that the sanction actions become (an action with an
    'event'): id, title and milestone from the event; date, sources and status
    from the action; 'see' its row of the table. Each keeps the line
    bookkeeping of its action, and '__path__' names data/sanctions.yml, so a
    problem with one is reported there."""
    events = []
    for action in sanctions.get("actions") or []:
        event = action.get("event")
        if not isinstance(event, dict):
            continue
        generated = {"id": event.get("id"), "date": action.get("date"), "title": event.get("title"),
                     "status": "past", "see": f"{SANCTIONS_PAGE}#{action.get('id')}",
                     "sources": action.get("sources")}
        if event.get("milestone"):
            generated["milestone"] = event["milestone"]
        lines = dict(action.get("__lines__") or {})
        lines.update({k: v for k, v in (event.get("__lines__") or {}).items() if k in ("id", "title", "milestone")})
        generated.update(__line__=event.get("__line__", action.get("__line__", 1)), __lines__=lines,
                         __path__=sanctions["path"])
        events.append(generated)
    return events


def load_events(timeline_path: Path) -> tuple[list[dict], list[Problem]]:
    """The timeline's events: data/timeline.yml's and those generated from
    data/sanctions.yml beside it, with both files' schema problems."""
    timeline = load_timeline(timeline_path)
    sanctions = load_sanctions(Path(timeline_path).parent / "sanctions.yml")
    return timeline["events"] + sanction_events(sanctions), timeline["problems"] + sanctions["problems"]


def load_claims(path: Path) -> dict:
    """{'report', 'claims', 'path', 'problems'}: 'problems' are the schema's."""
    if not path.exists():
        return {"report": {}, "claims": [], "path": path, "problems": []}
    tree, problems = schema.check_file(path, "claims")
    report = tree.get("report") if isinstance(tree, dict) else None
    return {"report": report if isinstance(report, dict) else {}, "claims": _entries(tree, "claims"),
            "path": path, "problems": problems}


def scan_pages(docs: Path, facts: list[dict]) -> dict[str, PageInfo]:
    pages: dict[str, PageInfo] = {}
    for path in pagefiles.doc_pages(docs):
        relpath = path.resolve().relative_to(docs.resolve()).as_posix()
        page = pagefiles.read_page(path)
        anchors: set[str] = set()
        headings: dict[str, str] = {}
        for _line, text in pagefiles.prose_lines(page.body, page.body_line):
            heading = HEADING_RE.match(text)
            if heading:
                headings[heading.group(2)] = heading.group(1).strip()
            anchors.update(m.group(1) for m in ANCHOR_RE.finditer(text))
            anchors.update(m.group(1) for m in HTML_ID_RE.finditer(text))
        anchors.update(str(f.get("id")) for f in facts if str(f.get("page")) == relpath)
        marker = MARKER_RE.search(page.body)
        title = str(page.meta.get("title") or relpath)
        pages[relpath] = PageInfo(relpath, title, marker.group(1) if marker else None, anchors,
                                  pagefiles.citations(page.body, page.body_line), bool(page.meta.get("generated")),
                                  headings)
    return pages


def load(root: Path | None = None, docs: Path | None = None, data: Path | None = None,
         config: Path | None = None, config_values: dict | None = None) -> Data:
    """Load every data file and page; problems are collected, not raised
    (a YAML syntax error still raises DataError). ``config_values`` (nav,
    extra, site_name, use_directory_urls) replaces reading mkdocs.yml."""
    root = Path(root or ROOT)
    docs = Path(docs or root / "docs")
    data = Path(data or root / "data")
    config = Path(config or root / "mkdocs.yml")
    if config_values is not None:
        cfg = config_values
    else:
        cfg = read_config(config) if config.exists() else {}
    # Problems of structure (each file's JSON Schema) and of the source register.
    problems: list[Problem] = []
    mirrors = source_register.load_mirror_domains(data / "mirror-domains.yml")
    sources = source_register.load_sources(data / "sources.yml", problems, mirrors)
    glossary = load_glossary(data / "glossary.yml")
    facts = load_key_facts(data / "key_facts.yml", problems)
    timeline = load_timeline(data / "timeline.yml")
    sanctions = load_sanctions(data / "sanctions.yml")
    timeline["events"] = timeline["events"] + sanction_events(sanctions)
    claims = load_claims(data / "claims.yml")
    problems += glossary["problems"] + timeline["problems"] + sanctions["problems"] + claims["problems"]
    horizon = str((cfg.get("extra") or {}).get("horizon") or "")
    d = Data(root, docs, data, cfg, sources, glossary, facts, timeline, claims,
             scan_pages(docs, facts), horizon, problems, sanctions)
    d.changes = load_changes(data / "changes.yml")
    d.problems += d.changes["problems"]
    try:
        d.redirects = load_redirects(data / "redirects.yml")
    except loading.DataError as exc:
        d.redirects = {"pages": {}, "anchors": {}}
        d.problems += exc.problems
    for marker in ("sources", "timeline", "glossary", "claims", "changes", "key-facts", "editions"):
        page = d.marker_page(marker)
        if page:
            d.pages[page].anchors |= generated_anchors(d, marker)
    for path, info in d.pages.items():
        views = SANCTIONS_RE.findall(pagefiles.read_page(docs / path).body)
        if "table" in views:
            info.anchors |= {str(a.get("id")) for a in sanctions["actions"]}
        if "matrix" in views:
            info.anchors.add(MATRIX_ID)
    return d


def page_slug(page: str) -> str:
    """The id of a page's group on the key-facts page: 'index.md' -> 'page-home'."""
    stem = page[: -len(".md")] if page.endswith(".md") else page
    stem = "home" if stem == "index" else stem
    return "page-" + re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def generated_anchors(d: Data, marker: str) -> set[str]:
    if marker == "key-facts":
        return {page_slug(str(f.get("page"))) for f in d.facts}
    if marker == "sources":
        return set(d.sources) | {g[0] for g in KIND_GROUPS}
    if marker == "timeline":
        events = d.timeline["events"]
        return {str(e.get("id")) for e in events} | {f"y{str(e.get('date'))[:4]}" for e in events}
    if marker == "glossary":
        return {str(t.get("id")) for t in d.glossary["terms"]}
    if marker == "claims":
        return {str(c.get("id")) for c in d.claims["claims"]} | {"verdicts", "summary"}
    if marker == "changes":
        return {str(e["id"]) for e in d.changes["entries"]} | {"kinds", "editions", "feed"}
    if marker == "editions":
        from explainer.render.change_log import edition_anchors

        return edition_anchors(d)
    return set()


# --------------------------------------------------------------------------
# Queries over the loaded data
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
    table_page = sanctions_page(d)
    for action in (d.sanctions or {}).get("actions", []):
        for key in as_list(action.get("sources")):
            add(key, table_page)
    for claim in d.claims["claims"]:
        for key in as_list(claim.get("sources")) + cited_keys(str(claim.get("finding") or "")):
            add(key, d.marker_page("claims"))
    report_key = d.claims["report"].get("source") if isinstance(d.claims["report"], dict) else None
    if report_key:
        add(str(report_key), d.marker_page("claims"))
    order = {p: i for i, p in enumerate(nav_pages(d.config))}
    for key in out:
        out[key].sort(key=lambda p: (order.get(p, len(order)), p))
    return out


def sanctions_page(d: Data) -> str | None:
    """The page that shows the sanctions table."""
    for path in d.pages:
        if "table" in SANCTIONS_RE.findall(pagefiles.read_page(d.docs / path).body):
            return path
    return None


def event_sort_key(event: dict) -> tuple:
    """By date; an event known only to the month or year goes after the
    dated events of that month or year."""
    date = str(event.get("date"))
    return (date + "-99" * (2 - date.count("-")), str(event.get("id")))
