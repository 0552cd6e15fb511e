"""The only MkDocs-specific module: delete it at the move to Zensical.

Everything else in ``explainer/`` is framework-free; this file only connects
it to MkDocs' events, in one place, in the order they fire:

- ``on_config``: moved pages from data/redirects.yml handed to the
  mkdocs-redirects plugin; for the offline copy (``OFFLINE=true``), the
  vendored iframe-worker shim listed as the polyfill (before the offline
  plugin would add its CDN copy). Instant navigation, which needs a server,
  is off in mkdocs.yml for every build (issue 18).
- ``on_pre_build``: the content checks of ``explainer check``, each problem
  logged as an error ``path:line: message`` (strict builds stop on them;
  ``mkdocs serve`` shows them on every reload).
- ``on_files``: the generated downloads, the offline zip and the shim
  registered as site files, so that MkDocs and htmlproofer check links to
  them. (Redirect targets are checked with the content checks.)
- ``on_nav``: a strict build that the content checks have refused stops
  here, before rendering pages it would refuse anyway.
- ``on_page_markdown`` (offline copy only): the zip link points at the hosted
  copy, since the offline copy does not contain itself.
- ``on_page_context``: template values for overrides/main.html (preview
  image, review date, moved anchors, search prefetch list).
- ``on_post_build``: the post-build pass (``explainer.postbuild.run``).

Under ``mkdocs serve --dirty`` (what `make serve` runs) three more, so that a
save shows in the browser within a second (explainer/incremental.py says
what a rebuild after a save does and leaves out):

- ``on_startup``: notes that this is that server;
- ``on_serve``: the file watcher made the operating system's (inotify on
  Linux) instead of MkDocs' half-second polling;
- ``on_env``: compiled templates kept between rebuilds (a Jinja bytecode
  cache in memory; a template's new text is compiled again).

What Zensical does instead of each is in CONTRIBUTING.md, "Moving to Zensical".
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from explainer import data as site_data
from explainer import incremental, postbuild
from explainer.checks import content as content_checks
from explainer.config import build_date
from explainer.data import files as sd
from explainer.data.redirects import anchor_moves, load_redirects, resolve_page
from explainer.postbuild import offline, search
from explainer.render import downloads as open_data

log = get_plugin_logger("explainer")

SHIM_URI = "assets/javascripts/iframe-worker/shim.js"
SHIM_PACKAGE = "iframe-worker"
SHIM_VERSION = "1.0.4"

_STATE: dict = {}  # one build's
# One `mkdocs serve --dirty` process's, kept between its rebuilds (MkDocs
# imports this module once per process): the last input snapshot, the full
# search index, the downloads, compiled templates.
_SERVE: dict = {"dirty": False, "snapshot": None, "search": None, "downloads": None}


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


_TEMPLATES = MemoryBytecodeCache()


class _DirtyNotice(logging.Filter):
    """MkDocs warns on every --dirty build that other pages' navigation may be
    stale; a strict build would stop on it. It cannot be here: any change but
    a page's text gets a full rebuild (explainer/incremental.py)."""

    def filter(self, record):
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def is_offline_build(config) -> bool:
    plugin = config.plugins.get("material/offline")
    return bool(plugin is not None and plugin.config.enabled)


def shim_source(root: Path) -> Path:
    """The shim file from node_modules, checked against the pinned version."""
    package = root / "node_modules" / SHIM_PACKAGE
    shim = package / "shim" / "index.js"
    if not shim.is_file():
        raise PluginError(f"{shim}: not found; install the npm devDependencies first (npm install)")
    version = json.loads((package / "package.json").read_text(encoding="utf-8")).get("version")
    if version != SHIM_VERSION:
        raise PluginError(f"{package / 'package.json'}: {SHIM_PACKAGE} {version} installed, "
                          f"package.json pins {SHIM_VERSION}; run npm install")
    return shim


def _theme_files_once() -> None:
    """MkDocs lists every file of the theme on every build (Material's has
    some 13,000, its icons, which takes half a second). Under `make serve` a
    page rebuild reuses the list of the last full build: the theme cannot
    have changed in between (a change to overrides/ is a full rebuild, and
    Material's own folder is not watched)."""
    from mkdocs.structure.files import Files

    listed = Files.add_files_from_theme

    def add_files_from_theme(self, env, config):
        if _STATE.get("pages") is None or "theme_files" not in _SERVE:
            before = {f.src_uri for f in self}
            listed(self, env, config)
            _SERVE["theme_files"] = [(f.src_uri, f.src_dir) for f in self if f.src_uri not in before]
            return
        for path, folder in _SERVE["theme_files"]:
            if self.get_file_from_path(path) is None:
                self.append(File(path, folder, config.site_dir, config.use_directory_urls))

    Files.add_files_from_theme = add_files_from_theme


def on_startup(command, dirty, **kwargs):
    _SERVE["dirty"] = command == "serve" and dirty
    if _SERVE["dirty"]:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())
        _theme_files_once()


def on_serve(server, config, builder, **kwargs):
    """Watch with the operating system's notifications (watchdog's native
    observer) instead of polling every half second. MkDocs has already put
    the docs folder and mkdocs.yml on its polling observer; they move to the
    new one, and mkdocs.yml's ``watch`` list is added to it after this event."""
    if not _SERVE["dirty"]:
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


# Before the offline plugin's on_config, which adds its CDN shim unless an
# iframe-worker polyfill is already listed.
@event_priority(100)
def on_config(config, **kwargs):
    root = _root(config)
    _STATE.clear()
    _STATE["root"] = root
    # Under `make serve`, what this rebuild must do (explainer/incremental.py):
    # None is a full build; a list is the pages whose text alone changed.
    _STATE["pages"] = None
    if _SERVE["dirty"]:
        now = incremental.snapshot(root)
        _STATE["pages"] = incremental.changed_pages(_SERVE["snapshot"], now)
        if _STATE["pages"] is None and _SERVE["snapshot"] is not None:
            log.info("full rebuild (more than page text changed)")
        # Kept once this build has finished (on_post_build): after a build
        # that stopped, the next one is compared with the last that did not.
        _STATE["snapshot"] = now
        if _STATE["pages"] is not None:
            log.info("rebuilding " + (", ".join(_STATE["pages"]) or "nothing") + " (page text only)")
            # Its print page would hold only the rebuilt pages; the last full one stays.
            printing = config.plugins.get("print-site")
            if printing is not None:
                printing.config["enabled"] = False
    _STATE["offline"] = offline_build = os.environ.get("OFFLINE", "").lower() in ("1", "true", "yes")
    if offline_build:
        config.extra["polyfills"] = [SHIM_URI]
        config.extra["offline_copy"] = True  # overrides/main.html: no feed link from disk
    path = root / "data" / "redirects.yml"
    try:
        redirects = load_redirects(path)
    except sd.DataError as exc:
        raise PluginError(str(exc)) from exc
    _STATE["redirects"] = redirects
    _STATE["anchor_moves"] = anchor_moves(redirects)
    plugin = config.plugins.get("redirects")
    if redirects["pages"] and plugin is None:
        raise PluginError(f"{sd.rel(path)}: page redirects need the 'redirects' plugin in mkdocs.yml")
    if plugin is not None:
        plugin.config["redirect_maps"].update({old: v["to"] for old, v in redirects["pages"].items()})
    return config


def _after_the_build_logger() -> logging.Logger:
    """For the checks `make serve` runs after a page rebuild: outside MkDocs'
    loggers, whose strict counter would otherwise count problems reported
    while the build that started them is finishing, and stop it."""
    logger = logging.getLogger("explainer.serve")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-8s-  explainer: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    return logger


def _content_checks(root: Path, docs: Path, config_file: Path, logger=None) -> int:
    logger = logger or log
    problems = content_checks.run(root, docs, root / "data", config_file)
    for problem in problems:
        logger.error(str(problem))
    if problems:
        logger.error(f"{len(problems)} problem(s) found by the content checks (explainer check lists them)")
    return len(problems)


def on_pre_build(config, **kwargs):
    _STATE["start"] = time.time()
    # The offline copy is built from the same files, which the hosted build checks.
    if _STATE["offline"]:
        return
    args = (_STATE["root"], Path(config.docs_dir), Path(config.config_file_path))
    if _STATE["pages"] is not None:
        # After a save under `make serve`: the page is shown first, the
        # problems are printed a moment later (on_post_build starts them).
        _STATE["deferred_checks"] = args
        return
    _STATE["problems"] = _content_checks(*args)


# Last, once MkDocs has built the navigation (and said which pages are
# missing from it): a strict build with content problems stops here, before
# it renders every page only to be refused (seconds instead of a full build).
@event_priority(-100)
def on_nav(nav, config, files, **kwargs):
    if config.strict and _STATE.get("problems"):
        raise PluginError(f"{_STATE['problems']} problem(s) found by the content checks (listed above); "
                          "the strict build stops before rendering the pages")
    return nav


def offline_zip() -> Path:
    """The zip the hosted build publishes: OFFLINE_ZIP, else build/explainer-offline.zip."""
    ready = os.environ.get("OFFLINE_ZIP", "").strip()
    path = Path(ready).resolve() if ready else _STATE["root"] / "build" / offline.ZIP_NAME
    if not path.is_file():
        where = f"OFFLINE_ZIP={ready}" if ready else str(path)
        raise PluginError(f"{where}: no offline zip; `make offline` builds it (make build and make serve do first)")
    return path


# Before htmlproofer (priority 0) indexes the files in its own on_files.
@event_priority(100)
def on_files(files, config, **kwargs):
    root = _STATE["root"]
    if _STATE["pages"] is not None and _SERVE["downloads"] is not None:
        downloads = _SERVE["downloads"]  # a page's text does not change them
    else:
        try:
            d = site_data.load(root)
        except sd.DataError as exc:
            raise PluginError(str(exc)) from exc
        downloads = open_data.downloads(d, build_date(root), config.site_url or "")
        _SERVE["downloads"] = downloads if _SERVE["dirty"] else None
    for path, text in downloads.items():
        files.append(File.generated(config, path, content=text))
    if _SERVE["dirty"] and _STATE["pages"] is None:
        # A full rebuild under --dirty: MkDocs renders a page only if its
        # Markdown is newer than its HTML, so make every HTML older.
        for page in files.documentation_pages():
            if os.path.exists(page.abs_dest_path):
                os.utime(page.abs_dest_path, (0, 0))
    if _STATE["offline"]:
        files.append(File.generated(config, SHIM_URI, abs_src_path=str(shim_source(root))))
    else:
        files.append(File.generated(config, offline.ZIP_URI, abs_src_path=str(offline_zip())))
    _STATE["files"] = files
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    if not _STATE["offline"]:
        return markdown
    hosted = (config.site_url or "").rstrip("/") + "/" + offline.ZIP_URI
    return offline.ZIP_LINK_RE.sub(lambda m: f"]({hosted}", markdown)


def on_page_context(context, page, config, nav, **kwargs):
    files = _STATE["files"]
    moves = {}
    for old_id, target in _STATE["anchor_moves"].get(page.file.src_uri, {}).items():
        target_page, _, target_id = target.partition("#")
        target_file = files.get_file_from_path(resolve_page(target_page, _STATE["redirects"]["pages"]))
        moves[old_id] = get_relative_url(target_file.url, page.url) + "#" + target_id
    base = config.site_url or "/"
    base = base if base.endswith("/") else base + "/"
    reviewed = str(page.meta.get("reviewed", "") or "")
    description = str(page.meta.get("description") or config.get("site_description") or "")
    title = str(page.meta.get("title") or page.title or config["site_name"])
    context["linking"] = {
        "anchor_moves": json.dumps(moves, sort_keys=True) if moves else "",
        "preview_url": urljoin(base, postbuild.preview_path(page.file.src_uri, config.use_directory_urls)),
        "preview_alt": f"{title}: {description}" if description else title,
        "reviewed": reviewed,
        "reviewed_human": sd.human_date(reviewed) if reviewed else "",
        "permanent_url": page.canonical_url or urljoin(base, page.url),
    }
    plugin = config.plugins.get("material/search")
    langs = list(plugin.config.lang or []) if plugin is not None else []
    context["search_prefetch"] = [get_relative_url(f, page.url) for f in search.lunr_files(langs)]
    return context


def on_env(env, config, files, **kwargs):
    env.bytecode_cache = _TEMPLATES
    return env


def _merge_search_index(site_dir: Path, pages: list[str], use_directory_urls: bool) -> None:
    """After a page rebuild MkDocs' index holds only the rebuilt pages: put
    them into the full index of the last full build. After a full build,
    keep that index (before the post-build pass adds to it)."""
    index_path = site_dir / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    if _STATE["pages"] is not None and _SERVE["search"] is not None:
        locations = [search.location_for(p, use_directory_urls) for p in pages]
        index = incremental.merge_search_index(_SERVE["search"], index, locations)
        index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    _SERVE["search"] = index


def on_post_build(config, **kwargs):
    site = postbuild.Site(
        site_dir=Path(config.site_dir), root=_STATE["root"], site_url=config.site_url or "/",
        site_name=config.site_name, use_directory_urls=config.use_directory_urls, offline=_STATE["offline"],
    )
    only = None
    if _SERVE["dirty"]:
        _merge_search_index(site.site_dir, _STATE["pages"] or [], config.use_directory_urls)
        if _STATE["pages"] is not None:
            only = incremental.written_since(postbuild.site_pages(site.site_dir), _STATE["start"])
    try:
        postbuild.run(site, only)
    except (ValueError, FileNotFoundError, sd.DataError, postbuild.assets.AssetError) as exc:
        raise PluginError(f"post-build: {exc}") from exc
    if _SERVE["dirty"]:
        _SERVE["snapshot"] = _STATE["snapshot"]
    if _STATE.get("deferred_checks"):
        threading.Thread(target=_content_checks, args=(*_STATE["deferred_checks"], _after_the_build_logger()),
                         daemon=True).start()
