"""MkDocs hook: the offline copy of the site and its download link.

In the hosted build (``mkdocs.yml``):

- ``/downloads/explainer-offline.zip`` is built at the same time as the site:
  the offline build (scripts/build_offline.py) runs in a second process while
  this build reads and renders pages, and the zip is registered as a site file
  from the start, so MkDocs' link validation and htmlproofer accept a plain
  relative link to it (``[...](downloads/explainer-offline.zip)``).
- With ``OFFLINE_ZIP=path`` in the environment, that ready-made zip is used
  instead (``make test`` builds it once and every test build reuses it).

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

ZIP_URI = "downloads/explainer-offline.zip"
SHIM_URI = "assets/javascripts/iframe-worker/shim.js"
SHIM_PACKAGE = "iframe-worker"
SHIM_VERSION = "1.0.4"
ZIP_LINK_RE = re.compile(r"\]\(\s*<?((?:\.\./)*|/)" + re.escape(ZIP_URI) + r">?")

_STATE: dict = {}


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
    return env


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
