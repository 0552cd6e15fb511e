"""Draw the payment-flow diagrams (docs/assets/figures/payment-flow.svg and
a7-route.svg) and their include files, from data/diagrams.yml.

Each diagram is described there as data: columns of boxes joined by
labelled arrows, optional overseers above a framed group, a mark on an arrow
where a route failed, and dated notes. Every statement a diagram makes is
sourced in its caption, and the same content is written out as a list
beside it. This module only draws.

Run: explainer figures [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

from explainer.data import loading, schema
from explainer.figures.svg import (
    COLOURS,
    FIGURES,
    INCLUDES,
    ROOT,
    FigureError,
    Output,
    cli,
    esc,
    figure_include,
    haloed,
    num,
    svg_document,
    wrap,
)

LABEL, SUB, SMALL = 15, 13.5, 13
PAD = 9
ARROW_GAP = 46

DIAGRAMS = ROOT / "data" / "diagrams.yml"


def _plain(node):
    """A loaded entry without the loader's line bookkeeping, all the way down."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items() if not str(k).startswith("__")}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def load_diagrams(path: Path) -> list[dict]:
    """data/diagrams.yml, checked against its JSON Schema; a diagram whose
    arrows do not join its boxes one to the next is refused too. Problems
    raise FigureError naming path:line, one line per problem."""
    try:
        data, problems = schema.check_file(path, "diagrams")
    except loading.DataError as exc:
        raise FigureError(str(exc)) from exc
    where = loading.rel(path)
    for diagram in [] if problems else data["diagrams"]:
        for column in diagram["columns"]:
            if len(column["edges"]) != len(column["nodes"]) - 1:
                problems.append(loading.Problem(where, column["__line__"],
                                           f"{diagram['slug']}: column {column['title']!r} has "
                                           f"{len(column['nodes'])} boxes and {len(column['edges'])} arrows; "
                                           "it needs one arrow fewer than boxes"))
    if problems:
        raise FigureError("\n".join(map(str, problems)))
    return [_plain(diagram) for diagram in data["diagrams"]]


def box_height(node: dict, width: float) -> float:
    lines = len(wrap(node["label"], LABEL, width - 2 * PAD))
    sub = len(wrap(node.get("sub", ""), SUB, width - 2 * PAD)) if node.get("sub") else 0
    return 2 * PAD + lines * (LABEL + 4) + sub * (SUB + 4) + 2


def draw_box(out: list[str], x: float, y: float, w: float, node: dict, fill: str, stroke: str) -> float:
    h = box_height(node, w)
    out.append(f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" rx="6" fill="{fill}" '
               f'stroke="{stroke}" stroke-width="1.5"/>')
    ty = y + PAD + LABEL
    for line in wrap(node["label"], LABEL, w - 2 * PAD):
        out.append(f'<text x="{num(x + w / 2)}" y="{num(ty)}" font-size="{LABEL}" class="b" '
                   f'text-anchor="middle">{esc(line)}</text>')
        ty += LABEL + 4
    for line in wrap(node.get("sub", ""), SUB, w - 2 * PAD) if node.get("sub") else []:
        out.append(f'<text x="{num(x + w / 2)}" y="{num(ty)}" font-size="{SUB}" class="muted" '
                   f'text-anchor="middle">{esc(line)}</text>')
        ty += SUB + 4
    return h


def draw_column(out: list[str], col: dict, top: float) -> float:
    c = COLOURS
    x, w = col["x"], col["width"]
    out.append(f'<text x="{num(x)}" y="{num(top + 16)}" font-size="16" class="b">{esc(col["title"])}</text>')
    y = top + 32
    if col.get("overseers"):
        n = len(col["overseers"])
        gap = 12
        ow = (w - gap * (n - 1)) / n
        heights = [box_height(o, ow) for o in col["overseers"]]
        for i, node in enumerate(col["overseers"]):
            ox = x + i * (ow + gap)
            draw_box(out, ox, y, ow, node, c["panel"], c["ink"])
            out.append(f'<path d="M{num(ox + ow / 2)} {num(y + heights[i])}V{num(y + max(heights) + 26)}" '
                       f'stroke="{c["ink"]}" stroke-width="1.5" stroke-dasharray="2 3"/>')
        attrs = f'x="{num(x + w / 2)}" y="{num(y + max(heights) + 18)}" font-size="{SMALL}" text-anchor="middle"'
        out.append(haloed(attrs, "oversee").replace(f"<text {attrs}>", f'<text {attrs} class="muted">'))
        y += max(heights) + 26
    inner_x, inner_w = x, w
    frame_top = y
    frame_lines = wrap(col["frame"], SMALL, w - 24) if col.get("frame") else []
    if col.get("frame"):
        inner_x, inner_w = x + 14, w - 28
        y += 14 + 17 * len(frame_lines)
    node_w = inner_w * 0.62
    node_x = inner_x + (inner_w - node_w) / 2 if not col.get("frame") else inner_x
    for i, node in enumerate(col["nodes"]):
        h = draw_box(out, node_x, y, node_w, node, "#fff", c["accent"])
        y += h
        if i < len(col["edges"]):
            edge = col["edges"][i]
            gap = ARROW_GAP + (34 if edge.get("blocked") else 0)
            ax = node_x + node_w / 2
            y0, y1 = y + 3, y + gap - 3
            lx = ax + 12
            if edge.get("blocked"):
                out.append(f'<path d="M{num(ax)} {num(y0)}V{num(y1 - 8)}" stroke="{c["warn"]}" stroke-width="2" '
                           f'stroke-dasharray="5 4"/>')
                cy = (y0 + y1) / 2
                out.append(f'<path d="M{num(ax - 8)} {num(cy - 8)}L{num(ax + 8)} {num(cy + 8)}M{num(ax + 8)} '
                           f'{num(cy - 8)}L{num(ax - 8)} {num(cy + 8)}" stroke="{c["warn"]}" stroke-width="3.5"/>')
                # A return arrow on the left: the payment comes back.
                rx = node_x - 10
                out.append(f'<path d="M{num(node_x)} {num(y1 + 12)}H{num(rx)}V{num(y - 14)}H{num(node_x - 2)}" '
                           f'fill="none" stroke="{c["warn"]}" stroke-width="1.8" stroke-dasharray="5 3"/>'
                           f'<path d="M{num(node_x - 2)} {num(y - 14)}l-7 -4v8z" fill="{c["warn"]}"/>')
                lines = [edge["label"]] + wrap("✕ " + edge["blocked"], SMALL, x + w - lx - 10)
                for j, line in enumerate(lines):
                    cls = "b" if j == 0 else "warn"
                    out.append(f'<text x="{num(lx + 6)}" y="{num(y0 + 13 + j * 15)}" font-size="{SMALL}" '
                               f'class="{cls}">{esc(line)}</text>')
            else:
                out.append(f'<path d="M{num(ax)} {num(y0)}V{num(y1 - 8)}" stroke="{c["ink"]}" stroke-width="2"/>'
                           f'<path d="M{num(ax)} {num(y1)}l-5 -9h10z" fill="{c["ink"]}"/>')
                out.append(f'<text x="{num(lx)}" y="{num((y0 + y1) / 2 + 5)}" font-size="{SMALL}" '
                           f'class="muted">{esc(edge["label"])}</text>')
            y += gap
    if col.get("frame"):
        y += 14
        out.insert(0, f'<rect x="{num(x)}" y="{num(frame_top)}" width="{num(w)}" height="{num(y - frame_top)}" '
                      f'rx="10" fill="{c["accent_fill"]}" stroke="{c["accent"]}" stroke-width="1.5" '
                      f'stroke-dasharray="7 4"/>')
        for j, line in enumerate(frame_lines):
            out.insert(1 + j, f'<text x="{num(x + 12)}" y="{num(frame_top + 20 + 17 * j)}" font-size="{SMALL}" '
                              f'class="b acc">{esc(line)}</text>')
    return y


def draw_notes(out: list[str], notes: dict, top: float) -> float:
    c = COLOURS
    x, w = notes["x"], notes["width"]
    out.append(f'<text x="{num(x)}" y="{num(top + 16)}" font-size="16" class="b">{esc(notes["title"])}</text>')
    y = top + 40
    for date, text in ((item["date"], item["text"]) for item in notes["items"]):
        out.append(f'<circle cx="{num(x + 6)}" cy="{num(y - 5)}" r="4" fill="{c["ink"]}"/>')
        out.append(f'<text x="{num(x + 18)}" y="{num(y)}" font-size="{SMALL}" class="b">{esc(date)}</text>')
        y += 18
        for line in wrap(text, SMALL, w - 18):
            out.append(f'<text x="{num(x + 18)}" y="{num(y)}" font-size="{SMALL}">{esc(line)}</text>')
            y += 17
        y += 12
    return y


def render(diagram: dict) -> tuple[str, int, int]:
    body: list[str] = []
    bottom = 0.0
    for col in diagram["columns"]:
        part: list[str] = []
        bottom = max(bottom, draw_column(part, col, 8))
        body += part
    if diagram.get("notes"):
        bottom = max(bottom, draw_notes(body, diagram["notes"], 8))
    height = int(bottom + 16)
    desc = describe(diagram)
    style = f".warn{{fill:{COLOURS['warn']}}}.acc{{fill:{COLOURS['accent']}}}"
    svg = svg_document(diagram["slug"], diagram["width"], height, diagram["title"], desc, body, style)
    return svg, diagram["width"], height


def node_text(node: dict) -> str:
    return node["label"] + (f" ({node['sub']})" if node.get("sub") else "")


def describe(diagram: dict) -> str:
    """The diagram as plain sentences, for the SVG's <desc>."""
    parts = []
    for col in diagram["columns"]:
        steps = [node_text(col["nodes"][0])]
        for edge, node in zip(col["edges"], col["nodes"][1:], strict=True):
            step = f"{edge['label']} to {node_text(node)}"
            if edge.get("blocked"):
                step += f" [{edge['blocked'][0].lower() + edge['blocked'][1:]}]"
            steps.append(step)
        text = f"{col['title']}: " + ", then ".join(steps) + "."
        if col.get("overseers"):
            text += " Overseen by: " + "; ".join(node_text(o) for o in col["overseers"]) + "."
        if col.get("frame"):
            text += f" All within: {col['frame']}."
        parts.append(text)
    if diagram.get("notes"):
        parts.append(diagram["notes"]["title"] + ": "
                     + "; ".join(f"{i['date']}: {i['text']}" for i in diagram["notes"]["items"]) + ".")
    return " ".join(parts)


def data_list(diagram: dict) -> str:
    """The diagram as a Markdown list, shown under it."""
    lines = []
    for col in diagram["columns"]:
        lines.append(f"**{col['title']}**")
        lines.append("")
        if col.get("frame"):
            lines.append(f"Within: {col['frame']}.")
            lines.append("")
        for o in col.get("overseers", []):
            lines.append(f"- Oversight: {node_text(o)}")
        lines.append(f"1. {node_text(col['nodes'][0])}")
        for edge, node in zip(col["edges"], col["nodes"][1:], strict=True):
            extra = f" — {edge['blocked'][0].lower() + edge['blocked'][1:]}" if edge.get("blocked") else ""
            lines.append(f"1. {edge['label'][0].upper() + edge['label'][1:]}{extra}: {node_text(node)}")
        lines.append("")
    if diagram.get("notes"):
        lines.append(f"**{diagram['notes']['title']}**")
        lines.append("")
        for date, text in ((item["date"], item["text"]) for item in diagram["notes"]["items"]):
            lines.append(f"- {date}: {text}")
        lines.append("")
    return "\n".join(lines)


def build(args) -> list[Output]:
    outputs = []
    for diagram in load_diagrams(args.data or DIAGRAMS):
        svg, width, height = render(diagram)
        slug = diagram["slug"]
        outputs.append(Output(FIGURES / f"{slug}.svg", svg))
        outputs.append(Output(INCLUDES / f"{slug}.md", figure_include(
            slug, f"{slug}.svg", diagram["alt"], width, height, diagram["caption"],
            "The diagram as a list", data_list(diagram), "flows")))
    return outputs


def main(argv=None) -> int:
    return cli(build, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
