"""Rules that span files: cited keys exist, link targets and anchors exist, the horizon.

Structure (fields, types, enums) is declared in the JSON Schemas; these are
the checks a schema cannot express. Each returns ``Problem``s (path:line).
"""

from __future__ import annotations

from typing import Any

from explainer.config import horizon_end
from explainer.data import files as sd
from explainer.data.files import Problem
from explainer.data.bundle import Data
from explainer.data.bundle import CLAIM_ID_RE, EVENT_ID_RE, LIST_SEPARATOR, MARKERS, MAX_QUOTE_WORDS, STATUSES, VERDICTS, cited_keys, date_start

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
