"""The redirect register's rules (explainer/data/redirects.py, `problems`):
what `explainer check` and every build refuse, each named by file and line.
The schema's own rules (both sides end in .md, an anchor needs #id) are in
tests/unit/data/test_schema.py; the build's refusal in tests/build/test_published.py."""

from __future__ import annotations

from explainer.data.redirects import problems

ANCHORS = {"index.md": {"top", "kf-focus-group"}, "about.md": {"audience", "method"},
           "participants.md": {"members"}}


def register(pages: dict | None = None, anchors: dict | None = None) -> dict:
    def section(entries):
        return {old: {"to": to, "line": n} for n, (old, to) in enumerate((entries or {}).items(), 2)}
    return {"pages": section(pages), "anchors": section(anchors)}


def messages(reg: dict) -> list[str]:
    return [str(p) for p in problems(reg, "data/redirects.yml", ANCHORS)]


def test_a_sound_register_has_no_problems():
    reg = register(pages={"old.md": "about.md", "older.md": "old.md#method"},
                   anchors={"about.md#readers": "about.md#audience", "gone.md#x": "participants.md#members",
                            "older.md#y": "about.md#method"})
    assert messages(reg) == []


def test_a_moved_page_must_land_on_a_page_that_exists():
    assert messages(register(pages={"old.md": "no-such-page.md"})) == [
        "data/redirects.yml:2: old.md -> no-such-page.md: no such page in docs/"]
    assert messages(register(anchors={"about.md#x": "gone.md#top"})) == [
        "data/redirects.yml:2: about.md#x -> gone.md#top: no such page in docs/"]


def test_a_page_that_still_exists_cannot_be_redirected():
    assert messages(register(pages={"about.md": "index.md"})) == [
        "data/redirects.yml:2: about.md still exists; a redirect would overwrite it "
        "(delete the page or the redirect)"]


def test_a_moved_anchor_must_land_on_an_id_that_exists():
    """Before this rule the strict build passed such a register and sent
    readers to the top of the page."""
    found = messages(register(anchors={"focus-group.md#nope": "participants.md#no-such-id"}))
    assert found == ["data/redirects.yml:2: focus-group.md#nope -> participants.md#no-such-id: no id "
                     "#no-such-id on participants.md (readers would land at the top of the page)"]


def test_targets_are_followed_through_moved_pages():
    """An anchor sent to a page that has itself moved is checked on the page it lands on."""
    reg = register(pages={"old.md": "about.md"}, anchors={"x.md#a": "old.md#audience", "x.md#b": "old.md#members"})
    assert messages(reg) == ["data/redirects.yml:3: x.md#b -> old.md#members: no id #members on about.md "
                             "(readers would land at the top of the page)"]
