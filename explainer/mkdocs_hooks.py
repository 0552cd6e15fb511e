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
  them; redirect targets checked.
- ``on_page_markdown`` (offline copy only): the zip link points at the hosted
  copy, since the offline copy does not contain itself.
- ``on_page_context``: template values for overrides/main.html (preview
  image, review date, moved anchors, search prefetch list).
- ``on_post_build``: the post-build pass (``explainer.postbuild.run``).

What Zensical does instead of each is in CONTRIBUTING.md, "Moving to Zensical".
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from explainer import data as site_data
from explainer import postbuild
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

_STATE: dict = {}


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


# Before the offline plugin's on_config, which adds its CDN shim unless an
# iframe-worker polyfill is already listed.
@event_priority(100)
def on_config(config, **kwargs):
    root = _root(config)
    _STATE.clear()
    _STATE["root"] = root
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
    _STATE["redirects_path"] = sd.rel(path)
    _STATE["anchor_moves"] = anchor_moves(redirects)
    plugin = config.plugins.get("redirects")
    if redirects["pages"] and plugin is None:
        raise PluginError(f"{sd.rel(path)}: page redirects need the 'redirects' plugin in mkdocs.yml")
    if plugin is not None:
        plugin.config["redirect_maps"].update({old: v["to"] for old, v in redirects["pages"].items()})
    return config


def on_pre_build(config, **kwargs):
    # The offline copy is built from the same files, which the hosted build checks.
    if _STATE["offline"]:
        return
    root = _STATE["root"]
    problems = content_checks.run(root, Path(config.docs_dir), root / "data", Path(config.config_file_path))
    for problem in problems:
        log.error(str(problem))
    if problems:
        log.error(f"{len(problems)} problem(s) found by the content checks (explainer check lists them)")


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
    redirects = _STATE["redirects"]
    known = {f.src_uri for f in files.documentation_pages()}
    for section in ("pages", "anchors"):
        for old, entry in redirects[section].items():
            target = resolve_page(entry["to"].partition("#")[0], redirects["pages"])
            if target not in known:
                raise PluginError(f"{_STATE['redirects_path']}:{entry['line']}: {old} -> {entry['to']}: "
                                  "no such page in docs/")
            if section == "pages" and old in known:
                raise PluginError(f"{_STATE['redirects_path']}:{entry['line']}: {old} still exists; "
                                  "a redirect would overwrite it (delete the page or the redirect)")
    try:
        d = site_data.load(root)
    except sd.DataError as exc:
        raise PluginError(str(exc)) from exc
    for path, text in open_data.downloads(d, build_date(root), config.site_url or "").items():
        files.append(File.generated(config, path, content=text))
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


def on_post_build(config, **kwargs):
    site = postbuild.Site(
        site_dir=Path(config.site_dir), root=_STATE["root"], site_url=config.site_url or "/",
        site_name=config.site_name, use_directory_urls=config.use_directory_urls, offline=_STATE["offline"],
    )
    try:
        postbuild.run(site)
    except (ValueError, FileNotFoundError, sd.DataError, postbuild.assets.AssetError) as exc:
        raise PluginError(f"post-build: {exc}") from exc
