"""Load and validate the data files and pages, framework-free.

``load(root)`` reads every data file and page once and runs the structural
(JSON Schema) and cross-file checks; ``Data.problems`` lists what is wrong as
``path:line: message``.
"""

from __future__ import annotations

from pathlib import Path

from explainer.data import changes
from explainer.data.bundle import Data
from explainer.data.bundle import load as _load_bundle
from explainer.data.crossrefs import check


def load(root: Path | None = None, docs: Path | None = None, data: Path | None = None,
         config: Path | None = None, config_values: dict | None = None) -> Data:
    """Every data file and page, loaded and checked (problems collected, not raised;
    a YAML syntax error still raises DataError)."""
    d = _load_bundle(root, docs, data, config, config_values)
    found = check(d)
    if d.changes["path"] is not None:
        found += changes.check(d.changes, d.pages)
    d.problems = sorted(d.problems + found, key=lambda p: (p.path, p.line))
    return d
