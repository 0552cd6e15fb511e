"""The explainer's build package: everything the build and its commands import.

Stages, one folder each (CONTRIBUTING.md has the map):

- ``data/``      load and validate ``data/*.yml`` and page front matter
- ``render/``    data to Markdown (pure functions, no MkDocs objects)
- ``figures/``   data to SVG figures and their include snippets
- ``checks/``    content checks (``path:line: message``) and the published-URL register
- ``search/``    everything that decides what search finds (its ``__init__`` is the map)
- ``markdown.py`` the Python-Markdown extension (citations, footnote furniture)
- ``macros.py``  the macros that pages call (listings, "In short" boxes)
- ``postbuild/`` work on the built ``site/``, whichever engine wrote it
- ``engine/``    everything that exists because of MkDocs or Material: the
  hooks, `make serve`'s page rebuilds, the build runners (nothing outside
  it imports or runs MkDocs; nothing around it imports it but ``cli.py``)
- ``cli.py``     the ``explainer`` command the Makefile calls

``config.py`` reads mkdocs.yml (the package's one reader, ``!ENV``-aware) and
``urls.py`` turns a docs path or a built file into a URL.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
