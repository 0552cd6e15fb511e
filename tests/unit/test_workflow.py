"""The GitHub Pages workflow: actionlint passes (and fails on a broken
copy), and the workflow runs the tests before it builds and deploys."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT, missing_tool

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


# ---------------------------------------------------------------------------
# GitHub Pages workflow
# ---------------------------------------------------------------------------
def actionlint() -> str:
    exe = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if not exe:
        missing_tool("actionlint not found (pip install -e '.[test]')")
    return exe


def run_actionlint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint(), "-no-color", str(path)], capture_output=True, text=True, cwd=ROOT)


def test_pages_workflow_passes_actionlint():
    result = run_actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_fails_on_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8")
    # A step output that does not exist, and a deprecated (node20) action.
    text = text.replace("steps.pages.outputs.base_url", "steps.pagez.outputs.base_url")
    text = text.replace("actions/checkout@v5", "actions/checkout@v4")
    broken.write_text(text, encoding="utf-8")
    result = run_actionlint(broken)
    assert result.returncode != 0
    assert "pagez" in result.stdout and "actions/checkout@v4" in result.stdout, result.stdout


def test_pages_workflow_builds_tests_and_deploys():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = build["steps"]
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0, "the build needs the full history"
    assert str(uses["actions/setup-python"]["with"]["python-version"]) == "3.11"
    runs = [s.get("run", "") for s in steps]
    tests_at = next(i for i, s in enumerate(steps) if "bash .ci/run" in s.get("run", ""))
    build_step = next(s for s in steps if "make build" in s.get("run", ""))
    assert "steps.pages.outputs.base_url" in build_step["env"]["SITE_URL"]
    assert steps.index(build_step) > tests_at, "tests run before the published build"
    assert any("site/_headers" in r for r in runs), "the _headers file must be in the published folder"
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
