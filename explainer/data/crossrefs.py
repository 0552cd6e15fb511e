"""Rules that span files: cited keys exist, link targets and anchors exist, the horizon.

Structure (fields, types, enums) is declared in the JSON Schemas; these are
the checks a schema cannot express. Each returns ``Problem``s (path:line).
"""

from __future__ import annotations

from typing import Any

from explainer.config import horizon_end
from explainer.data import datetext, loading, redirects
from explainer.data.bundle import LIST_SEPARATOR, MARKERS, Data, cited_keys, date_start
from explainer.data.loading import Problem


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
    """Each key of a 'sources' list is in data/sources.yml. (That it is a
    non-empty list of keys is the schema's to say; ``required`` is kept for
    callers' sake.)"""
    if not isinstance(keys, list):
        return []
    return [Problem(where, line, f"{what}: unknown source key {key!r}: add it to data/sources.yml")
            for key in keys if isinstance(key, str) and key not in d.sources]


def _first_at(entries: list[dict], field: str, what: str, where: str) -> list[Problem]:
    """Duplicate ids: each repeat named with the line of the first."""
    seen: dict[str, int] = {}
    problems = []
    for entry in entries:
        value = entry.get(field)
        if not isinstance(value, str) or not value:
            continue
        line = entry["__lines__"].get(field, entry["__line__"])
        if value in seen:
            problems.append(Problem(where, line, f"duplicate {what} {value!r} (first at line {seen[value]})"))
        else:
            seen[value] = entry["__line__"]
    return problems


def check_timeline(d: Data) -> list[Problem]:
    """What the timeline's schema cannot say: ids are unique and begin with
    their event's date, an event after the horizon is scheduled, 'see'
    anchors and source keys exist."""
    where = loading.rel(d.timeline["path"])
    events = d.timeline["events"]
    own = [e for e in events if "__path__" not in e]  # the rest come from data/sanctions.yml
    generated = [e for e in events if "__path__" in e]
    problems = _first_at(own, "id", "event id", where)
    seen = {e.get("id"): e["__line__"] for e in own}
    for event in generated:
        if event.get("id") in seen:
            problems.append(Problem(loading.rel(event["__path__"]), event["__lines__"].get("id", event["__line__"]),
                                    f"duplicate event id {event['id']!r} (also in {where}, line {seen[event['id']]})"))
    try:
        end = horizon_end(d.horizon) if d.horizon else None
    except ValueError as exc:
        problems.append(Problem("mkdocs.yml", 1, f"extra.horizon: {exc}"))
        end = None
    home = where
    for event in events:
        where = loading.rel(event["__path__"]) if "__path__" in event else home
        line = event["__line__"]
        lines = event["__lines__"]
        eid, date, status = event.get("id"), event.get("date"), event.get("status")
        what = f"event {eid or '(no id)'}"
        date_ok = isinstance(date, str) and not datetext.check_date(date)
        if date_ok and isinstance(eid, str) and eid.startswith("ev-") and not eid.startswith(f"ev-{date}-"):
            problems.append(Problem(where, lines.get("id", line), f"{what}: id must start with ev-{date}- (its date)"))
        if date_ok and end and status == "past" and date_start(date) > end:
            problems.append(Problem(where, lines.get("status", line),
                                    f"{what}: dated after the horizon ({d.horizon}), so its status must be "
                                    "'scheduled', not 'past'"))
        if isinstance(event.get("see"), str) and event["see"]:
            problems += check_target(d, event["see"], where, lines.get("see", line), what)
        problems += check_sources_field(d, event.get("sources"), where, lines.get("sources", line), what)
    return problems


def check_sanctions(d: Data) -> list[Problem]:
    """What the sanctions' schema cannot say: ids are unique and begin with
    their action's date, issuers and targets name entries of the file, links
    and source keys exist. (Generated events are checked with the timeline.)"""
    s = d.sanctions or {}
    if not s.get("actions") and not s.get("issuers"):
        return []
    where = loading.rel(s["path"])
    problems = (_first_at(s["issuers"], "id", "issuer id", where) + _first_at(s["targets"], "id", "target id", where)
                + _first_at(s["actions"], "id", "sanction id", where))
    issuers = {e.get("id") for e in s["issuers"]}
    targets = {e.get("id") for e in s["targets"]}
    for target in s["targets"]:
        if isinstance(target.get("see"), str) and target["see"]:
            problems += check_target(d, target["see"], where, target["__lines__"].get("see", target["__line__"]),
                                     f"target {target.get('id')}", need_anchor=False)
    for action in s["actions"]:
        line, lines = action["__line__"], action["__lines__"]
        aid, date = action.get("id"), action.get("date")
        what = f"sanction {aid or '(no id)'}"
        if isinstance(date, str) and not datetext.check_date(date) and isinstance(aid, str) \
                and aid.startswith("sanction-") and not aid.startswith(f"sanction-{date}-"):
            problems.append(Problem(where, lines.get("id", line),
                                    f"{what}: id must start with sanction-{date}- (its date)"))
        for fld, known, kind in (("issuers", issuers, "issuer"), ("targets", targets, "target")):
            values = action.get(fld)
            for value in values if isinstance(values, list) else []:
                if value not in known:
                    choices = ", ".join(sorted(map(str, known)))
                    problems.append(Problem(where, lines.get(fld, line),
                                            f"{what}: unknown {kind} {value!r} (one of {choices})"))
        problems += check_sources_field(d, action.get("sources"), where, lines.get("sources", line), what)
    return problems


def check_claims(d: Data) -> list[Problem]:
    """What the claims' schema cannot say: ids are unique, the report and
    every citation name a registered source, 'see' anchors exist."""
    where = loading.rel(d.claims["path"])
    claims = d.claims["claims"]
    problems = _first_at(claims, "id", "claim id", where)
    report = d.claims["report"]
    if isinstance(report.get("source"), str) and report["source"] not in d.sources:
        problems.append(Problem(where, report["__lines__"].get("source", report["__line__"]),
                                f"report: unknown source key {report['source']!r}"))
    for claim in claims:
        line = claim["__line__"]
        lines = claim["__lines__"]
        what = f"claim {claim.get('id') or '(no id)'}"
        for fld in ("claim", "finding"):
            for key in cited_keys(str(claim.get(fld) or "")):
                if key not in d.sources:
                    problems.append(Problem(where, lines.get(fld, line),
                                            f"{what}: unknown source key [^{key}] in {fld}"))
        problems += check_sources_field(d, claim.get("sources"), where, lines.get("sources", line), what)
        if isinstance(claim.get("see"), str) and claim["see"]:
            problems += check_target(d, claim["see"], where, lines.get("see", line), what)
    return problems


def check_glossary_links(d: Data) -> list[Problem]:
    """Glossary 'see' pages (and anchors) and source keys exist."""
    where = loading.rel(d.glossary["path"])
    problems: list[Problem] = []
    for term in d.glossary["terms"]:
        line = term["__line__"]
        lines = term["__lines__"]
        what = f"term {term.get('id')}"
        see = term.get("see")
        for target in see if isinstance(see, list) else []:
            if isinstance(target, str):
                problems += check_target(d, target, where, lines.get("see", line), what, need_anchor=False)
        problems += check_sources_field(d, term.get("sources"), where, lines.get("sources", line), what,
                                        required=False)
    return problems


def check_lists_for_csv(d: Data) -> list[Problem]:
    """A list value containing the CSV list separator could not round-trip."""
    problems = []
    for path, entries in ((d.glossary["path"], d.glossary["terms"]), (d.timeline["path"], d.timeline["events"])):
        for entry in entries:
            for fld, value in loading.clean(entry).items():
                if isinstance(value, list) and any(LIST_SEPARATOR in str(v) for v in value):
                    problems.append(Problem(loading.rel(path), entry["__lines__"].get(fld, entry["__line__"]),
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


def check_redirects(d: Data) -> list[Problem]:
    """data/redirects.yml: targets exist, with their ids (explainer/data/redirects.py)."""
    return redirects.problems(d.redirects, loading.rel(d.data / "redirects.yml"),
                              {path: info.anchors for path, info in d.pages.items()})


def check(d: Data) -> list[Problem]:
    problems = (check_timeline(d) + check_sanctions(d) + check_claims(d) + check_glossary_links(d)
                + check_lists_for_csv(d) + check_pages(d) + check_redirects(d))
    return sorted(problems, key=lambda p: (p.path, p.line))
