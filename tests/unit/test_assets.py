"""scripts/bundle_hook.py: each page loads one joined stylesheet and one
joined extra script, with the same content in the same order, purged of CSS
rules no page uses (PurgeCSS), and the hook leaves alone what it cannot join
safely."""

from __future__ import annotations

import re

import pytest
from conftest import page_paths
from mkdocs.exceptions import PluginError

from explainer.postbuild import assets as bundle_hook
from explainer.postbuild.assets import bundle_site

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
SCRIPT = re.compile(r'<script src="([^"]+)"')


def _html(site, path):
    return (site / path.lstrip("/")) if path.endswith(".html") else site / path.lstrip("/") / "index.html"


def _asset(site, page, href):
    return site / href.lstrip("/") if href.startswith("/") else (page.parent / href).resolve()


def test_every_page_loads_one_stylesheet_and_one_script(built_site):
    for path in page_paths(built_site):
        text = _html(built_site, path).read_text(encoding="utf-8")
        sheets = STYLESHEET.findall(text)
        assert len(sheets) == 1 and re.search(r"assets/stylesheets/site\.[0-9a-f]{8}\.css$", sheets[0]), \
            f"{path}: {sheets}"
        scripts = SCRIPT.findall(text)
        assert len(scripts) == 1 and re.search(r"assets/javascripts/site\.[0-9a-f]{8}\.js$", scripts[0]), \
            f"{path}: {scripts}"


def test_joined_stylesheet_keeps_every_file_in_order(built_site):
    text = (built_site / "index.html").read_text(encoding="utf-8")
    joined = (built_site / STYLESHEET.findall(text)[0]).read_text(encoding="utf-8")
    parts = re.findall(r"^/\* (\S+) \*/$", joined, re.M)
    assert parts[0].startswith("assets/stylesheets/main.") and parts[1].startswith("assets/stylesheets/palette.")
    assert parts[2:] == ["stylesheets/extra.css", "stylesheets/linking.css", "stylesheets/print.css"], parts


def test_print_site_assets_load_on_the_print_page_only(built_site):
    for path in page_paths(built_site):
        page = _html(built_site, path)
        text = page.read_text(encoding="utf-8")
        joined = _asset(built_site, page, STYLESHEET.findall(text)[0]).read_text(encoding="utf-8")
        script = _asset(built_site, page, SCRIPT.findall(text)[0]).read_text(encoding="utf-8")
        on_print_page = path == "/print_page/"
        assert ("/* css/print-site.css */" in joined) == on_print_page, path
        assert ("/* js/print-site.js */" in script) == on_print_page, path
        assert "Page ' counter(page)" not in joined or on_print_page, f"{path}: print-site page footers"


def test_purged_stylesheet_keeps_what_pages_and_scripts_use(built_site):
    text = (built_site / "index.html").read_text(encoding="utf-8")
    joined = (built_site / STYLESHEET.findall(text)[0]).read_text(encoding="utf-8")
    main = next((built_site / "assets" / "stylesheets").glob("main.*.min.css")).read_text(encoding="utf-8")
    assert len(joined) < 0.8 * len(main), "nothing was purged"
    # Used in the pages' HTML, set by Material's script at run time (search
    # results, tooltips), the dark palette, and this site's own rules.
    for selector in (".md-typeset .footnote-ref", ".md-search-result__item", ".md-tooltip2--active",
                     "[data-md-color-scheme=slate]", ".cite-page", ".copy-link", ".md-nav__link--active"):
        assert selector in joined, f"purged although used: {selector}"
    # Features this site does not use.
    for selector in (".md-post", ".md-consent", ".md-tabs__link", ".md-banner", ".tabbed-set"):
        assert selector not in joined, f"kept although unused: {selector}"


def _fixture_site(tmp_path, first_js="var a = 1;\n"):
    site = tmp_path / "site"
    for folder in ("about", "css", "js", "img"):
        (site / folder).mkdir(parents=True)
    (site / "css" / "a.css").write_text("body{background:url(../img/x.svg)}\n", encoding="utf-8")
    (site / "css" / "b.css").write_text("p{color:red}\n", encoding="utf-8")
    (site / "js" / "a.js").write_text(first_js, encoding="utf-8")
    (site / "js" / "b.js").write_text("var b = 2;\n", encoding="utf-8")
    page = ('<link rel="stylesheet" href="../css/a.css">\n  <link rel="stylesheet" href="../css/b.css">\n'
            '<script src="../js/a.js"></script>\n<script src="../js/b.js"></script>\n')
    (site / "about" / "index.html").write_text(page, encoding="utf-8")
    (site / "index.html").write_text(page.replace("../", ""), encoding="utf-8")
    return site


def test_joining_rewrites_css_urls_for_the_new_location(tmp_path):
    site = _fixture_site(tmp_path)
    made = bundle_site(site, purge=False)
    css = next(v for k, v in made.items() if v.endswith(".css"))
    assert "url(../../img/x.svg)" in (site / css).read_text(encoding="utf-8")
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert STYLESHEET.findall(about) == [f"../{css}"]
    assert len(SCRIPT.findall(about)) == 1


MATERIAL = '"use strict";(()=>{var x=1;window.document$=x;})();\n//# sourceMappingURL=bundle.0123abcd.min.js.map\n'


def _with_material(site, text):
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "assets" / "javascripts" / "bundle.0123abcd.min.js").write_text(text, encoding="utf-8")
    index = site / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace(
        '<script src="js/a.js">', '<script src="assets/javascripts/bundle.0123abcd.min.js"></script>\n'
        '<script src="js/a.js">'), encoding="utf-8")


def test_material_bundle_joins_with_its_strict_mode_kept_inside(tmp_path):
    site = _fixture_site(tmp_path)
    _with_material(site, MATERIAL)
    made = bundle_site(site, purge=False)
    js = made[("assets/javascripts/bundle.0123abcd.min.js", "js/a.js", "js/b.js")]
    text = (site / js).read_text(encoding="utf-8")
    body = re.sub(r"^/\* \S+ \*/\n", "", text, flags=re.M)
    assert body.startswith('(()=>{"use strict";var x=1;window.document$=x;})();'), text
    assert "sourceMappingURL" not in text
    assert SCRIPT.findall((site / "index.html").read_text(encoding="utf-8")) == [js]


def test_material_bundle_of_another_shape_stays_separate(tmp_path):
    site = _fixture_site(tmp_path)
    _with_material(site, '"use strict";var top=1;(()=>{})();\n')
    bundle_site(site, purge=False)
    scripts = SCRIPT.findall((site / "index.html").read_text(encoding="utf-8"))
    assert scripts[0] == "assets/javascripts/bundle.0123abcd.min.js" and len(scripts) == 2, scripts


def test_strict_mode_scripts_are_left_alone(tmp_path):
    site = _fixture_site(tmp_path, first_js='"use strict";\nvar a = 1;\n')
    made = bundle_site(site, purge=False)
    assert not any(v.endswith(".js") for v in made.values())
    assert SCRIPT.findall((site / "index.html").read_text(encoding="utf-8")) == ["js/a.js", "js/b.js"]


def test_other_origins_and_attributes_end_a_run(tmp_path):
    site = _fixture_site(tmp_path)
    (site / "index.html").write_text(
        '<link rel="stylesheet" href="https://cdn.example/x.css">\n<link rel="stylesheet" href="css/a.css">\n'
        '<link rel="stylesheet" href="css/b.css" media="print">\n', encoding="utf-8")
    bundle_site(site, purge=False)
    assert STYLESHEET.findall((site / "index.html").read_text(encoding="utf-8")) == [
        "https://cdn.example/x.css", "css/a.css", "css/b.css"]


def test_purge_drops_unused_rules_renames_the_file_and_updates_pages(tmp_path):
    site = _fixture_site(tmp_path)
    (site / "css" / "b.css").write_text(".used{color:red}.unused{color:blue}.from-script{color:green}\n",
                                        encoding="utf-8")
    (site / "js" / "b.js").write_text('document.body.classList.add("from-script");\n', encoding="utf-8")
    index = site / "index.html"
    index.write_text(index.read_text(encoding="utf-8") + '<body><p class="used">x</p></body>\n', encoding="utf-8")
    made = bundle_site(site)
    css = next(v for v in made.values() if v.endswith(".css"))
    text = (site / css).read_text(encoding="utf-8")
    assert ".used" in text and ".from-script" in text and ".unused" not in text, text
    assert css.split(".")[-2] == __import__("hashlib").sha256(text.encode()).hexdigest()[:8]
    assert STYLESHEET.findall(index.read_text(encoding="utf-8")) == [css]
    assert STYLESHEET.findall((site / "about" / "index.html").read_text(encoding="utf-8")) == [f"../{css}"]
    assert len(list((site / "assets" / "stylesheets").glob("site.*.css"))) == 1, "the unpurged file is left over"


def test_purge_failure_stops_the_build_with_the_reason(tmp_path, monkeypatch):
    site = _fixture_site(tmp_path)
    broken = tmp_path / "broken.mjs"
    broken.write_text('throw new Error("cannot read the stylesheets");\n', encoding="utf-8")
    monkeypatch.setattr(bundle_hook, "PURGE_SCRIPT", broken)
    with pytest.raises(PluginError, match="cannot read the stylesheets"):
        bundle_site(site)
