"""scripts/check_content.py passes on the real site and names file and line
for each kind of bad input."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, copy_project
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


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture anchor {old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path, needle):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


ABOUT_PARA = "This site is written for analysts"

CASES = {
    # name: (file, mutate(project) -> None, expected message regex with {line})
    "unknown-source-key": (
        "docs/about.md",
        lambda p: _edit(p / "docs/about.md", ABOUT_PARA, "Claim.[^no-such-key] " + ABOUT_PARA),
        ABOUT_PARA, r"unknown source key \[\^no-such-key\]",
    ),
    "unused-source": (
        "data/sources.yml",
        lambda p: _edit(p / "data/sources.yml", "sources:\n", "sources:\n  - key: never-cited\n    publisher: RBC\n"
                        "    title: T\n    date: \"2025-01-01\"\n    language: ru\n    kind: news\n"
                        "    accessed: \"2026-11-24\"\n"),
        "key: never-cited", r"'never-cited' is registered but never cited",
    ),
    "duplicate-source-key": (
        "data/sources.yml",
        lambda p: (p / "data/sources.yml").write_text((p / "data/sources.yml").read_text(encoding="utf-8")
                                                      + "  - key: zawya-2024-12-25  # dup\n"
                        "    publisher: Zawya\n    title: Dup\n    date: \"2024-12-25\"\n    language: en\n"
                        "    kind: news\n    accessed: \"2026-11-24\"\n", encoding="utf-8"),
        "# dup", r"duplicate source key 'zawya-2024-12-25'",
    ),
    "malformed-date": (
        "data/sources.yml",
        lambda p: _edit(p / "data/sources.yml", 'date: "2024-12-25"', 'date: "25/12/2024"'),
        'date: "25/12/2024"', r"malformed date '25/12/2024'",
    ),
    "impossible-date": (
        "data/sources.yml",
        lambda p: _edit(p / "data/sources.yml", 'date: "2024-12-25"', 'date: "2024-02-30"'),
        'date: "2024-02-30"', r"no such calendar date",
    ),
    "mirror-url": (
        "data/sources.yml",
        lambda p: _edit(p / "data/sources.yml", "    via: a reposted copy",
                        "    url: https://web.lifelines.name/read/x\n    via: a reposted copy"),
        "https://web.lifelines.name", r"web\.lifelines\.name is a mirror or aggregator",
    ),
    "pages-dev-mirror": (
        "data/sources.yml",
        lambda p: _edit(p / "data/sources.yml", "    via: a reposted copy",
                        "    url: https://cryptonewz.pages.dev/x\n    via: a reposted copy"),
        "pages.dev", r"cryptonewz\.pages\.dev is a mirror",
    ),
    "url-not-on-publisher-domain": (
        "data/sources.yml",
        lambda p: _edit(p / "data/sources.yml", "url: https://ru.rt.com/w3ov", "url: https://example.org/w3ov"),
        "https://example.org/w3ov", r"example\.org is not a domain of RT",
    ),
    "missing-front-matter": (
        "docs/about.md",
        lambda p: (p / "docs/about.md").write_text("# About {#top}\n\nText.\n", encoding="utf-8"),
        "# About", r"missing front matter",
    ),
    "malformed-front-matter": (
        "docs/about.md",
        lambda p: _edit(p / "docs/about.md", "title: About this explainer", "title: About: this"),
        "title: About: this", r"malformed front matter",
    ),
    "missing-description": (
        "docs/about.md",
        lambda p: _edit(p / "docs/about.md", "description:", "summary:"),
        "---", r"front matter has no 'description'",
    ),
    "description-too-long": (
        "docs/about.md",
        lambda p: _edit(p / "docs/about.md", "description: Who", "description: " + "Very " * 30 + "who"),
        "description:", r"description is \d+ characters; at most 160",
    ),
    "malformed-review-date": (
        "docs/about.md",
        lambda p: _edit(p / "docs/about.md", 'reviewed: "2026-11-24"', 'reviewed: "24 Nov 2026"'),
        "reviewed:", r"reviewed: malformed date",
    ),
    "undefined-abbreviation": (
        "docs/about.md",
        lambda p: _edit(p / "docs/about.md", ABOUT_PARA, "The XYZQ said so.[^zawya-2024-12-25] " + ABOUT_PARA),
        ABOUT_PARA, r"abbreviation 'XYZQ' is not defined",
    ),
    "heading-without-id": (
        "docs/about.md",
        lambda p: _edit(p / "docs/about.md", "## Who is it for? {#audience}", "## Who is it for?"),
        "## Who is it for?", r"heading 'Who is it for\?' has no explicit id",
    ),
    "footnote-text-in-page": (
        "docs/about.md",
        lambda p: _edit(p / "docs/about.md", "## Who is it for?", "[^mine]: My own note.\n\n## Who is it for?"),
        "[^mine]:", r"footnote text written in the page",
    ),
    "paragraph-without-citation": (
        "docs/about.md",
        lambda p: _edit(p / "docs/about.md", "dated statement.\n{: .nofact }\n", "dated statement.\n"),
        ABOUT_PARA, r"paragraph cites no source",
    ),
    "list-item-without-citation": (
        "docs/about.md",
        lambda p: _edit(p / "docs/about.md", "## Who is it for?",
                        "- A cited claim.[^zawya-2024-12-25]\n- An uncited claim in a list.\n\n## Who is it for?"),
        "- An uncited claim in a list.", r"list item cites no source",
    ),
    "page-not-in-nav": (
        "docs/stray.md",
        lambda p: (p / "docs/stray.md").write_text(
            '---\ntitle: Stray\ndescription: A stray page.\nreviewed: "2026-11-24"\n---\n\n# Stray {#top}\n',
            encoding="utf-8"),
        "---", r"page stray\.md is not in the nav",
    ),
    "key-fact-without-id": (
        "data/key_facts.yml",
        lambda p: _edit(p / "data/key_facts.yml", "  - id: kf-focus-group\n", "  - page: index.md\n"
                        "    text: No id.[^zawya-2024-12-25]\n  - id: kf-focus-group\n"),
        "  - page: index.md", r"key fact has no id",
    ),
    "key-fact-without-source": (
        "data/key_facts.yml",
        lambda p: _edit(p / "data/key_facts.yml", "  - id: kf-focus-group\n", "  - id: kf-uncited\n"
                        "    page: index.md\n    text: Nothing cited.\n  - id: kf-focus-group\n"),
        "kf-uncited", r"key fact kf-uncited: text cites no source",
    ),
    "stale-abbreviations": (
        "includes/abbreviations.md",
        lambda p: _edit(p / "data/glossary.yml", "expansion: Portable Document Format", "expansion: Changed"),
        "<!--", r"out of date with data/glossary.yml",
    ),
    "invalid-yaml": (
        "data/glossary.yml",
        lambda p: _edit(p / "data/glossary.yml", "  - id: elr\n", "  - id: elr\n   bad: [\n"),
        "bad: [", r"invalid YAML",
    ),
}


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
    _edit(about, 'reviewed: "2026-11-24"', 'reviewed: "2026-11-24"\ngenerated: true')
    assert not any("cites no source" in str(p) for p in check_content.run(project))


# --------------------------------------------------------------------------
# The build runs the same checks (scripts/check_hook.py), so `make build`,
# `make test` and `make serve` need no separate `make check`.
# --------------------------------------------------------------------------
def test_check_hook_is_the_first_hook():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506
    assert config["hooks"][0] == "scripts/check_hook.py", config["hooks"]


@pytest.mark.parametrize("quiet", [False, True], ids=["strict", "strict-quiet"])
def test_strict_build_stops_on_a_checker_problem_with_path_and_line(tmp_path, quiet):
    """A problem only the checker sees (a heading without an id) stops the
    strict build with the checker's own path:line message, also under -q
    (which hides warnings from MkDocs' strict counter, hence errors)."""
    from conftest import mkdocs_env

    relpath, mutate, needle, message = CASES["heading-without-id"]
    project = copy_project(tmp_path / "p")
    mutate(project)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", *(["-q"] if quiet else []),
           "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "site")]
    result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=mkdocs_env(HTMLPROOFER="false"))
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the strict build accepted a page the checker refuses:\n{output[-3000:]}"
    line = _line_of(project / relpath, needle)
    assert re.search(rf"ERROR\s+-\s+{re.escape(relpath)}:{line}: .*{message}", output), output[-3000:]
    assert "Traceback" not in output, output[-3000:]
