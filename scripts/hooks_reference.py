"""MkDocs hook: reference pages and open data, rendered from data/ at build time.

- A page whose Markdown holds a marker line ``<!-- reference:NAME -->`` gets
  the listing NAME rendered in its place (sources, timeline, glossary,
  key-facts, claims, downloads); see scripts/reference.py. The marker is
  replaced before scripts/hooks.py appends the footnote text, so citations in
  generated listings work like citations in prose.
- The page carrying the ``claims`` listing gets one schema.org ClaimReview
  JSON-LD block per claim in its <head>.
- The open-data downloads (JSON, CSV, JSON Schemas, CSV on the Web metadata)
  are added to the build as generated files under data/, so links to them
  are checked like any other link.
- Bad data (an unknown anchor, a malformed date, a verdict off the scale)
  stops the build with ``path:line: message``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import reference as ref  # noqa: E402
from scripts import sitedata as sd  # noqa: E402

_STATE: dict = {}


def on_config(config, **kwargs):
    root = Path(config["config_file_path"]).resolve().parent
    values = {
        "nav": config["nav"] or [],
        "extra": dict(config["extra"]),
        "site_name": config["site_name"],
        "use_directory_urls": config["use_directory_urls"],
    }
    try:
        data = ref.load(root, docs=Path(config["docs_dir"]), config=Path(config["config_file_path"]),
                        config_values=values)
    except sd.DataError as exc:
        raise PluginError(str(exc)) from exc
    if data.problems:
        raise PluginError("\n".join(str(p) for p in data.problems))
    _STATE["data"] = data
    _STATE["build_date"] = ref.build_date(root)
    return config


# Before mkdocs-htmlproofer-plugin (priority 0) records the files, so that
# links to the downloads are checked like links to pages.
@event_priority(100)
def on_files(files, config, **kwargs):
    data = _STATE["data"]
    site_url = config["site_url"] or ""
    for path, text in ref.downloads(data, _STATE["build_date"], site_url).items():
        files.append(File.generated(config, path, content=text))
    return files


# Before scripts/hooks.py (priority 0), which appends footnote text for every
# [^key] in the Markdown, including those in the rendered listings.
@event_priority(50)
def on_page_markdown(markdown, page, config, files, **kwargs):
    if not ref.MARKER_RE.search(markdown):
        return markdown
    return ref.expand(_STATE["data"], markdown, page.file.src_uri, _STATE["build_date"])


def on_post_page(output, page, config, **kwargs):
    data = _STATE["data"]
    if page.file.src_uri != data.marker_page("claims"):
        return output
    reviewed = str(page.meta.get("reviewed") or _STATE["build_date"])
    reviews = ref.claim_reviews(data, page.file.src_uri, config["site_url"] or "", config["site_name"], reviewed)
    scripts = ref.json_ld_scripts(reviews)
    head_end = output.find("</head>")
    if head_end == -1:
        raise PluginError(f"{page.file.src_uri}: no </head> to hold the ClaimReview JSON-LD")
    return output[:head_end] + scripts + "\n" + output[head_end:]
