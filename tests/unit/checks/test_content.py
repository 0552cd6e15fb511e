"""The content checks (explainer/checks/content.py, `explainer check`) pass
on the real site and name file and line for each kind of bad input."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT, copy_project
from conftest import line_of as _line_of
from fixtures.content_cases import CASES, _edit

from explainer.checks import content as check_content


def test_real_site_has_no_problems():
    problems = check_content.run(ROOT)
    assert problems == [], "\n".join(map(str, problems))


def test_cli_exit_codes(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "explainer.checks.content"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    project = copy_project(tmp_path / "p")
    (project / "docs" / "about.md").write_text("no front matter\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "explainer.checks.content", "--root", str(project)],
                         cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 1
    assert re.search(r"docs/about\.md:1: missing front matter", bad.stdout)



@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_fixture_is_reported_with_path_and_line(tmp_path, name):
    relpath, mutate, needle, message = CASES[name]
    project = copy_project(tmp_path / "p")
    mutate(project)
    target = project / relpath
    problems = [str(p) for p in check_content.run(project)]
    assert problems, f"{name}: the checker passed a bad fixture"
    line = _line_of(target, needle) if name != "invalid-yaml" else None
    pattern = re.escape(relpath) + r":" + (str(line) if line else r"\d+") + r": .*" + message
    assert any(re.search(pattern, p) for p in problems), f"{name}: expected {pattern!r} in:\n" + "\n".join(problems)


def test_generated_pages_are_exempt_from_paragraph_rule(tmp_path):
    project = copy_project(tmp_path / "p")
    about = project / "docs/about.md"
    _edit(about, "dated statement.\n{: .nofact }\n", "dated statement.\n")
    assert any("paragraph cites no source" in str(p) for p in check_content.run(project))
    _edit(about, "title: About this explainer\n", "title: About this explainer\ngenerated: true\n")
    assert not any("cites no source" in str(p) for p in check_content.run(project))


# --------------------------------------------------------------------------
# New in the pipeline: the "In short" line, and citations inside code
# --------------------------------------------------------------------------
IN_SHORT = '{{ in_short("about.md") }}'


def _problems(project) -> list[str]:
    """Problems with paths relative to the project (a copy is outside ROOT)."""
    return [str(p).replace(f"{project}/", "") for p in check_content.run(project)]


def test_page_without_its_in_short_line_is_reported(tmp_path):
    project = copy_project(tmp_path / "p")
    about = project / "docs" / "about.md"
    line = _line_of(about, IN_SHORT)
    _edit(about, IN_SHORT + "\n", "")
    found = [p for p in _problems(project) if "in_short" in p]
    assert found and all(p.startswith("docs/about.md:") for p in found), found
    assert re.match(r'docs/about\.md:\d+: no \{\{ in_short\("about\.md"\) \}\} line under the title', found[0]), found
    assert int(found[0].split(":")[1]) <= line + 1, (line, found)


def test_in_short_line_naming_another_page_is_reported(tmp_path):
    project = copy_project(tmp_path / "p")
    about = project / "docs" / "about.md"
    _edit(about, IN_SHORT, '{{ in_short("index.md") }}')
    line = _line_of(about, 'in_short("index.md")')
    assert f'docs/about.md:{line}: in_short("index.md") names another page; write in_short("about.md")' \
        in _problems(project)


def test_check_command_names_a_missing_in_short_line(tmp_path):
    """Through the command line (`explainer check`), as an editor sees it."""
    project = copy_project(tmp_path / "p")
    _edit(project / "docs" / "about.md", IN_SHORT + "\n", "")
    result = subprocess.run([sys.executable, "-m", "explainer.cli", "check", "--root", str(project)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^(\S*/)?docs/about\.md:\d+: no \{\{ in_short", result.stdout, re.M), result.stdout


CODE_CITATION = "Write citations as `[^publisher-2024-01-01]` in a page."


def test_citation_inside_inline_code_is_not_a_citation(tmp_path):
    """A key written inside a code span (an example in the About page) is
    text, not a citation: no unknown-key problem, and it does not count as
    citing. A real unknown key on the same line is still reported."""
    project = copy_project(tmp_path / "p")
    about = project / "docs" / "about.md"
    _edit(about, ABOUT_CODE_ANCHOR, CODE_CITATION + "[^zawya-2024-12-25] " + ABOUT_CODE_ANCHOR)
    assert not [p for p in _problems(project) if "publisher-2024-01-01" in p]
    _edit(about, CODE_CITATION, CODE_CITATION + "[^no-such-key]")
    line = _line_of(about, CODE_CITATION)
    found = [p for p in _problems(project) if "unknown source key" in p]
    assert found == [f"docs/about.md:{line}: unknown source key [^no-such-key]: add it to data/sources.yml"], found


ABOUT_CODE_ANCHOR = "This site is written for analysts"


def test_the_only_mkdocs_hook_is_the_explainer_module():
    """The content checks run inside every MkDocs build through the one hook
    module (on_pre_build), so `make build`, `make test` and `make serve` need
    no separate `make check`; nothing else is hooked in."""
    from explainer.config import read_config

    assert read_config(ROOT / "mkdocs.yml")["hooks"] == ["explainer/engine/hooks.py"]
    from explainer.engine import hooks as mkdocs_hooks

    assert "content_checks.check(" in (ROOT / "explainer" / "engine" / "hooks.py").read_text(encoding="utf-8")
    assert callable(mkdocs_hooks.on_pre_build)
