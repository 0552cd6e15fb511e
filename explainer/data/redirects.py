"""The redirect register, data/redirects.yml: moved pages and moved anchors.

``pages:`` maps an old page to its new one (a static redirect page is written
at the old address); ``anchors:`` maps ``page.md#old-id`` to
``page.md#new-id`` (a small script on the landing page sends readers on).
"""

from __future__ import annotations

from pathlib import Path

from explainer.data import files as sd
from explainer.data import schema


def load_redirects(path: Path) -> dict:
    """Read data/redirects.yml: {'pages': {old: {'to', 'line'}}, 'anchors': {old#id: {'to', 'line'}}}.
    Its JSON Schema (explainer/data/schema.py) checks both sides of every
    entry; a malformed file raises DataError naming file and line of each problem."""
    if not path.exists():
        return {"pages": {}, "anchors": {}}
    data, problems = schema.check_file(path, "redirects")
    if problems:
        raise sd.DataError(problems)
    data = data or {}
    out: dict = {"pages": {}, "anchors": {}}
    for section in ("pages", "anchors"):
        block = data.get(section) or {}
        lines = block.get("__lines__", {})
        for old, new in sd.clean(block).items():
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
