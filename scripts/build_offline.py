"""Build the offline copy of the site and pack it as a reproducible zip.

    python -m scripts.build_offline [--out build/explainer-offline.zip]

The offline copy is built from ``mkdocs.offline.yml`` (which inherits
``mkdocs.yml`` and adds Material's offline plugin) with a strict build, then
packed under one top folder, ``explainer-offline/``, so that unzipping gives a
single folder whose ``index.html`` opens from disk.

The zip is byte-for-byte reproducible: entries are sorted, every entry gets
the time of ``SOURCE_DATE_EPOCH`` (the last commit's time when the Makefile
runs it) and fixed permissions, and source maps, which a reader's browser
never loads, and the 404 page, which only a server shows, are left out.

The main build's hook (scripts/offline_hook.py) runs this script so that
``/downloads/explainer-offline.zip`` is built at the same time as the site;
``make offline`` calls it on its own. The hook keeps the zips it builds in
``.cache/offline/``, named by :func:`input_digest`, a digest of everything the
offline copy is made from, and uses a cached zip again while that digest is
unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.offline.yml"
ZIP_NAME = "explainer-offline.zip"
TOP_FOLDER = "explainer-offline"
# Files in the built site that a reader's browser never requests from disk:
# source maps, and the 404 page, which only a web server shows (its links are
# root-absolute, so it cannot work from a folder).
SKIP_SUFFIXES = (".map",)
SKIP_FILES = ("404.html",)
# The earliest time a zip entry can hold.
ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z


# What the offline copy is made from, for input_digest(): the project's
# folders and files, the npm shim, and (below) the installed Python packages
# and the environment variables the build reads.
INPUT_DIRS = ("docs", "data", "includes", "overrides", "scripts")
INPUT_FILES = ("mkdocs.yml", "mkdocs.offline.yml", "requirements.txt", "package.json", "package-lock.json",
               "node_modules/iframe-worker/package.json", "node_modules/iframe-worker/shim/index.js")
INPUT_ENV = ("SITE_URL", "HTMLPROOFER")


class OfflineBuildError(Exception):
    """The offline build or packing failed; the message says why."""


def source_date_epoch(root: Path = ROOT) -> int:
    """SOURCE_DATE_EPOCH if set, else the last commit's time, else 1980."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        if not value.isdigit():
            raise OfflineBuildError(f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds")
        return max(int(value), ZIP_EPOCH)
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                             text=True, check=True).stdout.strip()
        return max(int(out), ZIP_EPOCH)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return ZIP_EPOCH


def input_digest(root: Path = ROOT) -> str:
    """SHA-256 over every input of the offline copy: the files under
    INPUT_DIRS and INPUT_FILES (paths and bytes), the name and version of
    every installed Python distribution, the Python version, the build date
    (SOURCE_DATE_EPOCH or the last commit's time) and INPUT_ENV. Two builds
    with the same digest write the same zip."""
    from importlib.metadata import distributions

    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode("utf-8"))
        digest.update(data)

    paths = [root / name for name in INPUT_FILES]
    for folder in INPUT_DIRS:
        paths += [p for p in (root / folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc")]
    for path in sorted(set(paths)):
        relpath = path.relative_to(root).as_posix()
        add(relpath, path.read_bytes() if path.is_file() else b"(missing)")
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions())
    add("python", f"{sys.version}\n{sys.executable}\n".encode("utf-8") + "\n".join(packages).encode("utf-8"))
    add("SOURCE_DATE_EPOCH", str(source_date_epoch(root)).encode("utf-8"))
    for name in INPUT_ENV:
        add(name, os.environ.get(name, "(unset)").encode("utf-8"))
    return digest.hexdigest()


def build_site(site_dir: Path, config: Path = CONFIG) -> None:
    """Strict build of the offline configuration into ``site_dir``."""
    if not config.is_file():
        raise OfflineBuildError(f"{config}: offline configuration not found")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.setdefault("HTMLPROOFER", "true")
    # The offline build must never try to build (or reuse) a zip of itself.
    env.pop("OFFLINE_ZIP", None)
    env["SOURCE_DATE_EPOCH"] = str(source_date_epoch(config.parent))
    # No -q: MkDocs' quiet mode drops warnings before its strict-mode counter
    # sees them, so a quiet strict build passes with warnings. The output is
    # captured and shown only if the build fails.
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
         "-f", str(config), "-d", str(site_dir)],
        cwd=config.parent, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise OfflineBuildError(
            f"{config.name}: offline build failed (exit {result.returncode}):\n"
            + (result.stdout + result.stderr).strip()
        )


def pack(site_dir: Path, zip_path: Path, epoch: int) -> int:
    """Zip ``site_dir`` under TOP_FOLDER/, reproducibly. Returns the entry count."""
    stamp = dt.datetime.fromtimestamp(max(epoch, ZIP_EPOCH), dt.timezone.utc).timetuple()[:6]
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


def build_zip(zip_path: Path, config: Path = CONFIG) -> Path:
    """Build the offline site in a temporary folder and pack it to ``zip_path``."""
    with tempfile.TemporaryDirectory(prefix="explainer-offline-") as tmp:
        site_dir = Path(tmp) / TOP_FOLDER
        build_site(site_dir, config)
        pack(site_dir, zip_path, source_date_epoch(config.parent))
    return zip_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / ZIP_NAME, help="zip to write")
    parser.add_argument("--config", type=Path, default=CONFIG, help="offline MkDocs configuration")
    args = parser.parse_args(argv)
    try:
        out = build_zip(args.out.resolve(), args.config.resolve())
    except OfflineBuildError as exc:
        print(f"build_offline: {exc}", file=sys.stderr)
        return 1
    print(f"build_offline: wrote {out} ({out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
