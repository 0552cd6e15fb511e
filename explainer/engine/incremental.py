"""What `make serve` must rebuild after a save, framework-free.

`make serve` runs ``mkdocs serve --dirty``: after the first, full build,
MkDocs renders again only the pages whose Markdown is newer than their HTML.
That is right only when nothing but the text of existing pages changed. So
before each rebuild ``explainer/engine/hooks.py`` compares a snapshot of
every input (``INPUTS``) with the one taken before the previous build:

- only the text of existing pages under ``docs/`` changed: a *page rebuild*.
  Those pages (and the 404 page, which MkDocs always renders) are built and
  post-processed; everything else in the served folder is kept from earlier
  builds. The search index is merged (explainer/search/index.py, ``merge``).
- anything else (a data file, a template, the code, mkdocs.yml, a page added,
  moved or deleted, a stylesheet): a *full rebuild*, as in ``make build``.

What a page rebuild leaves out, and why that is safe for an editor:

- the content checks run after the page is shown, not before
  (``explainer/engine/serve.py``): their problems are printed a moment later;
- the stylesheet is joined but not purged (PurgeCSS reads every page; the
  unpurged file is a superset, so the page looks as it will when built);
- the whole-site print page, the open-data downloads, the feed and the
  security headers are kept from the last full rebuild: a page's text does
  not change them except for the print page, which a full rebuild (or a
  restart) brings up to date.

`make build` and `make test` never take this path.
"""

from __future__ import annotations

import os
from pathlib import Path

# Everything a build reads, relative to the project folder (the Makefile's
# INPUTS, less package.json, which only `make` acts on).
INPUTS = ("mkdocs.yml", "docs", "data", "includes", "overrides", "explainer")
SKIP_DIRS = {"__pycache__"}


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every input file -> (modification time in ns, size)."""
    root = Path(root)
    out: dict[str, tuple[int, int]] = {}
    for name in INPUTS:
        top = root / name
        if top.is_file():
            st = top.stat()
            out[name] = (st.st_mtime_ns, st.st_size)
            continue
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for file in files:
                if file.endswith(".pyc"):
                    continue
                path = Path(folder) / file
                try:
                    st = path.stat()
                except FileNotFoundError:  # deleted while we walked
                    continue
                out[path.relative_to(root).as_posix()] = (st.st_mtime_ns, st.st_size)
    return out


def changed_pages(before: dict[str, tuple[int, int]] | None,
                  after: dict[str, tuple[int, int]]) -> list[str] | None:
    """The docs-relative Markdown pages to rebuild, or None for a full
    rebuild (no earlier snapshot, or anything but existing pages changed)."""
    if before is None or before.keys() != after.keys():
        return None
    changed = [path for path, stamp in after.items() if before[path] != stamp]
    if not all(path.startswith("docs/") and path.endswith(".md") for path in changed):
        return None
    return sorted(path[len("docs/"):] for path in changed)


def written_since(pages: list[Path], start: float) -> list[Path]:
    """The pages whose file was written at or after ``start`` (a time.time())."""
    out = []
    for path in pages:
        try:
            if path.stat().st_mtime >= start:
                out.append(path)
        except FileNotFoundError:
            continue
    return out
