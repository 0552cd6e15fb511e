"""The source register, data/sources.yml: one ``Source`` per entry.

Its structure is checked by its JSON Schema (``explainer/data/schema.py``);
here, what spans entries and files: duplicate keys, and a URL only on the
publisher's own domain, never on a mirror (data/mirror-domains.yml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from explainer.data.loading import DATA, DataError, Problem, clean, rel

# Display names; the allowed values are the enums of
# data/schemas/input/sources.schema.json (tests/unit/data/test_schema.py keeps them equal).
LANGUAGES = {"en": "English", "ru": "Russian", "sv": "Swedish"}


@dataclass
class Source:
    key: str
    publisher: str
    title: str
    date: str
    language: str
    kind: str
    accessed: str
    line: int
    url: str | None = None
    via: str | None = None
    title_en: str | None = None
    note: str | None = None
    evidence: str = "original"
    lines: dict = field(default_factory=dict)

    @property
    def second_hand(self) -> bool:
        return self.evidence == "second-hand"


def host_matches(host: str, pattern: str) -> bool:
    host = host.lower().rstrip(".")
    pattern = pattern.lower()
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern or host.endswith("." + pattern)


def load_mirror_domains(path: Path | None = None) -> list[str]:
    """The mirror and aggregator domains; a malformed file raises DataError (every problem)."""
    from explainer.data import schema

    data, problems = schema.check_file(Path(path or DATA / "mirror-domains.yml"), "mirror-domains")
    if problems:
        raise DataError(problems)
    return [str(d) for d in data["domains"]]


def load_sources(path: Path | None = None, problems: list[Problem] | None = None,
                 mirrors: list[str] | None = None) -> dict[str, Source]:
    """Read the source register. Its structure is checked by its JSON Schema
    (explainer/data/schema.py); here only what spans entries and files:
    duplicate keys, and a URL on the publisher's own domain, not a mirror.
    Problems are appended to ``problems``; without a list, they raise DataError."""
    from explainer.data import schema

    path = Path(path or DATA / "sources.yml")
    collect: list[Problem] = [] if problems is None else problems
    data, found = schema.check_file(path, "sources")
    collect += found
    data = data if isinstance(data, dict) else {}
    where = rel(path)
    publishers = {str(k): [str(d) for d in v] for k, v in clean(data.get("publishers") or {}).items()
                  if isinstance(v, list)}
    mirrors = load_mirror_domains() if mirrors is None else mirrors
    sources: dict[str, Source] = {}
    required = schema.required("sources", "sources")
    for entry in data.get("sources") or []:
        if not isinstance(entry, dict) or any(not entry.get(f) for f in required):
            continue  # reported by the schema; not a source that can be cited
        line = entry["__line__"]
        lines = entry["__lines__"]
        key = str(entry["key"])
        if key in sources:
            collect.append(Problem(where, line, f"duplicate source key {key!r} (first at line {sources[key].line})"))
            continue
        url = entry.get("url")
        if isinstance(url, str) and re.match(r"^https?://", url):
            host = urlsplit(str(url)).hostname or ""
            uline = lines.get("url", line)
            if any(host_matches(host, m) for m in mirrors):
                collect.append(Problem(where, uline,
                                       f"{key}: {host} is a mirror or aggregator, not the publisher's own domain; "
                                       "name the original and put the mirror under 'via' without a URL"))
            elif entry["publisher"] not in publishers:
                collect.append(Problem(where, uline,
                                       f"{key}: publisher {entry['publisher']!r} has no domains under 'publishers:'; "
                                       "a URL is allowed only on the publisher's own domain"))
            elif not any(host_matches(host, d) for d in publishers[entry["publisher"]]):
                collect.append(Problem(where, uline,
                                       f"{key}: {host} is not a domain of {entry['publisher']} "
                                       f"({', '.join(publishers[entry['publisher']])})"))
        sources[key] = Source(
            key=key, publisher=str(entry["publisher"]), title=str(entry["title"]),
            date=str(entry["date"]), language=str(entry["language"]), kind=str(entry["kind"]),
            accessed=str(entry["accessed"]), line=line, url=url, via=entry.get("via"),
            title_en=entry.get("title_en"), note=entry.get("note"),
            evidence=str(entry.get("evidence") or "original"), lines=lines,
        )
    if problems is None and collect:
        raise DataError(collect)
    return sources
