"""Shared helpers for the figure scripts (explainer/figures/).

Each figure script builds an SVG (under docs/assets/figures/) and the include
file that shows it (under includes/figures/: the <figure>, its caption with
citations, and the same data as a list). Output is deterministic, so the tests
can regenerate every figure and compare it byte for byte with the committed
file.

The SVGs are shown with <img>, so they cannot read the page's CSS: each one is
a self-contained light "card" (white background, dark text, contrast above
4.5:1). In the dark palette, extra.css inverts the card's lightness, which
keeps every contrast ratio; print uses the card as it is.
"""

from __future__ import annotations

import argparse
import gzip
import html
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from explainer import ROOT

FIGURES = ROOT / "docs" / "assets" / "figures"
INCLUDES = ROOT / "includes" / "figures"
SVG_NS = "http://www.w3.org/2000/svg"

# Size budget for every figure (issue 7): at most 60 KB once gzipped.
GZIP_BUDGET = 60 * 1024

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', Arial, sans-serif"

# One palette for every figure; every text colour has at least 4.5:1 against
# the card background (#ffffff) and the panel fill (#f3f4f6).
COLOURS = {
    "bg": "#ffffff",
    "panel": "#f3f4f6",
    "ink": "#1f2328",        # 15.8:1 on white
    "muted": "#4b5563",      # 7.6:1 on white
    "line": "#6b7280",
    "accent": "#1e3a8a",     # indigo 900, 10.4:1 on white
    "accent_fill": "#dbe4ff",
    "warn": "#9a3412",       # orange 800, 7.3:1 on white
    "warn_fill": "#ffedd5",
    "land": "#e5e7eb",
    "land_edge": "#6b7280",
    "highlight": "#c2410c",  # orange 700
}


def esc(text: str) -> str:
    """Escape text for SVG/XML content and attribute values."""
    return html.escape(str(text), quote=True)


def num(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing '.0'."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def text_width(text: str, size: float) -> float:
    """A generous estimate of the rendered width of text in a sans-serif font."""
    return len(text) * size * 0.56


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider (by estimate) than width."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and text_width(trial, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def svg_document(slug: str, width: int, height: int, title: str, desc: str, body: list[str],
                 extra_style: str = "") -> str:
    """A complete, standalone SVG 1.1 document with a <title> and <desc>.
    (Shown with <img>, the page's alt text names it; ARIA attributes are not
    valid SVG 1.1, so none are added.)"""
    c = COLOURS
    style = (
        f"text{{font-family:{FONT};fill:{c['ink']}}}"
        f".muted{{fill:{c['muted']}}}"
        f".b{{font-weight:700}}"
        f".halo{{fill:{c['bg']};stroke:{c['bg']};stroke-width:4px;stroke-linejoin:round}}"
        f".halo-panel{{fill:{c['panel']};stroke:{c['panel']};stroke-width:3px;stroke-linejoin:round}}"
        + extra_style
    )
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" lang="en">',
        f'<title id="{slug}-title">{esc(title)}</title>',
        f'<desc id="{slug}-desc">{esc(desc)}</desc>',
        f"<style>{style}</style>",
        f'<rect width="{width}" height="{height}" fill="{c["bg"]}"/>',
    ]
    return "\n".join(head + body + ["</svg>"]) + "\n"


def haloed(attrs: str, text: str, halo: str = "halo") -> str:
    """Text with a background-coloured outline drawn under it, so that it
    stays legible over lines (SVG 1.1 has no paint-order)."""
    return f'<text {attrs} class="{halo}">{esc(text)}</text><text {attrs}>{esc(text)}</text>'


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


@dataclass
class Output:
    path: Path
    text: str


class FigureError(Exception):
    """Bad input for a figure; the message names the file and line."""


def check_svg(path: Path, data: bytes) -> list[str]:
    """Problems with one SVG: parse errors, missing title/desc, over budget."""
    problems = []
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [f"{path}: does not parse as XML: {exc}"]
    if root.tag != f"{{{SVG_NS}}}svg":
        problems.append(f"{path}: root element is {root.tag}, not svg")
    title = root.find(f"{{{SVG_NS}}}title")
    desc = root.find(f"{{{SVG_NS}}}desc")
    if title is None or not (title.text or "").strip():
        problems.append(f"{path}: no <title> as the first child naming the figure")
    if desc is None or not (desc.text or "").strip():
        problems.append(f"{path}: no <desc> describing the figure")
    for el in root.iter():
        for attr in ("href", "{http://www.w3.org/1999/xlink}href", "src"):
            ref = el.get(attr)
            if ref and not ref.startswith("#"):
                problems.append(f"{path}: refers to an outside resource {ref!r}")
        if el.tag in (f"{{{SVG_NS}}}script", f"{{{SVG_NS}}}foreignObject"):
            problems.append(f"{path}: contains <{el.tag.split('}')[1]}>; figures must need no script")
    size = gzip_size(data)
    if size > GZIP_BUDGET:
        problems.append(f"{path}: {size} bytes gzipped, over the budget of {GZIP_BUDGET}")
    return problems


def write_outputs(outputs: list[Output], check: bool) -> int:
    """Write the outputs, or with check=True report the ones that differ."""
    stale = []
    for out in outputs:
        current = out.path.read_text(encoding="utf-8") if out.path.exists() else None
        if current == out.text:
            continue
        if check:
            stale.append(out.path)
        else:
            out.path.parent.mkdir(parents=True, exist_ok=True)
            out.path.write_text(out.text, encoding="utf-8")
            print(f"wrote {out.path.relative_to(ROOT) if out.path.is_relative_to(ROOT) else out.path}")
    for path in stale:
        print(f"{path}: out of date; run `make figures`", file=sys.stderr)
    for out in outputs:
        if out.path.suffix == ".svg" and (out.path.exists() or check):
            problems = check_svg(out.path, out.text.encode("utf-8"))
            for problem in problems:
                print(problem, file=sys.stderr)
            stale.extend(problems)
    return 1 if stale else 0


def cli(build, description: str, argv: list[str] | None = None) -> int:
    """Standard command line for a figure script: build(args) -> [Output]."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a committed file differs from a fresh build")
    parser.add_argument("--data", type=Path, help="read this data file instead of the default")
    parser.add_argument("--out", type=Path, help="write (or check) the outputs in this folder instead")
    args = parser.parse_args(argv)
    try:
        outputs = build(args)
    except FigureError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.out:
        outputs = [Output(args.out / out.path.name, out.text) for out in outputs]
    return write_outputs(outputs, args.check)


def figure_include(slug: str, svg_name: str, alt: str, width: int, height: int,
                   caption: str, data_summary: str, data_md: str, source_note: str) -> str:
    """The Markdown include that shows a figure: image, caption with
    citations, and the data as a list inside a collapsible box."""
    return (
        f"<!-- Generated by explainer/figures/{source_note}.py; do not edit by hand. -->\n"
        f'<figure class="data-figure" id="fig-{slug}" markdown="1">\n\n'
        f'![{alt}](assets/figures/{svg_name}){{ width="{width}" height="{height}" loading="lazy" }}\n\n'
        f'<figcaption markdown="1">\n{caption}\n</figcaption>\n'
        f"</figure>\n"
        + (f'\n??? info "{data_summary}"\n\n'
           + "".join(f"    {line}\n" if line else "\n" for line in data_md.rstrip("\n").split("\n"))
           if data_md else "")
    )
