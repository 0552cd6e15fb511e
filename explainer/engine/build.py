"""The one helper that runs a site build (``mkdocs build``) in a subprocess.

Used by the offline copy (explainer/engine/offline.py), ``explainer urls``,
the tests and the benchmarks, so that every build is run the same way: strict, with the build
date fixed (SOURCE_DATE_EPOCH), the MkDocs 2 notice silenced and the output
captured. Without ``-q``: MkDocs' quiet mode drops warnings before its strict
counter sees them, so a quiet strict build passes with warnings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from explainer.config import source_date_epoch


class BuildError(Exception):
    """A build that failed; the message holds its output."""


def build_env(root: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    env.setdefault("SOURCE_DATE_EPOCH", str(source_date_epoch(root)))
    env.update(extra)
    return env


def mkdocs_build(root: Path, site_dir: Path, *, offline: bool = False, check: bool = True,
                 env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of the project at ``root`` into ``site_dir``.

    ``offline=True`` switches on Material's offline plugin (OFFLINE=true).
    With ``check`` a failed build raises BuildError with its output.
    """
    extra = {"OFFLINE": "true"} if offline else {}
    run_env = build_env(Path(root), **extra)
    if env:
        run_env.update(env)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site_dir)],
        cwd=root, env=run_env, capture_output=True, text=True, timeout=timeout,
    )
    if check and result.returncode != 0:
        raise BuildError(f"{'offline ' if offline else ''}build of {root} failed (exit {result.returncode}):\n"
                         + (result.stdout + result.stderr).strip())
    return result
