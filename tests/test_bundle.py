"""scripts/bundle_hook.py: each page loads one joined stylesheet and one
joined extra script, with the same content in the same order, and the hook
leaves alone what it cannot join safely."""

from __future__ import annotations

import re

from conftest import page_paths
from scripts.bundle_hook import bundle_site

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
SCRIPT = re.compile(r'<script src="([^"]+)"')


def _html(site, path):
    return (site / path.lstrip("/")) if path.endswith(".html") else site / path.lstrip("/") / "index.html"


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
    assert parts[:2] == [p for p in parts if p.startswith("assets/stylesheets/")][:2], parts
    assert parts[0].startswith("assets/stylesheets/main.") and "stylesheets/extra.css" in parts
    for part in parts:
        body = (built_site / part).read_text(encoding="utf-8")
        body = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", body).rstrip()
        assert body in joined, f"{part} is not in the joined file unchanged"


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
    made = bundle_site(site)
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
    made = bundle_site(site)
    js = made[("assets/javascripts/bundle.0123abcd.min.js", "js/a.js", "js/b.js")]
    text = (site / js).read_text(encoding="utf-8")
    body = re.sub(r"^/\* \S+ \*/\n", "", text, flags=re.M)
    assert body.startswith('(()=>{"use strict";var x=1;window.document$=x;})();'), text
    assert "sourceMappingURL" not in text
    assert SCRIPT.findall((site / "index.html").read_text(encoding="utf-8")) == [js]


def test_material_bundle_of_another_shape_stays_separate(tmp_path):
    site = _fixture_site(tmp_path)
    _with_material(site, '"use strict";var top=1;(()=>{})();\n')
    bundle_site(site)
    scripts = SCRIPT.findall((site / "index.html").read_text(encoding="utf-8"))
    assert scripts[0] == "assets/javascripts/bundle.0123abcd.min.js" and len(scripts) == 2, scripts


def test_strict_mode_scripts_are_left_alone(tmp_path):
    site = _fixture_site(tmp_path, first_js='"use strict";\nvar a = 1;\n')
    made = bundle_site(site)
    assert not any(v.endswith(".js") for v in made.values())
    assert SCRIPT.findall((site / "index.html").read_text(encoding="utf-8")) == ["js/a.js", "js/b.js"]


def test_other_origins_and_attributes_end_a_run(tmp_path):
    site = _fixture_site(tmp_path)
    (site / "index.html").write_text(
        '<link rel="stylesheet" href="https://cdn.example/x.css">\n<link rel="stylesheet" href="css/a.css">\n'
        '<link rel="stylesheet" href="css/b.css" media="print">\n', encoding="utf-8")
    bundle_site(site)
    assert STYLESHEET.findall((site / "index.html").read_text(encoding="utf-8")) == [
        "https://cdn.example/x.css", "css/a.css", "css/b.css"]
