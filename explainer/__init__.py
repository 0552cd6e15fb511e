"""The explainer's build package: everything the build and its commands import.

Stages, one folder each (CONTRIBUTING.md has the map):

- ``data/``      load and validate ``data/*.yml`` and page front matter
- ``render/``    data to Markdown (pure functions, no MkDocs objects)
- ``figures/``   data to SVG figures and their include snippets
- ``checks/``    content checks (``path:line: message``) and the published-URL register
- ``markdown.py`` the Python-Markdown extension (citations, footnote furniture)
- ``macros.py``  the macros that pages call (listings, "In short" boxes)
- ``postbuild/`` work on the built ``site/``, whichever engine wrote it
- ``mkdocs_hooks.py`` the only MkDocs-specific module
- ``cli.py``     the ``explainer`` command the Makefile calls

``config.py`` reads mkdocs.yml (once, with MkDocs' own loader) and ``urls.py``
turns a docs path or a built file into a URL.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
