"""MkDocs hook: the offline copy of the site and its download link.

In the hosted build (``mkdocs.yml``):

- ``/downloads/explainer-offline.zip`` is built at the same time as the site:
  the offline build (scripts/build_offline.py) runs in a second process while
  this build reads and renders pages, and the zip is registered as a site file
  from the start, so MkDocs' link validation and htmlproofer accept a plain
  relative link to it (``[...](downloads/explainer-offline.zip)``).
- With ``OFFLINE_ZIP=path`` in the environment, that ready-made zip is used
  instead (``make test`` builds it once and every test build reuses it).
- Otherwise each zip built is kept in ``.cache/offline/`` (gitignored) under
  the digest of its inputs (``build_offline.input_digest``: the project's
  files, the installed packages, the build date, SITE_URL); a build whose
  inputs have not changed reuses it instead of building it again. A clean
  checkout (the Pages workflow) has no cache and builds it.
- Under ``mkdocs serve`` the zip is made (or taken from the cache) once per
  session; live reloads after an edit keep that zip rather than spending
  three seconds of both cores on each one (`make offline` rebuilds it).

In the offline build (``mkdocs.offline.yml``, Material's offline plugin on):

- the ``iframe-worker`` shim from npm (node_modules, pinned in package.json)
  is copied to ``assets/javascripts/iframe-worker/shim.js``, which
  ``extra.polyfills`` lists, so the plugin does not add its unpkg URL;
- instant navigation is switched off (it needs a server);
- links to the zip point to the hosted copy (``site_url``), since the offline
  copy does not contain itself.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import build_offline  # noqa: E402

log = logging.getLogger("mkdocs.hooks.offline")

ZIP_URI = "downloads/explainer-offline.zip"
SHIM_URI = "assets/javascripts/iframe-worker/shim.js"
SHIM_PACKAGE = "iframe-worker"
SHIM_VERSION = "1.0.4"
ZIP_LINK_RE = re.compile(r"\]\(\s*<?((?:\.\./)*|/)" + re.escape(ZIP_URI) + r">?")

_STATE: dict = {}
# Kept for the whole `mkdocs serve` session: MkDocs executes this module
# again on every reload, but scripts.build_offline stays imported.
_SESSION: dict = build_offline.__dict__.setdefault("HOOK_SESSION", {})
CACHE_KEEP = 3  # zips kept in .cache/offline/


def on_startup(command, dirty, **kwargs):
    _SESSION.clear()
    _SESSION["command"] = command


def is_offline_build(config) -> bool:
    from material.plugins.offline.plugin import OfflinePlugin

    return any(isinstance(p, OfflinePlugin) and p.config.enabled for p in config.plugins.values())


def shim_source(root: Path) -> Path:
    """The shim file from node_modules, checked against the pinned version."""
    package = root / "node_modules" / SHIM_PACKAGE
    shim = package / "shim" / "index.js"
    if not shim.is_file():
        raise PluginError(f"{shim}: not found; install the npm devDependencies first "
                          f"(npm install, or make offline)")
    version = json.loads((package / "package.json").read_text(encoding="utf-8")).get("version")
    if version != SHIM_VERSION:
        raise PluginError(f"{package / 'package.json'}: {SHIM_PACKAGE} {version} installed, "
                          f"package.json pins {SHIM_VERSION}; run npm install")
    return shim


def on_config(config, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    _STATE.clear()
    _STATE["root"] = root
    _STATE["offline"] = offline = is_offline_build(config)
    if not offline:
        return config
    # The offline plugin has already run: any remote polyfill left means the
    # vendored shim is not listed under extra.polyfills.
    polyfills = [str(p) for p in config.extra.get("polyfills", [])]
    remote = [p for p in polyfills if "://" in p]
    if remote or SHIM_URI not in polyfills:
        raise PluginError(f"{Path(config.config_file_path).name}: extra.polyfills must list {SHIM_URI} "
                          f"and nothing remote (found {polyfills})")
    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features if f != "navigation.instant"]
    return config


def on_pre_build(config, **kwargs):
    if _STATE.get("offline"):
        return
    ready = os.environ.get("OFFLINE_ZIP", "").strip()
    if ready:
        path = Path(ready).resolve()
        if not path.is_file():
            raise PluginError(f"OFFLINE_ZIP={ready}: no such file (make offline builds it)")
        _STATE["zip"] = path
        return
    root = _STATE["root"]
    session_zip = _SESSION.get("zip")
    if _SESSION.get("command") == "serve" and session_zip and Path(session_zip).is_file():
        _STATE["zip"] = Path(session_zip)
        return
    cached = root / ".cache" / "offline" / f"{build_offline.input_digest(root)}.zip"
    if cached.is_file():
        log.info(f"{ZIP_URI}: inputs unchanged, reusing {cached.relative_to(root)}")
        os.utime(cached)  # newest first when the cache is pruned
        _STATE["zip"] = _SESSION["zip"] = cached
        return
    _STATE["cache_to"] = cached
    tmp = Path(tempfile.mkdtemp(prefix="explainer-offline-zip-"))
    _STATE["tmp"] = tmp
    _STATE["zip"] = tmp / "explainer-offline.zip"
    _STATE["proc"] = subprocess.Popen(
        [sys.executable, "-m", "scripts.build_offline", "--out", str(_STATE["zip"]),
         "--config", str(root / "mkdocs.offline.yml")],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


# Before other plugins (htmlproofer indexes the files in its own on_files).
@event_priority(100)
def on_files(files, config, **kwargs):
    if _STATE.get("offline"):
        files.append(File.generated(config, SHIM_URI, abs_src_path=str(shim_source(_STATE["root"]))))
    else:
        files.append(File.generated(config, ZIP_URI, abs_src_path=str(_STATE["zip"])))
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    if not _STATE.get("offline"):
        return markdown
    hosted = (config.site_url or "").rstrip("/") + "/" + ZIP_URI
    return ZIP_LINK_RE.sub(lambda m: f"]({hosted}", markdown)


# Static files are copied right after this event: the zip must be ready.
@event_priority(100)
def on_env(env, config, files, **kwargs):
    proc = _STATE.pop("proc", None)
    if proc is None:
        return env
    output, _ = proc.communicate()
    if proc.returncode != 0 or not _STATE["zip"].is_file():
        raise PluginError(f"offline copy for {ZIP_URI} failed:\n{output.strip()}")
    _store(_STATE["zip"], _STATE.pop("cache_to"))
    return env


def _store(built: Path, cached: Path) -> None:
    """Keep the zip in the cache (atomically: another build may be reading
    it) and drop all but the newest CACHE_KEEP zips."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.part")
        shutil.copyfile(built, partial)
        partial.replace(cached)
        _SESSION["zip"] = cached
        zips = sorted(cached.parent.glob("*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in zips[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        log.info(f"{ZIP_URI}: not cached ({exc})")


def on_post_build(config, **kwargs):
    _cleanup()


def on_build_error(error, **kwargs):
    proc = _STATE.pop("proc", None)
    if proc is not None:
        proc.kill()
        proc.communicate()
    _cleanup()


def _cleanup():
    tmp = _STATE.pop("tmp", None)
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)
