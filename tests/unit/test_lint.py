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


def test_ruff_reads_every_python_file_in_the_repository():
    """Every tracked .py file is linted: an exclude pattern such as a bare
    "build" (which also matched tests/build/) must not hide a folder."""
    result = ruff("--show-files", ".")
    assert result.returncode == 0, result.stderr
    linted = {Path(line).resolve() for line in result.stdout.splitlines() if line.endswith(".py")}
    tracked = subprocess.run(["git", "ls-files", "*.py"], capture_output=True, text=True, cwd=ROOT).stdout.split()
    if not tracked:
        missing_tool("git ls-files listed no Python files (not a git checkout)")
    missed = sorted(name for name in tracked if (ROOT / name).resolve() not in linted)
    assert not missed, f"not linted by ruff: {missed}"
