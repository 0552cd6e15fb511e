"""The post-build pass over a page's article (explainer/postbuild/html.py),
on small pieces of HTML: the calm page of issue 22."""

from __future__ import annotations

import re

from explainer.postbuild.html import add_copy_buttons

URL = "https://example.org/page/"
SUP = '<sup id="fnref:{0}"><a class="footnote-ref" href="#fn:{0}">{1}</a></sup>'


def test_separator_class_only_on_a_marker_directly_after_another():
    text = f'<p>It was said.{SUP.format("a", 1)} More words.{SUP.format("b", 2)}{SUP.format("c", 3)}</p>'
    out = add_copy_buttons(text, URL)
    assert re.findall(r'<sup class="fnref-next" id="fnref:(\w)"', out) == ["c"]


def test_heading_has_one_link_that_copies_its_address():
    text = '<h2 id="method">How<a class="headerlink" href="#method" title="Link to this section">&para;</a></h2>'
    out = add_copy_buttons(text, URL)
    assert out.count("<a ") == 1 and "<button" not in out
    assert f'data-clipboard-text="{URL}#method"' in out


def test_key_fact_gets_one_control_holding_its_actions_and_state():
    fact = ('<li id="kf-x" data-cite="A fact. Source: X.">A fact.' + SUP.format("a", 1)
            + ' <a class="revised revised--correction" href="../changes/#ch-1">Revised 1 December 2026 '
              '(correction)</a></li>')
    out = add_copy_buttons(f'<ul>{fact}</ul><h2 id="page-changes-title">Changes</h2>', URL)
    item = re.search(r'<li id="kf-x">(.*?)</li>', out, re.S).group(1)
    before, control = item.split('<details class="fact-actions">')
    assert "<a class=\"revised" not in before and "<button" not in before
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", control).group(1)
    assert re.sub(r"<[^>]+>", "", summary) == "Revised, actions for this point"
    menu = control.split("</summary>", 1)[1]
    assert f'class="copy-link" data-clipboard-text="{URL}#kf-x">Copy link</button>' in menu
    assert f'data-clipboard-text="A fact. Source: X. {URL}#kf-x">Copy with source</button>' in menu
    assert ">Revised 1 December 2026 (correction)</a>" in menu


def test_event_notes_become_one_word_labels():
    event = ('<li id="ev-1"><strong class="state-passed">Date passed, not confirmed by the sources:</strong> '
             'Plan. <a class="revised revised--update" href="../changes/#ch-2">Revised 2 December 2026 '
             '(update)</a></li>')
    out = add_copy_buttons(event, URL)
    assert re.findall(r"<summary>(.*?)</summary>", out) == ["Date passed", "Revised"]
    assert '<strong class="state-passed">Date passed, not confirmed by the sources:</strong></details>' in out
