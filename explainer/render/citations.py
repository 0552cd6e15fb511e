"""Citations: which sources a piece of Markdown cites, and every text that
names a source, composed here from one function.

A page cites a registered source with a named footnote, ``[^key]``; the
reference itself (publisher, title, date, URL, what was read, accessed date)
is written once, in data/sources.yml. ``parts`` decides what a reference
says about a source; each place that shows one formats those parts:

- ``footnote``: the footnote text under every page (explainer/markdown.py);
- ``listing``: the entry on /sources/ (explainer/render/listings.py);
- ``short``: publisher, title and date, as "Copy with source" copies it
  (explainer/render/citetext.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from explainer.data import datetext, pagefiles, source_register
from explainer.render.text import attr, md_text


@dataclass(frozen=True)
class Parts:
    """What a reference says about a source, as plain text."""
    publisher: str
    title: str               # as published; an editors' description is [in brackets]
    described: bool          # the title is the editors' description of an unrecorded headline
    title_en: str            # the English title, if the title is in another language
    date: str                # '17 September 2024'
    date_iso: str
    language: str            # 'Russian'; '' for English
    language_code: str
    url: str
    second_hand: bool
    via: str
    note: str
    accessed: str


def parts(source: source_register.Source) -> Parts:
    described = source.title.startswith("[") and source.title.endswith("]")
    title_en = source.title_en if source.title_en and source.title_en != source.title else ""
    language = "" if source.language == "en" else source_register.LANGUAGES.get(source.language, source.language)
    return Parts(source.publisher, source.title, described, title_en, datetext.human_date(source.date), source.date,
                 language, source.language, source.url or "", source.second_hand, source.via or "",
                 source.note or "", datetext.human_date(source.accessed))


def _title(p: Parts, title: str) -> str:
    shown = title if p.described else f"“{title}”"
    return shown + (f" [{p.title_en}]" if p.title_en else "")


def short(source: source_register.Source) -> str:
    """'Vedomosti, “Title” [English title], 17 September 2024' (plain text)."""
    p = parts(source)
    return f"{p.publisher}, {_title(p, p.title)}, {p.date}"


def footnote(source: source_register.Source) -> str:
    """The full reference as Markdown, the footnote text of every citation."""
    p = parts(source)
    text = short(source) + (f", in {p.language}" if p.language else "") + "."
    if p.url:
        text += f" <{p.url}>."
    if p.second_hand:
        text += " Second-hand: the original publisher's text was not read"
        text += f"; read instead: {p.via}." if p.via else "."
    elif p.via:
        text += f" Read via {p.via}."
    if p.note:
        text += f" {p.note}"
    return text + f" Accessed {p.accessed}."


def listing(source: source_register.Source) -> str:
    """The entry on the sources page (Markdown with markup: the title in
    <cite> with its language, the date in <time>)."""
    p = parts(source)
    lang = f' lang="{attr(p.language_code)}"' if p.language else ""
    title = md_text(p.title) if p.described else f"“<cite{lang}>{md_text(p.title)}</cite>”"
    if p.title_en:
        title += f" [{md_text(p.title_en)}]"
    text = f'**{md_text(p.publisher)}**, {title}, <time datetime="{attr(p.date_iso)}">{p.date}</time>.'
    text += f" In {p.language or 'English'}."
    text += f" <{p.url}>." if p.url else " Not linked: no copy on the publisher's own website was found."
    if p.via:
        text += f" Read via {md_text(p.via)}."
    if p.note:
        text += f" {md_text(p.note)}"
    return text + f" Accessed {p.accessed}."


def cited_in(lines: list[str]) -> list[str]:
    """Keys cited in these Markdown lines, in order, outside code spans and fences."""
    keys: list[str] = []
    for _line, text in pagefiles.prose_lines("\n".join(lines), 1):
        for match in pagefiles.CITE_RE.finditer(pagefiles.strip_code(text)):
            if match.group(1) not in keys:
                keys.append(match.group(1))
    return keys


def defined_in(lines: list[str]) -> set[str]:
    """Footnote keys that already have a definition in these lines."""
    return {m.group(1) for line in lines for m in [pagefiles.FOOTNOTE_DEF_RE.match(line)] if m}


def footnote_definitions(lines: list[str], sources: dict[str, source_register.Source]) -> list[str]:
    """One ``[^key]: reference`` line per registered source these lines cite.

    Unknown keys are left alone: the content checks report them with
    ``path:line`` before any page is converted.
    """
    have = defined_in(lines)
    return [f"[^{key}]: {footnote(sources[key])}" for key in cited_in(lines)
            if key in sources and key not in have]
