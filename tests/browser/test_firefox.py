"""The second browser engine: Debian's Firefox ESR (puppeteer-core over
WebDriver BiDi, tests/browser/firefox.mjs), on nginx with the generated
headers. One Firefox for the session: every page is loaded once (console
and page errors, failed requests, requests to other origins), then both
query sets go through the real search box with the probe Chromium uses
(tests/browser/search_probe.js: text inserted with no key events), judged
by the same rules (test_search.score)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, browser_pages, missing_tool, probe_page
from test_search import PROBE, QUERY_SETS, score

FIREFOX = os.environ.get("FIREFOX") or shutil.which("firefox-esr") or "/usr/bin/firefox-esr"
RUNNER = Path(__file__).resolve().parent / "firefox.mjs"


def run_firefox(job: dict, timeout: float = 600) -> dict:
    """Run tests/browser/firefox.mjs with job (see its header); its JSON answer."""
    if not Path(FIREFOX).exists():
        missing_tool(f"Firefox not found at {FIREFOX} (apt-get install firefox-esr, or make system-deps as root)")
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "puppeteer-core").is_dir():
        missing_tool("node or node_modules/puppeteer-core missing (npm install)")
    result = subprocess.run([node, str(RUNNER)], input=json.dumps({"executable": FIREFOX, **job}),
                            capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    assert result.returncode == 0, f"firefox.mjs failed:\n{result.stderr[-4000:]}"
    return json.loads(result.stdout)


# A page that breaks every rule the run checks, visited in the same run, so
# that the detectors are shown to work without a second Firefox launch.
BROKEN = "firefox-probe.html"
BROKEN_PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>probe</title>'
               '<script src="assets/javascripts/no-such-script.js"></script></head><body>'
               '<img src="no-such-picture.png" alt="missing">'
               '<img src="https://cdn.example.invalid/x.png" alt="foreign"></body></html>')


@pytest.fixture(scope="module")
def firefox_run(nginx):
    with probe_page(BROKEN, BROKEN_PAGE) as probe:
        record = run_firefox({
            "origin": nginx.url("/"),
            "pages": browser_pages() + [probe],
            "queries": {part: [q["query"] for q in queries] for part, queries in QUERY_SETS.items()},
            "probe": PROBE,
        })
    record["pages"][BROKEN] = record["pages"].pop(probe)
    return record


@pytest.mark.parametrize("path", browser_pages())
def test_page_loads_cleanly_in_firefox(firefox_run, path):
    record = firefox_run["pages"][path]
    problems = record["errors"] + [f"request to another origin: {u}" for u in record["foreign"]]
    assert not problems, f"{firefox_run['version']} {path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("part", list(QUERY_SETS))
def test_queries_reach_their_page_in_firefox(firefox_run, part):
    summary, failures, misses = score(QUERY_SETS[part], firefox_run["queries"][part])
    # Shown with -rP: the figures and the misses for the closing note.
    print(f"{firefox_run['version']}, {part}: {summary}\n" + "\n".join(misses))
    searching = firefox_run["pages"]["/ (searching)"]
    assert not searching["errors"] + searching["foreign"], searching
    assert not failures, summary + "\n" + "\n".join(failures + misses)


def test_firefox_run_reports_a_broken_page(firefox_run):
    """The detectors in firefox.mjs: a missing script, a missing image and a
    load from another origin are each reported (the last as the CSP's
    refusal, since the policy stops it before a request is sent)."""
    record = firefox_run["pages"][BROKEN]
    text = "\n".join(record["errors"])
    assert "404" in text and "no-such-picture.png" in text, text
    assert "no-such-script.js" in text, text
    assert any("cdn.example.invalid" in u for u in record["foreign"] + record["errors"]), record
