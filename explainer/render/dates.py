"""Scheduled dates that have gone by, rendered where a reader meets them.

An event still ``scheduled`` in data/timeline.yml whose date is before the
build date is in the third state, ``PASSED`` (``explainer.data.bundle.
event_state``; the build date is ``explainer.config.build_date``). Pure
functions: the timeline listing's label, the mark on a key fact that names
such a date, and the note at the section the event's ``see:`` points to
(``{{ date_note("page.md#section") }}``, one line under that heading).
"""

from __future__ import annotations

import datetime as dt
import re

from explainer.data import datetext
from explainer.data.bundle import PASSED, Data, as_list, event_sort_key, event_state
from explainer.render.text import attr, md_text

DATE_NOTE_RE = re.compile(r"""^\{\{\s*date_note\(\s*["']([^"']+)["']\s*\)\s*\}\}\s*$""")


def today_of(build_date: str) -> dt.date:
    return dt.date.fromisoformat(build_date)


def passed_label(horizon: str) -> str:
    """The words of the third state, as the timeline, key facts and notes show it."""
    checked = f" (checked to {horizon})" if horizon else ""
    return f"Date passed, not confirmed by the sources{checked}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def passed_events(d: Data, build_date: str) -> list[dict]:
    today = today_of(build_date)
    return sorted((e for e in d.timeline["events"] if event_state(e, today) == PASSED), key=event_sort_key)


def events_named_by(d: Data, text: str, build_date: str) -> list[dict]:
    """The passed events whose date a text names as the site writes it
    ('1 September 2026'): the key facts that state such a date."""
    plain = " ".join(str(text).split())
    return [e for e in passed_events(d, build_date) if datetext.human_date(str(e["date"])) in plain]


def fact_mark(d: Data, fact: dict, build_date: str, timeline_href: str) -> str:
    """A mark after a key fact for each passed date it names ('' if none)."""
    marks = []
    for event in events_named_by(d, str(fact.get("text") or ""), build_date):
        marks.append(f' [{datetext.human_date(str(event["date"]))}: {_lower_first(passed_label(d.horizon))}]'
                     f'({timeline_href}#{event["id"]}){{: .date-passed }}')
    return "".join(marks)


def section_note(d: Data, target: str, build_date: str, timeline_href: str) -> str:
    """The note under the heading ``target`` (page.md#id) for each passed
    event whose ``see`` is that section, as Markdown ('' if none)."""
    found = [e for e in passed_events(d, build_date) if str(e.get("see")) == target]
    if not found:
        return ""
    out = []
    for event in found:
        keys = "".join(f"[^{k}]" for k in as_list(event.get("sources")))
        title = md_text(" ".join(str(event["title"]).split()).rstrip("."))
        out.append(
            f'<div class="admonition warning date-passed-note" markdown>\n'
            f'<p class="admonition-title">{passed_label(d.horizon)}</p>\n\n'
            f"Scheduled for <time datetime=\"{attr(event['date'])}\">{datetext.human_date(str(event['date']))}</time>: "
            f"{title}.{keys} That date has passed. The sources behind this page end in {md_text(d.horizon)} "
            f"and do not say whether it happened, so the text below still describes the plan. "
            f"[Timeline entry]({timeline_href}#{event['id']})\n"
            f"</div>\n")
    return "\n".join(out)


def note_lines(page_body: str, first_line: int) -> list[tuple[int, str]]:
    """(line, target) for every ``{{ date_note("...") }}`` line of a page."""
    out = []
    for offset, line in enumerate(page_body.split("\n")):
        match = DATE_NOTE_RE.match(line)
        if match:
            out.append((first_line + offset, match.group(1)))
    return out
