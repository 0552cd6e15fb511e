"""Project settings: mkdocs.yml read in one way, the horizon, the build date.

``mkdocs.yml`` is read with MkDocs' own YAML loader
(``mkdocs.utils.yaml.yaml_load``), which resolves ``!ENV`` and ``INHERIT``
exactly as a build does, so a check and a build never see different
settings. Python-only: Zensical reads the same file itself.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from explainer import ROOT

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
]


def read_config(path: Path | None = None) -> dict:
    """mkdocs.yml as a dict, with ``!ENV`` values resolved as in a build."""
    path = Path(path or ROOT / "mkdocs.yml")
    return dict(_read_config(str(path.resolve()), path.stat().st_mtime_ns, _env_key()))


def _env_key() -> tuple:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.isupper()))


@lru_cache(maxsize=8)
def _read_config(path: str, _mtime: int, _env: tuple) -> dict:
    from mkdocs.utils.yaml import yaml_load

    with open(path, encoding="utf-8") as handle:
        return yaml_load(handle) or {}


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
