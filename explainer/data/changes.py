"""The change log (data/changes.yml): what changed on which page, when and why.

``load_changes`` reads and validates the file against its schema;
``check`` holds the rules a schema cannot say (each touched page and anchor
exists, ids are unique and carry their date, editions are listed once);
the queries below are what the renderers, the feed and the checks
ask of it. One reading of the file for all of them.
"""

from __future__ import annotations

from pathlib import Path

from explainer.data import loading, schema
from explainer.data.loading import Problem

# Kinds in the order the /changes/ page explains them, with their labels.
KINDS = {
    "correction": "Correction",
    "update": "Update",
    "clarification": "Clarification",
    "new-page": "New page",
    "site": "Site",
}


def load_changes(path: Path) -> dict:
    """{'entries', 'editions', 'path', 'problems'}: 'problems' are the schema's."""
    if not path.exists():
        return {"entries": [], "editions": [], "path": path, "problems": []}
    tree, problems = schema.check_file(path, "changes")
    entries = tree.get("changes") if isinstance(tree, dict) else None
    editions = tree.get("editions") if isinstance(tree, dict) else None
    keep = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    # An entry the schema refused is reported once, and left out of the pages.
    keep = [e for e in keep if isinstance(e.get("id"), str) and isinstance(e.get("date"), str)
            and isinstance(e.get("touches"), list) and e.get("kind") in KINDS]
    dated = [e for e in editions if isinstance(e, dict) and isinstance(e.get("date"), str)] \
        if isinstance(editions, list) else []
    return {"entries": keep, "editions": dated, "path": path, "problems": problems}


def entries(changes: dict) -> list[dict]:
    """Newest first; on one day, in the file's order."""
    order = {id(e): i for i, e in enumerate(changes["entries"])}
    return sorted(changes["entries"], key=lambda e: (_neg(e["date"]), order[id(e)]))


def _neg(date: str) -> tuple:
    return tuple(-int(p) for p in date.split("-"))


def targets(entry: dict) -> list[tuple[str, str]]:
    """(page, anchor) for each touched item; anchor '' for the whole page."""
    out = []
    for item in entry.get("touches") or []:
        page, _, anchor = str(item).partition("#")
        out.append((page, anchor))
    return out


def for_page(changes: dict, page: str) -> list[dict]:
    """The entries that touch a page (anywhere in it), newest first."""
    return [e for e in entries(changes) if any(p == page for p, _ in targets(e))]


def for_anchor(changes: dict, page: str, anchor: str) -> list[dict]:
    """The entries that name page.md#anchor itself, newest first."""
    return [e for e in entries(changes) if (page, anchor) in targets(e)]


def latest_edition(changes: dict, today: str) -> str | None:
    """The newest edition dated on or before ``today`` (YYYY-MM-DD), if any."""
    dates = sorted(str(e["date"]) for e in changes["editions"] if str(e["date"]) <= today)
    return dates[-1] if dates else None


def check(changes: dict, pages: dict) -> list[Problem]:
    """What the schema cannot say: unique ids that carry their date, touched
    pages and anchors that exist (``pages``: docs path -> PageInfo), each
    edition listed once."""
    where = loading.rel(changes["path"])
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for entry in changes["entries"]:
        line = entry.get("__line__", 1)
        lines = entry.get("__lines__", {})
        cid, date = entry["id"], entry["date"]
        if cid in seen:
            problems.append(Problem(where, line, f"duplicate change id {cid!r} (first at line {seen[cid]})"))
        seen.setdefault(cid, line)
        if not cid.startswith(f"ch-{date}-"):
            problems.append(Problem(where, lines.get("id", line),
                                    f"{cid}: the id must start with ch-{date}- (its date)"))
        for index, (page, anchor) in enumerate(targets(entry)):
            tline = lines.get(("touches", index), lines.get("touches", line))
            if page not in pages:
                problems.append(Problem(where, tline,
                                        f"{cid}: touches {page!r}, which does not exist under docs/"))
            elif anchor and anchor not in pages[page].anchors:
                problems.append(Problem(where, tline,
                                        f"{cid}: touches {page}#{anchor}, but docs/{page} has no id {anchor!r}"))
    dates: dict[str, int] = {}
    for edition in changes["editions"]:
        line = edition.get("__line__", 1)
        date = edition["date"]
        if date in dates:
            problems.append(Problem(where, line, f"edition {date} is listed twice (first at line {dates[date]})"))
        dates.setdefault(date, line)
    return problems
