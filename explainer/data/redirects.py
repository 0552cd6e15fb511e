"""The redirect register, data/redirects.yml: moved pages and moved anchors.

``pages:`` maps an old page to its new one (a static redirect page is written
at the old address); ``anchors:`` maps ``page.md#old-id`` to
``page.md#new-id`` (a small script on the landing page sends readers on).
"""

from __future__ import annotations

from pathlib import Path

from explainer.data import files as sd


def load_redirects(path: Path) -> dict:
    """Read data/redirects.yml: {'pages': {old: new}, 'anchors': {old#id: new#id}}.
    A malformed entry raises DataError naming file and line."""
    where = sd.rel(path)
    if not path.exists():
        return {"pages": {}, "anchors": {}}
    data = sd.load_yaml(path) or {}
    if not isinstance(data, dict):
        raise sd.DataError(sd.Problem(where, 1, "expected a mapping with 'pages' and 'anchors'"))
    out: dict = {"pages": {}, "anchors": {}}
    for section in ("pages", "anchors"):
        block = data.get(section) or {}
        if not isinstance(block, dict):
            line = data.get("__lines__", {}).get(section, 1)
            raise sd.DataError(sd.Problem(where, line, f"'{section}' must be a mapping of old -> new"))
        lines = block.get("__lines__", {})
        for old, new in sd.clean(block).items():
            line = lines.get(old, block.get("__line__", 1))
            old, new = str(old), str(new or "")
            old_page, _, old_id = old.partition("#")
            new_page, _, new_id = new.partition("#")
            if not old_page.endswith(".md") or not new_page.endswith(".md"):
                raise sd.DataError(sd.Problem(where, line, f"{section}: {old!r} -> {new!r}: "
                                              "both sides must be page paths under docs/ ending in .md"))
            if section == "anchors" and not (old_id and new_id):
                raise sd.DataError(sd.Problem(where, line, f"anchors: {old!r} -> {new!r}: "
                                              "both sides need '#id' (use 'pages:' for a whole page)"))
            if section == "pages" and old_id:
                raise sd.DataError(sd.Problem(where, line, f"pages: {old!r} has a '#': old pages are whole pages"))
            out[section][old] = {"to": new, "line": line}
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
