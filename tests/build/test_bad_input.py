"""Bad input from editors fails safe, with a message that names file and line.

The fixtures of tests/unit/checks/test_content.py (which proves the checker,
``explainer check``; shared in tests/fixtures/content_cases.py) are reused
here to prove the other two doors an editor walks through: the strict build
itself (``mkdocs build``, ``make serve``), which must refuse the same input
with the same ``path:line`` instead of a traceback or a silently wrong page;
and the checker's command line, which must print ``path:line: message`` and
exit 1. New fixtures cover what only the build sees: key facts that point
nowhere. (Broken links and anchors: tests/build/test_build.py. Bad input
from readers, on nginx and in Chromium: tests/browser/test_hostile_input.py.)

A build takes seconds, so fixtures that do not interfere share one copy of
the project and one build (``TOGETHER``; four builds in all); each case
still asserts its own ``path:line`` message and is reported by name.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, background, built, copy_project, offline_zip, output
from conftest import line_of as _line_of
from fixtures.content_cases import CASES, _edit

# --------------------------------------------------------------------------
# Editors: the strict build refuses the checker's fixtures with path:line
# --------------------------------------------------------------------------
# case name -> (expected message regex, whether the line must match the
# fixture's own line as computed by test_content_check)
BUILD_CASES = {
    "unknown-source-key": (r"unknown source key \[\^no-such-key\]", True),
    "duplicate-source-key": (r"duplicate source key 'zawya-2024-12-25'", True),
    "malformed-date": (r"malformed date '25/12/2024'", True),
    "impossible-date": (r"no such calendar date", True),
    "mirror-url": (r"web\.lifelines\.name is a mirror or aggregator", True),
    "url-not-on-publisher-domain": (r"example\.org is not a domain of RT", True),
    "malformed-front-matter": (r"malformed front matter", True),
    "missing-front-matter": (r"missing front matter", False),
    # The checker's message (the old build repeated the check with its own).
    "key-fact-without-id": (r"key fact: missing 'id'", True),
    "invalid-yaml": (r"invalid YAML", False),
    "yaml-alias-bomb": (r"YAML alias \*a is not allowed in data files", True),
    "page-not-utf8": (r"not UTF-8 \(byte 0xe9\)", True),
}


# Three of the fixtures stop the loading of what the others need: invalid
# YAML and a YAML alias stop every check, and a page without front matter
# loses the page's other checks (so the page's other fixtures go elsewhere). Every other
# fixture, and the build-only ones below, go into one copy of the project.
ALONE = [["invalid-yaml"], ["yaml-alias-bomb"], ["missing-front-matter", "impossible-date"]]
TOGETHER = sorted(set(BUILD_CASES) - {n for group in ALONE for n in group})


def _bad_cite(project):
    _edit(project / "data" / "key_facts.yml", "  - id: kf-focus-group\n", "  - id: kf-bad-cite\n    page: index.md\n"
          "    text: Claimed.[^no-such-source]\n  - id: kf-focus-group\n")


def _bad_fact_id(project):
    _edit(project / "data" / "key_facts.yml", "  - id: kf-focus-group\n", "  - id: Focus Group!\n")


def _no_in_short(project):
    _edit(project / "docs/about.md", '{{ in_short("about.md") }}\n', "")


def _everything(project):
    """Every fixture that can share a project: the checker's cases, a page
    missing from the nav, key facts with an unknown source and a malformed
    id, a page without its in_short line, a heading without an id."""
    for name in TOGETHER:
        CASES[name][1](project)
    for mutate in (CASES["page-not-in-nav"][1], _bad_cite, _bad_fact_id, _no_in_short,
                   CASES["heading-without-id"][1]):
        mutate(project)


def _build_job(mutate, *, quiet: bool = False):
    """The strict build of a changed copy, run as `mkdocs build --strict`
    (with -q: MkDocs' quiet mode hides warnings from its strict counter, so
    the checker's problems must be errors)."""
    def job(folder: Path):
        from explainer.engine.build import build_env

        project = copy_project(folder / "p")
        mutate(project)
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", *(["-q"] if quiet else []),
               "-d", str(folder / "site")]
        env = build_env(project, HTMLPROOFER="false", OFFLINE_ZIP=offline_zip())
        result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env)
        return result.returncode, output(result), project
    return job


background("bad-input", _build_job(_everything))
background("bad-input-quiet", _build_job(_everything, quiet=True))
for _number, _group in enumerate(ALONE):
    background(f"bad-input-alone-{_number}",
               _build_job(lambda project, group=_group: [CASES[n][1](project) for n in group]))


@pytest.fixture(scope="module")
def refused() -> dict[str, tuple[int, str, object]]:
    """case -> (exit code, build output, project) for every BUILD_CASES fixture."""
    out = {name: built("bad-input") for name in TOGETHER}
    for number, group in enumerate(ALONE):
        out.update({name: built(f"bad-input-alone-{number}") for name in group})
    return out


@pytest.mark.parametrize("name", sorted(BUILD_CASES))
def test_strict_build_refuses_with_path_and_line(refused, name):
    relpath, _mutate, needle, _ = CASES[name]
    expected, exact_line = BUILD_CASES[name]
    code, output_text, project = refused[name]
    assert code != 0, f"{name}: the strict build accepted bad input"
    line = str(_line_of(project / relpath, needle)) if exact_line else r"\d+"
    pattern = re.escape(relpath) + ":" + line + r": .*" + expected
    assert re.search(pattern, output_text), f"{name}: expected {pattern!r} in build output:\n{output_text[-3000:]}"
    assert "Traceback" not in output_text, f"{name}: a traceback instead of a message:\n{output_text[-3000:]}"


def test_strict_build_names_a_page_missing_from_the_nav():
    code, text, _project = built("bad-input")
    assert code != 0
    assert re.search(r"not included in the \"nav\" configuration:\s+- stray\.md", text), text[-2000:]


def test_key_fact_citing_an_unknown_source_names_its_line():
    code, text, project = built("bad-input")
    assert code != 0
    line = _line_of(project / "data" / "key_facts.yml", "no-such-source")  # the line of the text that cites it
    # One message, from the content checks (the old build repeated the check
    # in a hook with its own wording).
    assert re.search(rf"data/key_facts\.yml:{line}: unknown source key 'no-such-source'", text), text[-2000:]


def test_key_fact_with_a_malformed_id_names_its_line():
    code, text, project = built("bad-input")
    assert code != 0
    line = _line_of(project / "data" / "key_facts.yml", "Focus Group!")
    assert re.search(rf"data/key_facts\.yml:{line}: key fact id 'Focus Group!'", text), text[-2000:]


# --------------------------------------------------------------------------
# Editors: what only the checker sees, through its command line (make check)
# --------------------------------------------------------------------------
CLI_CASES = ["undefined-abbreviation", "missing-description", "description-too-long",
             "malformed-review-date", "heading-without-id", "footnote-text-in-page"]


@pytest.mark.parametrize("name", CLI_CASES)
def test_check_command_prints_path_line_and_fails(tmp_path, name):
    relpath, mutate, needle, message = CASES[name]
    project = copy_project(tmp_path / "p")
    mutate(project)
    result = subprocess.run([sys.executable, "-m", "explainer.cli", "check", "--root", str(project)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    line = _line_of(project / relpath, needle)
    assert re.search(rf"^(\S*/)?{re.escape(relpath)}:{line}: .*{message}", result.stdout, re.M), result.stdout




# --------------------------------------------------------------------------
# The build runs the checker's rules itself (explainer/engine/hooks.py,
# on_pre_build), so `make build`, `make test` and `make serve` need no
# separate `make check`
# --------------------------------------------------------------------------
@pytest.mark.parametrize("quiet", [False, True], ids=["strict", "strict-quiet"])
def test_strict_build_stops_on_a_checker_problem_with_path_and_line(quiet):
    """A problem only the checker sees (a heading without an id) stops the
    strict build with the checker's own path:line message, also under -q
    (which hides warnings from MkDocs' strict counter, hence errors), before
    it renders any page."""
    relpath, _mutate, needle, message = CASES["heading-without-id"]
    code, text, project = built("bad-input-quiet" if quiet else "bad-input")
    assert code != 0, f"the strict build accepted a page the checker refuses:\n{text[-3000:]}"
    line = _line_of(project / relpath, needle)
    assert re.search(rf"ERROR\s+-\s+(explainer: )?{re.escape(relpath)}:{line}: .*{message}", text), text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    assert "the strict build stops before rendering the pages" in text, text[-3000:]


def test_page_without_its_in_short_line_fails_the_build():
    """The editor's other door: the build refuses a page that lost its
    {{ in_short("page.md") }} line, naming page and line."""
    code, text, _project = built("bad-input")
    assert code != 0
    assert re.search(r"docs/about\.md:\d+: no \{\{ in_short\(\"about\.md\"\) \}\} line under the title", text), \
        text[-3000:]
