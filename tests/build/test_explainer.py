"""The six explainer pages (issue 3): each exists, is in the nav, opens with
the rendered "In short" box and the review date, has a "What we don't know"
section, cites at least six times and has 600-1,500 words of body text.

A missing page fails; it is never skipped. Each check is also shown failing
on a spoiled copy of a real page.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, expected_pages, html_file

from explainer.config import nav_pages, read_config

# The explainer's permanent addresses and their source files. All six are
# expected: a missing one is a failure.
EXPLAINERS = [
    ("/focus-group/", "focus-group.md"),
    ("/participants/", "participants.md"),
    ("/digital-ruble/", "digital-ruble.md"),
    ("/komi-mining/", "komi-mining.md"),
    ("/context/", "context.md"),
    ("/what-happened-next/", "what-happened-next.md"),
]
MIN_CITATIONS = 6
MIN_WORDS, MAX_WORDS = 600, 1500
KEY_FACTS = (3, 5)
WORD_RE = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*")


def body_text(article) -> str:
    """The page's own prose: the article without its H1, the "In short" box,
    the review line, footnote numbers, the footnote list, permalinks, figures
    with their text alternatives (collapsible boxes), the "Cite this page"
    block, and what the build renders from data around the prose: the
    sanctions table and matrix, passed-date notes and "Changes to this page"."""
    article = BeautifulSoup(str(article), "html.parser")
    for selector in ("h1", ".in-short", ".page-reviewed", "div.footnote", "sup", "a.headerlink",
                     ".md-source-file", ".md-content__button", "figure", "details", "section.cite-page",
                     ".sanctions-wrap", ".sanctions-matrix", ".date-passed-note", ".page-changes"):
        for element in article.select(selector):
            element.decompose()
    return article.get_text(" ", strip=True)


def word_count(article) -> int:
    return len(WORD_RE.findall(body_text(article)))


def explainer_problems(html: str) -> list[str]:
    """What is wrong with one rendered explainer page (empty when fine)."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.md-content__inner")
    if article is None:
        return ["no article element"]
    problems = []
    if not soup.select_one("nav.md-nav--primary a.md-nav__link--active"):
        problems.append("the page is not in the site navigation")
    box = article.select_one("div.admonition.in-short")
    title = box.select_one(".admonition-title") if box else None
    if not box or not title or title.get_text(strip=True) != "In short":
        problems.append('no rendered "In short" box')
    else:
        points = box.select("li[id^=kf-]")
        if not KEY_FACTS[0] <= len(points) <= KEY_FACTS[1]:
            problems.append(f'"In short" has {len(points)} key points; expected 3-5, each with a kf- id')
        h1 = article.select_one("h1")
        if h1 is None or box.find_previous_sibling("h1") is not h1:
            problems.append('the "In short" box does not follow the H1')
    reviewed = article.select_one("p.page-reviewed time[datetime]")
    if reviewed is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", reviewed["datetime"]):
        problems.append("no review date (p.page-reviewed with <time datetime=YYYY-MM-DD>)")
    if not article.select_one("h2#unknowns"):
        problems.append('no "What we don\'t know" section (h2 with id "unknowns")')
    box_refs = len(box.select("a.footnote-ref")) if box else 0
    refs = len(article.select("a.footnote-ref")) - box_refs
    if refs < MIN_CITATIONS:
        problems.append(f"{refs} citations in the body; at least {MIN_CITATIONS}")
    words = word_count(article)
    if not MIN_WORDS <= words <= MAX_WORDS:
        problems.append(f"{words} words of body text; expected {MIN_WORDS}-{MAX_WORDS}")
    return problems


@pytest.mark.parametrize("url, source", EXPLAINERS, ids=[u.strip("/") for u, _ in EXPLAINERS])
def test_explainer_page(built_site, url, source):
    assert (ROOT / "docs" / source).exists(), f"explainer page docs/{source} is missing"
    assert source in nav_pages(read_config(ROOT / "mkdocs.yml")), f"{source} is not in the nav of mkdocs.yml"
    page = built_site / url.strip("/") / "index.html"
    assert page.exists(), f"{url} was not built"
    problems = explainer_problems(page.read_text(encoding="utf-8"))
    assert not problems, f"{url}: " + "; ".join(problems)


# --------------------------------------------------------------------------
# The checks fail on spoiled copies of a real page.
# --------------------------------------------------------------------------
def _spoil(html: str, selector: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    found = soup.select(selector)
    assert found, f"fixture anchor {selector!r} not in page"
    for element in found:
        element.decompose()
    return str(soup)


def _pad(html: str, words: int) -> str:
    soup = BeautifulSoup(html, "html.parser")
    para = soup.new_tag("p")
    para.string = " ".join(["filler"] * words)
    soup.select_one("h2#unknowns").insert_before(para)
    return str(soup)


SPOILERS = {
    "not-in-nav": (lambda h: _spoil(h, "nav.md-nav--primary a.md-nav__link--active"), "not in the site navigation"),
    "no-in-short-box": (lambda h: _spoil(h, "div.in-short"), 'no rendered "In short" box'),
    "too-few-key-points": (lambda h: _spoil(h, "div.in-short li:nth-of-type(n+2)"), "key points; expected 3-5"),
    "no-review-date": (lambda h: _spoil(h, "p.page-reviewed"), "no review date"),
    "no-unknowns-section": (lambda h: _spoil(h, "h2#unknowns"), "What we don't know"),
    "too-few-citations": (lambda h: _spoil(h, "article sup"), "citations in the body; at least 6"),
    "too-short": (lambda h: _spoil(h, "article p:not(.page-reviewed):not(.admonition-title)"), "words of body text"),
    "too-long": (lambda h: _pad(h, 1600), "words of body text"),
}


@pytest.mark.parametrize("name", sorted(SPOILERS))
def test_explainer_check_fails_on_spoiled_page(built_site, name):
    real = next((built_site / u.strip("/") / "index.html" for u, _ in EXPLAINERS
                 if (built_site / u.strip("/") / "index.html").exists()), None)
    assert real is not None, "no explainer page was built"
    html = real.read_text(encoding="utf-8")
    assert explainer_problems(html) == [], "the fixture page must pass before it is spoiled"
    spoil, expected = SPOILERS[name]
    problems = explainer_problems(spoil(html))
    assert any(expected in p for p in problems), f"{name}: expected {expected!r} in {problems}"


# --------------------------------------------------------------------------
# Every page has text. Zensical reports a macro that fails as success with an
# empty page (tests/build/test_zensical.py checks its build the same way).
# --------------------------------------------------------------------------
MIN_ARTICLE_WORDS = 40


def article_words(html: str) -> int:
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article")
    return len(WORD_RE.findall(article.get_text(" ", strip=True))) if article else 0


@pytest.mark.parametrize("path", [p for p in expected_pages() if p != "/print_page/"])
def test_every_page_has_article_text(built_site, path):
    html = html_file(built_site, path).read_text(encoding="utf-8")
    words = article_words(html)
    assert words >= MIN_ARTICLE_WORDS, f"{path}: {words} words in <article>"


def test_article_text_check_fails_on_an_empty_page(built_site):
    html = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    emptied = re.sub(r"(<article[^>]*>).*?(</article>)", r"\1<h1>About</h1>\2", html, count=1, flags=re.S)
    assert article_words(html) >= MIN_ARTICLE_WORDS > article_words(emptied)
    assert article_words("<html><body><p>No article at all, many words here.</p></body></html>") == 0
