"""The engine's state, in one object with one rule for what is kept.

MkDocs imports the hook module once per process and calls its events once
per build; `make serve` runs many builds in one process. What the hooks
know lives here, in ``STATE``:

- ``STATE.build``: this build's (the project folder, whether it is the
  offline copy, the loaded data, the redirect register, the files, the
  pages a page rebuild renders). ``begin`` replaces it at every build.
- ``STATE.serve``: kept between the builds of one ``mkdocs serve --dirty``
  process (the input snapshot of the last build that finished, and what a
  page's text cannot change: the full search index, the generated files,
  the theme's file list, compiled templates).

The rule: a full build starts from nothing and forgets what ``serve``
kept, except the compiled templates (Jinja compares each with its source
itself); a page rebuild (only the text of existing pages changed,
explainer/engine/incremental.py) reuses what ``serve`` kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates in memory (Jinja checks each against its
    template's source, so an edited template is compiled again)."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


@dataclass
class Build:
    """One build's state."""
    root: Path | None = None
    offline: bool = False
    # None: a full build; a list: the pages whose text alone changed (make serve).
    pages: list[str] | None = None
    data: Any = None                     # explainer.data.Data, loaded once
    problems: int = 0                    # found by the content checks
    redirects: dict = field(default_factory=lambda: {"pages": {}, "anchors": {}})
    anchor_moves: dict = field(default_factory=dict)
    generated: dict[str, str] = field(default_factory=dict)  # site path -> text (downloads, timeline)
    files: Any = None                    # MkDocs' Files
    citations: dict = field(default_factory=dict)  # page -> record, styles, downloads (render/cite.py)
    start: float = 0.0
    snapshot: dict | None = None         # the inputs this build read (make serve)
    deferred_checks: bool = False        # checks to run after the page is shown

    @property
    def page_rebuild(self) -> bool:
        return self.pages is not None


@dataclass
class Serve:
    """Kept between the builds of one `mkdocs serve --dirty` process."""
    dirty: bool = False
    snapshot: dict | None = None         # of the last build that finished
    search: dict | None = None           # the full search index
    generated: dict[str, str] | None = None
    theme_files: list[tuple[str, str]] | None = None
    templates: MemoryBytecodeCache = field(default_factory=MemoryBytecodeCache)


@dataclass
class State:
    build: Build = field(default_factory=Build)
    serve: Serve = field(default_factory=Serve)

    def begin(self, root: Path, pages: list[str] | None, snapshot: dict | None = None) -> Build:
        """A new build: a page rebuild (``pages`` is a list) keeps what the
        serve process holds; a full build forgets it."""
        self.build = Build(root=root, pages=pages, snapshot=snapshot)
        if pages is None:
            self.serve.search = None
            self.serve.generated = None
            self.serve.theme_files = None
        return self.build


STATE = State()
