"""MkDocs hooks: render citations, "In short" boxes and review dates from data.

- Footnote text comes from data/sources.yml: a page cites ``[^key]`` and the
  hook appends the full reference, so each source is written once.
- The "In short" box of a page comes from data/key_facts.yml; each point gets
  its permanent id (``#kf-...``) so a briefing can link to one fact.
- Under the box, the page's review date (front matter ``reviewed``) and the
  site-wide horizon (``extra.horizon``).
- Strips ``autocomplete`` from Material's checkbox toggles, which the HTML
  standard does not allow there.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import sitedata as sd  # noqa: E402

_STATE: dict = {}
H1_RE = re.compile(r"^# .*$", re.M)
CHECKBOX_AUTOCOMPLETE_RE = re.compile(r'(<input[^>]*type="checkbox"[^>]*?) autocomplete="off"')


def on_config(config, **kwargs):
    root = Path(config["config_file_path"]).resolve().parent
    data = root / "data"
    try:
        _STATE["sources"] = sd.load_sources(data / "sources.yml",
                                            mirrors=sd.load_mirror_domains(data / "mirror-domains.yml"))
        facts = sd.load_key_facts(data / "key_facts.yml")
    except sd.DataError as exc:
        raise PluginError(str(exc)) from exc
    # A malformed key fact fails the build with file and line, not a traceback.
    where = sd.rel(data / "key_facts.yml")
    for fact in facts:
        line = fact.get("__line__", 1)
        if not sd.KF_ID_RE.match(str(fact.get("id") or "")):
            raise PluginError(f"{where}:{line}: key fact id {fact.get('id')!r} is missing or not like kf-short-name")
        if not fact.get("page") or not fact.get("text"):
            raise PluginError(f"{where}:{line}: key fact {fact['id']} needs 'page' and 'text'")
        for key in sd.CITE_RE.findall(str(fact["text"])):
            if key not in _STATE["sources"]:
                raise PluginError(f"{where}:{line}: key fact {fact['id']}: unknown source key [^{key}]")
    by_page: dict[str, list[dict]] = {}
    for fact in facts:
        by_page.setdefault(str(fact["page"]), []).append(fact)
    _STATE["facts"] = by_page
    _STATE["horizon"] = config["extra"].get("horizon", "")
    return config


def in_short_box(facts: list[dict]) -> str:
    items = "\n".join(
        f'<li id="{html.escape(str(f["id"]))}" markdown="span">{str(f["text"]).strip()}</li>' for f in facts
    )
    return (
        '<div class="admonition abstract in-short" markdown>\n'
        '<p class="admonition-title">In short</p>\n'
        f'<ul markdown>\n{items}\n</ul>\n</div>\n'
    )


def review_line(reviewed: str, horizon: str) -> str:
    text = (f'Reviewed <time datetime="{reviewed}">{sd.human_date(reviewed)}</time>'
            if reviewed else "")
    if horizon:
        text += f'{" · " if text else ""}Sources checked to {html.escape(horizon)}'
    return f'<p class="page-reviewed">{text}</p>\n' if text else ""


def on_page_markdown(markdown, page, config, files, **kwargs):
    src = Path(page.file.abs_src_path) if page.file.abs_src_path else None
    sources = _STATE["sources"]
    # Unknown keys fail the build with the file and line.
    if src and src.exists():
        parsed = sd.read_page(src)
        # Malformed front matter would otherwise render as page text.
        if parsed.problems:
            raise PluginError(str(parsed.problems[0]))
        for key, line in sd.citations(parsed.body, parsed.body_line):
            if key not in sources:
                raise PluginError(f"{sd.rel(src)}:{line}: unknown source key [^{key}]")

    facts = _STATE["facts"].get(page.file.src_uri, [])
    furniture = ""
    if facts:
        furniture += in_short_box(facts) + "\n"
    furniture += review_line(str(page.meta.get("reviewed", "")), _STATE["horizon"])
    if furniture:
        match = H1_RE.search(markdown)
        cut = match.end() + 1 if match else 0
        markdown = markdown[:cut] + "\n" + furniture + "\n" + markdown[cut:]

    cited: list[str] = []
    for match in sd.CITE_RE.finditer(markdown):
        key = match.group(1)
        if key in sources and key not in cited:
            cited.append(key)
        elif key not in sources:
            raise PluginError(f"{page.file.src_uri}: unknown source key [^{key}] in a key fact")
    if cited:
        markdown += "\n\n" + "\n".join(f"[^{key}]: {sources[key].reference()}" for key in cited) + "\n"
    return markdown


def on_post_page(output, page, config, **kwargs):
    return CHECKBOX_AUTOCOMPLETE_RE.sub(r"\1", output)


def on_post_template(output_content, template_name, config, **kwargs):
    # Static templates such as 404.html get the same HTML fix as pages.
    return CHECKBOX_AUTOCOMPLETE_RE.sub(r"\1", output_content)
