"""The site's Python-Markdown extension: citations and footnote furniture.

Listed under ``markdown_extensions`` in mkdocs.yml, so MkDocs and Zensical
both run it (both build pages with ``Markdown(extensions=...)``):

- **Citations.** A page cites a registered source with a named footnote,
  ``[^key]``. A preprocessor appends ``[^key]: <full reference>`` for every
  key the page cites, with the text from data/sources.yml, so a reference is
  written once and never typed into a page. It runs after the macros (35)
  and snippets (32), so citations in "In short" boxes, listings and figure
  captions get their text too, and before the HTML-block stash (20).
  Citations inside code spans and fenced blocks are not citations.
- **Back-links.** The footnotes' "↩" links name their target in an
  ``aria-label`` instead of a ``title``: Material mounts a tooltip on every
  titled element when a page loads, and the timeline has over a hundred
  back-links. The accessible name is unchanged.

Options: ``data_dir`` (default ``data``, relative to the directory the build
runs in, which is the project folder for both engines).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as etree

from markdown import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from explainer.data import source_register
from explainer.render.citations import footnote_definitions


def registered_sources(data_dir: Path) -> dict[str, source_register.Source]:
    """The source register. Parsing and schema checks are cached by the
    files' content in explainer/data (one rule for every data file), so this
    keeps no cache of its own; problems are the content checks' to report."""
    return source_register.load_sources(Path(data_dir) / "sources.yml", [],
                           source_register.load_mirror_domains(Path(data_dir) / "mirror-domains.yml"))


class CitationPreprocessor(Preprocessor):
    def __init__(self, md, data_dir: Path):
        super().__init__(md)
        self.data_dir = data_dir

    def run(self, lines: list[str]) -> list[str]:
        definitions = footnote_definitions(lines, registered_sources(self.data_dir))
        return lines + [""] + definitions if definitions else lines


class BacklinkLabelTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            if "footnote-backref" in (link.get("class") or "").split() and link.get("title"):
                link.set("aria-label", link.attrib.pop("title"))


class ExplainerExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"data_dir": ["data", "Folder of sources.yml, relative to the build's working directory"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # Python-Markdown's name
        data_dir = Path(self.getConfig("data_dir"))
        md.preprocessors.register(CitationPreprocessor(md, data_dir), "explainer_citations", 25)
        # After the footnotes extension's tree work (priority 50) and inline (20).
        md.treeprocessors.register(BacklinkLabelTreeprocessor(md), "explainer_backlinks", 5)


def makeExtension(**kwargs):  # Python-Markdown's entry point
    return ExplainerExtension(**kwargs)
