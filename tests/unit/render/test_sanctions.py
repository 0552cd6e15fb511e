"""Sanctions as one data file (issue 17): data/sanctions.yml is rendered as
the table and the issuer-by-target matrix on what-happened-next#sanctions,
becomes the timeline's sanction events, and is published as open data."""

from __future__ import annotations

import json
import re
import shutil

import jsonschema
import pytest
from conftest import ROOT

from explainer import data as site_data
from explainer.data import bundle, crossrefs, schema
from explainer.render import downloads, sanctions

# The sanction events the timeline published before they moved here: their
# ids (permanent anchors on /timeline/) must keep resolving.
PUBLISHED_EVENTS = {
    "ev-2025-02-24-eu-garantex", "ev-2025-07-eu-a7", "ev-2025-08-14-us-sanctions", "ev-2025-08-20-uk-sanctions",
    "ev-2025-10-23-eu-package", "ev-2026-04-23-eu-package-20", "ev-2026-05-26-uk-a7",
}
MATRIX_ISSUERS = ["European Union", "Britain", "United States"]
MATRIX_TARGETS = ["A7", "A7A5", "Old Vector", "Grinex", "Garantex", "Promsvyazbank",
                  "Russian crypto-service providers", "The digital ruble"]


@pytest.fixture(scope="module")
def d():
    return site_data.load(ROOT)


def test_the_file_passes_its_schema_and_the_cross_file_rules(d):
    assert schema.check_file(ROOT / "data/sanctions.yml")[1] == []
    assert [p for p in crossrefs.check(d) if "sanctions" in p.path] == []


def test_sanction_events_come_from_the_sanctions_file_only(d):
    timeline_ids = {e["id"] for e in schema.check_file(ROOT / "data/timeline.yml")[0]["events"]}
    generated = {e["id"]: e for e in bundle.sanction_events(d.sanctions)}
    assert PUBLISHED_EVENTS <= set(generated), PUBLISHED_EVENTS - set(generated)
    assert not PUBLISHED_EVENTS & timeline_ids, "a sanction event is typed in data/timeline.yml too"
    in_timeline = {e["id"] for e in d.timeline["events"]}
    assert set(generated) <= in_timeline
    actions = {a["event"]["id"]: a for a in d.sanctions["actions"] if "event" in a}
    for eid, event in generated.items():
        action = actions[eid]
        # Date, sources and link are the action's own: nothing typed twice.
        assert event["date"] == action["date"] and event["sources"] == action["sources"]
        assert event["see"] == f"what-happened-next.md#{action['id']}"
        assert eid.startswith(f"ev-{action['date']}-")


def test_table_has_a_cited_row_per_action_in_date_order(d):
    html = sanctions.render_table(d)
    rows = re.findall(r'<tr id="([^"]+)" markdown="1">\n(.*?)\n</tr>', html, re.S)
    ids = [a["id"] for a in sanctions.actions(d)]
    assert [r[0] for r in rows] == ids and len(ids) == len(d.sanctions["actions"])
    dates = [bundle.event_sort_key({"date": a["date"], "id": a["id"]}) for a in sanctions.actions(d)]
    assert dates == sorted(dates)
    by_id = {a["id"]: a for a in d.sanctions["actions"]}
    for row_id, cells in rows:
        assert re.findall(r"\[\^([^\]]+)\]", cells) == by_id[row_id]["sources"], row_id
        assert '<th scope="row">' in cells
    assert 'aria-label="Sanction actions by date"' in html and 'id="sanctions-table-caption"' in html
    assert 'scope="col"' in html and " role=" not in html, "no ARIA roles inside a table (HTML forbids them)"


def test_every_matrix_cell_links_to_the_rows_that_name_its_issuer_and_target(d):
    html = sanctions.render_matrix(d)
    head = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert head == ["Target"] + MATRIX_ISSUERS
    body = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', html)
    assert [name for name, _ in body] == MATRIX_TARGETS
    issuer_id = {i["name"]: i["id"] for i in d.sanctions["issuers"]}
    target_id = {t["name"]: t["id"] for t in d.sanctions["targets"]}
    rows = {a["id"]: a for a in d.sanctions["actions"]}
    for target, cells in body:
        for issuer, cell in zip(MATRIX_ISSUERS, re.findall(r"<td[^>]*>(.*?)</td>", cells), strict=True):
            linked = re.findall(r'href="#([^"]+)"', cell)
            expected = [a["id"] for a in sanctions.actions(d)
                        if issuer_id[issuer] in a["issuers"] and target_id[target] in a["targets"]]
            assert linked == expected, (target, issuer)
            assert all(row in rows for row in linked)
            if not linked:
                assert "none in the table" in cell
    # Promsvyazbank: each of the three issuers, with a source that dates it.
    psb = dict(body)["Promsvyazbank"]
    assert len(re.findall(r'href="#sanction-2022-', psb)) == 3


def test_bad_sanctions_data_is_reported_with_path_and_line(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(ROOT / "data", project / "data")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    path = project / "data/sanctions.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    issuers: [eu]\n    what: \"16th package",
                        "    issuers: [eu, nato]\n    what: \"16th package", 1)
    text = text.replace("      id: ev-2025-07-eu-a7\n", "      id: ev-2020-07-22-dfa-bill\n", 1)
    path.write_text(text, encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    nato = next(i for i, line in enumerate(lines, 1) if "[eu, nato]" in line)
    dup = next(i for i, line in enumerate(lines, 1) if "id: ev-2020-07-22-dfa-bill" in line)
    d = site_data.load(project, config_values={"extra": {"horizon": "July 2026"}, "nav": []})
    found = [str(p) for p in crossrefs.check(d)]
    assert f"{path}:{nato}: sanction sanction-2025-02-24-eu-garantex: unknown issuer 'nato' " \
        "(one of de, eu, fi, uk, us)" in found, found
    assert any(f.startswith(f"{path}:{dup}: duplicate event id 'ev-2020-07-22-dfa-bill' (also in ")
               for f in found), found


def test_open_data_validates_and_round_trips(d):
    out = downloads.downloads(d, "2026-12-01", "https://example.org/")
    doc = json.loads(out["data/sanctions.json"])
    jsonschema.validate(doc, json.loads(out["data/schemas/sanctions.schema.json"]))
    assert [i["id"] for i in doc["items"]] == [a["id"] for a in sanctions.actions(d)]
    assert downloads.from_csv("sanctions", out["data/sanctions.csv"]) == doc["items"]
    meta = json.loads(out["data/csv-metadata.json"])
    assert "sanctions.csv" in [t["url"] for t in meta["tables"]]
    events = {i["id"] for i in json.loads(out["data/timeline.json"])["items"]}
    assert {i["event"] for i in doc["items"] if i["event"]} <= events
