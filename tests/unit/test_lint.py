"""ruff on the Python code, with the rules pyproject.toml chooses ([tool.ruff]);
`make check` runs the same command. Shown failing on a bad file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, missing_tool


def ruff(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "ruff"
    if not exe.exists():
        missing_tool("ruff is not installed in the virtual environment (pip install -e '.[test]')")
    return subprocess.run([str(exe), "check", "--no-cache", *args], capture_output=True, text=True, cwd=ROOT)


def test_ruff_finds_nothing():
    result = ruff(".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_catches_an_unused_import_and_a_stale_noqa(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nimport sys  # noqa: E402\n\nprint(sys.argv)\n", encoding="utf-8")
    result = ruff("--config", str(ROOT / "pyproject.toml"), str(bad))
    assert result.returncode == 1, result.stdout
    assert "F401" in result.stdout and "RUF100" in result.stdout, result.stdout
