"""HTML work on every built page, whichever engine wrote it.

- One link affordance per heading: the permalink, which also copies the
  absolute URL (Material's own clipboard handles the click, through
  ``data-clipboard-text``).
- One compact control per key fact (a native <details>, no script): its
  summary names the fact's state in a word ("Revised", "Date passed"), and
  it opens to "Copy link", "Copy with source" (the fact as a plain sentence
  with its sources and permanent link, from the box's ``data-cite``), the
  revision or passed-date note in full, and the page's changes.
- Elsewhere (the timeline) revision and passed-date notes become one-word
  labels that open to the note in full.
- Footnote markers directly next to each other get ``fnref-next``, for the
  separator between them (a CSS sibling selector cannot see the words that
  may stand between two markers).
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


# --------------------------------------------------------------------------
# Per page
# --------------------------------------------------------------------------
# Three dots (drawn here), hidden from assistive technology: the key fact's actions.
DOTS_ICON = ('<svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="5" cy="12" '
             'r="2"/><circle cx="12" cy="12" r="2"/><circle cx="19" cy="12" r="2"/></svg>')
# A "Revised ..." or "date passed" link that the Markdown wrote beside a key fact or event
# (explainer/render/change_log.py revised_note, explainer/render/dates.py fact_mark).
STATE_LINK_RE = re.compile(r'\s?<a class="(revised|date-passed)\b[^"]*"[^>]*>.*?</a>', re.S)
PASSED_STRONG_RE = re.compile(r'<strong class="state-passed">(.*?)</strong>', re.S)
SHORT_STATE = {"revised": "Revised", "date-passed": "Date passed"}
# Footnote markers that stand directly next to each other (no text between).
ADJACENT_FNREF_RE = re.compile(r'</sup><sup id="fnref')


def copy_fact_button(sentence: str, url: str) -> str:
    """"Copy with source": the key fact as a plain sentence with its sources
    (``data-cite``, written by explainer/render/citetext.py) and its permanent link."""
    text = f"{sentence} {url}"
    return (f'<button type="button" class="copy-fact" data-clipboard-text="{html.escape(text)}">'
            'Copy with source</button>')


def fact_actions(fid: str, url: str, cite: str | None, states: list[str], history: bool) -> str:
    """The key fact's one control: a native disclosure (no script opens it)
    whose summary shows the fact's state in one word ("Revised", "Date
    passed"), if it has one, and whose content holds its actions: copy
    link, copy with source, the revision or passed-date note in full, and
    the page's change history."""
    kinds = [STATE_LINK_RE.match(s).group(1) for s in states]
    short = " · ".join(dict.fromkeys(SHORT_STATE[k] for k in kinds))
    visible = f'<span class="fact-state">{short}</span>' if short else ""
    # Classes rather than :has() in the CSS: no extra style invalidation.
    marks = (" fact-summary--state" if short else "") + (" fact-summary--passed" if "date-passed" in kinds else "")
    summary = f'<summary class="{marks.strip()}">' if marks else "<summary>"
    hidden = ", actions for this point" if short else "Actions for this point"
    menu = [f'<button type="button" class="copy-link" data-clipboard-text="{html.escape(url)}">Copy link</button>']
    if cite:
        menu.append(copy_fact_button(html.unescape(cite), url))
    menu += [s.strip() for s in states]
    if history and "revised" not in kinds:
        menu.append('<a class="fact-history" href="#page-changes-title">Changes to this page</a>')
    return (f'<details class="fact-actions">{summary}{DOTS_ICON}{visible}'
            f'<span class="visually-hidden">{hidden}</span></summary>'
            f'<span class="fact-menu" role="group" aria-label="Actions for this point">{"".join(menu)}</span>'
            '</details>')


def _key_fact(match: re.Match, page_url: str, history: bool) -> str:
    cite = match.group(2) or match.group(4)
    fid = match.group(3)
    url = f"{page_url}#{fid}"
    body = match.group(5).rstrip()
    states = [m.group(0) for m in STATE_LINK_RE.finditer(body)]
    body = STATE_LINK_RE.sub("", body)
    return f'<li id="{fid}">' + body + " " + fact_actions(fid, url, cite, states, history) + match.group(6)


def state_label(note: str, kind: str) -> str:
    """A revision or passed-date note outside the key facts (the timeline's
    events): one word, which opens to the note in full."""
    return (f' <details class="state-label state-label--{kind}"><summary>{SHORT_STATE[kind]}</summary> '
            f'{note.strip()}</details>')


def passed_label(match: re.Match) -> str:
    return ('<details class="state-label state-label--date-passed"><summary>Date passed</summary> '
            f'{match.group(0)}</details>')


def add_copy_buttons(article: str, page_url: str) -> str:
    """One link affordance per heading: the permalink, which also copies
    its absolute URL (Material's clipboard, through data-clipboard-text);
    one control per key fact (fact_actions); short state labels elsewhere."""
    article = HEADERLINK_RE.sub(
        lambda m: re.sub(r' title="[^"]*"', f' data-clipboard-text="{html.escape(page_url)}#{m.group(2)}" '
                         'title="Link to this section (a click also copies it)" aria-label="Link to this section"',
                         m.group(1), count=1), article)
    history = 'id="page-changes-title"' in article
    article = KEY_FACT_RE.sub(lambda m: _key_fact(m, page_url, history), article)
    article = re.sub(r'(<li id="kf-.*?</li>)|' + STATE_LINK_RE.pattern,
                     lambda m: m.group(0) if m.group(1) else state_label(m.group(0), m.group(2)), article, flags=re.S)
    article = PASSED_STRONG_RE.sub(passed_label, article)
    return ADJACENT_FNREF_RE.sub('</sup><sup class="fnref-next" id="fnref', article)


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
