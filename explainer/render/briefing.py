"""The front page's dates for a briefing: chosen timeline events, each as
its date (a link to its entry on the timeline), its one line and its
sources, written from data/timeline.yml (or data/sanctions.yml, for the
events generated from it) so that no date is typed twice.

Pure function: a loaded ``Data`` in, Markdown out; the page calls
``{{ key_dates("ev-...", ...) }}`` (explainer/macros.py).
"""

from __future__ import annotations

import datetime as dt

from explainer.data import datetext
from explainer.data.bundle import PASSED, Data, as_list, event_state
from explainer.render.text import md_text
from explainer.urls import rel_link

NOTES = {
    "scheduled": " (scheduled)",
    PASSED: " (scheduled; the date has passed, and whether it happened is beyond this site's sources)",
}


def key_dates(d: Data, here: str, ids: list[str], today: dt.date) -> str:
    events = {str(e.get("id")): e for e in d.timeline["events"]}
    missing = [i for i in ids if i not in events]
    if missing:
        raise ValueError(f"key_dates: no timeline event {', '.join(map(repr, missing))} in data/timeline.yml "
                         "or data/sanctions.yml")
    page = d.marker_page("timeline") or "timeline.md"
    lines = []
    for eid in ids:
        e = events[eid]
        keys = "".join(f"[^{k}]" for k in as_list(e.get("sources")))
        note = NOTES.get(event_state(e, today), "")
        day = datetext.human_date(str(e['date']))
        lines.append(f"- [**{day}**]({rel_link(here, f'{page}#{eid}')}){md_text(note)}: "
                     f"{md_text(str(e['title']).strip())}{keys}")
    return '<div class="key-dates" markdown="1">\n\n' + "\n".join(lines) + "\n\n</div>\n"
