"""Page furniture rendered from data: the "In short" box and the review line.

Pure functions. ``explainer/macros.py`` calls them from the one line
``{{ in_short("page.md") }}`` under each page's title.
"""

from __future__ import annotations

import html

from explainer.data import datetext


def in_short_box(facts: list[dict], notes: dict | None = None, cite_texts: dict | None = None) -> str:
    """The key facts of a page as an admonition, each point with its permanent id.
    ``notes``: Markdown to add after a fact's text, by fact id (a passed date,
    a revision). ``cite_texts``: the fact as a plain sentence with its
    sources, by id, carried in ``data-cite`` for the post-build pass's
    "copy with source" button (explainer/postbuild/html.py)."""
    if not facts:
        return ""
    notes, cite_texts = notes or {}, cite_texts or {}

    def item(f: dict) -> str:
        fid = str(f["id"])
        cite = f' data-cite="{html.escape(cite_texts[fid], quote=True)}"' if fid in cite_texts else ""
        return f'<li id="{html.escape(fid)}"{cite} markdown="span">{str(f["text"]).strip()}{notes.get(fid, "")}</li>'
    items = "\n".join(item(f) for f in facts)
    return (
        '<div class="admonition abstract in-short" markdown>\n'
        '<p class="admonition-title">In short</p>\n'
        f'<ul markdown>\n{items}\n</ul>\n</div>\n'
    )


def review_line(reviewed: str, horizon: str, built: str = "") -> str:
    """'Reviewed 1 December 2026 · Sources checked to July 2026 · Built 8 December 2026'."""
    text = (f'Reviewed <time datetime="{reviewed}">{datetext.human_date(reviewed)}</time>'
            if reviewed else "")
    if horizon:
        text += f'{" · " if text else ""}Sources checked to {html.escape(horizon)}'
    if built:
        text += (f'{" · " if text else ""}<span class="page-built">Built '
                 f'<time datetime="{built}">{datetext.human_date(built)}</time></span>')
    return f'<p class="page-reviewed">{text}</p>\n' if text else ""


def page_furniture(facts: list[dict], reviewed: str, horizon: str, built: str = "",
                   notes: dict | None = None, cite_texts: dict | None = None) -> str:
    """Box, then review line, as Markdown to stand under the page title."""
    box = in_short_box(facts, notes, cite_texts)
    return (box + "\n" if box else "") + review_line(reviewed, horizon, built)
