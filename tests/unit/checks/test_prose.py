"""Strength of evidence: a sentence that cites only second-hand sources must
attribute what it says (explainer/checks/prose.py, CONTRIBUTING "Citing")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explainer import ROOT
from explainer.checks import content, prose
from explainer.data import source_register


def source(key: str, evidence: str) -> source_register.Source:
    return source_register.Source(key=key, publisher="P", title="T", date="2026-04-21", language="en", kind="news",
                     accessed="2026-12-01", line=1, evidence=evidence, via="an aggregator's rewrite")


SOURCES = {"agg": source("agg", "second-hand"), "orig": source("orig", "original"),
           "agg2": source("agg2", "second-hand")}


@pytest.mark.parametrize("text", [
    "The Duma passed the bill at first reading on 21 April 2026.[^agg]",
    "The Duma passed the bill.[^agg][^agg2] It takes effect in 2027.[^orig]",
    "Crypto would be defined as property (the bill's text).[^agg]",
])
def test_unattributed_second_hand_sentence_is_flagged(text):
    flagged = prose.unattributed_second_hand(text, SOURCES)
    assert flagged and flagged[0][1][0] == "agg"


@pytest.mark.parametrize("text", [
    "Crypto outlets reported that the Duma passed the bill on 21 April 2026.[^agg]",
    "According to ForkLog, the committee backed it.[^agg]",
    "Aksakov said the law would take effect on 1 July 2027.[^agg]",
    # A second-hand source beside an original one: the original carries the sentence.
    "The Duma passed the bill.[^agg][^orig]",
    # Only original sources.
    "The law was signed on 8 August 2024.[^orig]",
    # The attribution may sit in the sentence, the footnote marker after the full stop.
    "The bill passed, ChainCatcher reports.[^agg] The date was 21 April.[^orig]",
])
def test_attributed_or_original_sentence_passes(text):
    assert prose.unattributed_second_hand(text, SOURCES) == []


def test_sentences_keep_their_footnotes():
    parts = prose.sentences("One thing happened.[^a] Then another, No. 223 of it.[^b][^c] Last")
    assert parts == ["One thing happened.[^a]", "Then another, No. 223 of it.[^b][^c]", "Last"]


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "p"
    for name in ("docs", "data", "includes"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def test_checker_names_file_and_line_of_an_unattributed_sentence(tmp_path):
    project = _project(tmp_path)
    sources = project / "data" / "sources.yml"
    text = sources.read_text(encoding="utf-8")
    anchor = "  - key: zawya-2024-12-25\n"
    assert anchor in text
    sources.write_text(text.replace(anchor, anchor + "    evidence: second-hand\n", 1), encoding="utf-8")
    about = project / "docs" / "about.md"
    page = about.read_text(encoding="utf-8")
    bad = "The payments were made in bitcoin.[^zawya-2024-12-25]"
    good = "Reuters reported that payments were made in bitcoin.[^zawya-2024-12-25]"
    page = page.replace("\n## ", f"\n{bad}\n\n{good}\n\n## ", 1)
    about.write_text(page, encoding="utf-8")
    bad_line = page.splitlines().index(bad) + 1
    good_line = page.splitlines().index(good) + 1
    problems = [str(p) for p in content.run(project)]
    assert any(f"docs/about.md:{bad_line}: " in p and "second-hand" in p for p in problems), problems
    assert not any(f"docs/about.md:{good_line}: " in p for p in problems), problems
    # Without the mark, the same page passes this rule.
    sources.write_text(text, encoding="utf-8")
    problems = [str(p) for p in content.run(project)]
    assert not any("second-hand" in p for p in problems), problems


def test_the_real_site_attributes_every_second_hand_sentence():
    problems = [str(p) for p in content.run(ROOT) if "second-hand" in p.message]
    assert problems == [], "\n".join(problems)
