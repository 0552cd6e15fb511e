"""The pages under docs/: front matter split from the body (with the body's
first line, so that every message names a file line), and the footnote
references a body cites."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from explainer import ROOT
from explainer.data.loading import (
    PARSED,
    DataError,
    LineLoader,
    Problem,
    read_text,
    refuse_aliases,
    rel,
    remember,
    text_key,
)

DOCS = ROOT / "docs"

# A footnote reference such as [^vedomosti-2024-09-17] (not a definition).
CITE_RE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FOOTNOTE_DEF_RE = re.compile(r"^\s{0,3}\[\^([^\]\s]+)\]:", re.M)
FENCE_RE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Page:
    path: Path
    meta: dict
    body: str
    body_line: int  # file line of the first body line
    problems: list[Problem]


def read_page(path: Path) -> Page:
    """Split front matter from body; report malformed front matter (and a
    page that is not UTF-8) as the page's problems."""
    try:
        text = read_text(path)
    except DataError as exc:
        return Page(Path(path), {}, "", 1, exc.problems)
    key = text_key(path, text, "page")
    hit = PARSED.get(key)
    if hit is not None:
        return copy.deepcopy(hit)
    return remember(key, _split_page(Path(path), text))


def _split_page(path: Path, text: str) -> Page:
    where = rel(path)
    problems: list[Problem] = []
    if not text.startswith("---\n"):
        problems.append(Problem(where, 1, "missing front matter (a '---' block with title, description, reviewed)"))
        return Page(Path(path), {}, text, 1, problems)
    end = text.find("\n---\n", 4)
    if end == -1:
        problems.append(Problem(where, 1, "front matter is not closed by a '---' line"))
        return Page(Path(path), {}, text, 1, problems)
    raw = text[4:end]
    body_line = raw.count("\n") + 4
    try:
        refuse_aliases(raw, where, first_line=2)
        meta = yaml.load(raw, Loader=LineLoader) or {}
        if not isinstance(meta, dict):
            raise yaml.YAMLError("front matter is not a mapping")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark else 1
        problems.append(Problem(where, line, f"malformed front matter: {getattr(exc, 'problem', exc)}"))
        meta = {}
    except DataError as exc:  # an alias
        problems += exc.problems
        meta = {}
    return Page(Path(path), meta, text[end + 5:], body_line, problems)


def prose_lines(body: str, first_line: int):
    """Yield (file_line, text) for body lines outside fenced code blocks."""
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield first_line + offset, line


def strip_code(line: str) -> str:
    return re.sub(r"`[^`]*`", "", line)


def citations(body: str, first_line: int) -> list[tuple[str, int]]:
    """All (key, file_line) footnote references in the body."""
    found = []
    for lineno, line in prose_lines(body, first_line):
        for match in CITE_RE.finditer(strip_code(line)):
            found.append((match.group(1), lineno))
    return found


def doc_pages(docs: Path | None = None) -> list[Path]:
    return sorted(Path(docs or DOCS).rglob("*.md"))
