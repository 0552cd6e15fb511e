"""Page rules: front matter, the nav, citations and footnotes, link texts,
heading ids, abbreviations and the page's ``in_short`` line, each reported
as ``path:line: message``; the prose rules (explainer/checks/prose.py) for
pages that are not rendered from data."""

from __future__ import annotations

import re
from pathlib import Path

from explainer.checks.prose import check_attribution, check_paragraph_citations, prose_units
from explainer.data import datetext, loading, pagefiles
from explainer.data.loading import Problem

MAX_DESCRIPTION = 160
HEADING_RE = re.compile(r"^(#{2,3})\s+(.*?)\s*$")
HEADING_ID_RE = re.compile(r"\{\s*#([A-Za-z][\w-]*)[^}]*\}\s*$")
# A word made only of capitals and digits with at least two capitals:
# FSB, ЭПР, A7A5, ТПП.
WORD_RE = re.compile(r"(?<![\w])[\w]+(?![\w])")
CAPS = re.compile(r"[A-ZА-ЯЁ]")
LOWER = re.compile(r"[a-zа-яё]")
STRIP_FOR_ABBR = [
    re.compile(r"`[^`]*`"),               # code spans
    re.compile(r"<[^>]+>"),               # HTML tags and autolinks
    re.compile(r"\]\([^)]*\)"),           # link targets
    re.compile(r"\[\^[^\]]+\]"),          # footnote references
    re.compile(r"\{[:#.][^}]*\}"),        # attribute lists
    re.compile(r"https?://\S+"),          # bare URLs
]


# Link texts that say nothing of their target (Lighthouse's SEO audit
# "link-text" uses the same kind of list; so do screen readers' link lists).
VAGUE_LINK_TEXT = {"more", "here", "click here", "read more", "learn more", "see more", "more info",
                   "more information", "this", "link", "go", "start", "continue", "details", "this page"}
MD_LINK_RE = re.compile(r"(?<!!)\[([^\]\^][^\]]*)\]\([^)\s]+\)")


IN_SHORT_RE = re.compile(r"""^\{\{\s*in_short\(\s*["']([^"']+)["']\s*\)\s*\}\}\s*$""")


def check_page(page: pagefiles.Page, sources: dict, abbreviations: dict[str, str],
               nav: set[str] | None, docs: Path) -> list[Problem]:
    where = loading.rel(page.path)
    problems = list(page.problems)
    multiword = [a for a in abbreviations if " " in a]
    meta = page.meta
    if page.problems:
        return problems
    lines = meta.get("__lines__", {})
    for fld in ("title", "description", "reviewed"):
        if not meta.get(fld):
            problems.append(Problem(where, 1, f"front matter has no '{fld}'"))
    desc = str(meta.get("description") or "")
    if desc:
        dline = lines.get("description", 1) + 1
        if len(desc) > MAX_DESCRIPTION:
            problems.append(Problem(where, dline,
                                    f"description is {len(desc)} characters; at most {MAX_DESCRIPTION}"))
        if not desc.endswith(".") or re.search(r"[.!?]\s+[A-ZА-Я]", desc):
            problems.append(Problem(where, dline, "description must be one sentence ending with a full stop"))
    if meta.get("reviewed"):
        msg = datetext.check_date(meta["reviewed"])
        if msg or len(str(meta["reviewed"])) != 10:
            problems.append(Problem(where, lines.get("reviewed", 1) + 1,
                                    f"reviewed: {msg or 'use a full date, YYYY-MM-DD'}"))
    if nav is not None:
        relpath = page.path.resolve().relative_to(docs.resolve()).as_posix()
        if relpath not in nav:
            problems.append(Problem(where, 1, f"page {relpath} is not in the nav of mkdocs.yml"))

    for key, line in pagefiles.citations(page.body, page.body_line):
        if key not in sources:
            problems.append(Problem(where, line, f"unknown source key [^{key}]: add it to data/sources.yml"))
    for lineno, line in pagefiles.prose_lines(page.body, page.body_line):
        if pagefiles.FOOTNOTE_DEF_RE.match(line):
            problems.append(Problem(where, lineno,
                                    "footnote text written in the page; cite a key from data/sources.yml instead"))
        for link in MD_LINK_RE.finditer(line):
            if link.group(1).strip().lower().rstrip(".") in VAGUE_LINK_TEXT:
                problems.append(Problem(where, lineno, f"link text {link.group(1)!r} does not say where it goes "
                                                       "(a reader of a list of links, or a search engine, sees "
                                                       "only the text): name the place, as in 'More on the bill'"))
        heading = HEADING_RE.match(line)
        if heading and not HEADING_ID_RE.search(heading.group(2)):
            problems.append(Problem(where, lineno,
                                    f"heading '{heading.group(2)}' has no explicit id such as {{#short-id}}"))
        text = line
        for rx in STRIP_FOR_ABBR:
            text = rx.sub(" ", text)
        if text.lstrip().startswith("*["):
            continue
        for phrase in multiword:
            text = text.replace(phrase, " ")
        for match in WORD_RE.finditer(text):
            word = match.group(0)
            if len(CAPS.findall(word)) >= 2 and not LOWER.search(word) and word not in abbreviations:
                problems.append(Problem(where, lineno,
                                        f"abbreviation {word!r} is not defined in data/glossary.yml"))
    relpath = page.path.resolve().relative_to(docs.resolve()).as_posix()
    calls = [(n, m.group(1)) for n, line in pagefiles.prose_lines(page.body, page.body_line)
             for m in [IN_SHORT_RE.match(line)] if m]
    if not calls:
        problems.append(Problem(where, page.body_line,
                                f'no {{{{ in_short("{relpath}") }}}} line under the title: the page would lose '
                                'its "In short" box and review line'))
    for lineno, named in calls:
        if named != relpath:
            problems.append(Problem(where, lineno, f'in_short("{named}") names another page; '
                                                   f'write in_short("{relpath}")'))
    if len(calls) > 1:
        problems.append(Problem(where, calls[1][0], "a second in_short(...) line; a page has one"))
    if not meta.get("generated"):
        problems += check_paragraph_citations(page, where)
        problems += check_attribution(prose_units(page), sources, where)
    return problems
