"""Citations: which sources a piece of Markdown cites, and their footnote text.

A page cites a registered source with a named footnote, ``[^key]``; the
reference itself (publisher, title, date, URL, what was read, accessed date)
is written once, in data/sources.yml, and rendered here.
"""

from __future__ import annotations

from explainer.data import files as sd


def cited_in(lines: list[str]) -> list[str]:
    """Keys cited in these Markdown lines, in order, outside code spans and fences."""
    keys: list[str] = []
    for _line, text in sd.prose_lines("\n".join(lines), 1):
        for match in sd.CITE_RE.finditer(sd.strip_code(text)):
            if match.group(1) not in keys:
                keys.append(match.group(1))
    return keys


def defined_in(lines: list[str]) -> set[str]:
    """Footnote keys that already have a definition in these lines."""
    return {m.group(1) for line in lines for m in [sd.FOOTNOTE_DEF_RE.match(line)] if m}


def footnote_definitions(lines: list[str], sources: dict[str, sd.Source]) -> list[str]:
    """One ``[^key]: reference`` line per registered source these lines cite.

    Unknown keys are left alone: the content checks report them with
    ``path:line`` before any page is converted.
    """
    have = defined_in(lines)
    return [f"[^{key}]: {sources[key].reference()}" for key in cited_in(lines)
            if key in sources and key not in have]
