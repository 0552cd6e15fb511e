"""Cite it the way each reader's tools expect (issue 26), in the session
build: "Cite this page" in every style from the page's record, its three
downloads parsed by real parsers, and the metadata a real extractor
(extruct: JSON-LD and the page's <meta> tags) reads from every page,
compared with the record the downloads carry."""

from __future__ import annotations

import html as html_lib
import json
import re

import bibtexparser
import pytest
import rispy
from conftest import ROOT, content_pages, doc_for

from explainer.data import datetext, pagefiles

STYLE_KEYS = ("plain", "chicago", "apa", "mla")


def cite_box(text: str) -> str:
    match = re.search(r'<section class="cite-page".*?</section>', text, re.S)
    assert match, "no 'Cite this page'"
    return match.group(0)


def plain_text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def downloads(box: str) -> dict[str, tuple[str, str]]:
    """ext -> (href, download name) of the links in "Cite this page"."""
    found = {}
    for href, name in re.findall(r'<a href="([^"]+)"[^>]* download="([^"]+)"', box):
        found[name.rsplit(".", 1)[-1]] = (href, name)
    return found


def record_of(site, url: str) -> dict:
    box = cite_box(content_pages(site)[url].read_text(encoding="utf-8"))
    href, _name = downloads(box)["json"]
    (item,) = json.loads((site / "cite" / href.rsplit("/", 1)[-1]).read_text(encoding="utf-8"))
    return item


def test_focus_group_citations_are_punctuated_by_the_processor(built_site):
    box = cite_box((built_site / "focus-group" / "index.html").read_text(encoding="utf-8"))
    forms = {key: plain_text(m) for key, m in re.findall(r'<p class="cite-text" id="cite-(\w+)">(.*?)</p>', box, re.S)}
    assert tuple(forms) == STYLE_KEYS, forms
    for key, text in forms.items():
        assert "?." not in text and "?”." not in text and "?.”" not in text, (key, text)
    assert forms["plain"].startswith("What is the focus group? Russia’s crypto"), forms["plain"]
    assert forms["chicago"].startswith("The explainer’s editors. “What Is the Focus Group?” "), forms["chicago"]
    for key in STYLE_KEYS:
        assert f'data-clipboard-target="#cite-{key}"' in box, key


def test_every_page_offers_three_downloads_that_parse_as_its_record(built_site):
    pages = content_pages(built_site)
    assert len(pages) >= 14
    for url, path in pages.items():
        box = cite_box(path.read_text(encoding="utf-8"))
        links = downloads(box)
        assert sorted(links) == ["bib", "json", "ris"], (url, links)
        stem = links["bib"][1].rsplit(".", 1)[0]
        assert stem == (url.strip("/").replace("/", "-") or "index"), (url, stem)
        files = {ext: built_site / "cite" / name for ext, (_href, name) in links.items()}
        for ext, (href, name) in links.items():
            assert href.endswith(f"cite/{name}"), (url, href)
            assert files[ext].is_file(), files[ext]
        (item,) = json.loads(files["json"].read_text(encoding="utf-8"))
        doc = pagefiles.read_page(doc_for(url))
        assert item["title"] == str(doc.meta["title"]) and item["URL"].endswith("/" + url), (url, item)
        assert item["version"] == datetext.human_date(str(doc.meta["reviewed"])), url
        library = bibtexparser.parse_string(files["bib"].read_text(encoding="utf-8"))
        assert not library.failed_blocks and len(library.entries) == 1, url
        fields = {f.key: f.value for f in library.entries[0].fields}
        assert fields["url"] == item["URL"] and fields["title"] == "{" + item["title"] + "}", url
        (ris,) = rispy.loads(files["ris"].read_text(encoding="utf-8"))
        assert ris["title"] == item["title"] and ris["urls"] == [item["URL"]], url
        assert ris["type_of_reference"] == "ELEC", url


@pytest.mark.parametrize("url", ["", "focus-group/", "key-facts/"])
def test_metadata_read_by_extruct_matches_the_record(built_site, url):
    import extruct

    page = content_pages(built_site)[url]
    item = record_of(built_site, url)
    text = page.read_text(encoding="utf-8")
    found = extruct.extract(text, base_url=item["URL"], syntaxes=["json-ld", "opengraph"], uniform=True)
    articles = [x for x in found["json-ld"] if x.get("@type") == "Article"]
    assert len(articles) == 1, found["json-ld"]
    article = articles[0]
    issued = "-".join(f"{p:02d}" for p in item["issued"]["date-parts"][0])
    assert article["headline"] == item["title"] and article["url"] == item["URL"]
    assert article["datePublished"] == issued
    assert datetext.human_date(article["dateModified"]) == item["version"]
    assert article["author"]["name"] == item["author"][0]["literal"]
    assert article["publisher"]["name"] == item["author"][0]["literal"]
    assert article["isPartOf"]["@type"] == "WebSite" and article["license"].startswith("https://creativecommons.org/")
    # The Highwire tags, read by lxml's HTML parser (what extruct uses)
    import lxml.html

    tree = lxml.html.fromstring(text)
    tags: dict[str, list[str]] = {}
    for el in tree.xpath("//head/meta[starts-with(@name, 'citation_')]"):
        tags.setdefault(el.get("name"), []).append(el.get("content"))
    assert tags["citation_title"] == [item["title"]]
    assert tags["citation_author"] == [item["author"][0]["literal"]]
    assert tags["citation_publication_date"] == [issued.replace("-", "/")]
    assert tags["citation_public_url"] == [item["URL"]] == tags["citation_abstract_html_url"]
    assert tags["citation_language"] == [item["language"]]
    assert set(tags) >= {"citation_date", "citation_online_date", "citation_publisher"}


# --------------------------------------------------------------------------
# A page of its own for each key fact (explainer/render/fact_pages.py)
# --------------------------------------------------------------------------
def test_each_key_fact_has_a_page_that_unfurls_as_the_fact(built_site, site_port):
    from PIL import Image

    from explainer import data as site_data
    from explainer.render.text import plain

    base = f"http://127.0.0.1:{site_port}/"
    d = site_data.load(ROOT)
    facts = [f for f in d.facts if f.get("id")]
    assert len(facts) == 29
    listing = (built_site / "key-facts" / "index.html").read_text(encoding="utf-8")
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    search = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    searched = {doc["location"].split("#")[0] for doc in search["docs"]}
    nav = (built_site / "index.html").read_text(encoding="utf-8")
    for fact in facts:
        fid, page = fact["id"], str(fact["page"])
        url = f"key-facts/{fid}/"
        text = (built_site / url / "index.html").read_text(encoding="utf-8")
        description = re.search(r'<meta name="description" content="([^"]*)"', text).group(1)
        assert html_lib.unescape(description) == plain(fact["text"])[:300].rstrip() or \
            plain(fact["text"]).startswith(html_lib.unescape(description).rstrip("…")), (fid, description)
        og_title = html_lib.unescape(re.search(r'<meta property="og:title" content="([^"]*)"', text).group(1))
        assert plain(fact["text"]).startswith(og_title.rstrip(";.")), (fid, og_title)
        image = re.search(r'<meta property="og:image" content="([^"]*)"', text).group(1)
        assert image == f"{base}assets/previews/key-facts-{fid}.png", image
        with Image.open(built_site / "assets" / "previews" / f"key-facts-{fid}.png") as img:
            assert img.size == (1200, 630)
        # in context, the #kf- anchor, which keeps working on its page
        context_href = "../../" + (page[:-3] + "/" if page != "index.md" else "") + f"#{fid}"
        assert f'href="{context_href}"' in text, (fid, context_href)
        assert f'id="{fid}"' in (built_site / (page[:-3] + "/" if page != "index.md" else "") / "index.html") \
            .read_text(encoding="utf-8")
        box = cite_box(text)
        for key in STYLE_KEYS:
            assert f'id="cite-{key}"' in box, (fid, key)
        assert f'download="{fid}.bib"' in box and (built_site / "cite" / f"{fid}.ris").is_file()
        assert re.search(r'<h2 id="status">', text) and "First published" in text, fid
        assert f'href="{base}{url}"' in listing, f"/key-facts/ does not link {fid}'s page"
        assert f"{base}{url}</loc>" in sitemap, fid
        assert url not in searched, f"{url} is in the search index (the /key-facts/ page is)"
        assert f'href="{url}"' not in nav, f"{url} is in the navigation"
