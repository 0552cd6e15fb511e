"""Page furniture rendered from data: the "In short" box and the review line.

Pure functions. ``explainer/macros.py`` calls them from the one line
``{{ in_short("page.md") }}`` under each page's title.
"""

from __future__ import annotations

import html

from explainer.data import files as sd


def in_short_box(facts: list[dict]) -> str:
    """The key facts of a page as an admonition, each point with its permanent id."""
    if not facts:
        return ""
    items = "\n".join(
        f'<li id="{html.escape(str(f["id"]))}" markdown="span">{str(f["text"]).strip()}</li>' for f in facts
    )
    return (
        '<div class="admonition abstract in-short" markdown>\n'
        '<p class="admonition-title">In short</p>\n'
        f'<ul markdown>\n{items}\n</ul>\n</div>\n'
    )


def review_line(reviewed: str, horizon: str) -> str:
    """'Reviewed 1 December 2026 · Sources checked to July 2026'."""
    text = (f'Reviewed <time datetime="{reviewed}">{sd.human_date(reviewed)}</time>'
            if reviewed else "")
    if horizon:
        text += f'{" · " if text else ""}Sources checked to {html.escape(horizon)}'
    return f'<p class="page-reviewed">{text}</p>\n' if text else ""


def page_furniture(facts: list[dict], reviewed: str, horizon: str) -> str:
    """Box, then review line, as Markdown to stand under the page title."""
    box = in_short_box(facts)
    return (box + "\n" if box else "") + review_line(reviewed, horizon)
