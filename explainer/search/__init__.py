"""Search, in one place: every piece that decides what a reader's query
finds, and how fast.

- The engine's index (Material's lunr index, ``search/search_index.json``):
  languages and word separator in ``mkdocs.yml`` (``plugins: search``).
- Other forms readers type (abbreviations, Russian originals, spellings):
  ``data/glossary.yml`` (``search_forms``, ``abbr_aliases``, ``see``).
- A page's weight: its front matter, ``search: boost``.
- The forms added to the index and the ranking (title boost, footnote
  numbers out, reference pages low, page-only entries):
  ``explainer/search/index.py``, run by the post-build pass.
- The lunr language files the worker imports, fetched at intent:
  ``index.lunr_files`` (handed to the templates by the engine hooks).
- The index and worker held back until a reader starts to search; query
  sharpening and retries: ``docs/javascripts/search-on-demand.js``.
- The dialog's markup: ``overrides/partials/search.html``; the scripts'
  order: ``overrides/main.html``.
- ``make serve``: a page rebuild's entries merged into the full index,
  ``index.merge`` (called by ``explainer/engine/serve.py``).
- Where realistic queries must land: ``tests/fixtures/search-queries.yml``
  (tuned against) and ``search-queries-heldout.yml`` (never tuned).
- Tests and figures: ``tests/browser/test_search.py``,
  ``tests/browser/test_firefox.py``, ``tests/unit/search/test_search_index.py``;
  ``make bench-search`` writes ``reports/search-bench.md``.
"""
