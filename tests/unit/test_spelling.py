"""codespell on prose and data (British English, see CONTRIBUTING.md; the
extra dictionary is tests/codespell-en-gb.txt). The W3C Nu checker on the
built pages is in tests/build/test_html_validity.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, missing_tool


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
