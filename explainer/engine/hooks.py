"""MkDocs' events, wired to the engine-neutral package: delete explainer/engine/
at the move to Zensical (CONTRIBUTING.md, "Moving to Zensical").

In the order MkDocs fires them:

- ``on_startup``, ``on_serve``, ``on_env``: only under `make serve`
  (explainer/engine/serve.py: the watcher, compiled templates kept);
- ``on_config``: which build this is (the offline copy is Material's offline
  plugin switched on; under `make serve`, a page rebuild or a full one,
  explainer/engine/incremental.py); moved pages from data/redirects.yml
  handed to the mkdocs-redirects plugin; for the offline copy, the vendored
  iframe-worker shim listed as the polyfill (before the offline plugin would
  add its CDN copy);
- ``on_pre_build``: the data loaded once (``explainer.data.load``) and the
  content checks of ``explainer check`` run on it, each problem logged as an
  error ``path:line: message``;
- ``on_files``: the generated files (downloads, the timeline's pictures),
  the offline zip and the shim registered as site files, so that MkDocs and htmlproofer check links to
  them;
- ``on_nav``: a strict build that the content checks have refused stops
  here, before rendering pages it would refuse anyway;
- ``on_page_markdown`` (offline copy only): the zip link points at the hosted
  copy, since the offline copy does not contain itself;
- ``on_page_context``: template values for overrides/main.html (preview
  image, review date, moved anchors, search prefetch list);
- ``on_post_build``: the post-build pass (``explainer.postbuild.run``) on the
  same data and generated files.

The state the events share is ``explainer.engine.state.STATE``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from explainer import postbuild
from explainer.checks import content as content_checks
from explainer.config import build_date
from explainer.data import datetext, loading
from explainer.data.bundle import LICENCE_URL
from explainer.data.redirects import anchor_moves, resolve_page
from explainer.engine import incremental, serve
from explainer.engine.state import STATE
from explainer.postbuild import offline
from explainer.render import cite, fact_pages, jsonld
from explainer.search import index as search_index

log = get_plugin_logger("explainer")

SHIM_URI = "assets/javascripts/iframe-worker/shim.js"
SHIM_PACKAGE = "iframe-worker"
SHIM_VERSION = "1.0.4"


def is_offline_build(config) -> bool:
    """The offline copy: Material's offline plugin is on (OFFLINE=true in mkdocs.yml)."""
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


def offline_zip(root: Path) -> Path:
    """The zip the hosted build publishes: OFFLINE_ZIP, else build/explainer-offline.zip."""
    ready = os.environ.get("OFFLINE_ZIP", "").strip()
    path = Path(ready).resolve() if ready else root / "build" / offline.ZIP_NAME
    if not path.is_file():
        where = f"OFFLINE_ZIP={ready}" if ready else str(path)
        raise PluginError(f"{where}: no offline zip; `make offline` builds it (make build and make serve do first)")
    return path


# --------------------------------------------------------------------------
# `make serve` only (explainer/engine/serve.py)
# --------------------------------------------------------------------------
def on_startup(command, dirty, **kwargs):
    serve.start(command, dirty)


def on_serve(server, config, builder, **kwargs):
    return serve.watch(server, config)


def on_env(env, config, files, **kwargs):
    return serve.templates(env)


# --------------------------------------------------------------------------
# Every build
# --------------------------------------------------------------------------
# Before the offline plugin's on_config, which adds its CDN shim unless an
# iframe-worker polyfill is already listed.
@event_priority(100)
def on_config(config, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    pages, snapshot = None, None
    if STATE.serve.dirty:
        snapshot = incremental.snapshot(root)
        pages = incremental.changed_pages(STATE.serve.snapshot, snapshot)
        if pages is None and STATE.serve.snapshot is not None:
            log.info("full rebuild (more than page text changed)")
    build = STATE.begin(root, pages, snapshot)
    if build.page_rebuild:
        log.info("rebuilding " + (", ".join(pages) or "nothing") + " (page text only)")
        # Its print page would hold only the rebuilt pages; the last full one stays.
        printing = config.plugins.get("print-site")
        if printing is not None:
            printing.config["enabled"] = False
    build.offline = is_offline_build(config)
    if build.offline:
        config.extra["polyfills"] = [SHIM_URI]
        config.extra["offline_copy"] = True  # overrides/main.html: no feed link from disk
    return config


def on_pre_build(config, **kwargs):
    build = STATE.build
    build.start = time.time()
    config_file = Path(config.config_file_path)
    d, problems = content_checks.load(build.root, Path(config.docs_dir), config=config_file)
    if d is None:
        for problem in problems:
            log.error(str(problem))
        raise PluginError(f"{len(problems)} problem(s) in the data files (listed above); nothing can be built")
    build.data = d
    build.redirects = d.redirects
    build.anchor_moves = anchor_moves(d.redirects)
    plugin = config.plugins.get("redirects")
    if d.redirects["pages"] and plugin is None:
        raise PluginError(f"{loading.rel(config_file.parent / 'data' / 'redirects.yml')}: page redirects need the "
                          "'redirects' plugin in mkdocs.yml")
    if plugin is not None:
        plugin.config["redirect_maps"].update({old: v["to"] for old, v in d.redirects["pages"].items()})
    # The offline copy is built from the same files, which the hosted build checks.
    if build.offline:
        return
    if build.page_rebuild:
        # After a save under `make serve`: the page is shown first, the
        # problems are printed a moment later (on_post_build starts them).
        build.deferred_checks = True
        return
    build.problems = _report(content_checks.check(d))


def _report(problems: list, logger=None) -> int:
    logger = logger or log
    for problem in problems:
        logger.error(str(problem))
    if problems:
        logger.error(f"{len(problems)} problem(s) found by the content checks (explainer check lists them)")
    return len(problems)


# Last, once MkDocs has built the navigation (and said which pages are
# missing from it): a strict build with content problems stops here, before
# it renders every page only to be refused (seconds instead of a full build).
@event_priority(-100)
def on_nav(nav, config, files, **kwargs):
    if config.strict and STATE.build.problems:
        raise PluginError(f"{STATE.build.problems} problem(s) found by the content checks (listed above); "
                          "the strict build stops before rendering the pages")
    return nav


# Before htmlproofer (priority 0) indexes the files in its own on_files.
@event_priority(100)
def on_files(files, config, **kwargs):
    build = STATE.build
    if build.page_rebuild and STATE.serve.generated is not None:
        build.generated = STATE.serve.generated  # a page's text does not change them
    else:
        build.generated = postbuild.generated_files(build.data, build.root, config.site_url or "")
        STATE.serve.generated = build.generated if STATE.serve.dirty else None
    for path, text in build.generated.items():
        files.append(File.generated(config, path, content=text))
    if STATE.serve.dirty and not build.page_rebuild:
        # A full rebuild under --dirty: MkDocs renders a page only if its
        # Markdown is newer than its HTML, so make every HTML older.
        for page in files.documentation_pages():
            if os.path.exists(page.abs_dest_path):
                os.utime(page.abs_dest_path, (0, 0))
    if build.offline:
        files.append(File.generated(config, SHIM_URI, abs_src_path=str(shim_source(build.root))))
    else:
        files.append(File.generated(config, offline.ZIP_URI, abs_src_path=str(offline_zip(build.root))))
    # A page of its own for each key fact (outside the nav), so that a pasted
    # link unfurls as the fact (explainer/render/fact_pages.py).
    for fp in fact_pages.pages(build.data):
        files.append(File.generated(config, fp.src, content=fact_pages.markdown(build.data, fp, build_date(build.root)),
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    # Every page's citation record in every style: one run of citeproc-js.
    try:
        build.citations = cite.site_citations(build.data, config.site_url or "/")
    except cite.CiteError as exc:
        raise PluginError(str(exc)) from exc
    build.files = files
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    if not STATE.build.offline:
        return markdown
    hosted = (config.site_url or "").rstrip("/") + "/" + offline.ZIP_URI
    return offline.ZIP_LINK_RE.sub(lambda m: f"]({hosted}", markdown)


def on_page_context(context, page, config, nav, **kwargs):
    build = STATE.build
    moves = {}
    for old_id, target in build.anchor_moves.get(page.file.src_uri, {}).items():
        target_page, _, target_id = target.partition("#")
        target_file = build.files.get_file_from_path(resolve_page(target_page, build.redirects["pages"]))
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
        "reviewed_human": datetext.human_date(reviewed) if reviewed else "",
        "permanent_url": page.canonical_url or urljoin(base, page.url),
    }
    cited = build.citations.get(page.file.src_uri)
    if cited:
        record = cited["record"]
        context["linking"].update(
            citations=cited["citations"], downloads=cited["downloads"], record_id=record["id"],
            citation_meta=cite.highwire_tags(record),
            article_jsonld=jsonld.json_ld_scripts([cite.article_json_ld(
                record, site_name=config["site_name"], site_url=base, reviewed=reviewed, description=description,
                image=context["linking"]["preview_url"], licence_url=LICENCE_URL)]),
        )
    plugin = config.plugins.get("material/search")
    langs = list(plugin.config.lang or []) if plugin is not None else []
    context["search_prefetch"] = [get_relative_url(f, page.url) for f in search_index.lunr_files(langs)]
    return context


def on_post_build(config, **kwargs):
    build = STATE.build
    site = postbuild.Site(
        site_dir=Path(config.site_dir), root=build.root, site_url=config.site_url or "/",
        site_name=config.site_name, use_directory_urls=config.use_directory_urls, offline=build.offline,
    )
    only = None
    if STATE.serve.dirty:
        serve.merge_search_index(site.site_dir, build.pages or [], config.use_directory_urls)
        if build.page_rebuild:
            only = incremental.written_since(postbuild.site_pages(site.site_dir), build.start)
    try:
        # The downloads are site files already (on_files): the pass does not write them again.
        postbuild.run(site, build.data, only, generated=build.generated)
    except (ValueError, FileNotFoundError, loading.DataError, postbuild.assets.AssetError) as exc:
        raise PluginError(f"post-build: {exc}") from exc
    if STATE.serve.dirty:
        STATE.serve.snapshot = build.snapshot
    if build.deferred_checks:
        root, docs, config_file = build.root, Path(config.docs_dir), Path(config.config_file_path)

        def checks(logger):
            # Loaded afresh: the page's new text is what the editor wants checked.
            d, problems = content_checks.load(root, docs, config=config_file)
            _report(problems if d is None else content_checks.check(d), logger)

        serve.checks_after(checks)
