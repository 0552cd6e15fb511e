"""The redirect register, data/redirects.yml: moved pages and moved anchors.

``pages:`` maps an old page to its new one (a static redirect page is written
at the old address); ``anchors:`` maps ``page.md#old-id`` to
``page.md#new-id`` (a small script on the landing page sends readers on).
"""

from __future__ import annotations

from pathlib import Path

from explainer.data import loading, schema
from explainer.data.loading import Problem


def load_redirects(path: Path) -> dict:
    """Read data/redirects.yml: {'pages': {old: {'to', 'line'}}, 'anchors': {old#id: {'to', 'line'}}}.
    Its JSON Schema (explainer/data/schema.py) checks both sides of every
    entry; a malformed file raises DataError naming file and line of each problem."""
    if not path.exists():
        return {"pages": {}, "anchors": {}}
    data, problems = schema.check_file(path, "redirects")
    if problems:
        raise loading.DataError(problems)
    data = data or {}
    out: dict = {"pages": {}, "anchors": {}}
    for section in ("pages", "anchors"):
        block = data.get(section) or {}
        lines = block.get("__lines__", {})
        for old, new in loading.clean(block).items():
            out[section][str(old)] = {"to": str(new), "line": lines.get(old, block.get("__line__", 1))}
    return out


def resolve_page(src: str, pages: dict) -> str:
    """Follow page redirects (a chain is allowed) to the page that is built."""
    seen = set()
    while src in pages and src not in seen:
        seen.add(src)
        src = pages[src]["to"].partition("#")[0]
    return src


def anchor_moves(redirects: dict) -> dict[str, dict[str, str]]:
    """Moved anchors, grouped by the page a reader lands on with the old id."""
    moves: dict[str, dict[str, str]] = {}
    for old, entry in redirects["anchors"].items():
        old_page, _, old_id = old.partition("#")
        landing = resolve_page(old_page, redirects["pages"])
        moves.setdefault(landing, {})[old_id] = entry["to"]
    return moves


def problems(redirects: dict, where: str, anchors: dict[str, set[str]]) -> list[Problem]:
    """What is wrong with a loaded register, ``path:line: message`` each:
    a target page that docs/ does not have (after following moved pages), an
    old page that still exists (its redirect would overwrite it), and a
    moved anchor whose new id is not on its page (readers would land at the
    top of the page). ``anchors``: every page of docs/ -> its ids."""
    found = []
    for section in ("pages", "anchors"):
        for old, entry in redirects[section].items():
            line, to = entry["line"], entry["to"]
            target_page, _, target_id = to.partition("#")
            target = resolve_page(target_page, redirects["pages"])
            if target not in anchors:
                found.append(Problem(where, line, f"{old} -> {to}: no such page in docs/"))
            elif section == "anchors" and target_id not in anchors[target]:
                found.append(Problem(where, line, f"{old} -> {to}: no id #{target_id} on {target} "
                                                  "(readers would land at the top of the page)"))
            if section == "pages" and old in anchors:
                found.append(Problem(where, line, f"{old} still exists; a redirect would overwrite it "
                                                  "(delete the page or the redirect)"))
    return found
