"""The editions page (explainer/render/change_log.py, ``render_editions``)
from data/changes.yml: the empty state until the first edition, then every
edition with its address, what changed in it and, page by page, what changed
after it, under ids an edition's banner links to."""

from __future__ import annotations

import copy

import pytest
from conftest import ROOT

from explainer import data as site_data
from explainer.data.bundle import generated_anchors
from explainer.render import change_log

BASE = "https://example.org/"


@pytest.fixture(scope="module")
def d():
    return site_data.load(ROOT)


def with_editions(d, *dates):
    out = copy.copy(d)
    out.changes = {**d.changes, "editions": [{"date": date} for date in dates]}
    return out


def test_empty_state_explains_editions(d):
    text = change_log.render_editions(with_editions(d), "editions.md", BASE)
    assert "No edition has been published yet" in text and "frozen copy" in text
    assert "{#about-editions}" in text and "{#list}" in text and "since-" not in text


def test_each_edition_lists_its_changes_and_what_changed_after_it(d):
    dd = with_editions(d, "2026-11-30", "2026-12-02")
    text = change_log.render_editions(dd, "editions.md", BASE, sorted(dd.pages))
    newer, older = text.index("{#ed-2026-12-02}"), text.index("{#ed-2026-11-30}")
    assert newer < older, "newest first"
    assert f'href="{BASE}editions/2026-12-02/"' in text
    # In the edition of 2 December: the change log of 1 December (since the previous edition)
    assert "changes.md#ch-2026-12-01-change-log" in text[newer:older]
    assert "changes.md#ch-2026-11-24-first-publication" not in text[newer:older]
    # After the edition of 2 December, what-happened-next.md was corrected on 4 December
    line = next(x for x in text[newer:older].splitlines() if 'id="since-2026-12-02-what-happened-next"' in x)
    assert "changes.md#ch-2026-12-04-sanctions-corrections" in line, line
    assert "no change since" in next(x for x in text[newer:older].splitlines()
                                     if 'id="since-2026-12-02-glossary"' in x)
    # Every page has its id under every edition, and the anchor checks know them.
    anchors = generated_anchors(dd, "editions")
    for date in ("2026-11-30", "2026-12-02"):
        for page in dd.pages:
            assert change_log.since_id(date, page) in anchors
            assert f'id="{change_log.since_id(date, page)}"' in text


def test_no_attribute_list_after_a_raw_html_list(d):
    """Markdown prints '{: .nofact }' as text after a raw <ul> (generated pages need none)."""
    dd = with_editions(d, "2026-12-02")
    for text in (change_log.render_editions(dd, "editions.md", BASE),
                 change_log.render_changes(dd, "changes.md", BASE)):
        assert "</ul>\n{: .nofact }" not in text
