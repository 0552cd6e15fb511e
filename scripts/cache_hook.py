"""MkDocs hook: keep the theme's compiled templates between builds.

Every build compiles Material's Jinja templates from source three times
(MkDocs' own environment, the search plugin's and the print-site plugin's),
about half a second on the 2-core build machine: more than the Markdown of
every page takes. Jinja has a cache for exactly this, its
``FileSystemBytecodeCache``; this hook gives each theme environment one, in
``.cache/jinja/`` next to mkdocs.yml (gitignored).

Jinja keys each cached template on its name and file, checks the checksum of
the template source before using it, and writes entries atomically, so an
edited template (`make serve`) is compiled again, two builds at once (the
offline copy is built alongside) do not clash, and a build with an empty
cache writes the same bytes (tests/test_delivery.py compares the two).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.theme import Theme

_STATE: dict = {}


def _get_env_with_cache(original):
    def get_env(self):
        env = original(self)
        cache = _STATE.get("cache")
        if cache is not None:
            env.bytecode_cache = cache
        return env

    get_env.bytecode_cached = True
    return get_env


def on_config(config, **kwargs):
    folder = Path(config.config_file_path).resolve().parent / ".cache" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _STATE["cache"] = FileSystemBytecodeCache(str(folder))
    except OSError:
        _STATE["cache"] = None  # a read-only checkout builds without the cache
    # Patched once per process (`mkdocs serve` loads the hooks again on
    # every rebuild).
    if not getattr(Theme.get_env, "bytecode_cached", False):
        Theme.get_env = _get_env_with_cache(Theme.get_env)
    return config
