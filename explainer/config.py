"""Project settings: mkdocs.yml read in one way, the horizon, the build date.

``read_config`` is the package's one reader of ``mkdocs.yml``: PyYAML's safe
loader plus the one tag the file uses, ``!ENV`` (``!ENV NAME`` or ``!ENV
[NAME, ..., default]``: the first variable that is set, read as a YAML
scalar, else the default), resolved as MkDocs resolves it, so a check and a
build never see different settings. It needs no engine: the figures, the
checks, the bench and the tests read the file through it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from explainer import ROOT

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
]


class ConfigError(ValueError):
    """mkdocs.yml cannot be read; the message names file and line."""


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml's YAML: safe, plus ``!ENV``."""


def _env_tag(loader: _ConfigLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode) and node.value:
        items = node.value
        names = [loader.construct_scalar(n) for n in (items[:-1] if len(items) > 1 else items)]
        default = loader.construct_object(items[-1]) if len(items) > 1 else None
    else:
        raise yaml.constructor.ConstructorError(None, None, "!ENV needs a variable name or a list",
                                                node.start_mark)
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)


def read_config(path: Path | None = None) -> dict:
    """mkdocs.yml as a dict, with ``!ENV`` values resolved as in a build."""
    path = Path(path or ROOT / "mkdocs.yml")
    return dict(_read_config(str(path.resolve()), path.stat().st_mtime_ns, _env_key()))


def _env_key() -> tuple:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.isupper()))


@lru_cache(maxsize=8)
def _read_config(path: str, _mtime: int, _env: tuple) -> dict:
    with open(path, encoding="utf-8") as handle:
        try:
            return yaml.load(handle, Loader=_ConfigLoader) or {}  # a SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            raise ConfigError(f"{path}:{line}: invalid mkdocs.yml: {getattr(exc, 'problem', exc)}") from exc


def nav_pages(config: dict) -> list[str]:
    """Page paths (relative to docs/) in nav order; external links left out."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            if not re.match(r"^[a-z]+://", node) and node not in out:
                out.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(config.get("nav") or [])
    return out


def horizon_end(text: str) -> dt.date:
    """'July 2026' -> 2026-07-31 (the last day the sources reach)."""
    match = re.fullmatch(r"\s*([A-Z][a-z]+)\s+(\d{4})\s*", str(text))
    if not match or match.group(1) not in MONTHS:
        raise ValueError(f"horizon {text!r} is not 'Month YYYY'")
    year, month = int(match.group(2)), MONTHS.index(match.group(1)) + 1
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def source_date_epoch(root: Path | None = None) -> int:
    """SOURCE_DATE_EPOCH if set, else the last commit's time, else 1980-01-01.

    The one build date: sitemap dates, the downloads' ``build_date``, the
    offline zip's entries. A rebuild of the same commit gives the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return int(epoch)
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root or ROOT,
                                capture_output=True, text=True, timeout=10)
        if result.returncode == 0 and result.stdout.strip():
            return int(result.stdout.strip())
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    return 315532800


def build_date(root: Path | None = None) -> str:
    """The build date as YYYY-MM-DD (UTC), from ``source_date_epoch``."""
    return dt.datetime.fromtimestamp(source_date_epoch(root), dt.UTC).date().isoformat()
