"""Everything that exists because of MkDocs or Material, in one folder to
delete at the move to Zensical (CONTRIBUTING.md, "Moving to Zensical"):

- ``hooks.py``: MkDocs' events wired to the engine-neutral package (the
  content checks on the loaded data, generated files, template values, the
  post-build pass);
- ``serve.py``: `make serve` (``explainer serve``) and what makes a saved
  page show within a second;
- ``incremental.py``: what a rebuild after a save must do;
- ``state.py``: what the hooks share, one object with one rule for what a
  rebuild keeps;
- ``build.py``: the one runner of ``mkdocs build`` (the tests, the bench,
  ``explainer urls``); ``offline.py``: the offline copy's build.

Nothing outside this folder imports MkDocs or runs it; the engine-neutral
package (data, render, figures, checks, postbuild, search, the Markdown
extension, the macros) imports nothing from here. ``cli.py`` calls in.
"""
