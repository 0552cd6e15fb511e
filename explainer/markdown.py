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

from explainer.data import files as sd
from explainer.render.citations import footnote_definitions

_CACHE: dict = {}


def registered_sources(data_dir: Path) -> dict[str, sd.Source]:
    """The source register, parsed again only when the file changes."""
    path = (Path(data_dir) / "sources.yml").resolve()
    mirrors = (Path(data_dir) / "mirror-domains.yml").resolve()
    stamp = (path, path.stat().st_mtime_ns, mirrors.stat().st_mtime_ns)
    if _CACHE.get("stamp") != stamp:
        problems: list = []
        _CACHE["sources"] = sd.load_sources(path, problems, sd.load_mirror_domains(mirrors))
        _CACHE["stamp"] = stamp
    return _CACHE["sources"]


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
