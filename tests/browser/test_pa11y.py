"""The second accessibility engine beside axe-core (tests/browser/test_pages.py):
pa11y with HTML_CodeSniffer (tests/pa11y.yml says why not its axe runner
too) on Debian's Chromium, every page, one process and one browser for all
of them (tests/browser/pa11y.mjs), on nginx with the real headers.

What is set aside, and why, is in tests/pa11y.yml; nothing is set aside
without a reason, and an entry that no longer matches anything fails, so the
list only holds rules that still need it. The counts per runner, before and
after the list, are printed (-rP) for the closing note."""

from __future__ import annotations

import collections
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, browser_pages, missing_tool, probe_page

from explainer.data import loading
from harness.servers import CHROMIUM, CHROMIUM_ARGS

CONFIG_PATH = ROOT / "tests" / "pa11y.yml"
CONFIG = loading.load_yaml(CONFIG_PATH)
RUNNER = Path(__file__).resolve().parent / "pa11y.mjs"


def run_pa11y(urls: list[str]) -> dict[str, list[dict]]:
    if not Path(CHROMIUM).exists():
        missing_tool(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "pa11y").is_dir():
        missing_tool("node or node_modules/pa11y missing (npm install)")
    job = {"executable": CHROMIUM, "args": CHROMIUM_ARGS, "urls": urls, "standard": CONFIG["standard"],
           "runners": CONFIG["runners"]}
    result = subprocess.run([node, str(RUNNER)], input=json.dumps(job), capture_output=True, text=True,
                            timeout=900, cwd=ROOT)
    assert result.returncode == 0, f"pa11y.mjs failed:\n{result.stderr[-4000:]}"
    return json.loads(result.stdout)


def set_aside(issue: dict) -> dict | None:
    """The tests/pa11y.yml entry that covers this issue, if any."""
    for entry in CONFIG.get("ignore") or []:
        if issue["code"] == entry["code"] and issue["runner"] == entry["runner"]:
            return entry
    return None


# A bad page, checked in the same run so that the runner is shown to find
# faults without a second browser: an image without a text alternative and
# presentational markup (a <font> element).
PROBE = "pa11y-probe.html"
PROBE_PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>probe</title></head>'
              '<body><main><img src="assets/favicon.svg"><p><font color="#c8c8c8">Pale text.</font></p>'
              '</main></body></html>')


@pytest.fixture(scope="module")
def pa11y_run(nginx):
    with probe_page(PROBE, PROBE_PAGE) as probe:
        found = run_pa11y([nginx.url(path) for path in browser_pages() + [probe]])
        by_path = {path: found[nginx.url(path)] for path in browser_pages()}
        by_path[PROBE] = found[nginx.url(probe)]
    counts = collections.Counter()
    used = collections.Counter()
    for path, issues in by_path.items():
        if path == PROBE:
            continue
        for issue in issues:
            counts[(issue["runner"], "all")] += 1
            entry = set_aside(issue)
            if entry is None:
                counts[(issue["runner"], "left")] += 1
            else:
                used[entry["code"]] += 1
    print("pa11y findings per runner (all / after tests/pa11y.yml): "
          + ", ".join(f"{r}: {counts[(r, 'all')]} / {counts[(r, 'left')]}" for r in CONFIG["runners"])
          + "; set aside: " + ", ".join(f"{code} x{n}" for code, n in used.items()))
    return by_path, used


def test_every_set_aside_rule_has_a_reason():
    for entry in CONFIG.get("ignore") or []:
        assert entry.get("runner") in CONFIG["runners"], f"{CONFIG_PATH}: {entry}: which runner?"
        assert len(str(entry.get("reason") or "").split()) >= 12, \
            f"{CONFIG_PATH}: {entry['code']}: a rule is set aside only with its reason"


@pytest.mark.parametrize("path", browser_pages())
def test_page_passes_pa11y(pa11y_run, path):
    by_path, _ = pa11y_run
    left = [i for i in by_path[path] if set_aside(i) is None]
    assert not left, f"{path}:\n" + "\n".join(
        f"pa11y {i['runner']} {i['code']}: {i['message'][:160]} at {i['selector']}" for i in left)


def test_every_set_aside_rule_is_still_needed(pa11y_run):
    _, used = pa11y_run
    stale = [e["code"] for e in CONFIG.get("ignore") or [] if not used[e["code"]]]
    assert not stale, f"{CONFIG_PATH}: no longer matched, remove: {stale}"


def test_pa11y_catches_a_bad_page(pa11y_run):
    by_path, _ = pa11y_run
    found = {(i["runner"], i["code"]) for i in by_path[PROBE]}
    assert any(r == "htmlcs" and "H37" in c for r, c in found), found
    assert any(r == "htmlcs" and "H49" in c for r, c in found), found  # presentational <font>
