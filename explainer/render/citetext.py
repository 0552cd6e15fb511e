"""A key fact as a ready-to-paste plain-text sentence with its sources.

Pure function: the fact and the source register in, plain text out. The
"In short" box carries it in ``data-cite``; the post-build pass appends the
fact's permanent link and turns it into the "Copy with source" button
(``explainer/postbuild/html.py``), whose text Material's clipboard copies.
"""

from __future__ import annotations

import html
import re

from explainer.data import files as sd
from explainer.data.bundle import cited_keys, strip_citations

MD_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
TAG_RE = re.compile(r"<[^>]+>")
EMPHASIS_RE = re.compile(r"(\*\*|\*|__|_|`)(.+?)\1")


def plain(markdown: str) -> str:
    """Markdown prose as plain text: no citations, links, tags or emphasis marks."""
    text = strip_citations(" ".join(str(markdown).split()))
    text = MD_LINK_RE.sub(r"\1", text)
    text = TAG_RE.sub("", text)
    text = EMPHASIS_RE.sub(r"\2", text)
    return html.unescape(text).strip()


def source_text(source: sd.Source) -> str:
    """'Vedomosti, “Title” [English title], 17 September 2024'."""
    title = source.title
    if not (title.startswith("[") and title.endswith("]")):
        title = f"“{title}”"
    if source.title_en and source.title_en != source.title:
        title += f" [{source.title_en}]"
    return f"{source.publisher}, {title}, {sd.human_date(source.date)}"


def fact_sentence(fact: dict, sources: dict, page_title: str, site_name: str, reviewed: str) -> str:
    """The fact, its sources, and where it stands; the permanent link is added after it."""
    text = plain(str(fact.get("text") or ""))
    keys = [k for k in cited_keys(str(fact.get("text") or "")) if k in sources]
    parts = [text]
    if keys:
        label = "Source" if len(keys) == 1 else "Sources"
        parts.append(f"{label}: " + "; ".join(source_text(sources[k]) for k in keys) + ".")
    where = f"“{page_title}”, {site_name}" if page_title != site_name else site_name
    if reviewed:
        where += f", reviewed {sd.human_date(reviewed)}"
    parts.append(where + ":")
    return " ".join(parts)
