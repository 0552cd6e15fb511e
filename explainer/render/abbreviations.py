"""The abbreviation list, includes/abbreviations.md, from data/glossary.yml.

``render`` is the one place it is written; every page gets the file as a
snippet (mkdocs.yml), which gives each abbreviation its hover text. Run:
``explainer data`` (part of ``make data``); with ``--check``, write nothing
and exit 1 if the file is out of date (``make check`` says so too).
"""

from __future__ import annotations

import argparse
import sys

from explainer.data import files as sd

TARGET = sd.ROOT / "includes" / "abbreviations.md"


def render(glossary: dict) -> str:
    lines = [
        "<!-- Generated from data/glossary.yml by explainer/render/abbreviations.py (make data). Do not edit. -->",
        "",
    ]
    for abbr, hover in sorted(sd.abbreviation_map(glossary).items()):
        lines.append(f"*[{abbr}]: {hover}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report drift")
    args = parser.parse_args(argv)
    try:
        text = render(sd.load_glossary())
    except sd.DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if args.check:
        if current != text:
            print(f"{sd.rel(TARGET)}:1: out of date with data/glossary.yml: run `make data`")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
