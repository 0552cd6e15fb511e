"""The macros pages call, for mkdocs-macros and Zensical's built-in macros.

Both engines load this module from ``plugins: - macros: modules:`` in
mkdocs.yml and call ``define_env``. A page names itself explicitly
(``{{ in_short("focus-group.md") }}``) because Zensical's ``page`` object has
neither a URL nor a file. Every macro returns Markdown from the pure
renderers in ``explainer/render``; the citation extension
(``explainer/markdown.py``) then adds footnote text for what they cite.

- ``{{ in_short("page.md") }}``: the page's "In short" box (its key facts from
  data/key_facts.yml, each with its ``#kf-`` id) and the review line (the
  page's ``reviewed`` date and the site's horizon). One line under the title
  of every page.
- ``{{ date_note("page.md#section") }}``: one line under a heading that a
  scheduled timeline event points at (``see:``); once the build date passes
  the event's date, the note says the date has gone by unconfirmed.
- ``{{ listing("timeline") }}``: a generated listing (sources, timeline,
  glossary, key-facts, claims, downloads); the page that holds it is its
  only home. The claims listing carries its ClaimReview JSON-LD.
- ``{{ sanctions("table") }}``, ``{{ sanctions("matrix") }}``: the sanction
  actions of data/sanctions.yml as a table (a row, with a permanent id, per
  action) and as a matrix of issuers against targets linking to those rows
  (``explainer/render/sanctions.py``).
- ``{{ key_dates("index.md", "ev-...", ...) }}``: chosen timeline events as a
  list (date linking to the entry, its line, its sources), for the front
  page's dates (``explainer/render/briefing.py``).
- ``{{ figure("timeline") }}``: the timeline figure as of the build date
  (explainer/figures/timeline.py); the build writes its pictures.

Jinja comments are ``{##`` in mkdocs.yml, so heading ids such as
``{#members}`` stay heading ids.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from explainer import data as site_data
from explainer.config import build_date, read_config
from explainer.data import pagefiles
from explainer.render import briefing, change_log, citetext, dates, furniture, jsonld, listings
from explainer.render import sanctions as render_sanctions
from explainer.urls import rel_link

_CACHE: dict = {}


def _stamp(root: Path) -> tuple:
    """Changes whenever a data file, a page or mkdocs.yml changes."""
    paths = [root / "mkdocs.yml", *sorted((root / "data").glob("*.yml")), *sorted((root / "docs").rglob("*.md"))]
    return tuple((str(p), p.stat().st_mtime_ns) for p in paths if p.exists())


def project(root: Path) -> site_data.Data:
    """The data, loaded once per change (a build calls the macros on every page)."""
    stamp = _stamp(root)
    if _CACHE.get("stamp") != stamp:
        # Problems in the data are the content checks' to report, with path:line
        # (the engine's hooks run them first; `explainer check` before a Zensical build).
        d = site_data.load(root)
        # A key fact without its id, page or text is reported by the checks;
        # it is left out of the pages rather than stopping them with a traceback.
        d.facts = [f for f in d.facts if isinstance(f, dict) and f.get("id") and f.get("page") and f.get("text")]
        _CACHE.update(stamp=stamp, data=d)
    return _CACHE["data"]


def in_short(root: Path, page: str) -> str:
    d = project(root)
    if page not in d.pages:
        raise ValueError(f"in_short({page!r}): no such page under docs/")
    facts = [f for f in d.facts if str(f.get("page")) == page]
    meta = pagefiles.read_page(d.docs / page).meta
    reviewed = str(meta.get("reviewed") or "")
    date = build_date(root)
    timeline, changes_page = d.marker_page("timeline"), d.marker_page("changes")
    notes, cite_texts = {}, {}
    config = read_config(root / "mkdocs.yml")
    for fact in facts:
        fid = str(fact["id"])
        note = dates.fact_mark(d, fact, date, rel_link(page, timeline)) if timeline else ""
        if changes_page:
            note += change_log.revised_note(d, page, fid, rel_link(page, changes_page))
        if note:
            notes[fid] = note
        cite_texts[fid] = citetext.fact_sentence(fact, d.sources, str(meta.get("title") or d.pages[page].title),
                                                 str(config.get("site_name") or ""), reviewed)
    return furniture.page_furniture(facts, reviewed, d.horizon, date, notes, cite_texts)


def date_note(root: Path, target: str) -> str:
    """The note for each passed date whose event points at this section ('' if none)."""
    d = project(root)
    page, _, anchor = target.partition("#")
    if page not in d.pages or not anchor or anchor not in d.pages[page].anchors:
        raise ValueError(f"date_note({target!r}): no such section (page.md#id)")
    timeline = d.marker_page("timeline")
    if not timeline:
        return ""
    return dates.section_note(d, target, build_date(root), rel_link(page, timeline))


def listing(root: Path, name: str) -> str:
    d = project(root)
    here = d.marker_page(name)
    if here is None:
        raise ValueError(f"listing({name!r}): no page holds this listing")
    date = build_date(root)
    text = listings.render(d, name, here, date)
    if name == "claims":
        config = read_config(root / "mkdocs.yml")
        reviewed = str(pagefiles.read_page(d.docs / here).meta.get("reviewed") or date)
        reviews = jsonld.claim_reviews(d, here, str(config.get("site_url") or ""),
                                       str(config.get("site_name") or ""), reviewed)
        text += "\n\n" + jsonld.json_ld_scripts(reviews) + "\n"
    return text


def sanctions(root: Path, view: str) -> str:
    return render_sanctions.render(project(root), view)


def key_dates(root: Path, page: str, *ids: str) -> str:
    today = dt.date.fromisoformat(build_date(root))
    return briefing.key_dates(project(root), page, list(ids), today)


def figure(root: Path, name: str) -> str:
    if name != "timeline":
        raise ValueError(f"figure({name!r}): only the timeline is drawn at build time; "
                         "the others are committed snippets (includes/figures/)")
    from explainer.figures import timeline

    return timeline.drawing(dt.date.fromisoformat(build_date(root)), root / "data" / "timeline.yml").figure


def define_env(env) -> None:
    root = Path(getattr(env, "project_dir", None) or ".").resolve()
    env.macro(lambda page: in_short(root, page), "in_short")
    env.macro(lambda name: listing(root, name), "listing")
    env.macro(lambda target: date_note(root, target), "date_note")
    env.macro(lambda view: sanctions(root, view), "sanctions")
    env.macro(lambda page, *ids: key_dates(root, page, *ids), "key_dates")
    env.macro(lambda name: figure(root, name), "figure")
