"""Write includes/abbreviations.md from data/glossary.yml.

Run: ``explainer data`` (part of ``make data``).
With ``--check``, write nothing and exit 1 if the file is out of date.
"""

from __future__ import annotations

import argparse
import sys

from explainer.data import files as sd

TARGET = sd.ROOT / "includes" / "abbreviations.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report drift")
    args = parser.parse_args(argv)
    try:
        text = sd.render_abbreviations(sd.load_glossary())
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
