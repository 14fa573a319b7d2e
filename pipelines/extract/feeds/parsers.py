"""One streaming parser per feed format: a generator of landing records, no database.

Each parser reads one file from a binary stream, a line, an element or a page
at a time (never the whole file, except a board B page, which is small), and
yields, in file order:

- ``Row``: the values of one landing row, as text, in the source's column order (``None`` is NULL);
- ``Bad``: a line or record that cannot be parsed, with the reason and its raw text (it goes to
  ``dv_meta.quarantine``: nothing is dropped silently);
- ``Break``: the file cannot be read past this point (cut at the end, or not well-formed): the rows
  before it are good, the break itself is also a ``Bad`` of the source that owns it.

What each landing column is filled from is in ``docs/platform.md`` (File feeds).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from generator.errors import DVError

RAW_LIMIT = 65_536  # characters of a quarantined record's raw text that are kept
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


# -- shared helpers ---------------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text if len(text) <= RAW_LIMIT else text[:RAW_LIMIT] + f"… [{len(text) - RAW_LIMIT} more characters]"


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _text(value: Any, family: str) -> str | None:
    """A parsed value as landing text: JSON columns get compact JSON, lists of scalars a comma list."""
    if value is None:
        return None
    if family == "json":
        return _compact(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list) and all(not isinstance(v, list | dict) for v in value):
        return ",".join("" if v is None else str(_text(v, "text")) for v in value)
    return _compact(value)


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


def _printable(text: str) -> str:
    """Raw text safe to store in jsonb: NULs spelled out, undecodable bytes replaced."""
    return text.replace("\x00", "\\u0000").encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _path(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


# -- events/*.jsonl ---------------------------------------------------------------------------------

# where a landing column of an events source comes from (others: payload.<column>, else <column>)
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    "event_id": ("event_id",),
    "event_type": ("type",),
    "user_id": ("user_id",),
    "occurred_at": ("timestamp",),
    "view_source": ("payload", "source"),
    "query_text": ("payload", "query"),
    "result_count": ("payload", "results"),
    "login_method": ("payload", "method"),
    "updated_fields": ("payload", "fields"),
}
_TYPE_IN_TEXT = re.compile(rb'"type"\s*:\s*"([^"\\]*)"')


def event_owner(line: bytes, f: FeedFile) -> bool:
    """Whether this source handles the line: lines are routed by the first ``"type":"…"`` in their
    text (which a line cut in half usually still has), so each line belongs to exactly one source of
    the files; lines of no source's type (or without a readable type) belong to the catch-all."""
    if f.event_type is None:
        return True
    match = _TYPE_IN_TEXT.search(line)
    routed = match.group(1).decode("utf-8", "replace") if match else None
    if routed == f.event_type:
        return True
    return f.catch_all and routed not in f.claimed


def _event_value(event: dict[str, Any], column: Column, f: FeedFile, number: int) -> str | None:
    if column.name == LANDING_FILE:
        return f.rel
    if column.name == LANDING_LINE:
        return str(number)
    path = EVENT_FIELDS.get(column.name)
    if path is not None:
        return _text(_path(event, path), column.family)
    payload = event.get("payload")
    if isinstance(payload, dict) and column.name in payload:
        return _text(payload[column.name], column.family)
    return _text(event.get(column.name), column.family)


def events_jsonl(stream: IO[bytes], f: FeedFile) -> Iterator[Record]:
    """JSON lines: one event a line; keeps the events of the source's type, flattened into its columns.
    A line that is not JSON is quarantined by the source its text names; the last line cut without a
    line end is a break (a truncated file), reported by every source that reads the file."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        cut = not raw.endswith(b"\n")  # only the last line of a file can lack its line end
        mine = event_owner(raw, f)
        if not mine and not cut:
            continue
        text = raw.decode("utf-8", "surrogateescape").rstrip("\r\n")
        try:
            event = json.loads(text)
        except json.JSONDecodeError as exc:
            why = f"{exc.msg}: column {exc.colno}"
            if cut:
                yield Break(f"line {number} is cut: the file ends inside a JSON line ({why})")
            if mine:
                what = "truncated file: the last line ends without a line end and" if cut else "the line"
                yield Bad(f"extract: {what} is not valid JSON ({why})", _cap(_printable(text)), number)
            continue
        if not mine:
            continue
        if not isinstance(event, dict):
            yield Bad("extract: the line is JSON but not an object", _cap(_printable(text)), number)
            continue
        kind = event.get("type")
        if f.event_type is not None and kind != f.event_type:
            why = "no source lands it"
            if kind in f.claimed:
                why = 'it is not the first "type" written plainly in the line'
            yield Bad(f"extract: event type {kind!r} cannot be routed: {why}", _cap(_printable(text)), number)
            continue
        values = tuple(_event_value(event, c, f, number) for c in f.columns)
        problem = unstorable(values)
        if problem:
            yield Bad(f"extract: {problem}", _cap(_printable(text)), number)
            continue
        yield Row(values)


# -- board_a/*.xml ----------------------------------------------------------------------------------

# where a landing column of board A comes from: a child element's text, or "element@attribute"
BOARD_A_FIELDS: dict[str, str] = {
    "posting_id": "@id",
    "city": "location@city",
    "country_code": "location@country",
    "remote": "location@remote",
    "salary_currency": "salary@currency",
    "salary_period": "salary@period",
    "salary_min": "salary@min",
    "salary_max": "salary@max",
    "posted_on": "posted",
}
RECORD_TAG = "job"


def _board_a_value(job: ET.Element, root: dict[str, str], column: Column, f: FeedFile) -> str | None:
    if column.name == LANDING_FILE:
        return f.rel
    if column.name == "board":
        return root.get("board", "board_a")
    if column.name == "extracted_on":
        return root.get("date")
    spec = BOARD_A_FIELDS.get(column.name, column.name)
    element, _, attribute = spec.partition("@")
    node = job if not element else job.find(element)
    if node is None:
        return None
    return node.get(attribute) if attribute else (node.text or "")


class _BoardA:
    """State of one board A document: the root's attributes, the record being read, the raw lines since
    the last record ended (the text of a break)."""

    def __init__(self, f: FeedFile) -> None:
        self.f = f
        self.depth = 0
        self.root: ET.Element | None = None
        self.root_attrib: dict[str, str] = {}
        self.line = 0  # line being fed
        self.record_line = 0
        self.pending: list[str] = []
        self.pending_start = 1
        self.pending_size = 0

    def fed(self, number: int, raw: bytes) -> None:
        self.line = number
        if self.pending_size < RAW_LIMIT:
            text = raw.decode("utf-8", "replace")
            self.pending.append(text)
            self.pending_size += len(text)

    def handle(self, event: str, elem: ET.Element) -> Iterator[Record]:
        if event == "start":
            self.depth += 1
            if self.depth == 1:
                self.root, self.root_attrib = elem, dict(elem.attrib)
            elif self.depth == 2:
                self.record_line = self.line
            return
        self.depth -= 1
        if self.depth != 1:
            return
        raw = ET.tostring(elem, encoding="unicode").strip()
        if elem.tag != RECORD_TAG:
            why = f"extract: unexpected element <{elem.tag}> (records are <{RECORD_TAG}>)"
            yield Bad(why, _cap(raw), self.record_line)
        elif not (elem.get("id") or "").strip():
            yield Bad("extract: posting without an id", _cap(raw), self.record_line)
        else:
            values = tuple(_board_a_value(elem, self.root_attrib, c, self.f) for c in self.f.columns)
            problem = unstorable(values)
            yield Bad(f"extract: {problem}", _cap(raw), self.record_line) if problem else Row(values)
        if self.root is not None:
            self.root.clear()  # frees the landed record (the root's attributes are kept in root_attrib)
        self.pending, self.pending_start, self.pending_size = [], self.line + 1, 0

    def broken(self, exc: ET.ParseError, at_end: bool) -> Iterator[Record]:
        what = "truncated file: it ends inside the XML document" if at_end else "the XML document is not well-formed"
        yield Break(f"{what} ({exc}); nothing after it is read")
        start = self.record_line if self.depth >= 2 else self.pending_start  # inside a record: from its start
        text = "".join(self.pending[max(start - self.pending_start, 0) :]) or "(end of file)"
        yield Bad(f"extract: {what} ({exc})", _cap(_printable(text)), start)


def board_a_xml(stream: IO[bytes], f: FeedFile) -> Iterator[Record]:
    """One XML document of ``<job>`` elements, read by a pull parser fed line by line (so each record
    knows its line) and cleared as soon as it is landed. A posting without an id, or any element
    other than ``<job>`` under the root, is quarantined; a document that breaks (cut in the middle, not
    well-formed) lands the postings before the break and quarantines the break."""
    parser = ET.XMLPullParser(events=("start", "end"))
    state = _BoardA(f)
    for number, raw in enumerate(stream, start=1):
        state.fed(number, raw)
        parser.feed(raw)
        try:
            for event, elem in _events(parser):
                yield from state.handle(event, elem)
        except ET.ParseError as exc:
            yield from state.broken(exc, at_end=False)
            return
    try:
        parser.close()
        for event, elem in _events(parser):
            yield from state.handle(event, elem)
    except ET.ParseError as exc:
        yield from state.broken(exc, at_end=True)


def _events(parser: ET.XMLPullParser) -> Iterator[tuple[str, ET.Element]]:
    """The parser's start and end events so far (raises the ``ParseError`` met after them)."""
    for event, elem in parser.read_events():  # type: ignore[misc]
        yield str(event), cast(ET.Element, elem)


# -- board_b/<date>/page-NNNN.json ------------------------------------------------------------------

BOARD_B_FIELDS: dict[str, tuple[str, ...]] = {
    "posting_id": ("id",),
    "employer_name": ("employer",),
    "country_code": ("country",),
    "compensation_min": ("compensation", "min"),
    "compensation_max": ("compensation", "max"),
    "compensation_currency": ("compensation", "currency"),
    "compensation_unit": ("compensation", "unit"),
}
PAGE_FIELDS = ("board", "extracted_at", "page", "pages")


def _board_b_value(item: dict[str, Any], page: dict[str, Any], column: Column, f: FeedFile) -> str | None:
    if column.name == LANDING_FILE:
        return f.rel
    if column.name == "board":
        return _text(page.get("board", "board_b"), column.family)
    if column.name in PAGE_FIELDS:
        return _text(page.get(column.name), column.family)
    return _text(_path(item, BOARD_B_FIELDS.get(column.name, (column.name,))), column.family)


def read_page(data: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """A board B page as a dict, or why it is not one."""
    try:
        page = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, f"the page is not UTF-8 ({exc.reason} at byte {exc.start})"
    except json.JSONDecodeError as exc:
        return None, f"the page is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    if not isinstance(page, dict) or not isinstance(page.get("items"), list):
        return None, "the page is not an object with an items list"
    return page, None


def board_b_json(stream: IO[bytes], f: FeedFile) -> Iterator[Record]:
    """One page of board B's export (small: read whole). Each item is a posting; an item without an id
    is quarantined; a page that is not JSON is a break (quarantined whole), and so is a page whose
    ``next_page`` names a page that is not there (``FeedFile.chain_problem``)."""
    data = stream.read()
    page, problem = read_page(data)
    if page is None:
        yield Break(f"{problem}; none of its items is read")
        yield Bad(f"extract: {problem}", _cap(_printable(data.decode("utf-8", "replace"))), 1)
        return
    for n, item in enumerate(page["items"], start=1):
        if not isinstance(item, dict):
            yield Bad("extract: item is not a JSON object", _cap(_compact(item)), None, n)
            continue
        if not str(item.get("id") or "").strip():
            yield Bad("extract: posting without an id", _cap(_compact(item)), None, n)
            continue
        values = tuple(_board_b_value(item, page, c, f) for c in f.columns)
        problem = unstorable(values)
        yield Bad(f"extract: {problem}", _cap(_printable(_compact(item))), None, n) if problem else Row(values)
    if f.chain_problem:
        yield Break(f.chain_problem)
        raw = _compact({k: page.get(k) for k in ("page", "pages", "next_page")})
        yield Bad(f"extract: incomplete export: {f.chain_problem}", raw, None, None)


# -- crm/accounts_<date>.csv ------------------------------------------------------------------------

_DMY_TIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def dmy_to_iso(value: str, family: str) -> str:
    """``dd/mm/yyyy HH:MM`` → ``yyyy-mm-ddTHH:MM:00Z`` (``dd/mm/yyyy`` → ``yyyy-mm-dd`` for dates) when it
    is a real moment; anything else is kept as given, so the stage step's cast quarantines it."""
    try:
        if family in ("timestamp", "timestamptz") and (m := _DMY_TIME.fullmatch(value)):
            day, month, year, hour, minute = (int(g) for g in m.groups())
            moment = dt.datetime(year, month, day, hour, minute)
            return moment.strftime("%Y-%m-%dT%H:%M:00") + ("Z" if family == "timestamptz" else "")
        if family == "date" and (m := _DMY.fullmatch(value)):
            day, month, year = (int(g) for g in m.groups())
            return dt.date(year, month, day).isoformat()
    except ValueError:
        pass
    return value


def export_date(rel: str) -> str | None:
    """The date in a file's name (``accounts_2026-03-02.csv`` → ``2026-03-02``), if it names a real day."""
    match = _DATE_IN_NAME.search(rel.rsplit("/", 1)[-1])
    if match is None:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


def header_name(field: str) -> str:
    """``Platform Employer ID`` → ``platform_employer_id``."""
    return re.sub(r"[^0-9a-z]+", "_", field.strip().lower()).strip("_")


class _Lines:
    """The text lines a CSV reader consumes, kept until the record they make is taken (its raw text)."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text
        self.taken: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.text.readline()
        if not line:
            raise StopIteration
        self.taken.append(line)
        return line

    def take(self) -> str:
        raw, self.taken = "".join(self.taken), []
        return raw


def crm_csv(stream: IO[bytes], f: FeedFile) -> Iterator[Record]:
    """The CRM export: UTF-8 with a byte-order mark, CRLF, quoted fields, empty lines (skipped). Columns
    are matched by header name (``Account ID`` → ``account_id``); every declared column must be in the
    header or be landing_file, landing_line, export_date. An empty field is NULL (CSV has no other
    spelling of it); timestamps ``dd/mm/yyyy HH:MM`` become ISO; a record with the wrong number of
    fields is quarantined."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        yield from _crm_records(text, f)
    finally:
        text.detach()  # the caller still reads the stream (to finish the file's checksum)


def _crm_records(text: IO[str], f: FeedFile) -> Iterator[Record]:
    lines = _Lines(text)
    reader = csv.reader(lines, strict=False)
    header: list[str] | None = None
    for record in reader:
        lines.take()
        if record:
            header = record
            break
    if header is None:
        return
    names = [header_name(h) for h in header]
    declared = {c.name for c in f.columns}
    extra = sorted(set(names) - declared)
    computed = {LANDING_FILE, LANDING_LINE, "export_date"}
    missing = sorted(declared - set(names) - computed)
    if extra or missing:
        raise FeedFormatError(
            f"{f.rel}: the header does not match the source's columns"
            + (f"; not declared: {', '.join(extra)}" if extra else "")
            + (f"; not in the header: {', '.join(missing)}" if missing else "")
            + "\n    hint: header names are matched lower-cased, spaces as underscores; declare every column"
            " of the file in the source (model/sources/)"
        )
    position = {name: i for i, name in enumerate(names)}
    exported = export_date(f.rel)
    # per column: the field of the record it comes from, or a value of its own (file, date, line)
    sources: list[tuple[int | None, str, str | None]] = [
        (position.get(c.name), c.family, f.rel if c.name == LANDING_FILE else exported) for c in f.columns
    ]
    line_column = next((i for i, c in enumerate(f.columns) if c.name == LANDING_LINE), None)

    def values_of(record: list[str], line: int) -> tuple[str | None, ...]:
        out = [
            (dmy_to_iso(record[i], family) if record[i] != "" else None) if i is not None else own
            for i, family, own in sources
        ]
        if line_column is not None:
            out[line_column] = str(line)
        return tuple(out)

    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Bad(f"extract: not valid CSV ({exc})", _cap(_printable(lines.take())), start)
            continue
        raw = lines.take()
        if not record:
            continue
        open_quote = not raw.endswith("\n") and raw.count('"') % 2 == 1
        if len(record) != len(names) or open_quote:
            why = "the file ends inside a quoted field" if open_quote else ""
            why = why or f"{len(record)} fields, the header has {len(names)}"
            if not raw.endswith("\n"):
                yield Break(f"line {start} is cut: the file ends inside a record ({why})")
                why = "truncated file: the last record ends without a line end: " + why
            yield Bad(f"extract: {why}", _cap(_printable(raw)), start)
            continue
        values = values_of(record, start)
        problem = unstorable(values)
        yield Bad(f"extract: {problem}", _cap(_printable(raw)), start) if problem else Row(values)


PARSERS: dict[str, Callable[[IO[bytes], FeedFile], Iterator[Record]]] = {
    "events_jsonl": events_jsonl,
    "board_a_xml": board_a_xml,
    "board_b_json": board_b_json,
    "crm_csv": crm_csv,
}
