"""HTML work on every built page, whichever engine wrote it.

- A "copy link" button next to each heading's permalink and on each key
  fact, carrying the absolute URL (Material's own clipboard handles the click);
  on each key fact also "Copy with source", the fact as a plain sentence with
  its sources and permanent link (from the box's ``data-cite``).
- Link targets for print: internal links get their absolute URL in
  ``data-print-url``, shown after the link by docs/stylesheets/print.css.
- Under "Cite this page", a link to the whole-site print page.
- The checkbox fix for the W3C Nu checker, and the whole-site print page made
  valid HTML (``fix_print_page``).
- robots.txt pointing at the sitemap.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

HEADERLINK_RE = re.compile(r'(<a class="headerlink" href="#([^"]+)" title="[^"]*">[^<]*</a>)')
KEY_FACT_RE = re.compile(r'(<li (?:data-cite="([^"]*)" )?id="(kf-[^"]+)"(?: data-cite="([^"]*)")?>)(.*?)(</li>)', re.S)
BARE_URL_RE = re.compile(r'<a href="(https?://[^"]+)">\1</a>')
ARTICLE_RE = re.compile(r"(<article\b.*?</article>)", re.S)
LINK_RE = re.compile(r'<a (?![^>]*\bclass="(?:headerlink|footnote-ref|footnote-backref)")([^>]*?)href="([^"#][^"]*)"')


# Material's link-variant icon (Apache 2.0, Pictogrammers), hidden from assistive technology.
LINK_ICON = ('<svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M10.59 '
             '13.41c.41.39.41 1.03 0 1.42-.39.39-1.03.39-1.42 0a5.003 5.003 0 0 1 0-7.07l3.54-3.54a5.003 5.00'
             '3 0 0 1 7.07 0 5.003 5.003 0 0 1 0 7.07l-1.49 1.49c.01-.82-.12-1.64-.4-2.42l.47-.48a2.98 2.98 0'
             ' 0 0 0-4.24 2.98 2.98 0 0 0-4.24 0l-3.53 3.53a2.98 2.98 0 0 0 0 4.24m2.82-4.24c.39-.39 1.03-.39'
             ' 1.42 0a5.003 5.003 0 0 1 0 7.07l-3.54 3.54a5.003 5.003 0 0 1-7.07 0 5.003 5.003 0 0 1 0-7.07l1'
             '.49-1.49c-.01.82.12 1.64.4 2.43l-.47.47a2.98 2.98 0 0 0 0 4.24 2.98 2.98 0 0 0 4.24 0l3.53-3.53'
             'a2.98 2.98 0 0 0 0-4.24.973.973 0 0 1 0-1.42"/></svg>')


# --------------------------------------------------------------------------
# Per page
# --------------------------------------------------------------------------
def copy_button(url: str, label: str) -> str:
    return (f'<button type="button" class="copy-link" data-clipboard-text="{html.escape(url)}" '
            f'title="{html.escape(label)}" aria-label="{html.escape(label)}">{LINK_ICON}</button>')


def copy_fact_button(sentence: str, url: str) -> str:
    """"Copy with source": the key fact as a plain sentence with its sources
    (``data-cite``, written by explainer/render/citetext.py) and its permanent link."""
    text = f"{sentence} {url}"
    return (f'<button type="button" class="copy-fact" data-clipboard-text="{html.escape(text)}" '
            'aria-label="Copy this point with its source and link">Copy with source</button>')


def _key_fact(match: re.Match, page_url: str) -> str:
    cite = match.group(2) or match.group(4)
    fid = match.group(3)
    url = f"{page_url}#{fid}"
    buttons = copy_button(url, "Copy link to this point")
    if cite:
        buttons += " " + copy_fact_button(html.unescape(cite), url)
    return f'<li id="{fid}">' + match.group(5) + " " + buttons + match.group(6)


def add_copy_buttons(article: str, page_url: str) -> str:
    article = HEADERLINK_RE.sub(
        lambda m: m.group(1) + copy_button(f"{page_url}#{m.group(2)}", "Copy link to this section"), article)
    return KEY_FACT_RE.sub(lambda m: _key_fact(m, page_url), article)


def add_print_urls(article: str, page_url: str) -> str:
    def repl(match: re.Match) -> str:
        attrs, href = match.group(1), match.group(2)
        if href.startswith(("http://", "https://", "mailto:", "javascript:")) or "data-print-url" in attrs:
            return match.group(0)
        return f'<a {attrs}href="{href}" data-print-url="{html.escape(urljoin(page_url, html.unescape(href)))}"'
    # A link whose text is its own address is not repeated in print.
    article = BARE_URL_RE.sub(lambda m: f'<a class="bare-url" href="{m.group(1)}">{m.group(1)}</a>', article)
    return LINK_RE.sub(repl, article)


def print_site_link(output: str, target: str | None) -> str:
    """Point from "Cite this page" to the whole-site print page (``target``,
    relative to the page). Added after the build, because the print page only
    exists once the print-site plugin has run (the tests check it is there)."""
    start = output.find('<section class="cite-page"')
    end = output.find("</section>", start)
    if not target or start == -1 or end == -1:
        return output
    link = ('<p class="print-site-link">To print or save the whole explainer as one PDF, open '
            f'<a href="{html.escape(target)}">all pages on one page</a> and use your browser\'s print command.</p>\n')
    return output[:end] + link + output[end:]


# --------------------------------------------------------------------------
# After the build
# --------------------------------------------------------------------------
def robots_txt(site_url: str) -> str:
    base = site_url if site_url.endswith("/") else site_url + "/"
    return ("# Every page may be indexed; the sitemap lists them.\n"
            "User-agent: *\nAllow: /\n\n"
            f"Sitemap: {urljoin(base, 'sitemap.xml')}\n")


PRINT_SECTION_RE = re.compile(
    r"""<section class=["']print-page(?: md-section)?["'] id=["']([^"']+)["'] heading-number=["']([^"']*)["']>""")
ID_RE = re.compile(r'\bid="([^"]+)"')
STYLE_RE = re.compile(r"<style>.*?</style>", re.S)


def fix_print_page(text: str) -> str:
    """Make the print-site page valid HTML (W3C Nu checker):
    - ids the plugin did not prefix (footnote markers from the "In short"
      boxes) are prefixed with their section's id, with their links, so
      that no id repeats;
    - its non-standard ``heading-number`` attribute becomes ``data-heading-number``;
    - its heading-number <style> moves from <article> into <head>;
    - the table-of-contents label loses its ``for`` (the print page has no
      toggle it could point at);
    - the checkbox fix (fix_checkboxes);
    - links to the home page, which the plugin turns into ``#.`` (an
      anchor that does not exist; pa11y's HTML_CodeSniffer found them on
      the source list), point at the home page's section, ``#index``."""
    text = fix_checkboxes(text).replace('href="#."', 'href="#index"')
    starts = list(PRINT_SECTION_RE.finditer(text))
    pieces, last = [], 0
    for i, match in enumerate(starts):
        # The last page ends with the print-site article, not the document.
        end = starts[i + 1].start() if i + 1 < len(starts) else text.find("</article>", match.end())
        end = len(text) if end == -1 else end
        section, chunk = match.group(1), text[match.end():end]
        renamed = {ident for ident in ID_RE.findall(chunk) if not ident.startswith(section + "-")}
        if renamed:
            chunk = ID_RE.sub(lambda m: f'id="{section}-{m.group(1)}"' if m.group(1) in renamed else m.group(0), chunk)
            chunk = re.sub(r'href="#([^"]+)"',
                           lambda m: f'href="#{section}-{m.group(1)}"' if m.group(1) in renamed else m.group(0), chunk)
        pieces += [text[last:match.start()],
                   match.group(0).replace(" heading-number=", " data-heading-number=").replace("'", '"'), chunk]
        last = end
    text = "".join(pieces) + text[last:] if starts else text
    body = text.find("<body")
    styles = STYLE_RE.findall(text[body:]) if body != -1 else []
    if styles:
        text = text[:body] + STYLE_RE.sub("", text[body:])
        text = text.replace("</head>", "\n".join(styles) + "\n</head>", 1)
    return text.replace('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">')


CHECKBOX_AUTOCOMPLETE_RE = re.compile(r'(<input[^>]*type="checkbox"[^>]*?) autocomplete="off"')


def fix_checkboxes(text: str) -> str:
    """Material's checkbox toggles carry ``autocomplete``, which the HTML
    standard does not allow on checkboxes (W3C Nu checker)."""
    return CHECKBOX_AUTOCOMPLETE_RE.sub(r"\1", text)


def rewrite_page(text: str, page_url: str, print_page: str | None) -> str:
    """Every built page: copy-link buttons, print URLs and footnote-free
    article furniture inside <article>; the print-site link under "Cite this
    page"; the checkbox fix."""
    def fix(match: re.Match) -> str:
        return add_print_urls(add_copy_buttons(match.group(1), page_url), page_url)
    return fix_checkboxes(print_site_link(ARTICLE_RE.sub(fix, text, count=1), print_page))
