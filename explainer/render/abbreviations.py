"""The abbreviation list, includes/abbreviations.md, from data/glossary.yml.

``render`` is the one place it is written; every page gets the file as a
snippet (mkdocs.yml), which gives each abbreviation its hover text. Run:
``explainer data`` (part of ``make data``); with ``--check``, write nothing
and exit 1 if the file is out of date (``make check`` says so too).
"""

from __future__ import annotations

import argparse
import sys

from explainer import ROOT
from explainer.data import loading
from explainer.data.bundle import load_glossary

TARGET = ROOT / "includes" / "abbreviations.md"


def abbreviation_map(glossary: dict) -> dict[str, str]:
    """Every abbreviation the site may use, mapped to its hover text."""
    out: dict[str, str] = {}
    for term in glossary["terms"]:
        if not term.get("term"):
            continue  # reported by the glossary's schema
        title = str(term["term"])
        if term.get("abbr"):
            hover = title
            if term.get("russian_abbr"):
                hover += f" ({term['russian_abbr']})"
            out[str(term["abbr"])] = hover
        if term.get("russian_abbr"):
            hover = str(term.get("russian") or title)
            if term.get("translit"):
                hover += f" ({term['translit']}): {title}"
            else:
                hover += f": {title}"
            out[str(term["russian_abbr"])] = hover
        for alias in term.get("abbr_aliases") or []:
            out[str(alias)] = title
    for extra in glossary["abbreviations"]:
        if extra.get("abbr") and extra.get("expansion"):
            out[str(extra["abbr"])] = str(extra["expansion"])
    return out


def render(glossary: dict) -> str:
    lines = [
        "<!-- Generated from data/glossary.yml by explainer/render/abbreviations.py (make data). Do not edit. -->",
        "",
    ]
    for abbr, hover in sorted(abbreviation_map(glossary).items()):
        lines.append(f"*[{abbr}]: {hover}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report drift")
    args = parser.parse_args(argv)
    try:
        text = render(load_glossary())
    except loading.DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if args.check:
        if current != text:
            print(f"{loading.rel(TARGET)}:1: out of date with data/glossary.yml: run `make data`")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
