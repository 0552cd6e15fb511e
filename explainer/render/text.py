"""Text made safe for where it goes: Markdown, HTML attributes, plain text.

The one home of escaping for the renderers; data values are plain text and
are escaped here at the moment they enter Markdown or an attribute.
"""

from __future__ import annotations

import html
import re
from typing import Any

from explainer.data.bundle import strip_citations

MD_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
TAG_RE = re.compile(r"<[^>]+>")
EMPHASIS_RE = re.compile(r"(\*\*|\*|__|_|`)(.+?)\1")


def md_text(value: Any) -> str:
    """Plain text made safe to drop into Markdown (HTML and link syntax)."""
    text = html.escape(str(value), quote=False)
    for char, entity in (("[", "&#91;"), ("]", "&#93;"), ("*", "&#42;"), ("_", "&#95;"), ("`", "&#96;")):
        text = text.replace(char, entity)
    return text


def attr(value: Any) -> str:
    """Text for an HTML attribute value (quotes escaped)."""
    return html.escape(str(value), quote=True)


def plain(markdown: str) -> str:
    """Markdown prose as plain text: no citations, links, tags or emphasis marks."""
    text = strip_citations(" ".join(str(markdown).split()))
    text = MD_LINK_RE.sub(r"\1", text)
    text = TAG_RE.sub("", text)
    text = EMPHASIS_RE.sub(r"\2", text)
    return html.unescape(text).strip()
