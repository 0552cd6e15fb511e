"""Draw the timeline graphic (docs/assets/figures/timeline.svg) from
data/timeline.yml, and its include file.

An overview, since the page lists every event as text right under it: one
lane per page of the site that explains the events (the 'see' field), one
column per year that has events (busier years wider, skipped years marked by
a break on the axis). Past events are filled circles; scheduled events are
hollow diamonds, right of a dashed line at the site's horizon and named in
the key: shape and position tell them apart, not colour alone.

Run: python -m explainer.figures.timeline [--check] [--data other.yml]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


from explainer.data import files as sd  # noqa: E402
from explainer.data import bundle  # noqa: E402
from explainer.figures.svg import (  # noqa: E402
    COLOURS, FIGURES, INCLUDES, ROOT, FigureError, Output, cli, esc, figure_include, haloed, num, svg_document,
    wrap,
)

TIMELINE = ROOT / "data" / "timeline.yml"
SLUG = "timeline"
WIDTH = 760
SIZE = 14
PLOT_L, PLOT_R = 190, WIDTH - 16   # the plot area, right of the lane labels
BREAK_W = 12                       # gap on the axis where years are skipped
ROW_H, LANE_PAD, MARK_GAP = 14, 5, 11
MIN_LANE = 3                       # pages with fewer events share a lane


class _TagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring tags such as !ENV."""


_TagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def horizon() -> str:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TagLoader)  # noqa: S506
    return str((config.get("extra") or {}).get("horizon") or "")


def load_events(path: Path) -> list[dict]:
    """Read the timeline; bad events (its JSON Schema, explainer/data/schema.py)
    raise FigureError naming path:line, one line per problem."""
    try:
        entries, problems = bundle.load_events(path)
    except sd.DataError as exc:
        raise FigureError(str(exc)) from exc
    if problems:
        raise FigureError("\n".join(map(str, problems)))
    events = [sd.clean(entry) for entry in entries]
    return sorted(events, key=lambda e: (str(e["date"]), str(e["id"])))


def lane_of(event: dict) -> str:
    """The page that explains an event (its 'see' field, without the anchor)."""
    return str(event.get("see") or "").split("#")[0]


def page_title(page: str) -> str:
    path = ROOT / "docs" / page
    if page and path.exists():
        return str(sd.read_page(path).meta.get("title") or page)
    return page or "Other pages"


def position(date: str) -> float:
    """Months since January of year 0, at the middle of the day, month or
    year that the date names."""
    parts = [int(p) for p in str(date).split("-")]
    if len(parts) == 1:
        return parts[0] * 12 + 6.0
    if len(parts) == 2:
        return parts[0] * 12 + parts[1] - 0.5
    return parts[0] * 12 + parts[1] - 1 + (parts[2] - 0.5) / 31


def horizon_position(text: str) -> float | None:
    """'July 2026' -> the end of that month, as a position()."""
    bits = text.split()
    if len(bits) == 2 and bits[0] in sd.MONTHS and bits[1].isdigit():
        return int(bits[1]) * 12 + sd.MONTHS.index(bits[0]) + 1.0
    return None


def render(events: list[dict], horizon_text: str) -> tuple[str, int]:
    """A swimlane overview: one lane per page that explains the events, one
    column per year that has events (busier years wider), breaks where years
    are skipped; markers stack where they would touch."""
    c = COLOURS
    body: list[str] = []
    # Lanes: pages with at least MIN_LANE events, busiest first; the rest share one.
    counts: dict[str, int] = {}
    for e in events:
        counts[lane_of(e)] = counts.get(lane_of(e), 0) + 1
    lanes = [page for page, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= MIN_LANE]
    other = any(lane_of(e) not in lanes for e in events)
    names = [page_title(p) for p in lanes] + (["Other pages"] if other else [])
    # Year columns.
    years = sorted({int(str(e["date"])[:4]) for e in events})
    per_year = {y: sum(1 for e in events if int(str(e["date"])[:4]) == y) for y in years}
    breaks = sum(1 for a, b in zip(years, years[1:]) if b - a > 1)
    weights = {y: 1 + per_year[y] / 4 for y in years}
    usable = PLOT_R - PLOT_L - breaks * BREAK_W
    unit = usable / sum(weights.values())
    starts: dict[int, float] = {}
    x = PLOT_L
    for i, y in enumerate(years):
        if i and y - years[i - 1] > 1:
            x += BREAK_W
        starts[y] = x
        x += weights[y] * unit

    def xpos(value: float) -> float:
        year = int(value // 12)
        return starts[year] + (value - year * 12) / 12 * weights[year] * unit

    # Place markers in rows inside each lane so that none touch.
    placed = []
    lane_rows: list[int] = []
    for li in range(len(names)):
        members = sorted((e for e in events if (lanes.index(lane_of(e)) if lane_of(e) in lanes
                                                 else len(lanes)) == li),
                         key=lambda e: (position(e["date"]), str(e["id"])))
        ends: list[float] = []
        for e in members:
            ex = xpos(position(e["date"]))
            row = next((r for r, end in enumerate(ends) if end < ex - MARK_GAP), None)
            if row is None:
                ends.append(ex)
                row = len(ends) - 1
            else:
                ends[row] = ex
            placed.append((li, row, ex, e))
        lane_rows.append(max(1, len(ends)))
    top = 64
    lane_tops = []
    y = top
    for rows in lane_rows:
        lane_tops.append(y)
        y += rows * ROW_H + 2 * LANE_PAD
    axis_y = y + 6
    height = int(axis_y + 44)
    # Header and key: shape and line style carry the status, not colour alone.
    body.append(f'<text x="16" y="24" font-size="16" class="b">Events by year and page</text>')
    body.append(f'<circle cx="{WIDTH - 372}" cy="19" r="6" fill="{c["accent"]}"/>'
                f'<text x="{WIDTH - 360}" y="24" font-size="{SIZE}">Happened</text>'
                f'<path d="M{WIDTH - 258} 12l7 7-7 7-7-7z" fill="#fff" stroke="{c["warn"]}" stroke-width="2.2"/>'
                f'<text x="{WIDTH - 244}" y="24" font-size="{SIZE}">Scheduled (planned)</text>')
    # Lanes.
    for li, name in enumerate(names):
        ly = lane_tops[li]
        lh = lane_rows[li] * ROW_H + 2 * LANE_PAD
        if li % 2 == 0:
            body.append(f'<rect x="8" y="{num(ly)}" width="{WIDTH - 16}" height="{num(lh)}" fill="{c["panel"]}"/>')
        label = wrap(name, 13, PLOT_L - 28)
        for j, line in enumerate(label[:2]):
            body.append(f'<text x="16" y="{num(ly + lh / 2 + 5 - 8 * (len(label[:2]) - 1) + 16 * j)}" '
                        f'font-size="13">{esc(line)}</text>')
    # Year columns, breaks and the axis.
    for i, year in enumerate(years):
        x0 = starts[year]
        x1 = x0 + weights[year] * unit
        body.append(f'<path d="M{num(x0)} {top - 6}V{num(axis_y)}" stroke="{c["line"]}" stroke-width="0.8"/>')
        body.append(f'<text x="{num((x0 + x1) / 2)}" y="{num(axis_y + 20)}" font-size="13" class="b" '
                    f'text-anchor="middle">{year}</text>')
        body.append(f'<path d="M{num(x0)} {num(axis_y)}H{num(x1)}" stroke="{c["ink"]}" stroke-width="1.5"/>')
        if i and year - years[i - 1] > 1:
            bx = x0 - BREAK_W / 2
            body.append(f'<path d="M{num(bx - 6)} {num(axis_y + 5)}l6 -10M{num(bx)} {num(axis_y + 5)}l6 -10" '
                        f'stroke="{c["ink"]}" stroke-width="1.5"/>')
    body.append(f'<path d="M{num(PLOT_R)} {top - 6}V{num(axis_y)}" stroke="{c["line"]}" '
                f'stroke-width="0.8"/>')
    body.append(f'<text x="16" y="{num(axis_y + 38)}" font-size="12" class="muted">Columns are years with '
                f'events, wider for busier years; a double stroke on the axis marks skipped years.</text>')
    # The horizon.
    hpos = horizon_position(horizon_text)
    if hpos is not None and int(hpos // 12) in starts:
        hx = xpos(hpos)
        body.append(f'<path d="M{num(hx)} {top - 12}V{num(axis_y + 4)}" stroke="{c["ink"]}" stroke-width="1.8" '
                    f'stroke-dasharray="4 3"/>')
        body.append(haloed(f'x="{num(hx - 4)}" y="{top - 16}" font-size="12" text-anchor="end" '
                           f'font-weight="700"', f"Sources checked to {horizon_text}"))
    # Markers.
    for li, row, ex, e in placed:
        cy = lane_tops[li] + LANE_PAD + row * ROW_H + ROW_H / 2
        if e["status"] == "scheduled":
            body.append(f'<path d="M{num(ex)} {num(cy - 6)}l6 6-6 6-6-6z" fill="#fff" stroke="{c["warn"]}" '
                        f'stroke-width="2.2"/>')
        else:
            body.append(f'<circle cx="{num(ex)}" cy="{num(cy)}" r="5" fill="{c["accent"]}" stroke="#fff" '
                        f'stroke-width="1.2"/>')
    past = sum(1 for e in events if e["status"] == "past")
    title = (f"Timeline overview: {len(events)} events, {human(events[0]['date'])} to "
             f"{human(events[-1]['date'])}, {past} that happened and {len(events) - past} scheduled")
    desc = ("Events by year, in one row per page of this site that explains them. "
            + " ".join(f"{human(e['date'])}{' (scheduled)' if e['status'] == 'scheduled' else ''}: {e['title']}"
                       for e in events))
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
    per_year: dict[str, int] = {}
    for e in events:
        per_year[str(e["date"])[:4]] = per_year.get(str(e["date"])[:4], 0) + 1
    busiest = sorted(per_year, key=lambda y: (-per_year[y], y))[:2]
    hpos = horizon_position(horizon_text)
    after = sum(1 for e in events if e["status"] == "scheduled" and hpos is not None and position(e["date"]) > hpos)
    alt = (f"Overview chart of {len(events)} events from {human(events[0]['date'])} to "
           f"{human(events[-1]['date'])}, by year and by page; the busiest years are "
           f"{' and '.join(f'{y} ({per_year[y]} events)' for y in busiest)}. {past} happened (filled circles) and "
           f"{len(events) - past} are scheduled (hollow diamonds), {after} of them after the horizon of "
           f"{horizon_text}")
    caption = (f"**The timeline at a glance.** Each row holds the events that one page of this site explains. "
               f"Filled circles mark events that happened; hollow diamonds mark events that were still planned "
               f"when the sources were last checked ({horizon_text}, the dashed line). The same events are "
               f"listed below as text, each with its sources: " + "".join(f"[^{k}]" for k in keys))
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
