"""Read a data file or a page's text, keeping line numbers: the one reader.

Every stage reads YAML through ``load_yaml`` (line marks on every mapping,
no aliases, dates kept as strings, bytes that are not UTF-8 refused by
line), and reports what is wrong as a ``Problem`` (``path:line: message``);
a file that cannot be read at all raises ``DataError``. Parsed files are
cached by a hash of their text, and callers get their own copy.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from explainer import ROOT

DATA = ROOT / "data"


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
BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(BaseLoader):
    """A safe loader that records, for each mapping, the line of each key."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> dict:
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


LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)
# Dates stay strings, so that a malformed date is reported, not coerced.
LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# Parsed files, keyed by path and a hash of the text: one build reads the
# same file through several loaders, and `mkdocs serve` rebuilds many times
# in one process. Callers get their own deep copy, so nothing they change
# leaks into the next reader; a changed byte is a new key (no timestamps).
PARSED: dict[tuple[str, str], tuple[str, Any]] = {}


def text_key(path: Path, text: str, kind: str) -> tuple[str, str, str]:
    return (kind, str(Path(path).resolve()), hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest())


def remember(key: tuple, value: Any) -> Any:
    if len(PARSED) > 2000:  # a long serve session: keep the cache bounded
        PARSED.clear()
    PARSED[key] = value
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
        for event in yaml.parse(text, Loader=BaseLoader):
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
    hit = PARSED.get(key)  # .get: `make serve` checks in a thread while it builds
    if hit is not None:
        return copy.deepcopy(hit)
    refuse_aliases(text, rel(path))
    try:
        tree = yaml.load(text, Loader=LineLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise DataError(Problem(rel(path), line, f"invalid YAML: {exc.problem}")) from exc
    return remember(key, tree)


def clean(entry: dict) -> dict:
    """The entry without the line bookkeeping keys."""
    return {k: v for k, v in entry.items() if not str(k).startswith("__")}


