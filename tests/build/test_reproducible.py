"""Reproducible builds: a clean build of a fresh copy of the project, with
its own offline zip built from scratch, is byte-for-byte the session build
(which `make test` made with the zip from `make offline`, and with the
preview-image cache warm). A build at another date differs exactly in the
files that carry the build date, so a date leaking anywhere else is caught,
and so is a cache that writes different bytes when warm."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import background, build, built, copy_project, output, site_url

ZIP_IN_SITE = "downloads/explainer-offline.zip"
# What carries the build date (SOURCE_DATE_EPOCH): sitemap lastmod, the open
# data's build_date, and the zip's entry times.
DATED = {"sitemap.xml", "sitemap.xml.gz", "data/sources.json", "data/timeline.json", "data/glossary.json",
         "data/key-facts.json", "data/claims.json", "data/sanctions.json", "data/csv-metadata.json",
         # the About page's downloads listing names the build date, and so do
         # the print page and the search index that contain its text
         "about/index.html", "print_page/index.html", "search/search_index.json"}


def tree_differences(a: Path, b: Path) -> list[str]:
    """Files that exist in only one tree or differ in bytes (zips: by entry)."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out = [f"only in first: {n}" for n in sorted(files_a - files_b)]
    out += [f"only in second: {n}" for n in sorted(files_b - files_a)]
    for name in sorted(files_a & files_b):
        if filecmp.cmp(a / name, b / name, shallow=False):
            continue
        detail = ""
        if name.endswith(".zip"):
            with zipfile.ZipFile(a / name) as za, zipfile.ZipFile(b / name) as zb:
                entries = sorted({i.filename for i in za.infolist()} | {i.filename for i in zb.infolist()})
                differing = [e for e in entries if e not in za.namelist() or e not in zb.namelist()
                             or za.read(e) != zb.read(e) or za.getinfo(e).date_time != zb.getinfo(e).date_time]
                detail = f" (entries: {', '.join(differing[:10])})"
        out.append(f"differs: {name}{detail}")
    return out


def _repro_job(folder: Path):
    """A fresh copy: its zip built from scratch by `explainer offline` (empty
    caches), then its site with that zip, for the same site_url as the
    session build; then the same copy (caches now warm) three days later."""
    project = copy_project(folder / "project", caches=False)
    env = dict(os.environ)
    env.pop("OFFLINE_ZIP", None)
    zip_path = project / "build" / "explainer-offline.zip"
    made = subprocess.run([sys.executable, "-m", "explainer.cli", "offline", "--out", str(zip_path),
                           "--root", str(project)], cwd=project, capture_output=True, text=True, env=env)
    assert made.returncode == 0, output(made)[-3000:]
    site = folder / "site"
    result = build(project, site, OFFLINE_ZIP=str(zip_path), SITE_URL=site_url())
    assert result.returncode == 0, output(result)[-3000:]
    later = folder / "later"
    result = build(project, later, OFFLINE_ZIP=str(zip_path), SITE_URL=site_url(),
                   SOURCE_DATE_EPOCH=str(int(os.environ["SOURCE_DATE_EPOCH"]) + 3 * 86400))
    assert result.returncode == 0, output(result)[-3000:]
    return project, site, later


background("repro", _repro_job)


def test_a_fresh_clean_build_is_byte_identical_to_the_session_build(built_site):
    _project, site, _later = built("repro")
    for tree in (built_site, site):
        assert (tree / ZIP_IN_SITE).is_file() and (tree / "_headers").is_file(), tree
    assert tree_differences(built_site, site) == []


def test_a_build_at_another_date_differs_only_in_dated_files(built_site):
    """Built again in the fresh copy (its caches now warm) three days later:
    only the files that carry the build date differ from the session build."""
    project, _site, later = built("repro")
    assert list((project / ".cache" / "preview-images").glob("*.png")), "the copy's preview cache was not used"
    found = {d.removeprefix("differs: ") for d in tree_differences(built_site, later)}
    # Every page that shows "Built <date>" in its review line (issue 15) is dated too.
    dated = DATED | {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
                     if 'class="page-built"' in p.read_text(encoding="utf-8")}
    assert found == dated, f"unexpected: {sorted(found - dated)}; not dated: {sorted(dated - found)}"


def test_tree_comparison_catches_a_changed_preview_and_zip(built_site, tmp_path):
    """The comparison itself on a copy of the session build with a preview
    image and the zip changed (what a stale cache would write)."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(built_site, copy)
    preview = sorted((copy / "assets" / "previews").glob("*.png"))[0]
    preview.write_bytes(preview.read_bytes() + b"tampered")
    with zipfile.ZipFile(copy / ZIP_IN_SITE, "w") as stale:
        stale.writestr("explainer-offline/index.html", "an old offline copy")
    found = tree_differences(built_site, copy)
    assert f"differs: assets/previews/{preview.name}" in found, found
    assert any(d.startswith(f"differs: {ZIP_IN_SITE} (entries:") for d in found), found
