"""A page of its own for each key fact, so that a pasted link unfurls as the fact.

``/page/#kf-id`` opens the page at the fact, but a chat or briefing tool
previews the whole page. Each fact of data/key_facts.yml also gets
``key-facts/<kf-id>.md`` (``/key-facts/<kf-id>/``), generated at build time
(the engine registers the Markdown as a page outside the nav,
explainer/engine/hooks.py): the fact as its title, description and preview
image, its text with its citations (the footnotes come from the register as
on any page), its sources, its dates and revisions from data/changes.yml, a
link to it in context, and "Cite this page" from its own record
(explainer/render/cite.py). The /key-facts/ listing links each one.

Pure functions: the loaded data in, Markdown out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from explainer.data import changes as log
from explainer.data import datetext, pagefiles
from explainer.data.bundle import cited_keys
from explainer.render import change_log, citations, dates
from explainer.render.text import md_text, plain
from explainer.urls import rel_link

FOLDER = "key-facts"
TITLE_LIMIT = 260
DESCRIPTION_LIMIT = 300


@dataclass
class FactPage:
    src: str          # 'key-facts/kf-223-fz.md'
    fact: dict
    page: str         # where the fact stands: 'focus-group.md'
    title: str        # the fact, shortened to its first sentence
    description: str  # the fact as plain text
    reviewed: str     # the review date of the page it stands on
    first: str        # first published (the page's first change-log entry)


def src_of(fact_id: str) -> str:
    return f"{FOLDER}/{fact_id}.md"


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.?!;])(\s|$)", text)
    return match.group(1).rstrip(";") if match else text


def pages(d) -> list[FactPage]:
    """Every key fact whose page exists, in the file's order."""
    out = []
    for fact in d.facts:
        page = str(fact.get("page") or "")
        if not fact.get("id") or page not in d.pages or not fact.get("text"):
            continue
        text = plain(str(fact["text"]))
        meta = pagefiles.read_page(d.docs / page).meta
        found = [str(e["date"]) for e in log.for_page(d.changes, page)]
        out.append(FactPage(src_of(str(fact["id"])), fact, page, _shorten(first_sentence(text), TITLE_LIMIT),
                            _shorten(text, DESCRIPTION_LIMIT), str(meta.get("reviewed") or ""),
                            min(found) if found else ""))
    return out


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def markdown(d, fp: FactPage, build_date: str) -> str:
    """The page's Markdown (front matter, title, fact, where it stands, sources)."""
    fid = str(fp.fact["id"])
    page_title = d.pages[fp.page].title
    in_context = rel_link(fp.src, f"{fp.page}#{fid}")
    changes_page = d.marker_page("changes")
    timeline = d.marker_page("timeline")
    keys = [k for k in cited_keys(str(fp.fact["text"])) if k in d.sources]
    note = dates.fact_mark(d, fp.fact, build_date, rel_link(fp.src, timeline)) if timeline else ""
    revisions = [e for e in log.for_anchor(d.changes, fp.page, fid) if e["kind"] != "new-page"]
    lines = [
        "---",
        f"title: {_yaml(fp.title)}",
        f"description: {_yaml(fp.description)}",
        f'reviewed: "{fp.reviewed}"' if fp.reviewed else "",
        "generated: true",
        "key_fact: " + _yaml(fid),
        "# Not indexed: the /key-facts/ page and the fact's own page are searched.",
        "search:",
        "  exclude: true",
        "# No table of contents: a short page outside the nav (Material's",
        "# contents label would name a toggle that only nav pages have).",
        "hide:",
        "  - toc",
        "---",
        "",
        f"# {md_text(fp.title)} {{#top .kf-page-title}}",
        "",
        f'<p class="kf-page-from">A key fact from “{md_text(page_title)}”, '
        f'permanent id <code>{md_text(fid)}</code>.</p>',
        "",
        '<div class="kf-page-text" markdown>',
        "",
        # The passed-date mark goes under "Where it stands": the post-build
        # pass makes it a disclosure, which a paragraph cannot hold.
        " ".join(str(fp.fact["text"]).split()),
        "",
        "</div>",
        "",
        f"[Read it in context, on “{md_text(page_title)}”]({in_context})",
        "{: .nofact }",
        "",
        "## Where it stands {#status}",
        "",
    ]
    status = []
    if fp.first:
        status.append(f'First published <time datetime="{fp.first}">{datetext.human_date(fp.first)}</time>.')
    if revisions:
        links = "; ".join(
            f'[{datetext.human_date(e["date"])}, {change_log.kind_label(e["kind"]).lower()}]'
            f'({rel_link(fp.src, changes_page or "changes.md")}#{e["id"]})' for e in revisions)
        status.append(f"Revised: {links}.")
    else:
        status.append("Not revised since it was first published.")
    if note:
        status.append("The date it names:" + note)
    if fp.reviewed:
        status.append(f'The page it stands on was last reviewed <time datetime="{fp.reviewed}">'
                      f'{datetext.human_date(fp.reviewed)}</time>; sources checked to {md_text(d.horizon)}.')
    lines += ['<ul class="kf-page-status" markdown>']
    lines += [f'<li markdown="span">{item}</li>' for item in status]
    lines += ["</ul>", ""]
    if keys:
        names = "; ".join(md_text(citations.short(d.sources[key])) for key in keys)
        label = "source" if len(keys) == 1 else "sources"
        lines += ["## Sources {#sources}", "",
                  f"The fact cites {len(keys)} {label} ({names}); the numbered notes below give each in full, "
                  "with its address and the date it was read.", "{: .nofact }", ""]
    return "\n".join(lines) + "\n"
