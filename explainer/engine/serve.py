"""`make serve`: ``mkdocs serve --dirty``, and what makes a save show within a second.

``command(port)`` is what `make serve` runs (``explainer serve``), and what
the tests and the bench run, so none of them reads the Makefile. The rest
is called by the hooks (explainer/engine/hooks.py) only in that server
(``STATE.serve.dirty``); explainer/engine/incremental.py says what a
rebuild after a save does and leaves out:

- ``start``: MkDocs' notice on every dirty build silenced (any change but a
  page's text is a full rebuild), and the theme's file list reused;
- ``watch``: the operating system's file notifications (inotify) instead of
  MkDocs' half-second polling;
- ``templates``: compiled templates kept between rebuilds;
- ``merge_search_index``: after a page rebuild, its entries put into the
  full index of the last full build;
- ``checks_after``: the content checks of a page rebuild, run after the page
  is shown and reported outside MkDocs' strict counter.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

from mkdocs.structure.files import File

from explainer.engine.state import STATE
from explainer.search import index as search_index

DEV_ADDR = "127.0.0.1"


def command(port: int = 8000) -> list[str]:
    """The `mkdocs serve` command of `make serve`: page saves rebuild one page
    (--dirty), the browser reloads itself (--livereload)."""
    return [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"{DEV_ADDR}:{port}", "--livereload"]


def run(port: int = 8000) -> int:
    """Replace this process with the server (`explainer serve`)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    cmd = command(port)
    os.execv(cmd[0], cmd)
    return 0  # not reached


class _DirtyNotice(logging.Filter):
    """MkDocs warns on every --dirty build that other pages' navigation may be
    stale; a strict build would stop on it. It cannot be here: any change but
    a page's text gets a full rebuild (explainer/engine/incremental.py)."""

    def filter(self, record):
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def start(command_name: str, dirty: bool) -> None:
    STATE.serve.dirty = command_name == "serve" and dirty
    if STATE.serve.dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())
        _reuse_theme_files()


def _reuse_theme_files() -> None:
    """MkDocs lists every file of the theme on every build (Material's has
    some 13,000, its icons, which takes half a second). A page rebuild
    reuses the list of the last full build: the theme cannot have changed in
    between (a change to overrides/ is a full rebuild, and Material's own
    folder is not watched)."""
    from mkdocs.structure.files import Files

    listed = Files.add_files_from_theme

    def add_files_from_theme(self, env, config):
        if not STATE.build.page_rebuild or STATE.serve.theme_files is None:
            before = {f.src_uri for f in self}
            listed(self, env, config)
            STATE.serve.theme_files = [(f.src_uri, f.src_dir) for f in self if f.src_uri not in before]
            return
        for path, folder in STATE.serve.theme_files:
            if self.get_file_from_path(path) is None:
                self.append(File(path, folder, config.site_dir, config.use_directory_urls))

    Files.add_files_from_theme = add_files_from_theme


def watch(server, config):
    """Watch with the operating system's notifications (watchdog's native
    observer) instead of polling every half second. MkDocs has already put
    the docs folder and mkdocs.yml on its polling observer; they move to the
    new one, and mkdocs.yml's ``watch`` list is added to it after this event."""
    if not STATE.serve.dirty:
        return server
    from watchdog import events
    from watchdog.observers import Observer

    class ChangesOnly(Observer):
        """Only writes, creations, deletions and moves: inotify also reports
        every file the build opens, which would start the next rebuild."""
        kinds = (events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
                 events.FileMovedEvent, events.FileClosedEvent)

        def schedule(self, event_handler, path, *, recursive=False, event_filter=None):
            return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or self.kinds)

    watched = [p for p in (config.docs_dir, config.config_file_path) if p]
    for path in watched:
        server.unwatch(path)
    server.observer = ChangesOnly()
    for path in watched:
        server.watch(path)
    return server


def templates(env):
    env.bytecode_cache = STATE.serve.templates
    return env


def merge_search_index(site_dir: Path, pages: list[str], use_directory_urls: bool) -> None:
    """After a page rebuild MkDocs' index holds only the rebuilt pages: put
    them into the full index of the last full build. After a full build,
    keep that index (before the post-build pass adds to it)."""
    index_path = site_dir / "search" / "search_index.json"
    if not index_path.is_file():
        return
    import json

    index = json.loads(index_path.read_text(encoding="utf-8"))
    if STATE.build.page_rebuild and STATE.serve.search is not None:
        locations = [search_index.location_for(p, use_directory_urls) for p in pages]
        index = search_index.merge(STATE.serve.search, index, locations)
        index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    STATE.serve.search = index


def _after_the_build_logger() -> logging.Logger:
    """For the checks run after a page rebuild: outside MkDocs' loggers,
    whose strict counter would otherwise count problems reported while the
    build that started them is finishing, and stop it."""
    logger = logging.getLogger("explainer.serve")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-8s-  explainer: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    return logger


def checks_after(run_checks) -> None:
    """``run_checks(logger)`` in a thread, once the page is shown."""
    threading.Thread(target=run_checks, args=(_after_the_build_logger(),), daemon=True).start()
