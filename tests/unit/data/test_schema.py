"""The data files' JSON Schemas (data/schemas/input/) and their path:line messages.

Fast: no build and no project copy; each bad fixture is one data file,
changed in one place, written to a temporary folder and validated by
explainer/data/schema.py. Every case names the exact line it expects, so a
schema that stops catching it, or a message that loses its line, fails.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from explainer import ROOT
from explainer.data import loading, schema, source_register

DATA = ROOT / "data"
INPUTS = sorted(DATA.glob("*.yml"))


def _line_of(text: str, needle: str) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert hits, f"fixture needle {needle!r} not in the changed file"
    return hits[0]


def _changed(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, str]:
    """data/<name>.yml with the first `old` replaced by `new`, in tmp_path."""
    text = (DATA / f"{name}.yml").read_text(encoding="utf-8")
    assert old in text, f"fixture anchor {old!r} not in data/{name}.yml"
    path = tmp_path / f"{name}.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# The schemas themselves, and the committed data
# --------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(schema.SCHEMAS.glob("*.schema.json")), ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc.get("additionalProperties") is False, "unknown top-level sections must be errors"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_every_data_file_has_a_schema_named_in_its_first_line(path):
    name = schema.schema_name(path)
    assert schema.schema_path(name).is_file(), f"no data/schemas/input/{name}.schema.json"
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == f"# yaml-language-server: $schema=schemas/input/{name}.schema.json"
    # The header's address, relative to the data file, is the schema.
    assert (path.parent / first.split("$schema=", 1)[1]).resolve() == schema.schema_path(name).resolve()


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_committed_data_file_passes(path):
    _, problems = schema.check_file(path)
    assert problems == [], "\n".join(map(str, problems))


def test_every_mapping_entry_forbids_unknown_fields():
    """additionalProperties: false on every object with declared properties."""
    def walk(node, where):
        if isinstance(node, dict):
            if "properties" in node:
                assert node.get("additionalProperties") is False, where
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    for path in schema.SCHEMAS.glob("*.schema.json"):
        walk(json.loads(path.read_text(encoding="utf-8")), path.name)


def test_code_tables_match_the_schema_enums():
    """The display tables in code name exactly the values the schemas allow."""
    from explainer.data.bundle import KIND_GROUPS, VERDICTS
    from explainer.figures import map as draw_map

    assert list(source_register.LANGUAGES) == schema.enum("sources", "sources", "language")
    assert sorted(k for _, _, kinds in KIND_GROUPS for k in kinds) == sorted(schema.enum("sources", "sources", "kind"))
    assert list(VERDICTS) == schema.enum("claims", "claims", "verdict")
    assert list(draw_map.KINDS) == schema.enum("places", "places", "kind")


def test_line_bookkeeping_is_stripped_but_kept_beside():
    tree = loading.load_yaml(DATA / "timeline.yml")
    assert "__lines__" in tree["events"][0]
    plain = schema.strip(tree)
    assert "__line__" not in plain and "__lines__" not in plain["events"][0]
    assert "__lines__" in tree["events"][0], "strip() must not change the loaded tree"


# --------------------------------------------------------------------------
# Bad fixtures: (file, old, new, needle for the expected line, message)
# --------------------------------------------------------------------------
CASES = {
    # sources.yml
    "sources-unknown-field": (
        "sources", "  - key: vedomosti-2024-09-17\n", "  - key: vedomosti-2024-09-17\n    colour: red\n",
        "colour: red", "vedomosti-2024-09-17: unknown field 'colour' (fields: accessed, date, evidence, key, "
                       "kind, language, note, publisher, title, title_en, url, via)"),
    "sources-wrong-kind": (
        "sources", '    date: "2024-09-17"\n    language: ru\n    kind: news\n',
        '    date: "2024-09-17"\n    language: ru\n    kind: blog\n', "kind: blog",
        "vedomosti-2024-09-17: kind 'blog' is not one of law, official, news, analysis, reference"),
    "sources-wrong-evidence": (
        "sources", '    date: "2024-09-17"\n    language: ru\n    kind: news\n',
        '    date: "2024-09-17"\n    language: ru\n    kind: news\n    evidence: hearsay\n',
        "evidence: hearsay",
        "vedomosti-2024-09-17: evidence 'hearsay' is not one of original, second-hand"),
    "sources-missing-language": (
        "sources", '    date: "2024-09-17"\n    language: ru\n', '    date: "2024-09-17"\n',
        "key: vedomosti-2024-09-17",
        "vedomosti-2024-09-17: missing 'language'"),
    "sources-bad-key": (
        "sources", "  - key: vedomosti-2024-09-17\n", "  - key: Vedomosti 17 Sept\n", "key: Vedomosti 17 Sept",
        "source key 'Vedomosti 17 Sept' must look like publisher-yyyy-mm-dd[-word] (lowercase, hyphens)"),
    "sources-impossible-date": (
        "sources", '    date: "2024-09-17"\n', '    date: "2024-09-31"\n', '"2024-09-31"',
        "vedomosti-2024-09-17: date: malformed date '2024-09-31': no such calendar date"),
    "sources-partial-accessed": (
        "sources", '    accessed: "2026-11-24"\n', '    accessed: "2026-11"\n', '"2026-11"',
        "rt-2023-07-24: accessed: malformed date '2026-11': use a full date, YYYY-MM-DD"),
    "sources-publisher-url": (
        "sources", "  TASS: [tass.ru, tass.com]\n", "  TASS: [https://tass.ru/, tass.com]\n", "TASS:",
        "publishers: 'TASS': 'https://tass.ru/' must be a host name such as tass.ru (no scheme, no path)"),
    # timeline.yml
    "timeline-unknown-field": (
        "timeline", "  - id: ev-2020-07-22-dfa-bill\n", "  - id: ev-2020-07-22-dfa-bill\n    colour: red\n",
        "colour: red",
        "ev-2020-07-22-dfa-bill: unknown field 'colour' (fields: date, id, milestone, see, sources, status, title)"),
    "timeline-wrong-status": (
        "timeline", "    status: past\n", "    status: planned\n", "status: planned",
        "ev-2020-07-22-dfa-bill: status 'planned' is not one of past, scheduled"),
    "timeline-missing-see": (
        "timeline", "    see: context.md#dfa\n", "", "id: ev-2020-07-22-dfa-bill",
        "ev-2020-07-22-dfa-bill: missing 'see'"),
    "timeline-bad-id": (
        "timeline", "  - id: ev-2020-07-22-dfa-bill\n", "  - id: dfa-bill\n", "id: dfa-bill",
        "event id 'dfa-bill' must look like ev-yyyy-mm-dd-word"),
    "timeline-malformed-date": (
        "timeline", '    date: "2020-07-22"\n', '    date: "22 July 2020"\n', "22 July 2020",
        "ev-2020-07-22-dfa-bill: date: malformed date '22 July 2020': use YYYY-MM-DD (or YYYY-MM, YYYY)"),
    "timeline-unquoted-year": (
        "timeline", '    date: "2020-07-22"\n', "    date: 2020\n", "date: 2020",
        "ev-2020-07-22-dfa-bill: date 2020 must be text (quote it)"),
    "timeline-citation-in-title": (
        "timeline", "    title: The State Duma passes", "    title: Cited.[^tass-2020-07-22] The State Duma passes",
        "Cited.[^", "must not cite: put source keys under 'sources'"),
    "timeline-no-sources": (
        "timeline", "    sources: [tass-2020-07-22]\n", "    sources: []\n", "sources: []",
        "ev-2020-07-22-dfa-bill: sources must be a list of at least one key of data/sources.yml"),
    # glossary.yml
    "glossary-unknown-field": (
        "glossary", "  - id: elr\n", "  - id: elr\n    colour: red\n", "colour: red",
        "elr: unknown field 'colour'"),
    "glossary-see-not-a-list": (
        "glossary", "    see: [focus-group.md#elr]\n", "    see: focus-group.md#elr\n", "see: focus-group.md#elr",
        "elr: see 'focus-group.md#elr' must be a list"),
    "glossary-abbr-not-text": (
        "glossary", "    abbr: ELR\n", "    abbr: [ELR]\n", "abbr: [ELR]", "elr: abbr must be text"),
    "glossary-missing-term": (
        "glossary", "    term: Experimental legal regime\n", "", "id: elr", "elr: missing 'term'"),
    "glossary-bad-id": (
        "glossary", "  - id: elr\n", "  - id: ELR_regime\n", "id: ELR_regime",
        "glossary term id 'ELR_regime' must be lowercase words joined by hyphens"),
    "glossary-abbreviation-without-expansion": (
        "glossary", "    expansion: Portable Document Format\n", "", "abbr: PDF", "PDF: missing 'expansion'"),
    # key_facts.yml
    "key-facts-unknown-field": (
        "key_facts", "  - id: kf-focus-group\n", "  - id: kf-focus-group\n    colour: red\n", "colour: red",
        "kf-focus-group: unknown field 'colour' (fields: id, page, text)"),
    "key-facts-missing-page": (
        "key_facts", "    page: index.md\n", "", "id: kf-focus-group", "kf-focus-group: missing 'page'"),
    "key-facts-missing-id": (
        "key_facts", "  - id: kf-focus-group\n", "  - page: index.md\n    text: No id.\n  - id: kf-focus-group\n",
        "- page: index.md", "key fact: missing 'id'"),
    "key-facts-bad-id": (
        "key_facts", "  - id: kf-focus-group\n", "  - id: Focus Group!\n", "Focus Group!",
        "key fact id 'Focus Group!' must look like kf-short-name"),
    "key-facts-bad-page": (
        "key_facts", "    page: index.md\n", "    page: index\n", "page: index",
        "kf-focus-group: page 'index' must be a page path under docs/, as in index.md"),
    # claims.yml
    "claims-unknown-field": (
        "claims", "  - id: legalise\n", "  - id: legalise\n    colour: red\n", "colour: red",
        "legalise: unknown field 'colour' (fields: claim, finding, id, quote, see, sources, verdict)"),
    "claims-wrong-verdict": (
        "claims", "    verdict: wrong\n", "    verdict: misleading\n", "verdict: misleading",
        "legalise: verdict 'misleading' is not one of accurate, imprecise, wrong, outdated, unverified"),
    "claims-missing-verdict": (
        "claims", "    verdict: wrong\n", "", "id: legalise", "legalise: missing 'verdict'"),
    "claims-bad-id": (
        "claims", "  - id: legalise\n", "  - id: Legalise!\n", "id: Legalise!",
        "claim id 'Legalise!' must be lowercase words joined by hyphens"),
    "claims-report-date": (
        "claims", '  date: "2024-09"\n', '  date: "Sept 2024"\n', "Sept 2024",
        "report date: malformed date 'Sept 2024': use YYYY-MM-DD (or YYYY-MM, YYYY)"),
    "claims-long-quote": (
        "claims", "    quote: $2.04 trillion\n",
        "    quote: the cumulative crypto market cap recently decreased slightly to $2.04 trillion, it said today\n",
        "decreased slightly", "is longer than 12 words: quote at most 12 words and paraphrase the rest"),
    # places.yml
    "places-unknown-field": (
        "places", "  - id: syktyvkar\n", "  - id: syktyvkar\n    colour: red\n", "colour: red",
        "syktyvkar: unknown field 'colour'"),
    "places-wrong-kind": (
        "places", "    kind: capital\n", "    kind: city\n", "kind: city",
        "syktyvkar: kind 'city' is not one of capital, site"),
    "places-missing-role": (
        "places", "    role: Capital of the Komi Republic\n", "", "id: syktyvkar", "syktyvkar: missing 'role'"),
    "places-bad-id": (
        "places", "  - id: syktyvkar\n", "  - id: Syktyvkar\n", "id: Syktyvkar",
        "place id 'Syktyvkar' must be lowercase words joined by hyphens"),
    "places-latitude-out-of-range": (
        "places", "    lat: 61.6667\n", "    lat: 161.6667\n", "lat: 161.6667",
        "syktyvkar: lat 161.6667 is not a number between 41.0 and 82.0 (decimal degrees inside Russia)"),
    "places-region-code": (
        "places", "  iso_3166_2: RU-KO\n", "  iso_3166_2: komi\n", "iso_3166_2: komi",
        "region iso_3166_2 'komi' must be an ISO 3166-2 code such as RU-KO"),
    # mirror-domains.yml
    "mirror-domains-url": (
        "mirror-domains", "  - menafn.com\n", "  - https://menafn.com/\n", "https://menafn.com/",
        "domains[2] 'https://menafn.com/' must be a host name (subdomains included) or *.suffix"),
    "mirror-domains-unknown-section": (
        "mirror-domains", "domains:\n", "mirrors: []\ndomains:\n", "mirrors: []",
        "unknown field 'mirrors' (fields: domains)"),
    # redirects.yml
    "redirects-page-without-md": (
        "redirects", "pages: {}\n", "pages:\n  about: index.md\n", "about: index.md",
        "pages: 'about' -> 'index.md': both sides must be page paths under docs/ ending in .md"),
    "redirects-anchor-without-id": (
        "redirects", "\nanchors:\n", "\nanchors:\n  about.md: index.md#top\n", "about.md: index.md",
        "anchors: 'about.md' -> 'index.md#top': both sides need '#id'"),
    "redirects-unknown-section": (
        "redirects", "pages: {}\n", "pages: {}\nmoves: {}\n", "moves: {}",
        "unknown field 'moves' (fields: anchors, pages)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_fixture_names_path_line_and_what_is_wrong(tmp_path, case):
    name, old, new, needle, message = CASES[case]
    path, text = _changed(tmp_path, name, old, new)
    _, problems = schema.check_file(path)
    expected_line = _line_of(text, needle)
    shown = "\n".join(map(str, problems))
    assert problems, f"{case}: the schema passed a bad fixture"
    assert any(p.line == expected_line and message in p.message for p in problems), \
        f"{case}: expected line {expected_line} with {message!r}; got:\n{shown}"
    for p in problems:
        assert str(p) == f"{loading.rel(path)}:{p.line}: {p.message}"


def test_every_problem_of_a_file_is_reported_in_line_order(tmp_path):
    text = (DATA / "timeline.yml").read_text(encoding="utf-8")
    text = text.replace("    status: past\n", "    status: planned\n", 1)
    text = text.replace('    date: "2020-07-31"\n', '    date: "2020-31-07"\n', 1)
    text = text.replace("    see: focus-group.md#elr\n", "    see: focus-group.md#elr\n    colour: red\n", 1)
    path = tmp_path / "timeline.yml"
    path.write_text(text, encoding="utf-8")
    _, problems = schema.check_file(path)
    assert [p.line for p in problems] == [_line_of(text, "status: planned"), _line_of(text, "2020-31-07"),
                                          _line_of(text, "colour: red")], "\n".join(map(str, problems))


def test_empty_file_reports_its_missing_section(tmp_path):
    path = tmp_path / "timeline.yml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    _, problems = schema.check_file(path)
    assert [str(p) for p in problems] == [f"{loading.rel(path)}:1: missing 'events'"]


# --------------------------------------------------------------------------
# The loaders use the schema, and keep the rules across entries and files
# --------------------------------------------------------------------------
def test_load_sources_collects_schema_problems_and_keeps_the_domain_rule(tmp_path):
    path, text = _changed(tmp_path, "sources", '    date: "2024-09-17"\n    language: ru\n    kind: news\n',
                          '    date: "2024-09-17"\n    language: ru\n    kind: blog\n')
    text = text.replace("url: https://ru.rt.com/w3ov", "url: https://example.org/w3ov")
    path.write_text(text, encoding="utf-8")
    problems: list = []
    mirrors = source_register.load_mirror_domains(DATA / "mirror-domains.yml")
    sources = source_register.load_sources(path, problems, mirrors)
    messages = [p.message for p in problems]
    assert "vedomosti-2024-09-17: kind 'blog' is not one of law, official, news, analysis, reference" in messages
    assert any("example.org is not a domain of RT" in m for m in messages), messages
    assert "vedomosti-2024-09-17" in sources, "an entry with a bad field is still registered (no 'unknown key' noise)"
    with pytest.raises(loading.DataError) as raised:
        source_register.load_sources(path, None, source_register.load_mirror_domains(DATA / "mirror-domains.yml"))
    assert len(raised.value.problems) == len(problems) and str(raised.value).count("\n") == len(problems) - 1


def test_load_redirects_raises_every_problem(tmp_path):
    from explainer.data.redirects import load_redirects

    path = tmp_path / "redirects.yml"
    path.write_text("pages:\n  about: index.md\nanchors:\n  about.md: index.md\n", encoding="utf-8")
    with pytest.raises(loading.DataError) as raised:
        load_redirects(path)
    assert [p.line for p in raised.value.problems] == [2, 4], str(raised.value)
    path.write_text("pages:\n  old.md: new.md#top\nanchors:\n  a.md#x: b.md#y\n", encoding="utf-8")
    assert load_redirects(path) == {"pages": {"old.md": {"to": "new.md#top", "line": 2}},
                                    "anchors": {"a.md#x": {"to": "b.md#y", "line": 4}}}


def test_timeline_figure_refuses_bad_data_with_every_line(tmp_path):
    from explainer.figures import timeline as draw_timeline
    from explainer.figures.svg import FigureError

    path, text = _changed(tmp_path, "timeline", "    status: past\n", "    status: planned\n")
    text = text.replace("    see: focus-group.md#elr\n", "    see: focus-group.md#elr\n    colour: red\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FigureError) as raised:
        draw_timeline.load_events(path)
    lines = str(raised.value).splitlines()
    where = loading.rel(path)
    assert lines == [f"{where}:{_line_of(text, 'status: planned')}: ev-2020-07-22-dfa-bill: status 'planned' "
                     "is not one of past, scheduled",
                     f"{where}:{_line_of(text, 'colour: red')}: ev-2020-07-31-elr-law: unknown field 'colour' "
                     "(fields: date, id, milestone, see, sources, status, title)"]


def test_check_reports_schema_and_cross_file_problems_once_and_sorted(tmp_path):
    """explainer check (checks.content.run) over a changed data folder: the
    schema problem of timeline.yml (read by two loaders) once, places.yml
    (read by no other check) too, and a cross-file rule beside them."""
    from explainer.checks import content

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for name, old, new in (("timeline", "    status: past\n", "    status: planned\n"),
                           ("places", "  - id: syktyvkar\n", "  - id: syktyvkar\n    colour: red\n"),
                           ("timeline", "    see: context.md#dfa\n", "    see: context.md#no-such-section\n")):
        path = data / f"{name}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    problems = content.run(ROOT, data=data)
    shown = [str(p) for p in problems]
    timeline = (data / "timeline.yml").read_text(encoding="utf-8")
    places = (data / "places.yml").read_text(encoding="utf-8")
    t, pl = loading.rel(data / "timeline.yml"), loading.rel(data / "places.yml")
    status = (f"{t}:{_line_of(timeline, 'status: planned')}: ev-2020-07-22-dfa-bill: "
              "status 'planned' is not one of past, scheduled")
    assert shown.count(status) == 1, "\n".join(shown)
    assert f"{pl}:{_line_of(places, 'colour: red')}: syktyvkar: unknown field 'colour' (fields: " in "\n".join(shown)
    assert any(s.startswith(f"{t}:{_line_of(timeline, 'no-such-section')}: event ev-2020-07-22-dfa-bill: "
                            "anchor #no-such-section not found") for s in shown), "\n".join(shown)
    assert problems == sorted(problems, key=lambda p: (p.path, p.line))
