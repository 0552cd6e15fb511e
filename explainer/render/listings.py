"""The generated listings (sources, timeline, glossary, key facts, claims, downloads) as Markdown.

Pure functions: a loaded ``Data`` in, Markdown out. Pages call them through
the macros in ``explainer/macros.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin

from explainer.config import nav_pages
from explainer.data import datetext
from explainer.data.bundle import (
    KIND_GROUPS,
    LICENCE,
    LICENCE_URL,
    PASSED,
    VERDICTS,
    Data,
    as_list,
    cited_keys,
    citing_pages,
    event_sort_key,
    event_state,
    page_slug,
)
from explainer.render import change_log, citations, dates, fact_pages
from explainer.render.downloads import dataset_rows
from explainer.render.text import attr, md_text
from explainer.urls import page_url, rel_link


# --------------------------------------------------------------------------
# Who cites what
# --------------------------------------------------------------------------
def target_label(d: Data, target: str) -> str:
    """'Page title – section heading' for a page.md#anchor link."""
    page, _, anchor = str(target).partition("#")
    info = d.pages[page]
    section = info.headings.get(anchor)
    return md_text(f"{info.title} – {section}" if section and section != info.title else info.title)


# --------------------------------------------------------------------------
# Rendering (Markdown for the marker)
# --------------------------------------------------------------------------
def cite(keys: Iterable[str]) -> str:
    return "".join(f"[^{k}]" for k in keys)


def render_sources(d: Data, here: str) -> str:
    cited = citing_pages(d)
    out: list[str] = []
    for group_id, heading, kinds in KIND_GROUPS:
        members = [s for s in d.sources.values() if s.kind in kinds]
        if not members:
            continue
        members.sort(key=lambda s: (s.publisher.casefold(), s.date, s.key))
        out.append(f"## {heading} ({len(members)}) {{#{group_id}}}\n")
        out.append('<ul class="source-list" markdown>')
        for s in members:
            text = citations.listing(s)
            pages = cited.get(s.key, [])
            if pages:
                links = ", ".join(f"[{md_text(d.pages[p].title)}]({rel_link(here, p)})" for p in pages)
                text += f" Cited on: {links}."
            out.append(f'<li id="{attr(s.key)}" markdown="span">{text}</li>')
        out.append("</ul>\n")
    return "\n".join(out)


def render_timeline(d: Data, here: str, build_date: str = "") -> str:
    """The events by year. An event in the passed state (a scheduled date
    before the build date) says so instead of "Scheduled"; an event a change
    names carries its "Revised" note."""
    events = sorted(d.timeline["events"], key=event_sort_key)
    today = dates.today_of(build_date) if build_date else None
    out: list[str] = []
    year = None
    for event in events:
        date = str(event["date"])
        if date[:4] != year:
            if year is not None:
                out.append("</ul>\n")
            year = date[:4]
            out.append(f"## {year} {{#y{year}}}\n")
            out.append('<ul class="timeline-list" markdown>')
        target = str(event["see"])
        status, state = "", event_state(event, today) if today else str(event.get("status"))
        if state == PASSED:
            status = f'<strong class="state-passed">{dates.passed_label(d.horizon)}:</strong> '
        elif event.get("status") == "scheduled":
            status = "<strong>Scheduled:</strong> "
        revised = change_log.revised_note(d, here, str(event["id"]), rel_link(here, d.marker_page("changes"))) \
            if d.marker_page("changes") else ""
        text = (f'<time datetime="{attr(date)}">{datetext.human_date(date)}</time>: {status}'
                f'{md_text(str(event["title"]).strip())}{cite(as_list(event.get("sources")))} '
                f'Read more: [{target_label(d, target)}]({rel_link(here, target)}){revised}')
        css = ' class="event-passed"' if state == PASSED else ""
        out.append(f'<li id="{attr(event["id"])}"{css} markdown="span">{text}</li>')
    if year is not None:
        out.append("</ul>\n")
    return "\n".join(out)


def term_heading(term: dict) -> str:
    heading = md_text(term["term"])
    if term.get("abbr") and str(term["abbr"]) != str(term["term"]):
        heading += f" ({md_text(term['abbr'])})"
    return heading


def render_glossary(d: Data, here: str) -> str:
    out: list[str] = []
    terms = sorted(d.glossary["terms"], key=lambda t: str(t.get("term")).casefold())
    for term in terms:
        out.append(f"## {term_heading(term)} {{#{term['id']}}}\n")
        if term.get("russian"):
            russian = f'<span lang="ru">{md_text(term["russian"])}</span>'
            if term.get("russian_abbr"):
                russian += f' (<abbr lang="ru">{md_text(term["russian_abbr"])}</abbr>)'
            if term.get("translit"):
                russian += f', transliterated <i lang="ru-Latn">{md_text(term["translit"])}</i>'
            out.append(f"In Russian: {russian}.\n")
        definition = " ".join(str(term["definition"]).split())
        keys = [k for k in as_list(term.get("sources")) if k not in cited_keys(definition)]
        out.append(f"{definition}{cite(keys)}\n")
        aliases = as_list(term.get("abbr_aliases"))
        if aliases:
            out.append(f"Also abbreviated: {', '.join(md_text(a) for a in aliases)}.\n")
        links = []
        for target in as_list(term.get("see")):
            links.append(f"[{target_label(d, target)}]({rel_link(here, target)})")
        if links:
            out.append(f"Where it matters: {'; '.join(links)}\n")
    return "\n".join(out)


def nav_order(d: Data) -> list[str]:
    """Every page, in the nav's order (pages outside it last, by name)."""
    order = {p: i for i, p in enumerate(nav_pages(d.config))}
    return sorted(d.pages, key=lambda p: (order.get(p, len(order)), p))


def facts_by_page(d: Data) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for fact in d.facts:
        groups.setdefault(str(fact.get("page")), []).append(fact)
    order = {p: i for i, p in enumerate(nav_pages(d.config))}
    return sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def own_page(d: Data, fact_id: str, here: str) -> str:
    """The link to a key fact's own page: its full address when the site has
    one, because the whole-site print page (which leaves those pages out)
    would turn a relative link into an anchor it does not have."""
    site_url = str(d.config.get("site_url") or "")
    if site_url:
        return urljoin(site_url if site_url.endswith("/") else site_url + "/",
                       page_url(fact_pages.src_of(fact_id), d.use_directory_urls).lstrip("/"))
    return rel_link(here, fact_pages.src_of(fact_id))


def render_key_facts(d: Data, here: str) -> str:
    out: list[str] = []
    for page, facts in facts_by_page(d):
        title = d.pages[page].title if page in d.pages else page
        out.append(f"## {md_text(title)} {{#{page_slug(page)}}}\n")
        out.append('<ul class="key-fact-list" markdown>')
        for fact in facts:
            text = " ".join(str(fact["text"]).split())
            link = f'[#{fact["id"]}]({rel_link(here, page)}#{fact["id"]})'
            own = f'[its own page]({own_page(d, str(fact["id"]), here)})'
            out.append(f'<li markdown="span">{text} <span class="kf-link">Link: {link} · Cite or share it from '
                       f'{own}</span></li>')
        out.append("</ul>\n")
    return "\n".join(out)


def render_claims(d: Data, here: str) -> str:
    claims = d.claims["claims"]
    out: list[str] = []
    counts = {v: sum(1 for c in claims if c.get("verdict") == v) for v in VERDICTS}
    out.append("## The verdicts {#verdicts}\n")
    out.append("| Verdict | Meaning | Claims |")
    out.append("| --- | --- | --- |")
    for verdict, meaning in VERDICTS.items():
        out.append(f"| {verdict.capitalize()} | {meaning} | {counts[verdict]} |")
    out.append("")
    out.append("## The claims in brief {#summary}\n")
    out.append('<ol class="claim-summary" markdown>')
    for claim in claims:
        out.append(f'<li markdown="span">**{str(claim["verdict"]).capitalize()}:** '
                   f'[{md_text(claim["claim"])}](#{claim["id"]})</li>')
    out.append("</ol>\n")
    for number, claim in enumerate(claims, 1):
        heading = " ".join(str(claim["claim"]).split()).rstrip(".")
        out.append(f"## {number}. {md_text(heading)} {{#{claim['id']}}}\n")
        out.append(f"**Verdict: {str(claim['verdict']).capitalize()}.** {VERDICTS[claim['verdict']]}\n")
        if claim.get("quote"):
            out.append(f"The report’s words: “{md_text(' '.join(str(claim['quote']).split()))}”\n")
        finding = " ".join(str(claim["finding"]).split())
        keys = [k for k in as_list(claim.get("sources")) if k not in cited_keys(finding)]
        out.append(f"What the record shows: {finding}{cite(keys)}\n")
        if claim.get("see"):
            target = str(claim["see"])
            out.append(f"Read more: [{target_label(d, target)}]({rel_link(here, target)})\n")
    return "\n".join(out)


def render_downloads(d: Data, here: str, build_date: str) -> str:
    out = ["| Data set | Rows | JSON | CSV | JSON Schema |", "| --- | --- | --- | --- | --- |"]
    for name, label, rows in dataset_rows(d):
        base = rel_link(here, f"data/{name}")
        out.append(f"| {label} | {len(rows)} | [{name}.json]({base}.json) | [{name}.csv]({base}.csv) "
                   f"| [{name}.schema.json]({rel_link(here, f'data/schemas/{name}.schema.json')}) |")
    out.append("")
    out.append(f"Licence: {LICENCE} (<{LICENCE_URL}>). Built on "
               f'<time datetime="{build_date}">{datetext.human_date(build_date)}</time>. '
               f"The column descriptions for the CSV files, in the W3C CSV on the Web format, are in "
               f"[csv-metadata.json]({rel_link(here, 'data/csv-metadata.json')}).")
    out.append("{: .nofact }\n")
    return "\n".join(out)


def render(d: Data, marker: str, here: str, build_date: str = "") -> str:
    if marker == "sources":
        return render_sources(d, here)
    if marker == "timeline":
        return render_timeline(d, here, build_date)
    if marker == "changes":
        return change_log.render_changes(d, here, str(d.config.get("site_url") or ""))
    if marker == "editions":
        return change_log.render_editions(d, here, str(d.config.get("site_url") or ""), nav_order(d))
    if marker == "glossary":
        return render_glossary(d, here)
    if marker == "key-facts":
        return render_key_facts(d, here)
    if marker == "claims":
        return render_claims(d, here)
    if marker == "downloads":
        return render_downloads(d, here, build_date)
    raise ValueError(f"unknown marker {marker!r}")
