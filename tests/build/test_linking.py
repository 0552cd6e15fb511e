"""Made to be linked from briefings (issue 5), in the built files: copy-link
buttons, "Cite this page", link previews, sitemap, robots.txt, labelled
footnote back-links. Each check fails on a build without the feature.
The published-URL register: tests/build/test_published.py; the same
features in Chromium (hover, keyboard, print, 404 search):
tests/browser/test_linking_in_browser.py."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import background, built, content_pages, copy_project, doc_for, output

from explainer.checks import published as url_manifest
from explainer.data import datetext, pagefiles

SKIP_URLS = ("404.html", url_manifest.PRINT_PAGE)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
built_pages = content_pages


def meta(html: str, attr: str, name: str) -> str | None:
    match = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    return None if match is None else sd_unescape(match.group(1))


def sd_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def site_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_key_facts_have_copy_link_buttons(built_site):
    manifest_ids = url_manifest.collect(built_site)[0][""]
    facts = [i for i in manifest_ids if i.startswith("kf-")]
    html = (built_site / "index.html").read_text(encoding="utf-8")
    for fact in facts:
        assert re.search(rf'<li id="{fact}">.*?data-clipboard-text="[^"]*/#{fact}".*?</li>', html, re.S), fact


# --------------------------------------------------------------------------
# Cite this page
# --------------------------------------------------------------------------
def citation_problems(site: Path, base: str) -> list[str]:
    problems = []
    for url, path in built_pages(site).items():
        html = path.read_text(encoding="utf-8")
        doc = pagefiles.read_page(doc_for(url))
        box = re.search(r'<section class="cite-page".*?</section>', html, re.S)
        if not box:
            problems.append(f"/{url}: no 'Cite this page'")
            continue
        # citeproc-js sets typographic apostrophes
        text = re.sub(r"\s+", " ", sd_unescape(re.sub(r"<[^>]+>", "", box.group(0)))).replace("’", "'")
        for part in (str(doc.meta["title"]), base + url, f"Reviewed {datetext.human_date(str(doc.meta['reviewed']))}",
                     "Accessed [the date you read it]"):
            if part not in text:
                problems.append(f"/{url}: citation lacks {part!r}: {text}")
    return problems


def test_every_page_has_a_citation_with_title_url_and_review_date(built_site, site_port):
    problems = citation_problems(built_site, site_url(site_port))
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------
# Link previews
# --------------------------------------------------------------------------
def preview_problems(site: Path, base: str) -> list[str]:
    from PIL import Image

    problems = []
    for url, path in built_pages(site).items():
        html = path.read_text(encoding="utf-8")
        doc = pagefiles.read_page(doc_for(url))
        title, description = str(doc.meta["title"]), str(doc.meta["description"])
        expected = {("name", "description"): description, ("property", "og:title"): title,
                    ("property", "og:description"): description, ("property", "og:url"): base + url,
                    ("name", "twitter:card"): "summary_large_image", ("name", "twitter:title"): title,
                    ("name", "twitter:description"): description}
        for (attr, name), value in expected.items():
            if meta(html, attr, name) != value:
                problems.append(f"/{url}: {name} is {meta(html, attr, name)!r}, expected {value!r}")
        image = meta(html, "property", "og:image")
        if not (image and image.startswith(base) and image == meta(html, "name", "twitter:image")
                and meta(html, "property", "og:image:alt")):
            problems.append(f"/{url}: og:image/twitter:image missing, not absolute or without alt: {image!r}")
            continue
        png = site / image[len(base):]
        if not png.exists():
            problems.append(f"/{url}: preview image {png} was not drawn")
            continue
        with Image.open(png) as img:
            if img.size != (1200, 630) or img.format != "PNG":
                problems.append(f"/{url}: preview image is {img.format} {img.size}")
    return problems


def test_every_page_has_description_open_graph_and_twitter_tags(built_site, site_port):
    problems = preview_problems(built_site, site_url(site_port))
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------
# Print and PDF
# --------------------------------------------------------------------------
# --------------------------------------------------------------------------
# 404, sitemap, robots.txt
# --------------------------------------------------------------------------
def test_sitemap_lists_every_page(built_site, site_port):
    tree = ET.parse(built_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {el.text for el in tree.findall(".//s:loc", ns)}
    expected = {site_url(site_port) + url for url in built_pages(built_site)}
    assert expected <= locs, sorted(expected - locs)


def test_robots_txt_points_to_the_sitemap(built_site, site_port):
    robots = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert re.search(r"^User-agent: \*$", robots, re.M)
    assert f"Sitemap: {site_url(site_port)}sitemap.xml" in robots.splitlines()
    assert not re.search(r"^Disallow: /\s*$", robots, re.M)


def _stripped_job(folder: Path):
    """Not strict: without the hook the downloads the pages link to are not generated."""
    import subprocess
    import sys

    project = copy_project(folder / "stripped")
    replace_in(project / "mkdocs.yml", "hooks:\n  - explainer/engine/hooks.py\n", "")
    (project / "overrides" / "main.html").unlink()
    (project / "overrides" / "404.html").unlink()
    site = folder / "stripped-site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--no-strict", "-d", str(site)], cwd=project,
                            capture_output=True, text=True)
    return site, result


background("linking-stripped", _stripped_job)


def test_checks_fail_on_a_build_without_the_linking_features():
    """The same checks on a build with this feature set removed (the hook
    module, which feeds the templates and runs the post-build pass, and the
    template overrides): each one reports problems."""
    site, result = built("linking-stripped")
    assert result.returncode == 0, output(result)[-3000:]
    base = "http://127.0.0.1:8000/"
    assert citation_problems(site, base)
    assert any("og:image" in p for p in preview_problems(site, base))
    assert not (site / "robots.txt").exists()
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'class="headerlink" href="#method" data-clipboard-text' not in about
    assert "Page not found" not in (site / "404.html").read_text(encoding="utf-8")


def test_footnote_backlinks_are_labelled_not_titled(built_site):
    # A title would make Material mount a tooltip per back-link at load time
    # (explainer/markdown.py, BacklinkLabelTreeprocessor); the name stays the same.
    text = (built_site / "timeline" / "index.html").read_text(encoding="utf-8")
    backrefs = re.findall(r'<a [^>]*\bclass="footnote-backref"[^>]*>', text)
    assert len(backrefs) > 50, len(backrefs)
    for tag in backrefs:
        assert 'aria-label="Jump back to footnote ' in tag and " title=" not in tag, tag
