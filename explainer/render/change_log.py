"""The change log rendered: the /changes/ listing, "Changes to this page" at
the foot of each page, and the "Revised" note beside a key fact or event.

Pure functions: the loaded data (``explainer/data/changes.py``) in, Markdown
or an HTML fragment out. The listing reaches its page through the macro
``{{ listing("changes") }}``; the foot of each page is put in by the
post-build pass (``explainer/postbuild/feed.py``), which also writes the
Atom feed from the same entries.
"""

from __future__ import annotations

import html
from urllib.parse import urljoin

from explainer.data import changes as log
from explainer.data import datetext
from explainer.data.bundle import Data
from explainer.render.text import attr, md_text
from explainer.urls import rel_link

FEED_FILE = "feed.xml"


def living_base(config: dict) -> str:
    """The living site's address. An edition is built with site_url
    <living>/editions/<date>/ (mkdocs.yml ``extra.edition`` is its date)."""
    url = str(config.get("site_url") or "")
    url = url if url.endswith("/") else url + "/"
    edition = str((config.get("extra") or {}).get("edition") or "")
    suffix = f"editions/{edition}/"
    return url[: -len(suffix)] if edition and url.endswith(suffix) else url


def kind_label(kind: str) -> str:
    return log.KINDS.get(kind, kind)


def touch_label(d: Data, page: str, anchor: str) -> str:
    """Plain text naming a touched item: 'Page title', 'Page – Section',
    'Page – key fact kf-x', 'Timeline – event of 1 September 2026'."""
    info = d.pages.get(page)
    title = info.title if info else page
    if not anchor:
        return title
    if info and anchor in info.headings:
        heading = info.headings[anchor]
        return title if heading == title else f"{title} – {heading}"
    if anchor.startswith("kf-"):
        return f"{title} – key fact #{anchor}"
    for event in d.timeline["events"]:
        if str(event.get("id")) == anchor:
            return f"{title} – event of {datetext.human_date(str(event.get('date')))}"
    return f"{title} – #{anchor}"


def feed_href(site_url: str) -> str:
    """The feed's address. It is written at the site root by the post-build
    pass, after the link checks have run, so it is linked by its full URL
    (which the offline copy also reaches)."""
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", FEED_FILE)


def render_changes(d: Data, here: str, site_url: str = "") -> str:
    """The /changes/ page: kinds, editions, the feed, then every entry, newest first."""
    out = ["## Kinds of change {#kinds}\n", '<ul class="change-kinds" markdown>']
    meanings = {
        "correction": "something published was wrong and has been put right; the old wording is described.",
        "update": "the record moved on, or a page was extended.",
        "clarification": "wording, attribution or a source was made clearer without changing what the page says.",
        "new-page": "a page was added.",
        "site": "a change to how the site works, not to what it says.",
    }
    for kind, label in log.KINDS.items():
        out.append(f'<li markdown="span">**{label}:** {meanings[kind]}</li>')
    out.append("</ul>\n")
    out.append("## Editions {#editions}\n")
    editions = sorted((str(e["date"]) for e in d.changes["editions"]), reverse=True)
    editions_page = d.marker_page("editions")
    more = (f" The [editions page]({rel_link(here, editions_page)}) says what changed in each and, page by "
            "page, what changed after it." if editions_page else "")
    if editions:
        out.append("Each edition is a frozen copy of the whole site as it stood on its date; it never "
                   f"changes afterwards, so a briefing can cite the text it quoted.{more}\n")
        out.append('<ul class="edition-list" markdown>')
        base = living_base({**d.config, "site_url": site_url})
        for date in editions:
            out.append(f'<li markdown="span"><a href="{attr(base)}editions/{attr(date)}/">'
                       f'Edition of {datetext.human_date(date)}</a></li>')
        out.append("</ul>\n")
    else:
        out.append("No edition has been published yet. Each edition will be a frozen copy of the whole "
                   f"site as it stood on its date, at an address that never changes.{more}\n{{: .nofact }}\n")
    out.append("## Follow the changes {#feed}\n")
    out.append(f'Every entry below is also in the <a href="{attr(feed_href(site_url))}" type="application/atom+xml">'
               "Atom feed of changes</a>, which a feed reader can follow.\n{: .nofact }\n")
    out.append("## All changes {#log}\n")
    out.append('<ul class="change-list" markdown>')
    for entry in log.entries(d.changes):
        links = []
        for page, anchor in log.targets(entry):
            target = page + (f"#{anchor}" if anchor else "")
            links.append(f"[{md_text(touch_label(d, page, anchor))}]({rel_link(here, target)})")
        text = (f'<time datetime="{attr(entry["date"])}">{datetext.human_date(entry["date"])}</time> · '
                f'**{kind_label(entry["kind"])}.** {md_text(" ".join(str(entry["what"]).split()))} '
                f'*Why:* {md_text(" ".join(str(entry["why"]).split()))} '
                f'Touches: {"; ".join(links)}.')
        out.append(f'<li id="{attr(entry["id"])}" class="change change--{attr(entry["kind"])}" '
                   f'markdown="span">{text}</li>')
    out.append("</ul>\n")
    return "\n".join(out)


def revised_note(d: Data, page: str, anchor: str, changes_href: str) -> str:
    """'Revised 1 December 2026 (correction)' beside a key fact or event
    that a change names, as a Markdown link; '' if none does.
    ``changes_href`` is changes.md as a link from the page it stands on. A first publication is not a
    revision."""
    found = [e for e in log.for_anchor(d.changes, page, anchor) if e["kind"] != "new-page"]
    if not found:
        return ""
    entry = found[0]
    kind = "correction" if any(e["kind"] == "correction" for e in found
                               if e["date"] == entry["date"]) else entry["kind"]
    return (f' [Revised {datetext.human_date(entry["date"])} ({kind_label(kind).lower()})]'
            f'({changes_href}#{entry["id"]}){{: .revised .revised--{kind} }}')


def page_changes_html(d: Data, page: str, changes_href: str) -> str:
    """"Changes to this page": every entry that touches ``page``, newest
    first, as an HTML section for the foot of the page ('' if none)."""
    found = log.for_page(d.changes, page)
    if not found:
        return ""
    items = []
    for entry in found:
        sections = [touch_label(d, p, a).split(" – ", 1)[-1] for p, a in log.targets(entry) if p == page and a]
        where = f" ({html.escape('; '.join(sections))})" if sections else ""
        items.append(
            f'<li><time datetime="{attr(entry["date"])}">{datetext.human_date(entry["date"])}</time> · '
            f'<strong>{html.escape(kind_label(entry["kind"]))}</strong>{where}: '
            f'{html.escape(" ".join(str(entry["what"]).split()))} '
            f'<a href="{attr(changes_href)}#{attr(entry["id"])}">In the change log</a></li>')
    return ('<section class="page-changes" aria-labelledby="page-changes-title">\n'
            '<h2 id="page-changes-title">Changes to this page</h2>\n'
            f'<ul>\n{chr(10).join(items)}\n</ul>\n</section>\n')


def since_id(date: str, page: str) -> str:
    """The id, on the editions page, of the changes to ``page`` made after
    the edition of ``date``: 'since-2026-12-08-focus-group'. An edition's
    banner links to it (overrides/main.html), so it never changes."""
    from explainer.render.cite import page_id

    return f"since-{date}-{page_id(page)}"


def edition_anchors(d: Data) -> set[str]:
    """Every id the editions page carries (for the anchor checks)."""
    out = {"about-editions", "list"}
    for edition in d.changes["editions"]:
        date = str(edition["date"])
        out.add(f"ed-{date}")
        out |= {since_id(date, page) for page in d.pages}
    return out


def render_editions(d: Data, here: str, site_url: str = "", pages: list[str] | None = None) -> str:
    """The /editions/ page: what an edition is, then every published edition,
    newest first, with its address, what changed in it (since the previous
    edition) and, page by page, what changed after it. Until the first
    edition, an empty state that says what editions will be."""
    base = living_base({**d.config, "site_url": site_url})
    pages = pages if pages is not None else list(d.pages)
    out = ["## What an edition is {#about-editions}\n",
           "An edition is a frozen copy of the whole site as it stood on one date, published at an address "
           "that never changes: `editions/<date>/` under the site's address. The living pages change as the "
           "record moves on and as corrections are made; an edition never does. Cite an edition when a "
           "briefing must point at the exact text it quoted, and the living page when its readers should see "
           "the newest text. Every page of an edition says which edition it is, links to the living page, "
           "and links to this page's list of what has changed on that page since the edition.\n{: .nofact }\n",
           "## Published editions {#list}\n"]
    editions = sorted((str(e["date"]) for e in d.changes["editions"]), reverse=True)
    changes_page = d.marker_page("changes") or "changes.md"
    if not editions:
        out.append("No edition has been published yet. When the first one is published it will be listed "
                   "here, newest first: its date, its address, what changed in it, and for every page the "
                   "changes made after it. Until then, cite the living page with its review date (“Cite this "
                   f"page” at the foot of every page); the [change log]({rel_link(here, changes_page)}) lists "
                   "every revision since the first publication.\n{: .nofact }\n")
        return "\n".join(out)
    entries = log.entries(d.changes)

    def entry_link(entry: dict) -> str:
        return (f'[{datetext.human_date(entry["date"])}, {kind_label(entry["kind"]).lower()}]'
                f'({rel_link(here, changes_page)}#{entry["id"]})')

    for i, date in enumerate(editions):
        previous = editions[i + 1] if i + 1 < len(editions) else ""
        address = f"{base}editions/{date}/"
        out.append(f"### Edition of {datetext.human_date(date)} {{#ed-{date}}}\n")
        out.append(f'Published <time datetime="{attr(date)}">{datetext.human_date(date)}</time> at '
                   f'<a href="{attr(address)}">{html.escape(address)}</a>.\n{{: .nofact }}\n')
        made = [e for e in entries if previous < e["date"] <= date]
        since_what = f"the edition of {datetext.human_date(previous)}" if previous else "the first publication"
        if made:
            out.append(f"What changed in it, since {since_what}:\n")
            out.append('<ul class="edition-changes" markdown>')
            for entry in made:
                out.append(f'<li markdown="span">{entry_link(entry)}: '
                           f'{md_text(" ".join(str(entry["what"]).split()))}</li>')
            out.append("</ul>\n")
        else:
            out.append(f"No change was logged between {since_what} and this edition.\n{{: .nofact }}\n")
        out.append("Changed after this edition, page by page:\n")
        out.append('<ul class="edition-since" markdown>')
        for page in pages:
            later = [e for e in log.for_page(d.changes, page) if e["date"] > date]
            title = md_text(d.pages[page].title)
            what = ("; ".join(entry_link(e) for e in later) if later else "no change since this edition")
            out.append(f'<li id="{attr(since_id(date, page))}" markdown="span">'
                       f'[{title}]({rel_link(here, page)}): {what}.</li>')
        out.append("</ul>\n")
    return "\n".join(out)
