"""One streaming parser per feed format: a generator of landing records, no database.

Each parser reads one file from a binary stream, a line, an element or a page
at a time (never the whole file, except a board B page, which is small), and
yields, in file order:

- ``Row``: the values of one landing row, as text, in the source's column order (``None`` is NULL);
- ``Bad``: a line or record that cannot be parsed, with the reason and its raw text (it goes to
  ``dv_meta.quarantine``: nothing is dropped silently);
- ``Break``: the file cannot be read past this point (cut at the end, or not well-formed): the rows
  before it are good, the break itself is also a ``Bad`` of the source that owns it.

What each landing column is filled from is in ``docs/platform.md`` (File feeds). A record nested deeper
than ``MAX_DEPTH`` is quarantined; an XML document that declares an entity (billion laughs) or refers to
an external one is refused (``defusedxml``: nothing expanded, nothing fetched) and quarantined.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import IO, Any, cast

from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from pipelines.extract.feeds.csvread import CsvReader, CsvRecord, duplicated, header_name, shown
from pipelines.extract.feeds.records import (
    LANDING_FILE,
    LANDING_LINE,
    MAX_DEPTH,
    RAW_LIMIT,
    Bad,
    Break,
    Column,
    FeedFile,
    FeedFormatError,
    Record,
    Row,
    cap,
    compact,
    printable,
    text_of,
    too_deep,
    unstorable,
)

__all__ = ["PARSERS", "RAW_LIMIT", "Bad", "Break", "Column", "FeedFile", "FeedFormatError", "Record", "Row"]
BOM = b"\xef\xbb\xbf"


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
        return text_of(_path(event, path), column.family)
    payload = event.get("payload")
    if isinstance(payload, dict) and column.name in payload:
        return text_of(payload[column.name], column.family)
    return text_of(event.get(column.name), column.family)


def events_jsonl(stream: IO[bytes], f: FeedFile) -> Iterator[Record]:
    """JSON lines: one event a line; keeps the events of the source's type, flattened into its columns.
    A line that is not JSON is quarantined by the source its text names; the last line cut without a
    line end is a break (a truncated file), reported by every source that reads the file."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(BOM):  # a byte-order mark before the first event is not part of it
            raw = raw[len(BOM) :]
        if not raw.strip():
            continue
        cut = not raw.endswith(b"\n")  # only the last line of a file can lack its line end
        mine = event_owner(raw, f)
        if not mine and not cut:
            continue
        text = raw.decode("utf-8", "surrogateescape").rstrip("\r\n")
        depth = too_deep(text)
        if depth is not None:
            if cut:
                yield Break(f"line {number} is cut: the file ends inside a JSON line nested {depth} levels deep")
            if mine:
                why = f"extract: the line nests {depth} levels deep (at most {MAX_DEPTH})"
                yield Bad(why, cap(printable(text)), number)
            continue
        try:
            event = json.loads(text)
        except json.JSONDecodeError as exc:
            why = f"{exc.msg}: column {exc.colno}"
            if cut:
                yield Break(f"line {number} is cut: the file ends inside a JSON line ({why})")
            if mine:
                what = "truncated file: the last line ends without a line end and" if cut else "the line"
                yield Bad(f"extract: {what} is not valid JSON ({why})", cap(printable(text)), number)
            continue
        if not mine:
            continue
        if not isinstance(event, dict):
            yield Bad("extract: the line is JSON but not an object", cap(printable(text)), number)
            continue
        kind = event.get("type")
        if f.event_type is not None and kind != f.event_type:
            why = "no source lands it"
            if kind in f.claimed:
                why = 'it is not the first "type" written plainly in the line'
            yield Bad(f"extract: event type {kind!r} cannot be routed: {why}", cap(printable(text)), number)
            continue
        values = tuple(_event_value(event, c, f, number) for c in f.columns)
        problem = unstorable(values)
        if problem:
            yield Bad(f"extract: {problem}", cap(printable(text)), number)
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
        self.deepest = 0  # how deep the record being read nests (root = 1, record = 2)

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
                self.record_line, self.deepest = self.line, 2
            self.deepest = max(self.deepest, self.depth)
            return
        self.depth -= 1
        if self.depth != 1:
            return
        levels = self.deepest - 1  # the record's own nesting, the record itself being level 1
        if levels > MAX_DEPTH:  # not serialized (that recurses): its lines are its raw text
            text = "".join(self.pending[max(self.record_line - self.pending_start, 0) :])
            yield Bad(f"extract: the record nests {levels} levels deep (at most {MAX_DEPTH})", cap(printable(text)),
                      self.record_line)  # fmt: skip
            self._next_record()
            return
        raw = ET.tostring(elem, encoding="unicode").strip()
        if elem.tag != RECORD_TAG:
            why = f"extract: unexpected element <{elem.tag}> (records are <{RECORD_TAG}>)"
            yield Bad(why, cap(raw), self.record_line)
        elif not (elem.get("id") or "").strip():
            yield Bad("extract: posting without an id", cap(raw), self.record_line)
        else:
            values = tuple(_board_a_value(elem, self.root_attrib, c, self.f) for c in self.f.columns)
            problem = unstorable(values)
            yield Bad(f"extract: {problem}", cap(raw), self.record_line) if problem else Row(values)
        self._next_record()

    def _next_record(self) -> None:
        if self.root is not None:
            self.root.clear()  # frees the landed record (the root's attributes are kept in root_attrib)
        self.pending, self.pending_start, self.pending_size = [], self.line + 1, 0

    def broken(self, exc: Exception, at_end: bool) -> Iterator[Record]:
        if isinstance(exc, EntitiesForbidden):
            where = f" (system id {exc.sysid})" if exc.sysid else ""
            what = f"the XML document declares the entity {exc.name!r}{where}: refused, entities are not expanded"
        elif isinstance(exc, DefusedXmlException):
            what = f"the XML document refers to an external resource: refused, nothing is fetched ({exc})"
        elif at_end:
            what = f"truncated file: it ends inside the XML document ({exc})"
        else:
            what = f"the XML document is not well-formed ({exc})"
        yield Break(f"{what}; nothing after it is read")
        start = self.record_line if self.depth >= 2 else self.pending_start  # inside a record: from its start
        text = "".join(self.pending[max(start - self.pending_start, 0) :]) or "(end of file)"
        yield Bad(f"extract: {what}", cap(printable(text)), start)


def board_a_xml(stream: IO[bytes], f: FeedFile) -> Iterator[Record]:
    """One XML document of ``<job>`` elements, read by a pull parser fed line by line (so each record
    knows its line) and cleared as soon as it is landed. A posting without an id, or any element
    other than ``<job>`` under the root, is quarantined; a document that breaks (cut in the middle, not
    well-formed, an entity declared or referred to) lands the postings before the break and quarantines
    the break."""
    # defusedxml's parser under the pull parser: an entity declaration or an external reference raises
    # (billion laughs, file:///etc/passwd) instead of being expanded or fetched
    parser = ET.XMLPullParser(events=("start", "end"), _parser=DefusedXMLParser(target=ET.TreeBuilder()))
    state = _BoardA(f)
    for number, raw in enumerate(stream, start=1):
        state.fed(number, raw)
        try:
            parser.feed(raw)
            for event, elem in _events(parser):
                yield from state.handle(event, elem)
        except (ET.ParseError, DefusedXmlException) as exc:
            yield from state.broken(exc, at_end=False)
            return
    try:
        parser.close()
        for event, elem in _events(parser):
            yield from state.handle(event, elem)
    except (ET.ParseError, DefusedXmlException) as exc:
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
        return text_of(page.get("board", "board_b"), column.family)
    if column.name in PAGE_FIELDS:
        return text_of(page.get(column.name), column.family)
    return text_of(_path(item, BOARD_B_FIELDS.get(column.name, (column.name,))), column.family)


def read_page(data: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """A board B page as a dict, or why it is not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"the page is not UTF-8 ({exc.reason} at byte {exc.start})"
    depth = too_deep(text)
    if depth is not None:  # not parsed: the parser would recurse that deep
        return None, f"the page nests {depth} levels deep (at most {MAX_DEPTH})"
    try:
        page = json.loads(text)
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
        yield Bad(f"extract: {problem}", cap(printable(data.decode("utf-8", "replace"))), 1)
        return
    for n, item in enumerate(page["items"], start=1):
        if not isinstance(item, dict):
            yield Bad("extract: item is not a JSON object", cap(compact(item)), None, n)
            continue
        if not str(item.get("id") or "").strip():
            yield Bad("extract: posting without an id", cap(compact(item)), None, n)
            continue
        values = tuple(_board_b_value(item, page, c, f) for c in f.columns)
        problem = unstorable(values)
        yield Bad(f"extract: {problem}", cap(printable(compact(item))), None, n) if problem else Row(values)
    if f.chain_problem:
        yield Break(f.chain_problem)
        raw = compact({k: page.get(k) for k in ("page", "pages", "next_page")})
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
    reader = CsvReader(text, f.rel)
    header = reader.header()
    if header is None:
        return
    names = [header_name(h) for h in header]
    declared = {c.name for c in f.columns}
    extra = sorted(set(names) - declared)
    computed = {LANDING_FILE, LANDING_LINE, "export_date"}
    missing = sorted(declared - set(names) - computed)
    twice = duplicated(header)
    if extra or missing or twice:
        raise FeedFormatError(
            f"{f.rel}: the header does not match the source's columns"
            + (f"; not declared: {', '.join(shown(n) for n in extra[:10])}" if extra else "")
            + (f"; not in the header: {', '.join(missing)}" if missing else "")
            + (f"; {twice}" if twice else "")
            + "\n    hint: header names are matched lower-cased, spaces as underscores; declare every column"
            " of the file in the source (model/sources/), once"
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

    for item in reader.records(len(names)):
        if not isinstance(item, CsvRecord):
            yield item
            continue
        values = values_of(item.fields, item.line)
        problem = unstorable(values)
        yield Bad(f"extract: {problem}", cap(printable(item.raw)), item.line) if problem else Row(values)


PARSERS: dict[str, Callable[[IO[bytes], FeedFile], Iterator[Record]]] = {
    "events_jsonl": events_jsonl,
    "board_a_xml": board_a_xml,
    "board_b_json": board_b_json,
    "crm_csv": crm_csv,
}
