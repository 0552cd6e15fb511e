"""Load the site's data files and page front matter, keeping line numbers.

Every stage reads data through this module, so a
source, a glossary term or a key fact is parsed in exactly one way.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from explainer import ROOT
from explainer.config import MONTHS  # re-exported: sd.MONTHS in figures and render

DATA = ROOT / "data"
DOCS = ROOT / "docs"

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Display names; the allowed values are the enums of
# data/schemas/input/sources.schema.json (tests/unit/data/test_schema.py keeps them equal).
LANGUAGES = {"en": "English", "ru": "Russian", "sv": "Swedish"}

# A footnote reference such as [^vedomosti-2024-09-17] (not a definition).
CITE_RE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FOOTNOTE_DEF_RE = re.compile(r"^\s{0,3}\[\^([^\]\s]+)\]:", re.M)
FENCE_RE = re.compile(r"^\s*(```|~~~)")


class DataError(Exception):
    """Problems in a data file: ``problems`` (all of them), ``problem`` (the
    first). The message is one ``path:line: message`` line per problem."""

    def __init__(self, problem: Problem | list[Problem]):
        self.problems = list(problem) if isinstance(problem, list) else [problem]
        self.problem = self.problems[0]
        super().__init__("\n".join(map(str, self.problems)))


@dataclass
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------
# YAML with line numbers
# --------------------------------------------------------------------------
# libyaml's C parser (yaml.CSafeLoader) when PyYAML was built with it, as the
# PyPI wheels are: about five times faster, and its nodes carry the same line
# marks. The pure-Python SafeLoader is the fallback.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):
    """A safe loader that records, for each mapping, the line of each key."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    """``__line__``: the mapping's first line; ``__lines__``: key -> its line,
    and (key, index) -> the line of each item of a list under that key."""
    mapping = loader.construct_mapping(node, deep=True)
    lines: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        lines[key] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                lines[(key, index)] = item.start_mark.line + 1
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)
# Dates stay strings, so that a malformed date is reported, not coerced.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# Parsed files, keyed by path and a hash of the text: one build reads the
# same file through several loaders, and `mkdocs serve` rebuilds many times
# in one process. Callers get their own deep copy, so nothing they change
# leaks into the next reader; a changed byte is a new key (no timestamps).
_PARSED: dict[tuple[str, str], tuple[str, Any]] = {}


def text_key(path: Path, text: str, kind: str) -> tuple[str, str, str]:
    return (kind, str(Path(path).resolve()), hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest())


def _remember(key: tuple, value: Any) -> Any:
    if len(_PARSED) > 2000:  # a long serve session: keep the cache bounded
        _PARSED.clear()
    _PARSED[key] = value
    return copy.deepcopy(value)


def read_text(path: Path) -> str:
    """A data file or page as text; bytes that are not UTF-8 raise a DataError
    naming the line of the first one (no traceback for an editor)."""
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DataError(Problem(rel(path), line, f"not UTF-8 (byte 0x{raw[exc.start]:02x}): save the file "
                                                 "as UTF-8")) from None


def refuse_aliases(text: str, where: str, first_line: int = 1) -> None:
    """Data files and front matter need no YAML aliases (``*name``), and
    aliases nested in aliases expand exponentially (a few lines can fill the
    memory of whatever walks the result): refuse the first, by its line."""
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent):
                raise DataError(Problem(where, first_line + event.start_mark.line,
                                        f"YAML alias *{event.anchor} is not allowed in data files: "
                                        "write the value out"))
    except yaml.MarkedYAMLError:
        return  # the loader reports the syntax error with its line


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; a syntax error, an alias or a byte that is not
    UTF-8 becomes a DataError with path:line."""
    text = read_text(path)
    key = text_key(path, text, "yaml")
    hit = _PARSED.get(key)  # .get: `make serve` checks in a thread while it builds
    if hit is not None:
        return copy.deepcopy(hit)
    refuse_aliases(text, rel(path))
    try:
        tree = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise DataError(Problem(rel(path), line, f"invalid YAML: {exc.problem}")) from exc
    return _remember(key, tree)


def clean(entry: dict) -> dict:
    """The entry without the line bookkeeping keys."""
    return {k: v for k, v in entry.items() if not str(k).startswith("__")}


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------
def check_date(value: Any) -> str | None:
    """Return an error message if value is not YYYY, YYYY-MM or YYYY-MM-DD."""
    text = str(value)
    if not DATE_RE.match(text):
        return f"malformed date {text!r}: use YYYY-MM-DD (or YYYY-MM, YYYY)"
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return f"malformed date {text!r}: no such calendar date"
    return None


def human_date(value: str) -> str:
    """'2024-09-17' -> '17 September 2024'; '2024-09' -> 'September 2024'."""
    parts = str(value).split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------
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


# --------------------------------------------------------------------------
# Glossary (also the abbreviation list)
# --------------------------------------------------------------------------
def load_glossary(path: Path | None = None) -> dict:
    """{'terms', 'abbreviations', 'path', 'problems'}: 'problems' are its
    schema's (explainer/data/schema.py). Entries that are not mappings are left out."""
    from explainer.data import schema

    path = Path(path or DATA / "glossary.yml")
    data, problems = schema.check_file(path, "glossary")
    data = data if isinstance(data, dict) else {}

    def entries(section: str) -> list[dict]:
        items = data.get(section) or []
        return [e for e in items if isinstance(e, dict)] if isinstance(items, list) else []

    return {"terms": entries("terms"), "abbreviations": entries("abbreviations"), "path": path,
            "problems": problems}


def abbreviation_map(glossary: dict) -> dict[str, str]:
    """Every abbreviation the site may use, mapped to its hover text."""
    out: dict[str, str] = {}
    for term in glossary["terms"]:
        if not term.get("term"):
            continue  # reported by the glossary's schema
        title = str(term["term"])
        if term.get("abbr"):
            hover = title
            if term.get("russian_abbr"):
                hover += f" ({term['russian_abbr']})"
            out[str(term["abbr"])] = hover
        if term.get("russian_abbr"):
            hover = str(term.get("russian") or title)
            if term.get("translit"):
                hover += f" ({term['translit']}): {title}"
            else:
                hover += f": {title}"
            out[str(term["russian_abbr"])] = hover
        for alias in term.get("abbr_aliases") or []:
            out[str(alias)] = title
    for extra in glossary["abbreviations"]:
        if extra.get("abbr") and extra.get("expansion"):
            out[str(extra["abbr"])] = str(extra["expansion"])
    return out


# --------------------------------------------------------------------------
# Key facts ("In short" points with permanent anchors)
# --------------------------------------------------------------------------
def load_key_facts(path: Path | None = None, problems: list[Problem] | None = None) -> list[dict]:
    """The key facts; their schema's problems are appended to ``problems``
    when a list is given. Entries that are not mappings are left out."""
    from explainer.data import schema

    path = Path(path or DATA / "key_facts.yml")
    if not path.exists():
        return []
    data, found = schema.check_file(path, "key_facts")
    if problems is not None:
        problems += found
    facts = data.get("facts") if isinstance(data, dict) else None
    return [f for f in facts if isinstance(f, dict)] if isinstance(facts, list) else []


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------
@dataclass
class Page:
    path: Path
    meta: dict
    body: str
    body_line: int  # file line of the first body line
    problems: list[Problem]


def read_page(path: Path) -> Page:
    """Split front matter from body; report malformed front matter (and a
    page that is not UTF-8) as the page's problems."""
    try:
        text = read_text(path)
    except DataError as exc:
        return Page(Path(path), {}, "", 1, exc.problems)
    key = text_key(path, text, "page")
    hit = _PARSED.get(key)
    if hit is not None:
        return copy.deepcopy(hit)
    return _remember(key, _split_page(Path(path), text))


def _split_page(path: Path, text: str) -> Page:
    where = rel(path)
    problems: list[Problem] = []
    if not text.startswith("---\n"):
        problems.append(Problem(where, 1, "missing front matter (a '---' block with title, description, reviewed)"))
        return Page(Path(path), {}, text, 1, problems)
    end = text.find("\n---\n", 4)
    if end == -1:
        problems.append(Problem(where, 1, "front matter is not closed by a '---' line"))
        return Page(Path(path), {}, text, 1, problems)
    raw = text[4:end]
    body_line = raw.count("\n") + 4
    try:
        refuse_aliases(raw, where, first_line=2)
        meta = yaml.load(raw, Loader=_LineLoader) or {}
        if not isinstance(meta, dict):
            raise yaml.YAMLError("front matter is not a mapping")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark else 1
        problems.append(Problem(where, line, f"malformed front matter: {getattr(exc, 'problem', exc)}"))
        meta = {}
    except DataError as exc:  # an alias
        problems += exc.problems
        meta = {}
    return Page(Path(path), meta, text[end + 5:], body_line, problems)


def prose_lines(body: str, first_line: int):
    """Yield (file_line, text) for body lines outside fenced code blocks."""
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield first_line + offset, line


def strip_code(line: str) -> str:
    return re.sub(r"`[^`]*`", "", line)


def citations(body: str, first_line: int) -> list[tuple[str, int]]:
    """All (key, file_line) footnote references in the body."""
    found = []
    for lineno, line in prose_lines(body, first_line):
        for match in CITE_RE.finditer(strip_code(line)):
            found.append((match.group(1), lineno))
    return found


def doc_pages(docs: Path | None = None) -> list[Path]:
    return sorted(Path(docs or DOCS).rglob("*.md"))
