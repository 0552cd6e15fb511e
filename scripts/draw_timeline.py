"""Draw the timeline graphic (docs/assets/figures/timeline.svg) from
data/timeline.yml, and its include file.

One row per event, oldest first, on a vertical line grouped in year bands.
Past events are filled circles on a solid line; scheduled events are hollow
diamonds on a dashed line, tagged "Scheduled", below a rule marking the
site's horizon. Shape, line style and text tell them apart, not colour alone.
A gap of more than six months between two events is shown as a break.

Run: python -m scripts.draw_timeline [--check] [--data other.yml]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import sitedata as sd  # noqa: E402
from scripts.draw_common import (  # noqa: E402
    COLOURS, FIGURES, INCLUDES, ROOT, FigureError, Output, cli, esc, figure_include, num, svg_document, wrap,
)

TIMELINE = ROOT / "data" / "timeline.yml"
SLUG = "timeline"
WIDTH = 760
STATUSES = ("past", "scheduled")
DATE_X, AXIS_X, TEXT_X = 16, 150, 176
TEXT_W = WIDTH - TEXT_X - 16
SIZE, LINE_H, ROW_PAD = 14, 18, 10
GAP_MONTHS = 6


class _TagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring tags such as !ENV."""


_TagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def horizon() -> str:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TagLoader)  # noqa: S506
    return str((config.get("extra") or {}).get("horizon") or "")


def load_events(path: Path) -> list[dict]:
    """Read the timeline; a bad event raises FigureError naming path:line."""
    try:
        data = sd.load_yaml(path)
    except sd.DataError as exc:
        raise FigureError(str(exc)) from exc
    where = sd.rel(path)
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise FigureError(f"{where}:1: needs a list called 'events'")
    events = []
    for entry in data["events"]:
        if not isinstance(entry, dict):
            raise FigureError(f"{where}:1: each event must be a mapping")
        line = entry["__line__"]
        lines = entry["__lines__"]
        missing = [f for f in ("id", "date", "title", "status") if not entry.get(f)]
        if missing:
            raise FigureError(f"{where}:{line}: event is missing {', '.join(missing)}")
        msg = sd.check_date(entry["date"])
        if msg:
            raise FigureError(f"{where}:{lines.get('date', line)}: {entry['id']}: {msg}")
        if entry["status"] not in STATUSES:
            raise FigureError(f"{where}:{lines.get('status', line)}: {entry['id']}: status {entry['status']!r} "
                              f"is not one of {', '.join(STATUSES)}")
        events.append(sd.clean(entry))
    if not events:
        raise FigureError(f"{where}:1: no events to draw")
    return sorted(events, key=lambda e: (str(e["date"]), str(e["id"])))


def months(date: str) -> int:
    parts = [int(p) for p in str(date).split("-")]
    return parts[0] * 12 + (parts[1] if len(parts) > 1 else 1) - 1


def gap_text(n: int) -> str:
    years, rest = divmod(n, 12)
    bits = []
    if years:
        bits.append(f"{years} year{'s' if years > 1 else ''}")
    if rest:
        bits.append(f"{rest} month{'s' if rest > 1 else ''}")
    return " ".join(bits) + " later"


def render(events: list[dict], horizon_text: str) -> tuple[str, int]:
    c = COLOURS
    body: list[str] = []
    y = 50.0
    body.append(f'<text x="{DATE_X}" y="24" font-size="16" class="b">Timeline, oldest first</text>')
    # Key, so that shape and line style are explained in the picture itself.
    body.append(f'<circle cx="{WIDTH - 370}" cy="19" r="6" fill="{c["accent"]}"/>'
                f'<text x="{WIDTH - 358}" y="24" font-size="{SIZE}">Happened</text>'
                f'<path d="M{WIDTH - 258} 12l7 7-7 7-7-7z" fill="#fff" stroke="{c["warn"]}" stroke-width="2.2"/>'
                f'<text x="{WIDTH - 244}" y="24" font-size="{SIZE}">Scheduled (after the horizon)</text>')
    rows = []
    prev_month = None
    year = None
    horizon_drawn = False
    for event in events:
        m = months(event["date"])
        if prev_month is not None and m - prev_month > GAP_MONTHS:
            rows.append(("gap", gap_text(m - prev_month), y))
            y += 30
        if str(event["date"])[:4] != year:
            year = str(event["date"])[:4]
            rows.append(("year", year, y))
            y += 26
        if event["status"] == "scheduled" and not horizon_drawn:
            rows.append(("horizon", horizon_text, y))
            y += 34
            horizon_drawn = True
        lines = wrap(str(event["title"]), SIZE, TEXT_W)
        rows.append(("event", (event, lines), y))
        y += len(lines) * LINE_H + ROW_PAD + (LINE_H if event["status"] == "scheduled" else 0)
        prev_month = m
    height = int(y + 12)
    first_event_y = next(r[2] for r in rows if r[0] == "event")
    last_past_y = max((r[2] for r in rows if r[0] == "event" and r[1][0]["status"] == "past"), default=None)
    # The axis: solid through past events, dashed after the horizon.
    if last_past_y is not None:
        body.append(f'<path d="M{AXIS_X} {num(first_event_y - 4)}V{num(last_past_y + 8)}" stroke="{c["accent"]}" '
                    f'stroke-width="3"/>')
    sched = [r[2] for r in rows if r[0] == "event" and r[1][0]["status"] == "scheduled"]
    if sched:
        start = (last_past_y + 8) if last_past_y is not None else sched[0] - 8
        body.append(f'<path d="M{AXIS_X} {num(start)}V{num(sched[-1] + 8)}" stroke="{c["warn"]}" '
                    f'stroke-width="3" stroke-dasharray="6 5"/>')
    for kind, value, ry in rows:
        if kind == "year":
            body.append(f'<rect x="{DATE_X - 8}" y="{num(ry - 4)}" width="{WIDTH - 2 * DATE_X + 16}" height="22" '
                        f'fill="{c["panel"]}"/>'
                        f'<text x="{DATE_X}" y="{num(ry + 12)}" font-size="15" class="b">{esc(value)}</text>')
        elif kind == "gap":
            body.append(f'<path d="M{AXIS_X - 9} {num(ry + 6)}l18 -6M{AXIS_X - 9} {num(ry + 12)}l18 -6" '
                        f'stroke="{c["ink"]}" stroke-width="2"/>'
                        f'<rect x="{AXIS_X - 10}" y="{num(ry + 1)}" width="20" height="7" fill="#fff"/>'
                        f'<path d="M{AXIS_X - 9} {num(ry + 4)}l18 -6M{AXIS_X - 9} {num(ry + 11)}l18 -6" '
                        f'stroke="{c["ink"]}" stroke-width="1.5"/>'
                        f'<text x="{TEXT_X}" y="{num(ry + 12)}" font-size="13" class="muted">'
                        f'(break in the axis: {esc(value)})</text>')
        elif kind == "horizon":
            body.append(f'<path d="M{DATE_X - 8} {num(ry + 8)}H{WIDTH - DATE_X + 8}" stroke="{c["ink"]}" '
                        f'stroke-width="1.5" stroke-dasharray="2 3"/>'
                        f'<text x="{TEXT_X}" y="{num(ry + 24)}" font-size="13" class="b">'
                        f'Sources checked to {esc(value)}; below this line, plans only</text>')
        else:
            event, lines = value
            scheduled = event["status"] == "scheduled"
            cy = ry + 8
            if scheduled:
                body.append(f'<path d="M{AXIS_X} {num(cy - 8)}l8 8-8 8-8-8z" fill="#fff" stroke="{c["warn"]}" '
                            f'stroke-width="2.5"/>')
            else:
                body.append(f'<circle cx="{AXIS_X}" cy="{num(cy)}" r="6" fill="{c["accent"]}" stroke="#fff" '
                            f'stroke-width="2"/>')
            body.append(f'<text x="{DATE_X}" y="{num(ry + 13)}" font-size="{SIZE}" class="muted">'
                        f'{esc(short_date(event["date"]))}</text>')
            ty = ry + 13
            if scheduled:
                body.append(f'<text x="{TEXT_X}" y="{num(ty)}" font-size="13" class="b warn">SCHEDULED</text>')
                ty += LINE_H
            for line in lines:
                body.append(f'<text x="{TEXT_X}" y="{num(ty)}" font-size="{SIZE}">{esc(line)}</text>')
                ty += LINE_H
    past = sum(1 for e in events if e["status"] == "past")
    title = (f"Timeline of {len(events)} events, {human(events[0]['date'])} to {human(events[-1]['date'])}: "
             f"{past} that happened and {len(events) - past} scheduled")
    desc = " ".join(
        f"{human(e['date'])}{' (scheduled)' if e['status'] == 'scheduled' else ''}: {e['title']}" for e in events)
    svg = svg_document(SLUG, WIDTH, height, title, desc, body, f".warn{{fill:{c['warn']}}}")
    return svg, height


def short_date(date: str) -> str:
    parts = str(date).split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {sd.MONTHS[int(parts[1]) - 1][:3]}"
    if len(parts) == 2:
        return sd.MONTHS[int(parts[1]) - 1]
    return parts[0]


def human(date: str) -> str:
    return sd.human_date(str(date))


def include(events: list[dict], height: int, horizon_text: str) -> str:
    keys: list[str] = []
    for event in events:
        for key in event.get("sources") or []:
            if key not in keys:
                keys.append(key)
    past = sum(1 for e in events if e["status"] == "past")
    alt = (f"Timeline graphic of {len(events)} events from {human(events[0]['date'])} to "
           f"{human(events[-1]['date'])}; {past} happened and {len(events) - past} are scheduled after "
           f"the horizon, drawn as hollow diamonds on a dashed line")
    caption = (f"**The timeline at a glance.** Filled circles mark events that happened; hollow diamonds on "
               f"the dashed line mark events scheduled after the sources' horizon ({horizon_text}). The same "
               f"events are listed below as text, each with its sources: " + "".join(f"[^{k}]" for k in keys))
    # The page lists every event as text right under the graphic, so no
    # second copy of the data is added here.
    return figure_include(SLUG, f"{SLUG}.svg", alt, WIDTH, height, caption, "", "", "timeline")


def build(args) -> list[Output]:
    events = load_events(args.data or TIMELINE)
    horizon_text = horizon()
    svg, height = render(events, horizon_text)
    return [Output(FIGURES / f"{SLUG}.svg", svg), Output(INCLUDES / f"{SLUG}.md", include(events, height, horizon_text))]


def main(argv=None) -> int:
    return cli(build, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
