"""Reference pages and open data (issue 4).

- The pages rendered from data agree with the data files, field by field
  (sources, timeline, glossary, key facts, claims); a drifted data set fails.
- Bad data is refused with ``path:line: message`` (dates, anchors, status
  after the horizon, verdicts, ids, quotes), by the checker and by the build.
- The ClaimReview JSON-LD parses and carries the required fields per claim.
- The downloads validate against their JSON Schemas, the CSV files round-trip,
  the build date is reproducible, and every key-fact anchor exists on its page.
Each check is shown failing once on a bad fixture.
"""

from __future__ import annotations

import copy
import html as htmllib
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, background_build, built, edit, output
from conftest import line_of as _line_of
from jsonschema import Draft202012Validator

from explainer import data as site_data
from explainer.config import build_date
from explainer.data import bundle, datetext, source_register
from explainer.data.bundle import load_key_facts
from explainer.render import downloads
from explainer.urls import page_url

DATASETS = ("sources", "timeline", "glossary", "key-facts", "claims")


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
def norm(text: str) -> str:
    return " ".join(htmllib.unescape(str(text)).split())


def squash(text: str) -> str:
    """Text without any whitespace: hover abbreviations (<abbr>) split words
    such as 223-FZ when the HTML is read back as text."""
    return re.sub(r"\s+", "", htmllib.unescape(str(text)))


def shows(value: str, text: str) -> bool:
    return squash(value) in squash(text)


def plain(markdown: str) -> str:
    """Markdown to the words a reader sees: citations, links, emphasis and
    attribute lists removed."""
    text = bundle.strip_citations(markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`]", "", text)
    return norm(text)


def soup_of(site: Path, url_path: str) -> BeautifulSoup:
    path = site / url_path.lstrip("/") / "index.html" if url_path.endswith("/") else site / url_path.lstrip("/")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def element_text(el) -> str:
    """The element's text as read, without footnote reference numbers."""
    parts = [str(t) for t in el.find_all(string=True)
             if not any(p.name == "sup" and str(p.get("id", "")).startswith("fnref") for p in t.parents)]
    return norm(" ".join(parts))


def real_data() -> site_data.Data:
    return site_data.load(ROOT)


def agreement_problems(site: Path, d: site_data.Data) -> list[str]:
    """Everything in the data files that the built pages do not show."""
    problems: list[str] = []
    u = d.use_directory_urls

    def page(marker: str) -> BeautifulSoup:
        return soup_of(site, page_url(d.marker_page(marker), u))

    def hrefs(el) -> list[str]:
        return [a.get("href", "") for a in el.find_all("a")]

    # Sources: one entry per key, with its fields and the pages citing it.
    s_page = page("sources")
    cited = bundle.citing_pages(d)
    for key, src in d.sources.items():
        el = s_page.find(id=key)
        if el is None:
            problems.append(f"/sources/: no entry with id {key!r}")
            continue
        text = element_text(el)
        for label, value in (("publisher", src.publisher), ("title", src.title),
                             ("date", datetext.human_date(src.date)),
                             ("language", source_register.LANGUAGES[src.language]), ("title_en", src.title_en),
                             ("via", src.via)):
            if value and not shows(value, text):
                problems.append(f"/sources/#{key}: {label} {value!r} not shown")
        if src.url and src.url not in hrefs(el):
            problems.append(f"/sources/#{key}: link {src.url} missing")
        for cpage in cited.get(key, []):
            want = page_url(cpage, u).strip("/")
            if not any(h.rstrip("/").endswith(want) if want else h in ("..", "../", "./", "")
                       for h in hrefs(el)):
                problems.append(f"/sources/#{key}: no link to citing page {cpage}")

    # Timeline: every event with date, line, status, sources and its link.
    t_page = page("timeline")
    for event in d.timeline["events"]:
        eid = str(event["id"])
        el = t_page.find(id=eid)
        if el is None:
            problems.append(f"/timeline/: no event with id {eid!r}")
            continue
        time = el.find("time")
        if time is None or time.get("datetime") != str(event["date"]):
            problems.append(f"/timeline/#{eid}: date {event['date']} not shown")
        text = element_text(el)
        if not shows(event["title"], text):
            problems.append(f"/timeline/#{eid}: title not shown")
        # A scheduled date before the build date is shown as passed (issue 15).
        state = bundle.event_state(event, bundle.date_start(build_date(d.root)))
        label = {"scheduled": "Scheduled:", bundle.PASSED: "Date passed, not confirmed by the sources"}.get(state)
        if (label is not None) != any(lab in text for lab in ("Scheduled:", "Date passed,")) or \
                (label and label not in text):
            problems.append(f"/timeline/#{eid}: status {state} not shown")
        page_, _, anchor = str(event["see"]).partition("#")
        want = page_url(page_, u).strip("/")
        if not any(h.split("#")[0].rstrip("/").endswith(want) and h.endswith("#" + anchor) for h in hrefs(el)):
            problems.append(f"/timeline/#{eid}: link to {event['see']} missing")
        for key in event["sources"]:
            if not el.find("a", href=f"#fn:{key}"):
                problems.append(f"/timeline/#{eid}: citation of {key} missing")

    # Glossary: every term with its Russian forms and definition.
    g_page = page("glossary")
    for term in d.glossary["terms"]:
        tid = str(term["id"])
        heading = g_page.find(id=tid)
        if heading is None:
            problems.append(f"/glossary/: no term with id {tid!r}")
            continue
        if not shows(term["term"], element_text(heading)):
            problems.append(f"/glossary/#{tid}: term {term['term']!r} not in heading")
        parts = []
        for sib in heading.find_next_siblings():
            if sib.name in ("h2", "h1"):
                break
            parts.append(element_text(sib))
        body = " ".join(parts)
        for fld in ("russian", "russian_abbr", "translit"):
            if term.get(fld) and not shows(term[fld], body):
                problems.append(f"/glossary/#{tid}: {fld} {term[fld]!r} not shown")
        if not shows(plain(term["definition"]), plain(body)):
            problems.append(f"/glossary/#{tid}: definition not shown")

    # Key facts: every fact, linking to its permanent anchor on its page.
    k_page = page("key-facts")
    links = [a.get("href", "") for a in k_page.find_all("a")]
    for fact in d.facts:
        want = page_url(str(fact["page"]), u).strip("/") + f"/#{fact['id']}" if fact["page"] != "index.md" \
            else f"#{fact['id']}"
        if not any(h.endswith(want) for h in links):
            problems.append(f"/key-facts/: no link to {fact['page']}#{fact['id']}")
        if not shows(plain(fact["text"]), plain(element_text(k_page))):
            problems.append(f"/key-facts/: text of {fact['id']} not shown")

    # Claims: every claim with its verdict and finding.
    c_page = page("claims")
    for claim in d.claims["claims"]:
        cid = str(claim["id"])
        heading = c_page.find(id=cid)
        if heading is None:
            problems.append(f"/the-original-report/: no claim with id {cid!r}")
            continue
        parts = [element_text(heading)]
        for sib in heading.find_next_siblings():
            if sib.name == "h2":
                break
            parts.append(element_text(sib))
        body = " ".join(parts)
        if not shows(str(claim["claim"]).rstrip("."), body):
            problems.append(f"/the-original-report/#{cid}: claim not shown")
        if f"Verdict: {claim['verdict'].capitalize()}." not in body:
            problems.append(f"/the-original-report/#{cid}: verdict {claim['verdict']} not shown")
        if not shows(plain(claim["finding"]), plain(body)):
            problems.append(f"/the-original-report/#{cid}: finding not shown")
    return problems


# --------------------------------------------------------------------------
# The data is clean and the pages agree with it
# --------------------------------------------------------------------------
def test_generated_pages_agree_with_data(built_site):
    d = real_data()
    assert d.timeline["events"] and d.claims["claims"] and d.sources and d.facts and d.glossary["terms"]
    problems = agreement_problems(built_site, d)
    assert not problems, "\n".join(problems)


def test_agreement_check_catches_drift(built_site):
    """The same built pages against data that has moved on: every kind of
    drift is reported."""
    d = real_data()
    drifted = copy.copy(d)
    drifted.sources = dict(d.sources)
    first = next(iter(d.sources.values()))
    drifted.sources["newpaper-2026-07-01"] = source_register.Source(
        key="newpaper-2026-07-01", publisher="New Paper", title="A title", date="2026-07-01",
        language="en", kind="news", accessed="2026-07-02", line=1)
    drifted.sources[first.key] = source_register.Source(**{**first.__dict__, "title": first.title + " (corrected)"})
    drifted.timeline = {**d.timeline, "events": [{**d.timeline["events"][0], "title": "Something else happened"}]}
    drifted.glossary = {**d.glossary, "terms": [{**d.glossary["terms"][0], "translit": "nechto drugoe"}]}
    drifted.claims = {**d.claims, "claims": [{**d.claims["claims"][0], "verdict": "accurate"
                                              if d.claims["claims"][0]["verdict"] != "accurate" else "wrong"}]}
    drifted.facts = d.facts + [{"id": "kf-not-rendered", "page": "index.md", "text": "New fact."}]
    report = "\n".join(agreement_problems(built_site, drifted))
    for expected in ("no entry with id 'newpaper-2026-07-01'", f"#{first.key}: title", "title not shown",
                     "translit 'nechto drugoe' not shown", "verdict", "kf-not-rendered"):
        assert expected in report, f"drift not caught: {expected}\n{report}"


def test_sources_page_groups_by_kind(built_site):
    d = real_data()
    soup = soup_of(built_site, "/sources/")
    for key, src in d.sources.items():
        group = soup.find(id=key).find_previous("h2")
        wanted = next(g for g in bundle.KIND_GROUPS if src.kind in g[2])[0]
        assert group.get("id") == wanted, f"{key} ({src.kind}) listed under #{group.get('id')}"


FIRST_EVENT_SEE = "    see: focus-group.md#elr"


def _gone_anchor(project):
    edit(project / "data/timeline.yml", FIRST_EVENT_SEE, "    see: focus-group.md#gone")


# Written into a page by the same editor: a citation inside inline code.
CODE_CITATION = "Write citations as `[^publisher-2024-01-01]` in a page. "


def _new_data(project):
    """An editor's additions in one copy: a timeline event and a glossary term
    (the build draws the timeline), and a page that shows a citation as code."""
    edit(project / "docs" / "about.md", "This site is written for analysts",
         CODE_CITATION + "This site is written for analysts")
    with open(project / "data/timeline.yml", "a", encoding="utf-8") as fh:
        fh.write('\n  - id: ev-2031-03-15-test-event\n    date: "2031-03-15"\n'
                 "    title: A test event far after the horizon.\n    status: scheduled\n"
                 "    see: komi-mining.md#bans\n    sources: [vedomosti-2024-09-17]\n")
    with open(project / "data/glossary.yml", "a", encoding="utf-8") as fh:
        fh.write("\n  - id: test-term\n    term: Test term\n    definition: A term added only by this test.\n")


background_build("listing-gone-anchor", _gone_anchor)
background_build("listing-new-data", _new_data, HTMLPROOFER="false")


def test_build_fails_on_a_missing_timeline_anchor():
    project, _site, result = built("listing-gone-anchor")
    assert result.returncode != 0
    line = _line_of(project / "data/timeline.yml", "#gone")
    assert f"timeline.yml:{line}: event ev-2020-07-31-elr-law: anchor #gone not found" in output(result), \
        output(result)[-3000:]


def test_generated_page_renders_new_data():
    """A new timeline event and glossary term appear on their pages with no
    page edit: the pages cannot drift from the data."""
    project, site, result = built("listing-new-data")
    assert result.returncode == 0, output(result)[-3000:]
    d = site_data.load(project)
    assert not agreement_problems(site, d)
    el = soup_of(site, "/timeline/").find(id="ev-2031-03-15-test-event")
    assert "Scheduled: A test event far after the horizon." in element_text(el)
    assert soup_of(site, "/glossary/").find(id="test-term") is not None


def test_citation_inside_inline_code_does_not_fail_the_build():
    """The reported bug: a citation written inside inline code made the build
    fail with 'unknown source key ... in a key fact'. The page builds, shows
    the key as code, and gets no footnote for it (the editor's additions'
    build above; moved here from tests/build/test_build.py)."""
    _project, site, result = built("listing-new-data")
    assert result.returncode == 0, output(result)[-3000:]
    html = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "<code>[^publisher-2024-01-01]</code>" in html
    assert "fn:publisher-2024-01-01" not in html


# --------------------------------------------------------------------------
# ClaimReview JSON-LD
# --------------------------------------------------------------------------
REQUIRED_CLAIMREVIEW = ("claimReviewed", "reviewRating", "itemReviewed", "author", "datePublished", "url")


def claimreview_problems(obj: dict) -> list[str]:
    problems = []
    if obj.get("@context") != "https://schema.org" or obj.get("@type") != "ClaimReview":
        problems.append("not a schema.org ClaimReview")
    for fld in REQUIRED_CLAIMREVIEW:
        if not obj.get(fld):
            problems.append(f"missing {fld}")
    rating = obj.get("reviewRating") or {}
    if rating.get("@type") != "Rating" or not rating.get("alternateName"):
        problems.append("reviewRating needs @type Rating and alternateName")
    item = obj.get("itemReviewed") or {}
    if item.get("@type") != "Claim" or not (item.get("author") or {}).get("name"):
        problems.append("itemReviewed needs @type Claim and an author")
    if not (obj.get("author") or {}).get("name"):
        problems.append("author needs a name")
    if obj.get("datePublished") and datetext.check_date(obj["datePublished"]):
        problems.append("datePublished is not a date")
    return problems


def test_claimreview_json_ld_parses_and_is_complete(built_site):
    """The claims listing emits one ClaimReview per claim in the body of the
    claims page (a macro, so both engines render it), not in <head>."""
    d = real_data()
    soup = soup_of(built_site, "/the-original-report/")
    # <head> carries the page's own schema.org Article (explainer/render/cite.py), never a ClaimReview
    assert not [b for b in soup.head.find_all("script", type="application/ld+json")
                if "ClaimReview" in b.string], "ClaimReview spliced into <head>"
    article = soup.select_one("article")
    blocks = article.find_all("script", type="application/ld+json")
    reviews = [json.loads(b.string) for b in blocks]
    assert len(reviews) == len(d.claims["claims"])
    for claim, review in zip(d.claims["claims"], reviews, strict=True):
        assert not claimreview_problems(review), (claim["id"], claimreview_problems(review))
        assert review["url"].endswith(f"/the-original-report/#{claim['id']}")
        assert review["reviewRating"]["alternateName"].lower() == claim["verdict"]
        assert review["claimReviewed"] == norm(claim["claim"])
        assert soup.find(id=claim["id"]) is not None
    others = [p for p in built_site.rglob("*.html") if '"ClaimReview"' in p.read_text(encoding="utf-8")
              and p.parent.name not in ("the-original-report", "print_page")]
    assert not others, f"ClaimReview outside the claims page: {others}"


def test_claimreview_check_catches_a_bad_record(built_site):
    good = json.loads(soup_of(built_site, "/the-original-report/").select_one("article")
                      .find("script", type="application/ld+json").string)
    bad = copy.deepcopy(good)
    del bad["reviewRating"]["alternateName"]
    del bad["url"]
    assert {"missing url", "reviewRating needs @type Rating and alternateName"} <= set(claimreview_problems(bad))


# --------------------------------------------------------------------------
# Open data downloads
# --------------------------------------------------------------------------
def load_download(site: Path, name: str) -> dict:
    return json.loads((site / "data" / f"{name}.json").read_text(encoding="utf-8"))


def schema_errors(doc: dict, name: str) -> list[str]:
    schema = json.loads((ROOT / "data" / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


@pytest.mark.parametrize("name", DATASETS)
def test_download_validates_against_its_schema(built_site, name):
    doc = load_download(built_site, name)
    assert not schema_errors(doc, name)
    assert doc["licence"] == "CC BY 4.0"
    assert doc["build_date"] == build_date(ROOT)
    assert doc["items"], f"{name}.json is empty"
    published = built_site / "data" / "schemas" / f"{name}.schema.json"
    assert published.read_text(encoding="utf-8") == (ROOT / "data/schemas" / f"{name}.schema.json").read_text(
        encoding="utf-8")


def test_schema_check_catches_a_bad_download(built_site):
    doc = load_download(built_site, "timeline")
    doc["items"][0]["status"] = "happened"
    doc["items"][0]["date"] = "17 September 2024"
    del doc["licence"]
    errors = "\n".join(schema_errors(doc, "timeline"))
    assert "'happened' is not one of" in errors and "does not match" in errors and "'licence'" in errors


@pytest.mark.parametrize("name", DATASETS)
def test_csv_round_trips_to_the_json(built_site, name):
    items = load_download(built_site, name)["items"]
    text = (built_site / "data" / f"{name}.csv").read_bytes().decode("utf-8")
    assert downloads.from_csv(name, text) == items
    # And writing what was read gives the same bytes back.
    assert downloads.to_csv(name, downloads.from_csv(name, text)) == text


def test_csv_round_trip_check_catches_a_change(built_site):
    items = load_download(built_site, "sources")["items"]
    text = (built_site / "data" / "sources.csv").read_text(encoding="utf-8")
    broken = text.replace(items[0]["key"], items[0]["key"] + "-x", 1)
    assert downloads.from_csv("sources", broken) != items


def test_csv_metadata_describes_every_column(built_site):
    meta = json.loads((built_site / "data" / "csv-metadata.json").read_text(encoding="utf-8"))
    assert meta["@context"] == "http://www.w3.org/ns/csvw"
    assert meta["dc:license"]["@id"] == bundle.LICENCE_URL
    for table in meta["tables"]:
        name = table["url"][: -len(".csv")]
        header = (built_site / "data" / table["url"]).read_text(encoding="utf-8").splitlines()[0]
        assert [c["name"] for c in table["tableSchema"]["columns"]] == header.split(",")
        assert all(c["dc:description"] for c in table["tableSchema"]["columns"]), name


def test_about_page_lists_every_download(built_site):
    soup = soup_of(built_site, "/about/")
    section = soup.find(id="data")
    assert section is not None
    links = {a.get("href", "").split("/")[-1] for a in soup.find_all("a")}
    for name in DATASETS:
        for suffix in (".json", ".csv", ".schema.json"):
            assert f"{name}{suffix}" in links, f"/about/ does not link {name}{suffix}"


# --------------------------------------------------------------------------
# Key-fact anchors
# --------------------------------------------------------------------------
def missing_fact_anchors(site: Path, facts: list[dict]) -> list[str]:
    missing = []
    for fact in facts:
        soup = soup_of(site, page_url(str(fact["page"])))
        if soup.find(id=str(fact["id"])) is None:
            missing.append(f"{fact['page']}#{fact['id']}")
    return missing


def test_every_key_fact_anchor_exists_on_its_page(built_site):
    facts = load_key_facts()
    assert facts
    assert not missing_fact_anchors(built_site, facts)


def test_key_fact_anchor_check_catches_a_missing_anchor(built_site):
    facts = [{"id": "kf-never-rendered", "page": "index.md"}]
    assert missing_fact_anchors(built_site, facts) == ["index.md#kf-never-rendered"]
