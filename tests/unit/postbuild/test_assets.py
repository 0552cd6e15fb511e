"""explainer/postbuild/assets.py on fixture sites: stylesheets and scripts
joined with their URLs rewritten, Material's bundle joined only in the shape
it is known to have, what cannot be joined safely left alone, and unused CSS
purged (PurgeCSS). The real build is checked in tests/build/test_site_assets.py."""

from __future__ import annotations

import re

import pytest

from explainer.postbuild import assets
from explainer.postbuild.assets import AssetError, bundle_site

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
SCRIPT = re.compile(r'<script src="([^"]+)"')


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


def test_own_files_are_minified_material_files_copied(tmp_path):
    site = _fixture_site(tmp_path, first_js="/* explains a */\nvar a   =   1;\n// done\n")
    (site / "css" / "b.css").write_text("/* a comment */\np {\n  color: red;\n}\n", encoding="utf-8")
    _with_material(site, MATERIAL)
    made = bundle_site(site, purge=False)
    css = next(v for v in made.values() if v.endswith(".css"))
    body = re.sub(r"^/\* \S+ \*/\n", "", (site / css).read_text(encoding="utf-8"), flags=re.M)
    assert "p{color:red}" in body and "a comment" not in body, body
    js = made[("assets/javascripts/bundle.0123abcd.min.js", "js/a.js", "js/b.js")]
    body = re.sub(r"^/\* \S+ \*/\n", "", (site / js).read_text(encoding="utf-8"), flags=re.M)
    assert "var a=1;" in body and "explains" not in body and "done" not in body, body
    assert '(()=>{"use strict";var x=1;window.document$=x;})();' in body, body


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
    monkeypatch.setattr(assets, "PURGE_SCRIPT", broken)
    with pytest.raises(AssetError, match="cannot read the stylesheets"):
        bundle_site(site)
