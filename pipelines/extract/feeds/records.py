"""What a parser yields, and the helpers every parser shares (no database).

Every parser of a file (the feed formats of ``parsers.py``, the CSV of ``dv land`` in
``pipelines/extract/csv_file.py``) yields, in file order:

- ``Row``: the values of one landing row, as text, in the source's column order (``None`` is NULL);
- ``Bad``: a line or record that cannot be parsed, with the reason and its raw text (it goes to
  ``dv_meta.quarantine``: nothing is dropped silently);
- ``Break``: the file cannot be read past this point (cut at the end, or not well-formed): the rows
  before it are good, the break itself is also a ``Bad`` of the source that owns it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator.errors import DVError

RAW_LIMIT = 65_536  # characters of a quarantined record's raw text that are kept
MAX_DEPTH = 100  # nesting a record may have (JSON arrays and objects, XML elements); deeper is quarantined
LANDING_FILE, LANDING_LINE = "landing_file", "landing_line"


@dataclass(frozen=True)
class Row:
    values: tuple[str | None, ...]


@dataclass(frozen=True)
class Bad:
    reason: str
    raw: str
    line: int | None = None  # line in the file where the record starts (1 = first)
    item: int | None = None  # board B: position of the item in its page (1 = first)


@dataclass(frozen=True)
class Break:
    problem: str


Record = Row | Bad | Break


@dataclass(frozen=True)
class Column:
    name: str
    family: str  # type family of the declared type: text, integer, numeric, date, timestamptz, json, ...


@dataclass(frozen=True)
class FeedFile:
    """What a parser needs to know about one file and the source that lands it."""

    rel: str  # path under the landing folder: the value of landing_file
    columns: tuple[Column, ...]
    event_type: str | None = None  # events_jsonl: the type this source lands (None: every type)
    claimed: frozenset[str] = frozenset()  # events_jsonl: the types the sources reading these files land
    catch_all: bool = True  # events_jsonl: this source quarantines the lines no other source owns
    chain_problem: str | None = None  # board_b_json: the page's next_page leads nowhere (a break after it)


class FeedFormatError(DVError):
    """A file the parser cannot map onto the source at all (a CSV header naming unknown columns)."""


def cap(text: str) -> str:
    return text if len(text) <= RAW_LIMIT else text[:RAW_LIMIT] + f"… [{len(text) - RAW_LIMIT} more characters]"


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def text_of(value: Any, family: str) -> str | None:
    """A parsed value as landing text: JSON columns get compact JSON, lists of scalars a comma list."""
    if value is None:
        return None
    if family == "json":
        return compact(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list) and all(not isinstance(v, list | dict) for v in value):
        return ",".join("" if v is None else str(text_of(v, "text")) for v in value)
    return compact(value)


def unstorable(values: tuple[str | None, ...]) -> str | None:
    """Why PostgreSQL text cannot hold one of the values (a NUL, or text that is not valid UTF-8)."""
    for value in values:
        if value is None:
            continue
        if "\x00" in value:
            return "a value contains a NUL character, which PostgreSQL text cannot hold"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "a value is not valid UTF-8"
    return None


def printable(text: str) -> str:
    """Raw text safe to store in jsonb: NULs spelled out, undecodable bytes replaced."""
    return text.replace("\x00", "\\u0000").encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in a JSON text, counted without parsing it (brackets inside strings
    are skipped), so a document nested thousands deep is measured, not recursed into."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def too_deep(text: str) -> int | None:
    """The nesting of a JSON text when it is deeper than ``MAX_DEPTH`` (else ``None``); cheap for the usual
    record, which has fewer brackets than that."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = json_depth(text)
    return depth if depth > MAX_DEPTH else None
