"""The original article's errors (research fact sheet, section 10) are never
repeated as fact anywhere on the built site.

A sentence may QUOTE the article in order to correct it. Allowed places:
- any element with class "article-claim", for example
  `<q class="article-claim">fast-tracking</q>` in a page;
- the footnote list and <cite> elements (source titles, quoted as published);
- the pages that exist to quote and check the article or list source titles:
  /the-original-report/ and /sources/, also inside the print-all page.
Everything else in the page's <article> and its meta description is checked.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import url_paths as page_paths

# (id, pattern, an example of the error it must catch). Case-insensitive.
ERRORS = [
    ("focus-group-legalised",
     r"focus group\s+(?:(?:was|has been|is)\s+)?(?:(?:formed|set up|established|created)\s+)?to\s+legali[sz]e",
     "Russia has formed a focus group to legalize crypto payments for foreign trade."),
    ("legalised-mining-and-payments",
     r"legali[sz]ed\s+(?:crypto(?:currency)?\s+)?mining\s+and\s+(?:crypto\s+)?payments",
     "Russia legalised crypto mining and payments in August."),
    ("legalised-crypto-payments",
     r"\b(?:Russia|Moscow)\s+(?:has\s+)?legali[sz]ed\s+crypto(?:currency)?\s+payments",
     "In August Russia legalized crypto payments."),
    ("digital-ruble-launch-2025",
     r"launch(?:es|ed|ing)?\s+(?:of\s+)?the\s+digital\s+r(?:u|ou)ble\s+in\s+2025"
     r"|digital\s+r(?:u|ou)ble\s+(?:will\s+)?launch(?:es|ed)?\s+in\s+2025",
     "Russia is preparing to launch the Digital Ruble in 2025."),
    ("fast-tracking",
     r"fast[-\s]?track",
     "The central bank is fast-tracking legislation on digital financial assets."),
    ("governor-uyba",
     r"governor\s+(?:vladimir\s+)?uyba|uyba,?\s+(?:the\s+)?(?:komi\s+)?governor",
     "Governor Vladimir Uyba announced plans for new data centres."),
    ("mining-data-centres",
     r"15\s+new\s+(?:crypto[-\s]?)?(?:mining\s+)?data\s+cent(?:er|re)s",
     "Komi plans 15 new data centers for crypto mining."),
    ("gazprom-caused-support",
     r"(?:support|backing)\b[^.]{0,80}\b(?:following|after|because of)\b[^.]{0,30}\bGazprom",
     "The projects received strong support from investors following Gazprom's announcement."),
    ("mikun-major-city",
     r"Mikun[^.]{0,60}\bmajor\s+city|major\s+city\s+(?:of\s+)?Mikun",
     "Work will begin in Mikun, a major city in Komi."),
    ("cci-of-russia",
     r"Chamber\s+of\s+Commerce\s+and\s+Industry\s+of\s+Russia\b",
     "The group includes the Chamber of Commerce and Industry of Russia (CCI)."),
    ("market-cap-2-04",
     r"\$\s?2\.04\s?(?:trillion|tn|t)\b",
     "The cumulative crypto market cap decreased slightly to $2.04 trillion."),
]
ALLOWED_PAGES = {"/the-original-report/", "/sources/"}
ALLOWED_SELECTORS = (".article-claim", "div.footnote", "cite",
                     # the same pages inside the print-all page
                     "section.print-page#the-original-report", "section.print-page#sources")
COMPILED = [(name, re.compile(pattern, re.I)) for name, pattern, _ in ERRORS]


def checked_text(html: str) -> str:
    """The page text that must not repeat the errors."""
    soup = BeautifulSoup(html, "html.parser")
    parts = []
    meta = soup.select_one('meta[name="description"]')
    if meta and meta.get("content"):
        parts.append(meta["content"])
    for article in soup.select("article") or [soup.body or soup]:
        for selector in ALLOWED_SELECTORS:
            for element in article.select(selector):
                element.decompose()
        parts.append(article.get_text(" ", strip=True))
    return re.sub(r"\s+", " ", " ".join(parts))


def repeated_errors(html: str) -> list[str]:
    text = checked_text(html)
    found = []
    for name, rx in COMPILED:
        for match in rx.finditer(text):
            start = max(match.start() - 60, 0)
            found.append(f"{name}: …{text[start:match.end() + 60]}…")
    return found


def test_no_article_error_is_repeated_as_fact(built_site):
    problems = []
    for path in page_paths(built_site):
        if path in ALLOWED_PAGES:
            continue
        html_file = built_site / path.lstrip("/")
        if path.endswith("/"):
            html_file = html_file / "index.html"
        for found in repeated_errors(html_file.read_text(encoding="utf-8")):
            problems.append(f"{path}: {found}")
    assert not problems, "the article's errors repeated as fact:\n" + "\n".join(problems)


# --------------------------------------------------------------------------
# Shown failing on fixtures; quoting in order to correct stays allowed.
# --------------------------------------------------------------------------
PAGE = """<html><head><meta name="description" content="{desc}"></head>
<body><article class="md-content__inner"><h1>T</h1>{body}</article></body></html>"""


@pytest.mark.parametrize("name, pattern, example", ERRORS, ids=[e[0] for e in ERRORS])
def test_each_error_is_caught_in_a_fixture(name, pattern, example):
    found = repeated_errors(PAGE.format(desc="A page.", body=f"<p>{example}</p>"))
    assert any(f.startswith(name + ":") for f in found), f"{name} missed: {example!r} -> {found}"


@pytest.mark.parametrize("name, pattern, example", ERRORS, ids=[e[0] for e in ERRORS])
def test_quoting_the_article_to_correct_it_is_allowed(name, pattern, example):
    body = (f'<p>The article said <q class="article-claim">{example}</q>, which is wrong.</p>'
            f'<div class="footnote"><ol><li>Publisher, “{example}”, 2024.</li></ol></div>')
    assert repeated_errors(PAGE.format(desc="A page.", body=body)) == []


def test_meta_description_is_checked():
    found = repeated_errors(PAGE.format(desc="Governor Vladimir Uyba and the data centres.", body="<p>Fine.</p>"))
    assert any(f.startswith("governor-uyba:") for f in found)


def test_fixture_page_on_the_built_site_fails(built_site):
    """A real page with an error pasted in is caught."""
    html = (built_site / "index.html").read_text(encoding="utf-8")
    spoiled = html.replace("</article>", "<p>Russia legalized crypto mining and payments in August.</p></article>", 1)
    assert repeated_errors(html) == []
    assert any(f.startswith("legalised-mining-and-payments:") for f in repeated_errors(spoiled))
