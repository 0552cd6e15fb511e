"""Check pages and data files; print every problem as ``path:line: message``.

Run: ``explainer check`` (or ``make check``); every build runs the same
checks first (explainer/engine/hooks.py). Exit status 1 if any problem is
found, 0 otherwise. Options let the tests point it at fixtures. The data and
pages are loaded once (``explainer.data.load``: the files against their
JSON Schemas, the rules across files in explainer/data/crossrefs.py), then
checked in one pass, by concern:

- explainer/checks/pages.py: front matter, nav, citations, link texts,
  heading ids, abbreviations, the ``in_short`` line;
- explainer/checks/prose.py: every paragraph cites; second-hand reports
  are attributed;
- explainer/checks/data_files.py: key facts, glossary ids, the change log,
  date notes, source keys in every data file, generated files up to date.

Review items are printed after the problems, as ``path:line: review: ...``,
and do not change the exit status: each scheduled timeline event whose date
is before the build date, which the site shows as "date passed, not
confirmed by the sources" until an editor finds out what happened.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explainer import ROOT
from explainer import data as site_data
from explainer.checks import data_files, pages
from explainer.config import build_date, nav_pages
from explainer.data import loading, pagefiles
from explainer.data.loading import Problem
from explainer.render.abbreviations import abbreviation_map


def load(root: Path, docs: Path | None = None, data: Path | None = None,
         config: Path | None = None) -> tuple[site_data.Data | None, list[Problem]]:
    """(the loaded bundle, []) or (None, the problems that stopped the loading)."""
    try:
        return site_data.load(root, docs, data, config), []
    except loading.DataError as exc:
        return None, exc.problems


def check(d: site_data.Data) -> list[Problem]:
    """Every problem of a loaded bundle, sorted by path and line."""
    # Unknown source keys in data files are reported once, naming their line,
    # by the sweep over every data file (data_files.check_source_use).
    problems = [p for p in d.problems if "unknown source key" not in p.message]
    problems += data_files.check_glossary(d.glossary)
    problems += data_files.check_key_facts(d.facts, d.sources, d.data / "key_facts.yml", d.docs)
    problems += data_files.check_reviewed_logged(d) + data_files.check_date_notes(d)
    problems += data_files.check_abbreviation_list(d)
    if Path(d.root).resolve() == ROOT:
        # Figures drawn from data/ (explainer/figures/build.py); fixtures skip this.
        from explainer.figures.build import stale_figures
        problems += stale_figures()
    nav = set(nav_pages(d.config)) if d.config else None
    abbreviations = abbreviation_map(d.glossary)
    cited: set[str] = set()
    for path in pagefiles.doc_pages(d.docs):
        page = pagefiles.read_page(path)
        problems += pages.check_page(page, d.sources, abbreviations, nav, d.docs)
        cited.update(key for key, _ in pagefiles.citations(page.body, page.body_line))
    problems += data_files.check_source_use(d, cited)
    return sorted(problems, key=lambda p: (p.path, p.line))


def run(root: Path, docs: Path | None = None, data: Path | None = None,
        config: Path | None = None) -> list[Problem]:
    """Load once and check: every problem, sorted."""
    d, problems = load(root, docs, data, config)
    return problems if d is None else check(d)


def review_items(d: site_data.Data | None, today: str | None = None) -> list[Problem]:
    return [] if d is None else data_files.review_items(d, today or build_date(d.root))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--docs", type=Path)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--config", type=Path)
    args = parser.parse_args(argv)
    d, problems = load(args.root, args.docs, args.data, args.config)
    problems = problems if d is None else check(d)
    for problem in problems:
        print(problem)
    # Review items do not fail the check: the site already labels them.
    reviews = review_items(d)
    for item in reviews:
        print(item)
    if reviews:
        print(f"{len(reviews)} review item(s): scheduled dates that have passed (not failures)", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
