"""A calm page (issue 22), in Chromium on the served site: one control per
key fact, announced as a collapsed/expanded disclosure with a name that says
the fact's state; one-word state labels on the timeline that open to the
note; "In short" on one 390x844 screen; the footnote separator only between
markers that stand next to each other; footnote tooltips drawn on demand,
none built at load."""

from __future__ import annotations

import pytest

PHONE = {"width": 390, "height": 844}


def _ax(page, selector: str) -> dict:
    """Role, name and expanded state of the element, from Chromium's accessibility tree."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"{selector} not found"
    found = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"][0]
    props = {p["name"]: p["value"].get("value") for p in found.get("properties", [])}
    cdp.detach()
    return {"role": found["role"]["value"], "name": found.get("name", {}).get("value"),
            "expanded": props.get("expanded")}


def test_key_fact_control_is_one_disclosure_announced_with_state(server, context):
    page = context.new_page()
    page.goto(server.url("/"), wait_until="networkidle")
    for item in page.locator(".in-short li[id^='kf-']").all():
        assert item.locator("details.fact-actions").count() == 1
        assert item.locator(":scope > :is(button, a.revised, a.date-passed)").count() == 0, "loose controls"
    plain = _ax(page, "#kf-focus-group summary")
    # Chromium's role for <summary>, exposed to screen readers as a button with its expanded state.
    assert plain["role"] in ("DisclosureTriangle", "button"), plain
    assert plain["name"] == "Actions for this point" and plain["expanded"] is False, plain
    revised = _ax(page, "#kf-payments-began summary")
    assert revised["name"].startswith("Revised") and "actions for this point" in revised["name"], revised
    page.focus("#kf-payments-began summary")
    page.keyboard.press(" ")
    assert _ax(page, "#kf-payments-began summary")["expanded"] is True
    note = page.locator("#kf-payments-began a.revised")
    assert note.is_visible() and note.inner_text().startswith("Revised 1 December 2026")
    group = _ax(page, "#kf-payments-began .fact-menu")
    assert group["role"] == "group" and group["name"] == "Actions for this point", group
    page.keyboard.press("Escape")
    assert not note.is_visible()
    # At least 24 by 24 CSS pixels (WCAG 2.2, 2.5.8).
    box = page.locator("#kf-focus-group summary").bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box


def test_timeline_state_labels_are_short_and_open_on_demand(server, context):
    page = context.new_page()
    page.goto(server.url("/timeline/"), wait_until="networkidle")
    labels = page.locator("details.state-label > summary")
    assert labels.count() > 0
    assert set(labels.all_inner_texts()) <= {"Revised", "Date passed"}
    passed = page.locator("li.event-passed details.state-label--date-passed").first
    full = passed.locator("strong.state-passed")
    assert not full.is_visible()
    passed.locator("summary").focus()
    page.keyboard.press("Enter")
    assert full.is_visible() and full.inner_text().startswith("Date passed, not confirmed by the sources")


def test_in_short_fits_one_phone_screen_below_the_title(server, browser):
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    page.goto(server.url("/"), wait_until="networkidle")
    title = page.locator("article h1").bounding_box()
    box = page.locator("article .in-short").bounding_box()
    assert box["y"] >= title["y"] + title["height"], "'In short' is not below the title"
    assert box["y"] + box["height"] <= PHONE["height"], f"'In short' ends at {box['y'] + box['height']} px"
    ctx.close()


SEPARATOR = """() => [...document.querySelectorAll('article sup[id^="fnref"]')].map(s => {
  const prev = s.previousSibling;
  const adjacent = !!prev && prev.nodeType === 1 && prev.matches('sup[id^="fnref"]');
  return [adjacent, getComputedStyle(s, '::before').content];
})"""


@pytest.mark.parametrize("path", ["/", "/what-happened-next/", "/timeline/"])
def test_footnote_separator_only_between_adjacent_markers(server, context, path):
    page = context.new_page()
    page.goto(server.url(path), wait_until="networkidle")
    marks = page.evaluate(SEPARATOR)
    assert any(a for a, _ in marks) or path != "/timeline/", "no adjacent markers to test on"
    assert any(not a for a, _ in marks)
    for adjacent, content in marks:
        assert (content not in ("none", "normal")) == adjacent, (adjacent, content)


def test_footnote_tooltip_on_hover_and_focus_none_built_at_load(server, context):
    page = context.new_page()
    page.goto(server.url("/timeline/"), wait_until="networkidle")
    assert page.evaluate("document.querySelectorAll('.md-tooltip, .md-tooltip2, #__explainer-tip').length") == 0
    marker = page.locator("article a.footnote-ref").first
    marker.hover()
    tip = page.locator("#__explainer-tip")
    assert tip.is_visible() and tip.get_attribute("role") == "tooltip"
    note_id = marker.get_attribute("href")[1:]
    expected = page.evaluate("id => document.getElementById(id).textContent.trim().slice(0, 40)", note_id)
    assert tip.inner_text().strip().startswith(expected[:20])
    assert marker.get_attribute("aria-describedby") == "__explainer-tip"
    page.keyboard.press("Escape")
    assert not tip.is_visible() and marker.get_attribute("aria-describedby") is None
    page.mouse.move(1, 1)
    marker.focus()
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
