"""Copy a key fact with its citation, in Chromium with the real clipboard:
reached by keyboard through the fact's one control (a disclosure), it puts the fact
as one plain sentence with its source
(publisher, title, date) and its permanent link on the clipboard; the link
button beside it still copies the link alone."""

from __future__ import annotations

from explainer import ROOT
from explainer import data as site_data
from explainer.config import read_config
from explainer.data import pagefiles
from explainer.render import citetext


def test_copy_fact_with_source_by_keyboard(server, browser):
    d = site_data.load(ROOT)
    fact = next(f for f in d.facts if f["id"] == "kf-focus-group")
    meta = pagefiles.read_page(d.docs / "index.md").meta
    sentence = citetext.fact_sentence(fact, d.sources, str(meta["title"]),
                                      str(read_config(ROOT / "mkdocs.yml")["site_name"]), str(meta["reviewed"]))
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    page = ctx.new_page()
    page.goto(server.url("/"), wait_until="networkidle")
    button = page.locator("#kf-focus-group button.copy-fact")
    # One compact control per key fact (issue 22): the actions are folded away until asked for.
    assert not button.is_visible()
    # Keyboard only: Tab until the fact's control has focus, then Enter opens it.
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#kf-focus-group details.fact-actions > summary')"):
            break
    else:
        raise AssertionError("the key fact's control cannot be reached with Tab")
    page.keyboard.press("Enter")
    assert button.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#kf-focus-group button.copy-link')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#kf-focus-group button.copy-fact')")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{sentence} {server.url('/#kf-focus-group')}", copied
    assert "Vedomosti" in copied and "17 September 2024" in copied and "\n" not in copied
    # The link button copies the link alone, as before.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.matches('#kf-focus-group button.copy-link')")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("navigator.clipboard.readText()") == server.url("/#kf-focus-group")
    # Escape folds the actions away and gives focus back to the control.
    page.keyboard.press("Escape")
    assert not button.is_visible()
    assert page.evaluate("document.activeElement.matches('#kf-focus-group details.fact-actions > summary')")
    ctx.close()
