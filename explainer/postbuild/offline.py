"""The offline copy packed: a built site for reading from disk, as a reproducible zip.

The build itself (the same mkdocs.yml with ``OFFLINE=true``) is the
engine's: explainer/engine/offline.py builds, then calls ``pack``. The site
is packed under one top folder, ``explainer-offline/``, so that unzipping
gives a single folder whose ``index.html`` opens from disk. Make orders the
two builds: the zip first, then the hosted site, which links to it as
``/downloads/explainer-offline.zip``.

The zip is byte-for-byte reproducible: entries are sorted, every entry gets
the time of ``SOURCE_DATE_EPOCH`` (the last commit's time) and fixed
permissions, and source maps, which a reader's browser never loads, and the
404 page, which only a server shows, are left out.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

ZIP_NAME = "explainer-offline.zip"
ZIP_URI = f"downloads/{ZIP_NAME}"
TOP_FOLDER = "explainer-offline"
# A Markdown link to the zip, for the offline copy to point at the hosted one.
ZIP_LINK_RE = re.compile(r"\]\(\s*<?((?:\.\./)*|/)" + re.escape(ZIP_URI) + r">?")
SKIP_SUFFIXES = (".map",)
SKIP_FILES = ("404.html", "_headers")
ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold


class OfflineBuildError(Exception):
    pass


def pack(site_dir: Path, zip_path: Path, epoch: int) -> int:
    """Zip ``site_dir`` under TOP_FOLDER/, reproducibly. Returns the entry count."""
    stamp = dt.datetime.fromtimestamp(max(epoch, ZIP_EPOCH), dt.UTC).timetuple()[:6]
    files = sorted(p for p in site_dir.rglob("*") if p.is_file() and not p.name.endswith(SKIP_SUFFIXES)
                   and p.relative_to(site_dir).as_posix() not in SKIP_FILES)
    if not (site_dir / "index.html").is_file():
        raise OfflineBuildError(f"{site_dir}: no index.html, nothing to pack")
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_name(zip_path.name + ".part")
    with zipfile.ZipFile(partial, "w") as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{TOP_FOLDER}/{path.relative_to(site_dir).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, so the permissions above are read
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    partial.replace(zip_path)
    return len(files)
