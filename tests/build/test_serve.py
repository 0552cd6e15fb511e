"""`make serve` after a save: the page shows the change, finished as a built
page is; what it leaves out is only what explainer/engine/incremental.py says.

Runs what `make serve` runs (``explainer.engine.serve.command``) in a copy of
the project and edits files in the copy, as an editor would."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request

import pytest
from conftest import copy_project, edit, offline_zip

from explainer.engine import serve
from harness.servers import as_if_in_a_terminal, free_port

MARKER = "Serve check sentence"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read().decode("utf-8")


def _until(check, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("serve") / "project")
    port = free_port()
    log = project / "serve.log"
    env = {**os.environ, "OFFLINE_ZIP": offline_zip(), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(as_if_in_a_terminal(serve.command(port)),
                            cwd=project, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    origin = f"http://127.0.0.1:{port}"
    try:
        _until(lambda: proc.poll() is None and "<h1" in _get(origin + "/about/"), "the first build", 180)
        yield project, origin, log
    finally:
        # Ctrl-C, as a maintainer stops `make serve`: it must stop promptly.
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError("`make serve` did not stop within 10 s of Ctrl-C (SIGINT)") from None


def _page(origin: str, path: str) -> str:
    """A served page without MkDocs' live-reload call, which carries the build's epoch."""
    return re.sub(r"livereload\(\d+, \d+\)", "livereload()", _get(origin + path))


def _index(origin: str) -> list[dict]:
    return json.loads(_get(origin + "/search/search_index.json"))["docs"]


def test_make_serve_serves_incrementally():
    """`make serve` runs `explainer serve`, which runs this command."""
    assert serve.command(8000)[-4:] == ["--dirty", "--dev-addr", "127.0.0.1:8000", "--livereload"]


def test_a_saved_page_is_rebuilt_alone_and_finished(served):
    project, origin, log = served
    before = _index(origin)
    built_page = _page(origin, "/glossary/")
    page = project / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{MARKER} one.\n{{: .nofact }}\n", encoding="utf-8")
    html = _until(lambda: (t := _get(origin + "/about/")) and MARKER in t and t, "the saved sentence")
    assert "rebuilding about.md (page text only)" in log.read_text(errors="replace")
    # Finished as a built page: the joined stylesheet and script, permalinks that copy.
    assert "assets/stylesheets/site." in html and "assets/javascripts/site." in html
    assert re.search(r'<a class="headerlink" href="#[^"]+" data-clipboard-text="http', html)
    # The other pages are the first build's; the search index still has them all.
    assert _page(origin, "/glossary/") == built_page
    after = _until(lambda: (d := _index(origin)) and any(MARKER in x["text"] for x in d) and d, "the index")
    assert {d["location"] for d in after if not d["location"].startswith("about/")} == \
        {d["location"] for d in before if not d["location"].startswith("about/")}
    # The whole-site print page is the first build's, complete (not the rebuilt page alone).
    printed = _get(origin + "/print_page/")
    assert 'id="print-site-page"' in printed and 'id="glossary' in printed


def test_a_content_problem_is_reported_after_the_page_shows(served):
    project, origin, log = served
    page = project / "docs" / "about.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + f"\n{MARKER} two states a fact with no source.\n", encoding="utf-8")
    _until(lambda: MARKER + " two" in _get(origin + "/about/"), "the uncited sentence")
    line = page.read_text(encoding="utf-8").splitlines().index(f"{MARKER} two states a fact with no source.") + 1
    _until(lambda: re.search(rf"ERROR +-  explainer: docs/about\.md:{line}: paragraph cites no source",
                             log.read_text(errors="replace")), "the checks' path:line report")
    page.write_text(text, encoding="utf-8")
    _until(lambda: MARKER + " two" not in _get(origin + "/about/"), "the page without it")


def test_a_data_change_is_a_full_rebuild(served):
    project, origin, log = served
    edit(project / "data" / "sources.yml", "title: New wave of US, EU and UK sanctions against Russia",
         "title: New wave of US, EU and UK sanctions against Russia (serve check)")
    _until(lambda: "(serve check)" in _get(origin + "/sources/"), "the source register's change", 120)
    assert "full rebuild (more than page text changed)" in log.read_text(errors="replace")


def test_after_a_stopped_build_a_page_save_is_a_full_rebuild(served):
    """A data file with a problem stops the full rebuild; a page saved next is
    compared with the last build that finished, so it is a full rebuild too
    (and stops again) instead of a page rebuild over the broken data."""
    project, origin, log = served
    sources = project / "data" / "sources.yml"
    good = sources.read_text(encoding="utf-8")
    # Printed by the server for every build that stops (MkDocs logs a repeated
    # error message only once, so the message itself cannot be counted).
    stop = "Aborted with a BuildError!"
    before = log.read_text(errors="replace").count(stop)
    edit(sources, 'date: "2022-02-23"', 'date: "23/02/2022"')
    _until(lambda: log.read_text(errors="replace").count(stop) > before, "the stopped build", 120)
    stops = log.read_text(errors="replace").count(stop)
    page = project / "docs" / "about.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + f"\n{MARKER} three.\n{{: .nofact }}\n", encoding="utf-8")
    _until(lambda: log.read_text(errors="replace").count(stop) > stops, "the second stopped build", 120)
    tail = log.read_text(errors="replace").split(stop)[-2]
    assert "full rebuild (more than page text changed)" in tail, tail[-2000:]
    assert "(page text only)" not in tail.split("Building documentation...")[-1], tail[-2000:]
    # (The page cannot be fetched now: MkDocs holds requests until a build succeeds.)
    sources.write_text(good, encoding="utf-8")
    _until(lambda: MARKER + " three" in _get(origin + "/about/"), "the page after the data is fixed", 120)
