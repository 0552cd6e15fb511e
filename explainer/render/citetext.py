"""A key fact as a ready-to-paste plain-text sentence with its sources.

Pure function: the fact and the source register in, plain text out. The
"In short" box carries it in ``data-cite``; the post-build pass appends the
fact's permanent link and turns it into the "Copy with source" button
(``explainer/postbuild/html.py``), whose text Material's clipboard copies.
"""

from __future__ import annotations

from explainer.data import datetext
from explainer.data.bundle import cited_keys
from explainer.render import citations
from explainer.render.text import plain


def fact_sentence(fact: dict, sources: dict, page_title: str, site_name: str, reviewed: str) -> str:
    """The fact, its sources, and where it stands; the permanent link is added after it."""
    text = plain(str(fact.get("text") or ""))
    keys = [k for k in cited_keys(str(fact.get("text") or "")) if k in sources]
    parts = [text]
    if keys:
        label = "Source" if len(keys) == 1 else "Sources"
        parts.append(f"{label}: " + "; ".join(citations.short(sources[k]) for k in keys) + ".")
    where = f"“{page_title}”, {site_name}" if page_title != site_name else site_name
    if reviewed:
        where += f", reviewed {datetext.human_date(reviewed)}"
    parts.append(where + ":")
    return " ".join(parts)
