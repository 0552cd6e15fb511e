"""The suite itself: every test file under tests/ is collected (pytest skips
folders named "build" unless told otherwise, which once dropped all of
tests/build/ without a word), and nothing outside tests/ imports the
shared conftest."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_every_test_file_is_collected():
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("test_*.py"))
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    collected = {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}
    assert {"unit", "build", "browser"} <= {f.split("/")[1] for f in files}
    assert sorted(collected) == files, f"not collected: {sorted(set(files) - collected)}"


def test_nothing_outside_tests_imports_the_conftest():
    offenders = []
    for path in [*ROOT.glob("scripts/*.py"), *ROOT.glob("explainer/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        if "tests.conftest" in text or "from conftest" in text:
            offenders.append(path.relative_to(ROOT).as_posix())
    assert not offenders, offenders
