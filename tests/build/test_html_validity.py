"""The W3C Nu HTML checker, the current release pinned in package.json (npm
`vnu-jar`), in one run over every built page and every SVG figure, and shown
failing on a bad page and a bad figure in the same run."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from conftest import ROOT, background, built, missing_tool

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

BAD_PAGE = ('<!doctype html><html lang="en"><head><title>x</title></head>'
            '<body><input type="checkbox" autocomplete="off"><p><div>x</div></body></html>')
BAD_FIGURE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>x</title><foo/></svg>'


def run_vnu(files: list[Path]) -> list[dict]:
    """One JVM for every file: HTML by the HTML rules, .svg by the SVG rules."""
    if not shutil.which("java"):
        missing_tool("java not found (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        missing_tool(f"{VNU_JAR} not found (npm install)")
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU_JAR), "--also-check-svg", "--format", "json", "--exit-zero-always",
         *map(str, files)],
        capture_output=True, text=True,
    )
    return json.loads(result.stderr or result.stdout)["messages"]


def _vnu_job(folder: Path) -> tuple[Path, list[Path], list[dict], list[Path]]:
    site = built("session-site")
    bad = [folder / "bad.html", folder / "bad.svg"]
    bad[0].write_text(BAD_PAGE, encoding="utf-8")
    bad[1].write_text(BAD_FIGURE, encoding="utf-8")
    pages = [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("assets/")]
    figures = sorted((site / "assets" / "figures").glob("*.svg"))  # the timeline's as drawn by the build too
    return site, bad, run_vnu([*pages, *figures, *bad]), pages + figures


background("vnu", _vnu_job)


def file_of(message: dict) -> Path:
    """The file a message is about (vnu writes file:/path URLs)."""
    return Path(urlsplit(message.get("url", "")).path)


def errors_in(messages: list[dict], files: list[Path]) -> list[dict]:
    paths = {p.resolve() for p in files}
    return [m for m in messages if m.get("type") == "error" and file_of(m) in paths]


def test_nu_checker_finds_no_errors_in_pages_and_figures():
    site, bad, messages, checked = built("vnu")
    assert len(checked) >= 20 and len([p for p in checked if p.suffix == ".svg"]) >= 5
    bad_paths = {p.resolve() for p in bad}
    unexpected = [m for m in messages if m.get("type") in ("error", "non-document-error")
                  and file_of(m) not in bad_paths]
    report = "\n".join(f"{file_of(m)}:{m.get('lastLine')}: {m['message']}" for m in unexpected)
    assert not unexpected, report


def test_nu_checker_catches_a_bad_page_and_a_bad_figure():
    _site, bad, messages, _checked = built("vnu")
    for path in bad:
        assert errors_in(messages, [path]), f"vnu must report the bad fixture {path.name}"
