"""MkDocs hook: put the figure includes into a page before citations are read.

A page shows a figure with one snippet line, for example
``--8<-- "includes/figures/payment-flow.md"``. The citations in a figure's
caption must reach scripts/hooks.py, which writes footnote text only for the
``[^key]`` references it sees in the page's Markdown; snippets are expanded
later, inside the Markdown conversion. So this hook, listed before
scripts/hooks.py in mkdocs.yml, replaces each such line with the file's text.
A missing figure file fails the build with the page and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

FIGURE_LINE = re.compile(r'^--8<--[ \t]+"(includes/figures/[a-z0-9-]+\.md)"[ \t]*$', re.M)


def expand(markdown: str, root: Path, where: str, source: str = "") -> str:
    """Replace figure snippet lines with the files' text. ``source`` is the
    page file's full text, used to report the line number in the file."""
    def replace(match: re.Match) -> str:
        path = root / match.group(1)
        if not path.is_file():
            text = source or markdown
            at = text.find(match.group(0))
            line = text.count("\n", 0, max(at, 0)) + 1
            raise PluginError(f"{where}:{line}: figure include {match.group(1)} not found; "
                              "run `make figures`")
        return path.read_text(encoding="utf-8").rstrip("\n")

    return FIGURE_LINE.sub(replace, markdown)


def on_page_markdown(markdown, page, config, files, **kwargs):
    root = Path(config["config_file_path"]).resolve().parent
    src = Path(page.file.abs_src_path) if page.file.abs_src_path else None
    source = src.read_text(encoding="utf-8") if src and src.is_file() else ""
    return expand(markdown, root, f"docs/{page.file.src_uri}", source)
