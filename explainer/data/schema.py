"""Structure of the data files: each ``data/<name>.yml`` against
``data/schemas/input/<name>.schema.json`` (JSON Schema, draft 2020-12).

The schemas declare what the hand-written checks used to spell out: required
fields, types, enums, id and date patterns, and ``additionalProperties:
false``, so an unknown field is an error. Editors read the same schemas (the
``# yaml-language-server: $schema=...`` line at the top of each data file)
for completion and live errors. What a schema cannot say, the rules across
files, stays in ``explainer/data/crossrefs.py`` and the loaders.

Each ``jsonschema`` error becomes a ``Problem(path, line, message)``. The line
comes from the loader's bookkeeping (``__line__``/``__lines__`` on every
mapping, ``explainer/data/loading.py``): the bookkeeping keys are stripped
before validating, and ``error.absolute_path`` is walked over the original
tree to the nearest key. Messages name the entry by its id or key
(``ev-2026-09-01-rollout: status 'planned' is not one of past, scheduled``);
a schema may word its own message with ``errorMessage`` or
``patternErrorMessage``, the keywords VS Code's and yaml-language-server's
validators also show.

Two formats are checked here: ``partial-date`` (YYYY-MM-DD, YYYY-MM or YYYY,
a real calendar date) and ``date`` (a full YYYY-MM-DD).
"""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError

from explainer import ROOT
from explainer.data import datetext, loading
from explainer.data.loading import Problem

SCHEMAS = ROOT / "data" / "schemas" / "input"
BOOKKEEPING = ("__line__", "__lines__")
ID_FIELDS = ("id", "key", "abbr")  # what names an entry in a message, first found

FORMATS = FormatChecker(formats=())


@FORMATS.checks("partial-date", raises=ValueError)
def _partial_date(value: object) -> bool:
    if isinstance(value, str) and (msg := datetext.check_date(value)):
        raise ValueError(msg)
    return True


@FORMATS.checks("date", raises=ValueError)
def _full_date(value: object) -> bool:
    if isinstance(value, str):
        msg = datetext.check_date(value) or (None if len(value) == 10 else
                                       f"malformed date {value!r}: use a full date, YYYY-MM-DD")
        if msg:
            raise ValueError(msg)
    return True


def schema_name(path: Path) -> str:
    """data/key_facts.yml -> key_facts."""
    return Path(path).name.removesuffix(".yml")


def schema_path(name: str) -> Path:
    return SCHEMAS / f"{name}.schema.json"


@cache
def schema(name: str) -> dict:
    return json.loads(schema_path(name).read_text(encoding="utf-8"))


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name), format_checker=FORMATS)


def strip(node: Any) -> Any:
    """The tree without the loader's line bookkeeping."""
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in BOOKKEEPING}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------
def validate(tree: Any, name: str, where: str) -> list[Problem]:
    """Every problem of one loaded file (``where`` is its path for messages),
    sorted by line. An empty file counts as an empty mapping."""
    tree = {} if tree is None else tree
    problems: list[Problem] = []
    for error in _validator(name).iter_errors(strip(tree)):
        problems += _problems(error, tree, schema(name), where)
    unique = {(p.line, p.message): p for p in problems}
    return [unique[k] for k in sorted(unique, key=lambda k: k[0])]


_CHECKED: dict[tuple, list[Problem]] = {}


def check_file(path: Path, name: str | None = None) -> tuple[Any, list[Problem]]:
    """Load a data file and validate it: (tree with bookkeeping, problems).
    A YAML syntax error still raises DataError."""
    tree = loading.load_yaml(path)
    name = name or schema_name(path)
    # Validation is a pure function of the file's text and its schema.
    text = loading.read_text(path) + "\0" + schema_path(name).read_text(encoding="utf-8")
    key = loading.text_key(path, text, "schema:" + name)
    if key not in _CHECKED:
        _CHECKED[key] = validate(tree, name, loading.rel(path))
    return tree, list(_CHECKED[key])


def required(name: str, section: str) -> list[str]:
    """The required fields of a section's entries, e.g. required('sources', 'sources')."""
    prop = schema(name)["properties"][section]
    return list(prop.get("items", prop).get("required", []))


def enum(name: str, *path: str) -> list:
    """The enum a schema declares at a property path, e.g. enum('timeline', 'events', 'status')."""
    node = schema(name)
    for step in path:
        node = node["properties"][step]
        node = node.get("items", node) if node.get("type") == "array" else node
    return list(node["enum"])


# --------------------------------------------------------------------------
# From a jsonschema error to path:line: message
# --------------------------------------------------------------------------
def _entry_noun(root_schema: dict, section: Any) -> str:
    """'event' for timeline's events: the title of the section's item schema."""
    prop = root_schema.get("properties", {}).get(section) if isinstance(section, str) else None
    if not isinstance(prop, dict):
        return ""
    return str(prop.get("items", {}).get("title") or prop.get("title") or "")


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return ""
    if isinstance(value, str):
        text = " ".join(value.split())
        return repr(text if len(text) <= 60 else text[:57] + "...")
    return repr(value)


def _walk(tree: Any, path: list) -> tuple[int, Any, int | None]:
    """(line of the deepest key or item on the path, the entry mapping the
    path runs through, how many path steps lead to that entry)."""
    line = 1
    node = tree
    entry, depth = None, None
    parent: dict = {}
    for i, step in enumerate(path):
        if isinstance(node, dict) and step in node:
            line = node.get("__lines__", {}).get(step, line)
            parent, node = {"lines": node.get("__lines__", {}), "key": step}, node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            line = parent.get("lines", {}).get((parent.get("key"), step), line)
            node, parent = node[step], {}
            if isinstance(node, dict):
                line = node.get("__line__", line)
        else:
            break
        # An entry: an item of a top-level list (events[3]), or a top-level
        # mapping of named fields (claims' report).
        if entry is None and isinstance(node, dict) and (
                (i == 1 and isinstance(step, int)) or (i == 0 and not isinstance(step, int))):
            entry, depth = node, i + 1
    return line, entry, depth


def _field(steps: list) -> str:
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _detail(error: ValidationError, value: str) -> str:
    """What is wrong with one value, in words."""
    own = error.schema if isinstance(error.schema, dict) else {}
    v = error.validator
    if v == "pattern" and own.get("patternErrorMessage"):
        return f"{value} {own['patternErrorMessage']}".strip()
    if own.get("errorMessage") and v != "format":
        return f"{value} {own['errorMessage']}".strip()
    if v == "enum":
        return f"{value} is not one of {', '.join(map(str, error.validator_value))}".strip()
    if v == "const":
        return f"{value} must be {error.validator_value!r}".strip()
    if v == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = {"string": "text", "array": "a list", "object": "a mapping", "number": "a number",
                 "integer": "a whole number", "boolean": "true or false", "null": "empty"}
        hint = " (quote it)" if "string" in kinds and isinstance(error.instance, (int, float, bool)) else ""
        return f"{value} must be {' or '.join(words.get(k, k) for k in kinds)}{hint}".strip()
    if v == "minLength" and error.validator_value == 1:
        return "must not be empty"
    if v == "minItems":
        return f"must list at least {error.validator_value}"
    if v == "uniqueItems":
        seen, dupes = set(), []
        for item in error.instance:
            key = json.dumps(item, sort_keys=True)
            dupes += [item] if key in seen else []
            seen.add(key)
        return f"lists {', '.join(map(repr, dupes))} twice"
    if v == "pattern":
        return f"{value} does not match {error.validator_value}".strip()
    return error.message


def _problems(error: ValidationError, tree: Any, root_schema: dict, where: str) -> list[Problem]:
    path = list(error.absolute_path)
    v = error.validator
    section = root_schema.get("properties", {}).get(path[0], {}) if path and isinstance(path[0], str) else {}
    if isinstance(section.get("additionalProperties"), dict) and (
            len(path) > 1 or "propertyNames" in error.relative_schema_path):
        return [_mapping_problem(error, tree, path, where)]
    line, entry, depth = _walk(tree, path)
    noun = _entry_noun(root_schema, path[0]) if depth is not None else ""
    id_field = next((f for f in ID_FIELDS if isinstance(entry, dict) and f in entry), None)
    ident = entry.get(id_field) if id_field and isinstance(entry.get(id_field), str) else None
    inner = path[depth:] if depth is not None else path
    on_id = inner == [id_field]

    def message(steps: list, detail: str) -> str:
        field = _field(steps)
        if ident and not on_id:
            head = f"{ident}: "
        elif noun:
            head = f"{noun} " if field else f"{noun}: "
        else:
            head = ""
        if not field:
            return head + detail.lstrip(": ")
        return head + field + (detail if detail.startswith(":") else " " + detail)

    if v == "required":
        match = re.match(r"^(.*) is a required property$", error.message)
        missing = ast.literal_eval(match.group(1)) if match else error.message
        return [Problem(where, line if path else 1, message(inner, f"missing '{missing}'"))]
    if v == "dependentRequired":
        return [Problem(where, 1, error.message.replace("is a dependency of", "is needed by"))]
    if v == "additionalProperties" and error.validator_value is False:
        node = _at(tree, path)
        allowed = sorted(error.schema.get("properties", {}))
        extras = [k for k in (node if isinstance(node, dict) else {}) if k not in BOOKKEEPING and k not in allowed]
        return [Problem(where, node["__lines__"].get(k, line),
                        message(inner, f"unknown field {k!r} (fields: {', '.join(allowed)})")) for k in extras]
    if v == "format":
        return [Problem(where, line, message(inner, f": {error.cause or error.message}"))]
    return [Problem(where, line, message(inner, _detail(error, _show(error.instance))))]


def _mapping_problem(error: ValidationError, tree: Any, path: list, where: str) -> Problem:
    """An entry of a free mapping (redirects' pages, sources' publishers):
    "pages: 'old.md' -> 'new.md': <what is wrong>", at the key's line."""
    mapping = _at(tree, path[:1])
    lines = mapping.get("__lines__", {}) if isinstance(mapping, dict) else {}
    # A bad key (propertyNames) stops the path at the mapping; the key is the instance.
    key = path[1] if len(path) > 1 else error.instance
    value = mapping.get(key) if isinstance(mapping, dict) and not isinstance(key, (dict, list)) else None
    own = error.schema if isinstance(error.schema, dict) else {}
    detail = own.get("patternErrorMessage") if error.validator == "pattern" else None
    detail = detail or own.get("errorMessage") or _detail(error, "")
    line = lines.get(key, mapping.get("__line__", 1) if isinstance(mapping, dict) else 1)
    if len(path) > 2:  # inside a value: publishers: 'TASS': 'https://tass.ru' must be a host name
        return Problem(where, line, f"{path[0]}: {key!r}: {_show(error.instance)} {detail}")
    shown = _show(value)
    pair = f"{key!r} -> {shown}" if shown else repr(key)
    return Problem(where, line, f"{path[0]}: {pair}: {detail}")


def _at(tree: Any, path: list) -> Any:
    node = tree
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node
