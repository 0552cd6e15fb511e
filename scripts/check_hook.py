"""MkDocs hook: run the content checks (scripts/check_content.py) in the build.

Registered first under ``hooks:`` in mkdocs.yml, so that one Python process
checks and builds (`make build`, `make test` and the Pages workflow need no
separate `make check`), and so that `make serve` shows problems on every
rebuild while a page is being written.

Each problem is logged as an error, ``path:line: message`` exactly as
`make check` prints it (an error, not a warning, so that ``mkdocs build -q``
still shows and counts it). The site is built with ``strict: true``, so the
build stops once every page has been read ("Aborted with N errors in strict
mode"); the other hooks' own errors, MkDocs' nav and link messages and
htmlproofer still get their say in the same run.

`make check` (``python -m scripts.check_content``) stays the standalone
command, and prints the same list.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import check_content  # noqa: E402
from scripts.offline_hook import is_offline_build  # noqa: E402

log = logging.getLogger("mkdocs.hooks.check_content")


def on_pre_build(config, **kwargs):
    # The offline copy (mkdocs.offline.yml) is built from the same files,
    # which the main build has just checked.
    if is_offline_build(config):
        return
    root = Path(config.config_file_path).resolve().parent
    problems = check_content.run(root, Path(config.docs_dir), root / "data", Path(config.config_file_path))
    for problem in problems:
        log.error(str(problem))
    if problems:
        log.error(f"{len(problems)} problem(s) found by the content checks (make check lists them)")
