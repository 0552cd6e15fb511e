"""Draw the timeline graphics from data/timeline.yml (and the sanction events
generated from data/sanctions.yml), and the figure that shows them, at build
time: an event whose scheduled date has passed is drawn so on the day the
site is built, so nothing is committed that goes stale with the calendar.
The build writes the pictures as site files (``drawing``, through the post-build
pass's ``generated_files``) and the page shows the figure with the macro
``{{ figure("timeline") }}`` (explainer/macros.py).

Two pictures of the same events, each a light card shown with <img>:

- assets/figures/timeline.svg (wide, for desktop): one time axis across,
  every event a mark on it (busier years, and years with labels, get more
  room; skipped years are marked by a break). The milestones, chosen in the
  data (an event's `milestone` field), carry their date and those words, above
  or below the marks, each joined to its mark by a line that crosses no other
  label.
- assets/figures/timeline-phone.svg (narrow, for phones): time runs down
  a vertical axis, one step per event, the milestones labelled to its right
  in text of 13 units or more on a 360-unit width.

Marks: filled circles happened, hollow diamonds are scheduled, struck-through
diamonds were scheduled for a date that has passed (``event_state`` with the
build date): shape, not colour alone, tells them apart, and the key names
them. The include shows one picture or the other (extra.css), puts a link to
each milestone's entry over its label, and captions them without a citation
per event: every event is listed with its sources right under the figure.

To look at a drawing: python -m explainer.figures.timeline --out FOLDER
[--data other.yml] (writes the two pictures and the figure's Markdown there).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from explainer.config import MONTHS, build_date, read_config
from explainer.data import bundle, datetext, loading
from explainer.figures.svg import (
    COLOURS,
    ROOT,
    FigureError,
    Output,
    cli,
    esc,
    haloed,
    num,
    svg_document,
    text_width,
    wrap,
)

TIMELINE = ROOT / "data" / "timeline.yml"
SLUG = "timeline"
WIDTH = 760
PLOT_L, PLOT_R = 20, WIDTH - 20    # the plot area
BREAK_W = 12                       # gap on the axis where years are skipped
ROW_H, MARK_GAP = 14, 11
LABEL_W = 120                      # wrap a milestone's words to this width (wide picture)
PHONE_W = 360                      # the phone picture's width


def horizon() -> str:
    return str((read_config(ROOT / "mkdocs.yml").get("extra") or {}).get("horizon") or "")


def load_events(path: Path) -> list[dict]:
    """Read the timeline; bad events (its JSON Schema, explainer/data/schema.py)
    raise FigureError naming path:line, one line per problem."""
    try:
        entries, problems = bundle.load_events(path)
    except loading.DataError as exc:
        raise FigureError(str(exc)) from exc
    if problems:
        raise FigureError("\n".join(map(str, problems)))
    events = [loading.clean(entry) for entry in entries]
    return sorted(events, key=lambda e: (str(e["date"]), str(e["id"])))


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
    if len(bits) == 2 and bits[0] in MONTHS and bits[1].isdigit():
        return int(bits[1]) * 12 + MONTHS.index(bits[0]) + 1.0
    return None


def year_columns(events: list[dict], start: float, length: float, gap: float, per_label: float = 0.0,
                 min_span: float = 0.0):
    """Each year that has events gets a stretch of the axis, busier years
    longer, with a gap where years are skipped: (years, starts, spans, at)
    where at(position) is the place on the axis."""
    years = sorted({int(str(e["date"])[:4]) for e in events})
    per_year = {y: sum(1 for e in events if int(str(e["date"])[:4]) == y) for y in years}
    breaks = sum(1 for a, b in zip(years, years[1:], strict=False) if b - a > 1)
    labels = {y: sum(1 for e in events if e.get("milestone") and int(str(e["date"])[:4]) == y) for y in years}
    weights = {y: 1 + per_year[y] / 4 + per_label * labels[y] for y in years}
    usable = length - breaks * gap
    unit = usable / sum(weights.values())
    for _ in range(len(years)):  # years too short for their name get min_span; the rest share what is left
        short = [y for y in years if weights[y] * unit < min_span]
        if not short:
            break
        for y in short:
            weights[y] = min_span / unit
        unit = usable / sum(weights.values())
    starts: dict[int, float] = {}
    at = start
    for i, y in enumerate(years):
        if i and y - years[i - 1] > 1:
            at += gap
        starts[y] = at
        at += weights[y] * unit
    spans = {y: weights[y] * unit for y in years}

    def place(value: float) -> float:
        year = min(max(int(value // 12), years[0]), years[-1])
        return starts[year] + min(max(value - year * 12, 0), 12) / 12 * spans[year]

    return years, starts, spans, place


def mark(kind: str, x: float, y: float, big: bool) -> str:
    """The mark of an event: filled circle (happened), hollow diamond
    (scheduled), hollow diamond struck through (date passed): shape, not
    colour alone, tells them apart."""
    c = COLOURS
    if kind == "scheduled":
        r = 6.5 if big else 5
        return (f'<path d="M{num(x)} {num(y - r)}l{num(r)} {num(r)}-{num(r)} {num(r)}-{num(r)}-{num(r)}z" '
                f'fill="#fff" stroke="{c["warn"]}" stroke-width="2.2"/>')
    if kind == bundle.PASSED:
        r = 6.5 if big else 5
        return (f'<path d="M{num(x)} {num(y - r)}l{num(r)} {num(r)}-{num(r)} {num(r)}-{num(r)}-{num(r)}z" '
                f'fill="#fff" stroke="{c["ink"]}" stroke-width="2"/>'
                f'<path d="M{num(x - r - 2)} {num(y + r + 2)}L{num(x + r + 2)} {num(y - r - 2)}" '
                f'stroke="{c["ink"]}" stroke-width="2"/>')
    return (f'<circle cx="{num(x)}" cy="{num(y)}" r="{6 if big else 4.5}" fill="{c["accent"]}" stroke="#fff" '
            f'stroke-width="1.2"/>')


KIND_NAMES = {"past": "Happened", "scheduled": "Scheduled (planned)",
              bundle.PASSED: "Date passed; outcome not in the sources"}


def key_items(states: set[str]) -> list[str]:
    return [k for k in ("past", "scheduled", bundle.PASSED) if k in states]


def label_lines(event: dict, size: float, width: float) -> list[str]:
    return [short_date(event["date"], year=True)] + wrap(str(event["milestone"]), size, width)


def render_wide(events: list[dict], horizon_text: str, today: dt.date) -> tuple[str, int, list[tuple]]:
    """The desktop picture: one time axis across, every event a mark on it;
    the milestones labelled with their date and words above and below the
    marks, each joined to its mark by a line that crosses no other label.
    Returns (svg, height, [(event, x0, y0, x1, y1) of each label's box])."""
    c = COLOURS
    size, line_h = 13, 15.5
    years, starts, spans, place = year_columns(events, PLOT_L, PLOT_R - PLOT_L, BREAK_W, 1.6, 42)
    states = {str(e["id"]): bundle.event_state(e, today) for e in events}
    # Marks: one strip, stacked where they would touch.
    ends: list[float] = []
    marks = []
    for e in sorted(events, key=lambda e: (position(e["date"]), str(e["id"]))):
        ex = place(position(e["date"]))
        row = next((r for r, end in enumerate(ends) if end < ex - MARK_GAP), None)
        if row is None:
            ends.append(ex)
            row = len(ends) - 1
        else:
            ends[row] = ex
        marks.append((e, ex, row))
    strip_rows = max(1, len(ends))
    # Labels, left to right, each in the first free slot: above or below the
    # marks, nearest level first. A slot is free if the label's box overlaps
    # no box in it, its line (straight up or down from the mark) crosses no
    # box nearer the marks on that side, and the box covers no line of a
    # label further out on that side.
    placed: list[dict] = []
    slots = [(side, level, flip) for level in range(6) for side in (-1, 1) for flip in (False, True)]
    to_label = [(e, ex) for e, ex, _row in marks if e.get("milestone")]
    for n, (e, ex) in enumerate(to_label):
        later = [lx for _e, lx in to_label[n + 1:]]
        lines = label_lines(e, size, LABEL_W)
        w = max(text_width(t, size) for t in lines) * 0.92 + 6

        def box(flip: bool) -> tuple[float, float]:
            """Rightwards from the mark, or (flip, or no room) leftwards to it."""
            if (flip and ex + 3 - w >= 8) or ex - 3 + w > WIDTH - 8:
                return ex + 3 - w, ex + 3
            return ex - 3, ex - 3 + w

        def cost(slot: tuple) -> float:
            """Nearer levels first; a box over the marks of labels still to
            come would push them outwards, so it costs more."""
            x0, x1 = box(slot[2])
            return slot[1] * 4 + 5 * sum(1 for lx in later if x0 - 4 <= lx <= x1 + 4) + 0.5 * slot[2]

        def free(side: int, level: int, flip: bool, strict: bool = True) -> bool:
            x0, x1 = box(flip)
            same = [p for p in placed if p["side"] == side]
            if any(p["level"] == level and not (x1 + 8 < p["x0"] or x0 - 8 > p["x1"]) for p in same):
                return False
            if not strict:
                return True
            if any(p["level"] < level and p["x0"] - 4 <= ex <= p["x1"] + 4 for p in same):
                return False
            return not any(p["level"] > level and x0 - 4 <= p["ex"] <= x1 + 4 for p in same)

        ok = [sl for sl in slots if free(*sl)]
        side, level, flip = min(ok, key=cost) if ok else next(sl for sl in slots if free(*sl, strict=False))
        x0, x1 = box(flip)
        placed.append({"e": e, "ex": ex, "x0": x0, "x1": x1, "side": side, "level": level, "lines": lines,
                       "anchor": "start" if x0 >= ex - 3 else "end"})
    level_h = line_h * max((len(p["lines"]) for p in placed), default=2) + 12
    above = 1 + max((p["level"] for p in placed if p["side"] < 0), default=-1)
    below = 1 + max((p["level"] for p in placed if p["side"] > 0), default=-1)
    top = 90
    strip_top = top + above * level_h + 6
    strip_bottom = strip_top + strip_rows * ROW_H
    below_top = strip_bottom + 14
    years_y = below_top + below * level_h + 16
    height = int(years_y + 30)
    body: list[str] = []
    body.append(f'<text x="16" y="24" font-size="16" class="b">Key events, {years[0]} to {years[-1]}</text>')
    kx = 16
    for kind in key_items(set(states.values())):
        body.append(mark(kind, kx + 6, 45, False))
        body.append(f'<text x="{num(kx + 18)}" y="50" font-size="13">{KIND_NAMES[kind]}</text>')
        kx += 48 + text_width(KIND_NAMES[kind], 13) * 0.92
    body.append('<text x="16" y="72" font-size="12.5" class="muted">The axis shows only years with events, longer for '
                'busier ones; a double stroke marks skipped years.</text>')
    # Year columns (shaded in turn), the axis and its breaks.
    for i, year in enumerate(years):
        x0, x1 = starts[year], starts[year] + spans[year]
        if i % 2 == 0:
            body.append(f'<rect x="{num(x0)}" y="{top - 4}" width="{num(x1 - x0)}" height="{num(years_y - top - 8)}" '
                        f'fill="{c["panel"]}"/>')
        body.append(f'<text x="{num((x0 + x1) / 2)}" y="{num(years_y + 4)}" font-size="13" class="b" '
                    f'text-anchor="middle">{year}</text>')
        body.append(f'<path d="M{num(x0)} {num(strip_bottom)}H{num(x1)}" stroke="{c["ink"]}" stroke-width="1.5"/>')
        if i and year - years[i - 1] > 1:
            bx = x0 - BREAK_W / 2
            body.append(f'<path d="M{num(bx - 6)} {num(strip_bottom + 5)}l6 -10M{num(bx)} {num(strip_bottom + 5)}'
                        f'l6 -10" stroke="{c["ink"]}" stroke-width="1.5"/>')
    hpos = horizon_position(horizon_text)
    if hpos is not None and int(hpos // 12) in starts:
        hx = place(hpos)
        body.append(f'<path d="M{num(hx)} {top - 4}V{num(years_y - 12)}" stroke="{c["ink"]}" '
                    f'stroke-width="1.8" stroke-dasharray="4 3"/>')
        text = f"Sources checked to {horizon_text}"
        right = hx + 6 + text_width(text, 12.5) * 1.1 <= WIDTH - 8  # bold: wider than the estimate
        body.append(haloed(f'x="{num(hx + 6 if right else hx - 6)}" y="{top + 10}" font-size="12.5" font-weight="700"'
                           + ("" if right else ' text-anchor="end"'), text, "halo-panel"))
    # Lines first, then the labels over them, then the marks.
    boxes = []
    for p in placed:
        n = len(p["lines"])
        if p["side"] < 0:
            p["ly"] = strip_top - 6 - p["level"] * level_h - n * line_h
            body.append(f'<path d="M{num(p["ex"])} {num(p["ly"] + n * line_h)}V{num(strip_top + ROW_H / 2 - 6)}" '
                        f'stroke="{c["ink"]}" stroke-width="1"/>')
        else:
            p["ly"] = below_top + p["level"] * level_h + 4
            body.append(f'<path d="M{num(p["ex"])} {num(strip_bottom)}V{num(p["ly"])}" stroke="{c["ink"]}" '
                        f'stroke-width="1"/>')
    for p in placed:
        tx = p["ex"] + 3 if p["anchor"] == "start" else p["ex"] - 3
        for j, text in enumerate(p["lines"]):
            attrs = (f'x="{num(tx)}" y="{num(p["ly"] + 11 + j * line_h)}" font-size="{size}"'
                     + (' text-anchor="end"' if p["anchor"] == "end" else "")
                     + (' font-weight="700"' if j == 0 else ""))
            body.append(haloed(attrs, text))
        boxes.append((p["e"], p["x0"], p["ly"] - 2, p["x1"], p["ly"] + line_h * len(p["lines"]) + 2))
    for e, ex, row in marks:
        cy = strip_top + row * ROW_H + ROW_H / 2
        body.append(mark(states[str(e["id"])], ex, cy, bool(e.get("milestone"))))
    title, desc = title_desc(events, states, "Events along one time axis")
    svg = svg_document(SLUG, WIDTH, height, title, desc, body)
    return svg, height, boxes


def render_phone(events: list[dict], horizon_text: str, today: dt.date) -> tuple[str, int, list[tuple]]:
    """The phone picture: time runs down a vertical axis; the milestones are
    labelled to its right in text no smaller than 13 units on a 360-unit
    width (so about 13 CSS pixels on a 390-pixel phone)."""
    c = COLOURS
    size, line_h = 13.5, 17
    ax = 64
    lx = ax + 62
    states = {str(e["id"]): bundle.event_state(e, today) for e in events}
    order = sorted(events, key=lambda e: (position(e["date"]), str(e["id"])))
    # Time runs down in order, not to scale: a small step per event (marks
    # zig-zag so that neighbours do not touch), room for its words per
    # milestone, and room for the year's name where a year begins.
    top = 136
    y = top
    rows = []
    zig = 0
    prev_year = None
    for e in order:
        year = int(str(e["date"])[:4])
        if year != prev_year:
            y += 26 if prev_year is not None else 8
            if prev_year is not None and year - prev_year > 1:
                y += 8
            rows.append(("year", year, y, prev_year))
            y += 4
            prev_year = year
            zig = 0
        if e.get("milestone"):
            lines = label_lines(e, size, PHONE_W - lx - 8)
            y += 10
            rows.append(("event", e, y, lines))
            y += line_h * len(lines) + 2
            zig = 0
        else:
            rows.append(("event", e, y + 4, None if zig % 2 == 0 else []))
            y += 7
            zig += 1
    axis_end = y + 10
    height = int(axis_end + 58)
    body: list[str] = [f'<text x="12" y="24" font-size="16" class="b">Key events, {order[0]["date"][:4]} to '
                       f'{order[-1]["date"][:4]}</text>']
    ky = 48
    for kind in key_items(set(states.values())):
        body.append(mark(kind, 20, ky - 5, False))
        body.append(f'<text x="34" y="{ky}" font-size="13">{KIND_NAMES[kind]}</text>')
        ky += 20
    if horizon_position(horizon_text) is not None:
        body.append(f'<path d="M12 {ky - 5}H28" stroke="{c["ink"]}" stroke-width="1.8" stroke-dasharray="4 3"/>')
        body.append(f'<text x="34" y="{ky}" font-size="13">Sources checked to {esc(horizon_text)}</text>')
    body.append(f'<path d="M{ax} {top}V{num(axis_end)}" stroke="{c["ink"]}" stroke-width="1.5"/>')
    hpos = horizon_position(horizon_text)
    boxes = []
    marks_out = []
    horizon_done = hpos is None
    for kind, item, ry, extra in rows:
        if kind == "year":
            body.append(f'<path d="M8 {num(ry - 12)}H{PHONE_W - 8}" stroke="{c["line"]}" stroke-width="0.6"/>')
            body.append(f'<text x="{ax - 14}" y="{num(ry + 4)}" font-size="13" class="b" text-anchor="end">'
                        f'{item}</text>')
            if extra is not None and item - extra > 1:
                body.append(f'<path d="M{ax - 6} {num(ry - 15)}l12 -6M{ax - 6} {num(ry - 9)}l12 -6" '
                            f'stroke="{c["ink"]}" stroke-width="1.5"/>')
            continue
        e = item
        if not horizon_done and position(e["date"]) > hpos:
            hy = ry - (6 if extra is None or extra == [] else 9)
            body.append(f'<path d="M8 {num(hy)}H{PHONE_W - 8}" stroke="{c["ink"]}" stroke-width="1.8" '
                        f'stroke-dasharray="4 3"/>')
            horizon_done = True
        if extra:  # a milestone
            body.append(f'<path d="M{ax + 8} {num(ry)}H{lx - 6}" stroke="{c["line"]}" stroke-width="1"/>')
            for j, text in enumerate(extra):
                body.append(f'<text x="{lx}" y="{num(ry + 4 + j * line_h)}" font-size="{size}"'
                            + (' font-weight="700"' if j == 0 else "") + f">{esc(text)}</text>")
            boxes.append((e, lx - 4, ry - 12, PHONE_W - 4, ry + 6 + line_h * (len(extra) - 1)))
            marks_out.append(mark(states[str(e["id"])], ax, ry, True))
        else:
            marks_out.append(mark(states[str(e["id"])], ax + (10 if extra == [] else 0), ry, False))
    body += marks_out
    body.append(f'<text x="12" y="{height - 30}" font-size="13" class="muted">Time runs down, one step per '
                f'event, not to scale;</text>')
    body.append(f'<text x="12" y="{height - 12}" font-size="13" class="muted">a double stroke marks skipped '
                f'years.</text>')
    title, desc = title_desc(events, states, "Events down one time axis, in order")
    svg = svg_document(f"{SLUG}-phone", PHONE_W, height, title, desc, body)
    return svg, height, boxes


def title_desc(events: list[dict], states: dict, how: str) -> tuple[str, str]:
    count = {k: sum(1 for v in states.values() if v == k) for k in ("past", "scheduled", bundle.PASSED)}
    labelled = [e for e in events if e.get("milestone")]
    title = (f"Timeline: {len(events)} events, {human(events[0]['date'])} to {human(events[-1]['date'])}; "
             f"{len(labelled)} key events labelled")
    desc = (f"{how}: {count['past']} that happened, {count['scheduled']} scheduled"
            + (f", {count[bundle.PASSED]} whose scheduled date has passed without the sources saying whether "
               f"they happened" if count[bundle.PASSED] else "")
            + ". Labelled: " + "; ".join(f"{human(e['date'])}: {e['milestone']}" for e in labelled)
            + ". All events: " + " ".join(
                f"{human(e['date'])}{STATE_NOTE[states[str(e['id'])]]}: {e['title']}" for e in events))
    return title, desc


STATE_NOTE = {"past": "", "scheduled": " (scheduled)", bundle.PASSED: " (scheduled; date passed)"}


def short_date(date: str, year: bool = False) -> str:
    """'17 Sep' ('17 Sep 2024' with year=True); 'February' ('Feb 2025')."""
    parts = str(date).split("-")
    tail = f" {parts[0]}" if year else ""
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1][:3]}{tail}"
    if len(parts) == 2:
        return (MONTHS[int(parts[1]) - 1][:3] if year else MONTHS[int(parts[1]) - 1]) + tail
    return parts[0]


def human(date: str) -> str:
    return datetext.human_date(str(date))


def hit_links(boxes: list[tuple], width: int, height: int) -> str:
    """A link over each label of a picture, to its event's entry below: an
    <img> cannot hold links, so each is an HTML link placed (in percent of
    the picture) over its label, named by the label's words."""
    out = []
    for e, x0, y0, x1, y1 in boxes:
        box = (f"left:{x0 / width * 100:.2f}%;top:{y0 / height * 100:.2f}%;"
               f"width:{(x1 - x0) / width * 100:.2f}%;height:{(y1 - y0) / height * 100:.2f}%")
        out.append(f'<a class="timeline-hit" href="#{esc(e["id"])}" style="{box}">'
                   f'<span class="visually-hidden">{esc(human(e["date"]))}: {esc(e["milestone"])}</span></a>')
    return "\n".join(out)


def include(events: list[dict], wide: tuple[int, list], phone: tuple[int, list], horizon_text: str,
            today: dt.date) -> str:
    """The figure: the wide picture, or on a narrow screen the phone one (CSS
    shows one; the other is display:none and, being lazy, not fetched), the
    links over their labels, and a caption without a citation per event: the
    sources are with the entries listed under it."""
    states = [bundle.event_state(e, today) for e in events]
    past, scheduled, passed = (states.count(k) for k in ("past", "scheduled", bundle.PASSED))
    labelled = [e for e in events if e.get("milestone")]
    hpos = horizon_position(horizon_text)
    after = sum(1 for e in events if e["status"] == "scheduled" and hpos is not None and position(e["date"]) > hpos)
    alt = (f"Timeline of {len(events)} events from {human(events[0]['date'])} to {human(events[-1]['date'])}, "
           f"{len(labelled)} of them labelled: "
           + "; ".join(f"{human(e['date'])}, {e['milestone']}" for e in labelled)
           + f". {past} happened (filled circles), {scheduled} are scheduled (hollow diamonds)"
           + (f" and {passed} were scheduled for a date that has passed (struck-through diamonds)" if passed else "")
           + f"; {after} events lie after the horizon of {horizon_text}")
    key = ("Filled circles mark events that happened; hollow diamonds mark events that were still planned when "
           f"the sources were last checked ({horizon_text}, the dashed line)"
           + ("; a struck-through diamond marks a planned event whose date has passed, which the sources do "
              "not cover" if passed else "") + ".")
    caption = (f"**The timeline at a glance.** The {len(labelled)} key events carry their date and a few words; "
               f"each label links to its entry. {key} Every event is listed below with its sources, so this "
               "picture cites none of its own.")
    (wide_h, wide_boxes), (phone_h, phone_boxes) = wide, phone
    return (
        f'<figure class="data-figure timeline-figure" id="fig-{SLUG}" markdown="1">\n\n'
        f'<div class="timeline-layout timeline-wide" markdown="1">\n\n'
        f'![{alt}](assets/figures/{SLUG}.svg){{ width="{WIDTH}" height="{wide_h}" loading="lazy" }}\n\n'
        f"{hit_links(wide_boxes, WIDTH, wide_h)}\n\n</div>\n\n"
        f'<div class="timeline-layout timeline-phone" markdown="1">\n\n'
        f'![{alt}](assets/figures/{SLUG}-phone.svg){{ width="{PHONE_W}" height="{phone_h}" loading="lazy" }}\n\n'
        f"{hit_links(phone_boxes, PHONE_W, phone_h)}\n\n</div>\n\n"
        f'<figcaption markdown="1">\n{caption}\n</figcaption>\n'
        f"</figure>\n"
    )


@dataclass(frozen=True)
class Drawing:
    """The two pictures and the figure's Markdown, for one build date."""
    wide: str
    phone: str
    figure: str

    def files(self) -> dict[str, str]:
        """Site path -> SVG text, for the build to write."""
        return {f"assets/figures/{SLUG}.svg": self.wide, f"assets/figures/{SLUG}-phone.svg": self.phone}


_DRAWN: dict[tuple, Drawing] = {}


def drawing(today: dt.date, data: Path | None = None) -> Drawing:
    """The timeline as of ``today`` (the build date), drawn once per build
    (the page's macro and the build's files ask for the same one)."""
    path = Path(data or TIMELINE)
    horizon_text = horizon()
    key = (str(path.resolve()), loading.text_key(path, loading.read_text(path), "timeline")[2], horizon_text, today)
    if key not in _DRAWN:
        events = load_events(path)
        wide_svg, wide_h, wide_boxes = render_wide(events, horizon_text, today)
        phone_svg, phone_h, phone_boxes = render_phone(events, horizon_text, today)
        _DRAWN.clear()
        _DRAWN[key] = Drawing(wide_svg, phone_svg, include(events, (wide_h, wide_boxes), (phone_h, phone_boxes),
                                                           horizon_text, today))
    return _DRAWN[key]


def build(args) -> list[Output]:
    """For a person who wants to look at a drawing (--out FOLDER): the build
    itself uses ``drawing``."""
    if not args.out:
        raise FigureError("the timeline is drawn at build time; give --out FOLDER to look at a drawing")
    drawn = drawing(dt.date.fromisoformat(build_date(ROOT)), args.data)
    return [Output(args.out / f"{SLUG}.svg", drawn.wide), Output(args.out / f"{SLUG}-phone.svg", drawn.phone),
            Output(args.out / f"{SLUG}.md", drawn.figure)]


def main(argv=None) -> int:
    return cli(build, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
