"""The offline copy's build: ``explainer offline`` (make offline).

The same mkdocs.yml built with ``OFFLINE=true``, which switches on
Material's offline plugin (its documented pattern: ``offline: enabled: !ENV
[OFFLINE, false]``), strictly, into a temporary folder, then packed by
``explainer.postbuild.offline.pack``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from explainer import ROOT
from explainer.config import source_date_epoch
from explainer.engine.build import BuildError, mkdocs_build
from explainer.postbuild.offline import TOP_FOLDER, OfflineBuildError, pack


def build_zip(zip_path: Path, root: Path = ROOT) -> Path:
    """Build the offline site in a temporary folder and pack it to ``zip_path``."""
    with tempfile.TemporaryDirectory(prefix="explainer-offline-") as tmp:
        site_dir = Path(tmp) / TOP_FOLDER
        try:
            mkdocs_build(root, site_dir, offline=True, env={"HTMLPROOFER": "true"})
        except BuildError as exc:
            raise OfflineBuildError(str(exc)) from exc
        pack(site_dir, zip_path, source_date_epoch(root))
    return zip_path
