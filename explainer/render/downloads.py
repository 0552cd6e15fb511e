"""The open-data downloads: JSON, CSV, the JSON Schemas and CSV on the Web metadata."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from explainer.data.bundle import (
    LICENCE,
    LICENCE_URL,
    LIST_SEPARATOR,
    Data,
    as_list,
    cited_keys,
    citing_pages,
    event_sort_key,
    sanctions_page,
    strip_citations,
)
from explainer.urls import page_url, target_url

# --------------------------------------------------------------------------
# Open data
# --------------------------------------------------------------------------
# Column order of each download (CSV columns and JSON item keys).
COLUMNS = {
    "sources": ["key", "kind", "publisher", "title", "title_en", "date", "language", "url", "via", "note",
                "accessed", "anchor", "cited_on"],
    "timeline": ["id", "date", "status", "title", "see", "sources", "anchor"],
    "glossary": ["id", "term", "abbr", "abbr_aliases", "russian", "russian_abbr", "translit", "definition",
                 "sources", "see", "anchor"],
    "key-facts": ["id", "page", "text", "sources", "anchor"],
    "claims": ["id", "claim", "quote", "verdict", "finding", "sources", "see", "anchor"],
    "sanctions": ["id", "date", "date_qualifier", "issuers", "what", "on_whom", "targets", "sources", "event",
                  "anchor"],
}
LIST_COLUMNS = {
    "sources": {"cited_on"},
    "timeline": {"sources"},
    "glossary": {"abbr_aliases", "sources", "see"},
    "key-facts": {"sources"},
    "claims": {"sources"},
    "sanctions": {"issuers", "targets", "sources"},
}
TITLES = {
    "sources": "Sources",
    "timeline": "Timeline",
    "glossary": "Glossary",
    "key-facts": "Key facts",
    "claims": "The original report, checked",
    "sanctions": "Sanctions",
}


def _opt(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return " ".join(str(value).split())


def dataset_rows(d: Data) -> list[tuple[str, str, list[dict]]]:
    """(name, label, rows) for each download; rows use COLUMNS order."""
    u = d.use_directory_urls

    def where(marker: str, anchor: str) -> str | None:
        page = d.marker_page(marker)
        return f"{page_url(page, u)}#{anchor}" if page else None

    cited = citing_pages(d)

    def complete(entry: Any, *fields: str) -> bool:
        # An entry missing a field is the content checks' to report (path:line);
        # it is left out here so that a build with bad data ends with their
        # messages, not with a traceback.
        return isinstance(entry, dict) and all(entry.get(f) is not None for f in fields)

    sources = [{
        "key": s.key, "kind": s.kind, "publisher": s.publisher, "title": s.title, "title_en": _opt(s.title_en),
        "date": s.date, "language": s.language, "url": _opt(s.url), "via": _opt(s.via), "note": _opt(s.note),
        "accessed": s.accessed, "anchor": where("sources", s.key),
        "cited_on": [page_url(p, u) for p in cited.get(s.key, [])],
    } for s in d.sources.values()]
    timeline = [{
        "id": str(e["id"]), "date": str(e["date"]), "status": str(e["status"]), "title": _opt(e["title"]),
        "see": target_url(str(e["see"]), u), "sources": as_list(e.get("sources")),
        "anchor": where("timeline", str(e["id"])),
    } for e in sorted(d.timeline["events"], key=event_sort_key)
        if complete(e, "id", "date", "status", "title", "see")]
    glossary = [{
        "id": str(t["id"]), "term": str(t["term"]), "abbr": _opt(t.get("abbr")),
        "abbr_aliases": as_list(t.get("abbr_aliases")), "russian": _opt(t.get("russian")),
        "russian_abbr": _opt(t.get("russian_abbr")), "translit": _opt(t.get("translit")),
        "definition": strip_citations(" ".join(str(t["definition"]).split())),
        "sources": list(dict.fromkeys(as_list(t.get("sources")) + cited_keys(str(t["definition"])))),
        "see": [target_url(s, u) for s in as_list(t.get("see"))], "anchor": where("glossary", str(t["id"])),
    } for t in d.glossary["terms"] if complete(t, "id", "term", "definition")]
    facts = [{
        "id": str(f["id"]), "page": page_url(str(f["page"]), u),
        "text": strip_citations(" ".join(str(f["text"]).split())), "sources": cited_keys(str(f["text"])),
        "anchor": f"{page_url(str(f['page']), u)}#{f['id']}",
    } for f in d.facts if complete(f, "id", "page", "text")]
    claims = [{
        "id": str(c["id"]), "claim": _opt(c["claim"]), "quote": _opt(c.get("quote")), "verdict": str(c["verdict"]),
        "finding": strip_citations(" ".join(str(c["finding"]).split())),
        "sources": list(dict.fromkeys(as_list(c.get("sources")) + cited_keys(str(c["finding"])))),
        "see": target_url(str(c["see"]), u) if c.get("see") else None, "anchor": where("claims", str(c["id"])),
    } for c in d.claims["claims"] if complete(c, "id", "claim", "verdict", "finding")]
    s = d.sanctions or {"issuers": [], "targets": [], "actions": []}
    issuer_names = {str(i.get("id")): str(i.get("name")) for i in s["issuers"]}
    target_names = {str(t.get("id")): str(t.get("name")) for t in s["targets"]}
    page = sanctions_page(d)
    sanctions = [{
        "id": str(a["id"]), "date": str(a["date"]), "date_qualifier": "by" if a.get("by") else None,
        "issuers": [issuer_names.get(i, i) for i in as_list(a["issuers"])], "what": _opt(a["what"]),
        "on_whom": _opt(a["on_whom"]), "targets": [target_names.get(t, t) for t in as_list(a.get("targets"))],
        "sources": as_list(a.get("sources")),
        "event": str(a["event"]["id"]) if isinstance(a.get("event"), dict) and a["event"].get("id") else None,
        "anchor": f"{page_url(page, u)}#{a['id']}" if page else None,
    } for a in sorted(s["actions"], key=lambda a: event_sort_key({"date": a.get("date"), "id": a.get("id")}))
        if complete(a, "id", "date", "issuers", "what", "on_whom")]
    return [("sources", TITLES["sources"], sources), ("timeline", TITLES["timeline"], timeline),
            ("glossary", TITLES["glossary"], glossary), ("key-facts", TITLES["key-facts"], facts),
            ("claims", TITLES["claims"], claims), ("sanctions", TITLES["sanctions"], sanctions)]


def to_json(name: str, rows: list[dict], d: Data, date: str, site_url: str) -> str:
    doc = {
        "$schema": f"schemas/{name}.schema.json",
        "title": f"{TITLES[name]}: {d.config.get('site_name', '')}".strip(": "),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "build_date": date,
        "horizon": d.horizon,
        "site_url": site_url,
        "items": rows,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(name: str, rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS[name])
    for row in rows:
        writer.writerow([LIST_SEPARATOR.join(row[c]) if c in LIST_COLUMNS[name] else ("" if row[c] is None else row[c])
                         for c in COLUMNS[name]])
    return buf.getvalue()


def from_csv(name: str, text: str) -> list[dict]:
    """Read a download back into the JSON item form (for the round-trip test
    and for anyone who wants it)."""
    rows = []
    for record in csv.DictReader(io.StringIO(text, newline="")):
        row: dict[str, Any] = {}
        for col in COLUMNS[name]:
            value = record[col]
            if col in LIST_COLUMNS[name]:
                row[col] = value.split(LIST_SEPARATOR) if value else []
            else:
                row[col] = value if value != "" else None
        rows.append(row)
    return rows


def csv_metadata(d: Data, date: str, schemas: Path) -> str:
    """W3C CSV on the Web metadata describing every CSV download."""
    tables = []
    for name, label, _rows in dataset_rows(d):
        schema = json.loads((schemas / f"{name}.schema.json").read_text(encoding="utf-8"))
        props = schema["properties"]["items"]["items"]["properties"]
        columns = []
        for col in COLUMNS[name]:
            column = {"name": col, "titles": col, "dc:description": props[col].get("description", "")}
            if col in LIST_COLUMNS[name]:
                column["separator"] = LIST_SEPARATOR
            columns.append(column)
        tables.append({"url": f"{name}.csv", "dc:title": label, "tableSchema": {"columns": columns}})
    doc = {
        "@context": "http://www.w3.org/ns/csvw",
        "dc:title": d.config.get("site_name", ""),
        "dc:license": {"@id": LICENCE_URL},
        "dc:created": date,
        "tables": tables,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def downloads(d: Data, date: str, site_url: str) -> dict[str, str]:
    """Every generated download: path under the site -> text."""
    schemas = d.data / "schemas"
    out: dict[str, str] = {}
    for name, _label, rows in dataset_rows(d):
        out[f"data/{name}.json"] = to_json(name, rows, d, date, site_url)
        out[f"data/{name}.csv"] = to_csv(name, rows)
        out[f"data/schemas/{name}.schema.json"] = (schemas / f"{name}.schema.json").read_text(encoding="utf-8")
    out["data/csv-metadata.json"] = csv_metadata(d, date, schemas)
    return out
