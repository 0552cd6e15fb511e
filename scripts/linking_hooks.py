"""MkDocs hooks that make the site fit to be linked from briefings.

- Redirects from data/redirects.yml: moved pages become static redirect pages
  (handed to the mkdocs-redirects plugin); moved anchors are sent on by a tiny
  script (docs/javascripts/linking.js) reading a map the template embeds.
- A "copy link" button next to each heading's permalink and on each key
  fact, carrying the absolute URL (Material's own clipboard handles the click).
- Link targets for print: internal links get their absolute URL in
  ``data-print-url``, shown after the link by docs/stylesheets/print.css.
- Template context for overrides/main.html: preview image URL, review date
  in words (Open Graph tags and "Cite this page").
- Under "Cite this page", a link to the whole-site print page.
- After the build: a preview image per page (scripts/preview_images.py),
  robots.txt pointing at the sitemap, and HTML fixes on the whole-site print
  page, which the print-site plugin writes after the page events have run
  (see fix_print_page).
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import preview_images  # noqa: E402
from scripts import sitedata as sd  # noqa: E402
from scripts.hooks import CHECKBOX_AUTOCOMPLETE_RE  # noqa: E402  (one home for the Nu fix)

_STATE: dict = {}

PREVIEW_DIR = "assets/previews"
HEADERLINK_RE = re.compile(r'(<a class="headerlink" href="#([^"]+)" title="[^"]*">[^<]*</a>)')
KEY_FACT_RE = re.compile(r'(<li id="(kf-[^"]+)">)(.*?)(</li>)', re.S)
BARE_URL_RE = re.compile(r'<a href="(https?://[^"]+)">\1</a>')
ARTICLE_RE = re.compile(r"(<article\b.*?</article>)", re.S)
LINK_RE = re.compile(r'<a (?![^>]*\bclass="(?:headerlink|footnote-ref|footnote-backref)")([^>]*?)href="([^"#][^"]*)"')


def _icon(name: str) -> str:
    """An icon shipped with Material, hidden from assistive technology."""
    import material

    svg = (Path(material.__file__).parent / "templates" / ".icons" / "material" / f"{name}.svg").read_text()
    return svg.replace("<svg ", '<svg aria-hidden="true" ', 1).strip()


LINK_ICON = _icon("link-variant")


# --------------------------------------------------------------------------
# Redirect register
# --------------------------------------------------------------------------
def load_redirects(path: Path) -> dict:
    """Read data/redirects.yml: {'pages': {old: new}, 'anchors': {old#id: new#id}}.
    A malformed entry raises DataError naming file and line."""
    where = sd.rel(path)
    if not path.exists():
        return {"pages": {}, "anchors": {}}
    data = sd.load_yaml(path) or {}
    if not isinstance(data, dict):
        raise sd.DataError(sd.Problem(where, 1, "expected a mapping with 'pages' and 'anchors'"))
    out: dict = {"pages": {}, "anchors": {}}
    for section in ("pages", "anchors"):
        block = data.get(section) or {}
        if not isinstance(block, dict):
            line = data.get("__lines__", {}).get(section, 1)
            raise sd.DataError(sd.Problem(where, line, f"'{section}' must be a mapping of old -> new"))
        lines = block.get("__lines__", {})
        for old, new in sd.clean(block).items():
            line = lines.get(old, block.get("__line__", 1))
            old, new = str(old), str(new or "")
            old_page, _, old_id = old.partition("#")
            new_page, _, new_id = new.partition("#")
            if not old_page.endswith(".md") or not new_page.endswith(".md"):
                raise sd.DataError(sd.Problem(where, line, f"{section}: {old!r} -> {new!r}: "
                                              "both sides must be page paths under docs/ ending in .md"))
            if section == "anchors" and not (old_id and new_id):
                raise sd.DataError(sd.Problem(where, line, f"anchors: {old!r} -> {new!r}: "
                                              "both sides need '#id' (use 'pages:' for a whole page)"))
            if section == "pages" and old_id:
                raise sd.DataError(sd.Problem(where, line, f"pages: {old!r} has a '#': old pages are whole pages"))
            out[section][old] = {"to": new, "line": line}
    return out


def resolve_page(src: str, pages: dict) -> str:
    """Follow page redirects (a chain is allowed) to the page that is built."""
    seen = set()
    while src in pages and src not in seen:
        seen.add(src)
        src = pages[src]["to"].partition("#")[0]
    return src


def on_config(config, **kwargs):
    root = Path(config["config_file_path"]).resolve().parent
    path = root / "data" / "redirects.yml"
    try:
        redirects = load_redirects(path)
    except sd.DataError as exc:
        raise PluginError(str(exc)) from exc
    _STATE["redirects"] = redirects
    _STATE["redirects_path"] = sd.rel(path)
    _STATE["previews"] = []
    _STATE["horizon"] = config["extra"].get("horizon", "")
    plugin = config["plugins"].get("redirects")
    if redirects["pages"] and plugin is None:
        raise PluginError(f"{sd.rel(path)}: page redirects need the 'redirects' plugin in mkdocs.yml")
    if plugin is not None:
        plugin.config["redirect_maps"].update({old: v["to"] for old, v in redirects["pages"].items()})
    # Moved anchors, grouped by the page a reader lands on with the old id.
    moves: dict[str, dict[str, str]] = {}
    for old, entry in redirects["anchors"].items():
        old_page, _, old_id = old.partition("#")
        landing = resolve_page(old_page, redirects["pages"])
        moves.setdefault(landing, {})[old_id] = entry["to"]
    _STATE["anchor_moves"] = moves
    return config


def on_files(files, config, **kwargs):
    redirects = _STATE["redirects"]
    where = _STATE["redirects_path"]
    known = {f.src_uri for f in files.documentation_pages()}
    for section in ("pages", "anchors"):
        for old, entry in redirects[section].items():
            target = resolve_page(entry["to"].partition("#")[0], redirects["pages"])
            if target not in known:
                raise PluginError(f"{where}:{entry['line']}: {old} -> {entry['to']}: no such page in docs/")
            if section == "pages" and old in known:
                raise PluginError(f"{where}:{entry['line']}: {old} still exists; "
                                  "a redirect would overwrite it (delete the page or the redirect)")
    _STATE["files"] = files
    return files


# --------------------------------------------------------------------------
# Per page
# --------------------------------------------------------------------------
def slug(url: str) -> str:
    """'' -> 'index', 'focus-group/' -> 'focus-group', 'a/b/' -> 'a-b'."""
    text = url.strip("/").replace("/", "-").removesuffix(".html")
    return text or "index"


def site_base(config) -> str:
    base = config.get("site_url") or "/"
    return base if base.endswith("/") else base + "/"


def on_page_context(context, page, config, nav, **kwargs):
    files = _STATE["files"]
    moves = {}
    for old_id, target in _STATE["anchor_moves"].get(page.file.src_uri, {}).items():
        target_page, _, target_id = target.partition("#")
        target_file = files.get_file_from_path(resolve_page(target_page, _STATE["redirects"]["pages"]))
        moves[old_id] = get_relative_url(target_file.url, page.url) + "#" + target_id
    reviewed = str(page.meta.get("reviewed", "") or "")
    image = f"{PREVIEW_DIR}/{slug(page.url)}.png"
    description = str(page.meta.get("description") or config.get("site_description") or "")
    title = str(page.meta.get("title") or page.title or config["site_name"])
    _STATE["previews"].append({
        "path": image, "title": title, "description": description,
        "reviewed": sd.human_date(reviewed) if reviewed else "", "horizon": _STATE["horizon"],
    })
    context["linking"] = {
        "anchor_moves": json.dumps(moves, sort_keys=True) if moves else "",
        "preview_url": urljoin(site_base(config), image),
        "preview_alt": f"{title}: {description}" if description else title,
        "reviewed": reviewed,
        "reviewed_human": sd.human_date(reviewed) if reviewed else "",
        "permanent_url": page.canonical_url or urljoin(site_base(config), page.url),
    }
    return context


def copy_button(url: str, label: str) -> str:
    return (f'<button type="button" class="copy-link" data-clipboard-text="{html.escape(url)}" '
            f'title="{html.escape(label)}" aria-label="{html.escape(label)}">{LINK_ICON}</button>')


def add_copy_buttons(article: str, page_url: str) -> str:
    article = HEADERLINK_RE.sub(
        lambda m: m.group(1) + copy_button(f"{page_url}#{m.group(2)}", "Copy link to this section"), article)
    return KEY_FACT_RE.sub(
        lambda m: m.group(1) + m.group(3) + " " + copy_button(f"{page_url}#{m.group(2)}",
                                                              "Copy link to this point") + m.group(4),
        article)


def add_print_urls(article: str, page_url: str) -> str:
    def repl(match: re.Match) -> str:
        attrs, href = match.group(1), match.group(2)
        if href.startswith(("http://", "https://", "mailto:", "javascript:")) or "data-print-url" in attrs:
            return match.group(0)
        return f'<a {attrs}href="{href}" data-print-url="{html.escape(urljoin(page_url, html.unescape(href)))}"'
    # A link whose text is its own address is not repeated in print.
    article = BARE_URL_RE.sub(lambda m: f'<a class="bare-url" href="{m.group(1)}">{m.group(1)}</a>', article)
    return LINK_RE.sub(repl, article)


def print_site_link(output: str, page) -> str:
    """Point from "Cite this page" to the whole-site print page. Added here,
    after htmlproofer has checked the page, because the print page only
    exists once the print-site plugin has run at the end of the build (the
    tests check that it is there)."""
    target = getattr(page, "url_to_print_page", None)
    start = output.find('<section class="cite-page"')
    end = output.find("</section>", start)
    if not target or start == -1 or end == -1:
        return output
    link = ('<p class="print-site-link">To print or save the whole explainer as one PDF, open '
            f'<a href="{html.escape(target)}">all pages on one page</a> and use your browser\'s print command.</p>\n')
    return output[:end] + link + output[end:]


BACKREF_TITLE_RE = re.compile(r'(<a class="footnote-backref" href="[^"]*") title="')


def backref_labels(article: str) -> str:
    """Footnote back-links ("↩") name their target in an aria-label instead
    of a title: with content.tooltips Material mounts a tooltip for every
    titled element when the page loads, and the timeline alone has over a
    hundred back-links, each adding start-up work on a phone. The accessible
    name is unchanged."""
    return BACKREF_TITLE_RE.sub(r'\1 aria-label="', article)


def on_post_page(output, page, config, **kwargs):
    page_url = page.canonical_url or urljoin(site_base(config), page.url)

    def fix(match: re.Match) -> str:
        return backref_labels(add_print_urls(add_copy_buttons(match.group(1), page_url), page_url))
    return print_site_link(ARTICLE_RE.sub(fix, output, count=1), page)


# --------------------------------------------------------------------------
# After the build
# --------------------------------------------------------------------------
def robots_txt(config) -> str:
    return ("# Every page may be indexed; the sitemap lists them.\n"
            "User-agent: *\nAllow: /\n\n"
            f"Sitemap: {urljoin(site_base(config), 'sitemap.xml')}\n")


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
    - the checkbox fix of scripts/hooks.py."""
    text = CHECKBOX_AUTOCOMPLETE_RE.sub(r"\1", text)
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


def on_post_build(config, **kwargs):
    site = Path(config["site_dir"])
    (site / "robots.txt").write_text(robots_txt(config), encoding="utf-8")
    for item in _STATE["previews"]:
        out = site / item["path"]
        out.parent.mkdir(parents=True, exist_ok=True)
        preview_images.render(item["title"], item["description"], out, site_name=config["site_name"],
                              reviewed=item["reviewed"], horizon=item["horizon"])
    plugin = config["plugins"].get("print-site")
    if plugin is not None and plugin.config.get("enabled"):
        name = plugin.config.get("print_page_basename", "print_page")
        for candidate in (site / name / "index.html", site / f"{name}.html"):
            if candidate.exists():
                text = candidate.read_text(encoding="utf-8")
                candidate.write_text(fix_print_page(text), encoding="utf-8")
