"""Prose rules: every paragraph and list item cites a source, and a sentence
that rests only on second-hand sources says who reported it.

A page's body is split into blank-line separated blocks (fenced code left
out); blocks that are not prose (headings, tables, HTML, snippets, macro
lines, admonition titles) and blocks ending in ``{: .nofact }`` are not
paragraphs. See CONTRIBUTING.md, "Citing".
"""

from __future__ import annotations

import re

from explainer.data import pagefiles
from explainer.data.loading import Problem

# Blocks that are not prose paragraphs: headings, tables, HTML, snippets,
# abbreviation and link definitions, admonition title lines, rules, images.
NOT_PARAGRAPH_RE = re.compile(
    r"^(#{1,6}\s|\||<|--8<--|\*\[|\[[^\]]+\]:|!!!|\?\?\?|-{3,}\s*$|\*{3,}\s*$|!\[|\{:|\{\{)"
)

# Strength of evidence. A source marked `evidence: second-hand` in
# data/sources.yml was read only through other outlets' reports of it. A
# sentence whose citations are all second-hand must say so in its own words,
# with one of these attribution words ("X reported that...", "according to").
ATTRIBUTION_RE = re.compile(
    r"\b(reported|reports|reportedly|according\s+to|said|says|told|claimed|claims|quoted|cited|citing|"
    r"wrote|writes|alleged|alleges)\b", re.I)
# A sentence ends at . ! or ? (with the footnote markers that follow it)
# before white space and a capital letter, a quotation mark or a bracket.
SENTENCE_END_RE = re.compile(r"""[.!?]["”’)]?((?:\[\^[^\]\s]+\])*)(?=\s+[A-ZА-ЯЁ“"‘(]|\s*$)""")


def sentences(text: str) -> list[str]:
    """Split prose into sentences; the footnote markers after a full stop
    belong to the sentence before it."""
    out, start = [], 0
    for match in SENTENCE_END_RE.finditer(text):
        out.append(text[start:match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return [s for s in out if s]


def unattributed_second_hand(text: str, sources: dict) -> list[tuple[str, list[str]]]:
    """(sentence, keys) for each sentence that cites only second-hand sources
    and has no attribution word."""
    found = []
    for sentence in sentences(pagefiles.strip_code(text)):
        keys = [m.group(1) for m in pagefiles.CITE_RE.finditer(sentence)]
        known = [sources[k] for k in keys if k in sources]
        if not known or len(known) != len(keys) or not all(s.second_hand for s in known):
            continue
        if not ATTRIBUTION_RE.search(pagefiles.CITE_RE.sub("", sentence)):
            found.append((sentence, keys))
    return found


def check_attribution(units: list[list[tuple[int, str]]], sources: dict, where: str) -> list[Problem]:
    problems = []
    for unit in units:
        text = " ".join(line.strip() for _, line in unit)
        for sentence, keys in unattributed_second_hand(text, sources):
            line = next((n for n, text_line in unit if f"[^{keys[0]}]" in text_line), unit[0][0])
            short = pagefiles.CITE_RE.sub("", sentence)
            short = short if len(short) <= 70 else short[:67] + "..."
            problems.append(Problem(where, line,
                                    f"'{short}' cites only second-hand sources ({', '.join(keys)}) "
                                    "but attributes nothing: say who reported it (\"X reported...\", "
                                    "\"according to X\") or cite the original"))
    return problems
LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
NOFACT_RE = re.compile(r"^\s*\{:[^}]*\.nofact\b[^}]*\}\s*$")


def prose_blocks(body: str, first_line: int) -> list[list[tuple[int, str]]]:
    """Blank-line separated blocks of (file_line, text), fenced code removed."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if pagefiles.FENCE_RE.match(line):
            in_fence = not in_fence
            if current:
                blocks.append(current)
            current = []
            continue
        if in_fence:
            continue
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
        else:
            current.append((first_line + offset, line))
    if current:
        blocks.append(current)
    return blocks


def prose_units(page: pagefiles.Page, with_kind: bool = False) -> list:
    """The page's paragraphs and list items, each a list of (file_line, text);
    blocks that are not prose, and `{: .nofact }` blocks, are left out."""
    out = []
    for block in prose_blocks(page.body, page.body_line):
        first = block[0][1].lstrip()
        if NOT_PARAGRAPH_RE.match(first) or NOFACT_RE.match(block[-1][1]):
            continue
        if LIST_ITEM_RE.match(block[0][1]):
            units: list[list[tuple[int, str]]] = []
            for lineno, line in block:
                if LIST_ITEM_RE.match(line) or not units:
                    units.append([])
                units[-1].append((lineno, line))
            kind = "list item"
        else:
            units, kind = [block], "paragraph"
        out += [(unit, kind) if with_kind else unit for unit in units]
    return out


def check_paragraph_citations(page: pagefiles.Page, where: str) -> list[Problem]:
    """Every body paragraph, and every list item, cites a source ([^key]),
    unless its block ends with a `{: .nofact }` line (a whole list counts as
    one block). See CONTRIBUTING.md, "Citing"."""
    problems = []
    for unit, kind in prose_units(page, with_kind=True):
        text = " ".join(pagefiles.strip_code(line) for _, line in unit)
        if not pagefiles.CITE_RE.search(text):
            problems.append(Problem(where, unit[0][0],
                                    f"{kind} cites no source: add a [^key] footnote, or end the block "
                                    "with a `{: .nofact }` line if it states no fact"))
    return problems
