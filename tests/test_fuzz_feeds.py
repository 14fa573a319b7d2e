"""Property-based fuzzing (Hypothesis) of the feed parsers and of ``dv land``'s CSV reading, no database.

Each property generates good records, serializes them as the format has them, corrupts some of them in
ways a delivery can be broken, and checks: the parser raises nothing (a file it cannot map at all is a
``DVError``, never a traceback), every good record comes out as a row with its values, every corrupted one
is quarantined with its line (or item) and a reason, and rows + quarantined = records. The fast tier runs
``FAST`` examples per target; ``make fuzz`` (marker ``fuzz``) runs ``DEEP`` of each.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.extract.csv_file import CsvFile
from pipelines.extract.feeds.copyio import copy_line
from pipelines.extract.feeds.parsers import FeedFile, board_a_xml, board_b_json, crm_csv, events_jsonl
from pipelines.extract.feeds.records import MAX_DEPTH, Bad, Break, Record, Row
from tests.test_feeds import BOARD_A_COLUMNS, CRM_COLUMNS, columns, parse

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DEEP = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text a good record may hold: any character PostgreSQL text can store (no NUL, no lone surrogate), with
# the ones that break naive writers and COPY (\. \N backslash tab quote comma) on purpose
CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r")
TEXT = st.one_of(st.text(CHARS, max_size=20), st.sampled_from(["\\.", "\\N", "\\", "\t", '"', ",", " \\. ", "\n"]))
XML_CHARS = st.characters(min_codepoint=0x20, max_codepoint=0xD7FF)
DEEP_JSON = "[" * (MAX_DEPTH * 30) + "]" * (MAX_DEPTH * 30)


def both(check: Callable[..., None], strategy: st.SearchStrategy[Any]) -> tuple[Any, Any]:
    """The property as two tests: a bounded one in the fast tier, a long one under ``-m fuzz``."""
    fast = FAST(given(strategy)(check))
    deep = pytest.mark.fuzz(DEEP(given(strategy)(check)))
    return fast, deep


def split(records: list[Record]) -> tuple[list[Row], list[Bad], list[Break]]:
    return ([r for r in records if isinstance(r, Row)], [r for r in records if isinstance(r, Bad)],
            [r for r in records if isinstance(r, Break)])  # fmt: skip


def reasons_given(bad: list[Bad]) -> None:
    assert all(b.reason.startswith("extract: ") and len(b.reason) > len("extract: ") for b in bad)


# -- events/*.jsonl --------------------------------------------------------------------------------------------

EVENT_CORRUPTIONS = ["cut", "garbage", "deep", "array", None, None, None]


@st.composite
def event_files(draw: st.DrawFn) -> tuple[bytes, list[str], list[int]]:
    n = draw(st.integers(0, 25))
    lines: list[bytes] = []
    good: list[str] = []
    bad: list[int] = []
    for i in range(n):
        payload = {"method": draw(TEXT), "query": draw(TEXT)}
        kind = draw(st.sampled_from(["login", "search"]))
        event = {"event_id": f"e{i}", "type": kind, "user_id": i, "timestamp": "2026-03-02T10:00Z", "payload": payload}
        text = json.dumps(event, ensure_ascii=draw(st.booleans())).encode("utf-8")
        corruption = draw(st.sampled_from(EVENT_CORRUPTIONS))
        if corruption == "cut":
            text = text[: draw(st.integers(1, len(text) - 1))]
        elif corruption == "garbage":
            text = b"#" + draw(st.binary(max_size=40)).replace(b"\n", b"").replace(b"\r", b"")
        elif corruption == "deep":
            text = text[:-1] + b',"x":' + DEEP_JSON.encode() + b"}"
        elif corruption == "array":
            text = b"[" + text + b"]"
        lines.append(text)
        (bad if corruption else good).append(i + 1 if corruption else i)  # bad: line numbers; good: ids
    data = b"\n".join(lines) + (b"\n" if draw(st.booleans()) else b"")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, [f"e{i}" for i in good], bad


def check_events(case: tuple[bytes, list[str], list[int]]) -> None:
    data, good, bad_lines = case
    f = FeedFile("events/h.jsonl", columns("event_id event_type login_method query_text landing_line"))
    rows, bad, _ = split(parse(events_jsonl, data, f))
    assert [r.values[0] for r in rows] == good
    assert sorted(b.line for b in bad if b.line is not None) == bad_lines
    reasons_given(bad)


test_events_jsonl, test_events_jsonl_fuzz = both(check_events, event_files())


# -- board_a/*.xml ---------------------------------------------------------------------------------------------

XML_CORRUPTIONS = ["no_id", "deep", "other", None, None, None]


@st.composite
def board_a_files(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]], int, bool]:
    n = draw(st.integers(0, 20))
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<jobs board="board_a" date="2026-03-03">\n']
    good: list[tuple[str, str]] = []
    bad = 0
    for i in range(n):
        title = draw(st.text(XML_CHARS, max_size=20))
        corruption = draw(st.sampled_from(XML_CORRUPTIONS))
        attribute = "" if corruption == "no_id" else f" id={quoteattr(f'A{i}')}"
        inner = f"<title>{escape(title)}</title>"
        if corruption == "deep":
            inner += "<x>" * (MAX_DEPTH + 10) + "</x>" * (MAX_DEPTH + 10)
        tag = "note" if corruption == "other" else "job"
        parts.append(f"  <{tag}{attribute}>\n    {inner}\n  </{tag}>\n")
        if corruption:
            bad += 1
        else:
            good.append((f"A{i}", title))
    parts.append("</jobs>\n")
    document = "".join(parts)
    cut = draw(st.booleans()) and draw(st.booleans())
    if cut:
        document = document[: draw(st.integers(0, len(document) - 1))]
    return document, good, bad, cut


def check_board_a(case: tuple[str, list[tuple[str, str]], int, bool]) -> None:
    document, good, bad_count, cut = case
    rows, bad, breaks = split(parse(board_a_xml, document, FeedFile("board_a/d.xml", BOARD_A_COLUMNS)))
    reasons_given(bad)
    landed = [(r.values[1], r.values[4]) for r in rows]
    if not cut:
        assert landed == [(i, t.replace("\r", "\n")) for i, t in good]
        assert len(bad) == bad_count and not breaks
    else:  # the postings before the break, then the break quarantined (or nothing, if the cut is at the end)
        assert landed == [(i, t.replace("\r", "\n")) for i, t in good][: len(landed)]
        assert len(breaks) <= 1 and (not breaks or bad)


test_board_a_xml, test_board_a_xml_fuzz = both(check_board_a, board_a_files())


# -- board_b/<date>/page-NNNN.json -----------------------------------------------------------------------------

ITEM_CORRUPTIONS = ["no_id", "not_object", None, None, None]


@st.composite
def board_b_pages(draw: st.DrawFn) -> tuple[bytes, list[str], list[int], str | None]:
    items: list[Any] = []
    good: list[str] = []
    bad: list[int] = []
    for i in range(draw(st.integers(0, 20))):
        item: Any = {"id": f"B{i}", "title": draw(TEXT), "employer": draw(TEXT)}
        corruption = draw(st.sampled_from(ITEM_CORRUPTIONS))
        if corruption == "no_id":
            del item["id"]
        elif corruption == "not_object":
            item = [item["title"]]
        items.append(item)
        (bad if corruption else good).append(i + 1 if corruption else i)  # type: ignore[arg-type]
    page = json.dumps({"board": "board_b", "page": 1, "pages": 1, "items": items}).encode()
    broken = draw(st.sampled_from([None, None, None, "cut", "deep", "not_utf8"]))
    if broken == "cut":
        page = page[: draw(st.integers(0, len(page) - 1))]
    elif broken == "deep":
        page = page[:-1] + b',"x":' + DEEP_JSON.encode() + b"}"
    elif broken == "not_utf8":
        page = b"\xff" + page
    return page, [f"B{i}" for i in good], bad, broken


def check_board_b(case: tuple[bytes, list[str], list[int], str | None]) -> None:
    page, good, bad_items, broken = case
    f = FeedFile("board_b/d/page-0001.json", columns("posting_id title employer_name board"))
    rows, bad, breaks = split(parse(board_b_json, page, f))
    reasons_given(bad)
    if broken:  # the page is quarantined whole
        assert not rows and len(bad) == 1 and len(breaks) == 1
        return
    assert [r.values[0] for r in rows] == good
    assert [b.item for b in bad] == bad_items


test_board_b_json, test_board_b_json_fuzz = both(check_board_b, board_b_pages())


# -- CSV: the CRM export and dv land ---------------------------------------------------------------------------

CSV_CORRUPTIONS = ["too_many", "too_few", "nul", "not_utf8", "oversized", None, None, None, None]


def csv_text(fields: list[str | None]) -> str:
    """One record as COPY CSV and the csv module read it: None an empty field, "" a quoted empty one."""
    out = []
    for value in fields:
        if value is None:
            out.append("")
        elif value == "" or any(c in value for c in ',"\n\r') or value != value.strip(" "):
            out.append('"' + value.replace('"', '""') + '"')
        else:
            out.append(value)
    return ",".join(out)


@st.composite
def csv_files(draw: st.DrawFn, header: str, width: int, nullable: bool) -> tuple[bytes, list[list[Any]], list[int]]:
    value = st.one_of(st.none(), st.just(""), TEXT) if nullable else TEXT.filter(bool)
    parts = [header.encode("utf-8")]
    line = header.count("\n") + 1
    good: list[list[Any]] = []
    bad: list[int] = []
    for i in range(draw(st.integers(0, 20))):
        fields: list[str | None] = [f"ID{i}"] + [draw(value) for _ in range(width - 1)]
        corruption = draw(st.sampled_from(CSV_CORRUPTIONS))
        if corruption == "too_many":
            fields.append("extra")
        elif corruption == "too_few":
            fields.pop()
        elif corruption == "oversized":
            fields = [f"ID{i}", "x" * (csv.field_size_limit() + 1)] + ["a"] * (width - 2)
        text = csv_text(fields)
        if corruption == "nul":
            text = text.replace(f"ID{i}", f"ID{i}\x00", 1)
        record = text.encode("utf-8")
        if corruption == "not_utf8":
            record = record.replace(f"ID{i}".encode(), f"ID{i}".encode() + b"\xff", 1)
        parts.append(record + b"\r\n")
        if corruption:
            bad.append(line)
        else:
            good.append(fields)
        line += text.count("\n") + 1
    return b"".join(parts), good, bad


def check_csv(case: tuple[bytes, list[list[Any]], list[int]], records: Callable[[bytes], list[Record]],
              project: Callable[[tuple[str | None, ...]], list[Any]]) -> None:  # fmt: skip
    data, good, bad_lines = case
    rows, bad, breaks = split(records(data))
    reasons_given(bad)
    assert [project(r.values) for r in rows] == good
    assert [b.line for b in bad] == bad_lines and not breaks


CRM_HEADER = "\ufeffAccount ID,Account Name,Account Manager,Contract Tier\r\n"
CRM_FILE = FeedFile("crm/accounts_2026-03-02.csv",
                    tuple(c for c in CRM_COLUMNS if c.name in ("account_id", "account_name", "account_manager",
                                                               "contract_tier", "landing_line")))  # fmt: skip


def check_crm(case: tuple[bytes, list[list[Any]], list[int]]) -> None:
    check_csv(case, lambda data: parse(crm_csv, data, CRM_FILE), lambda values: list(values[:4]))


LAND_HEADER = "recruiter_id,Full Name,TEAM,weekly_capacity,changed_at\n"
LAND_COLUMNS = ["recruiter_id", "full_name", "team", "weekly_capacity", "changed_at"]


def land_records(data: bytes) -> list[Record]:
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="surrogateescape", newline="")
    return list(CsvFile(text, "f.csv", LAND_COLUMNS).records())


def check_land(case: tuple[bytes, list[list[Any]], list[int]]) -> None:
    check_csv(case, land_records, list)


test_crm_csv, test_crm_csv_fuzz = both(check_crm, csv_files(CRM_HEADER, 4, nullable=False))
test_dv_land_csv, test_dv_land_csv_fuzz = both(check_land, csv_files(LAND_HEADER, 5, nullable=True))


# -- COPY's text format: what dv land and the feeds send ---------------------------------------------------------


def copy_fields(line: bytes) -> tuple[str | None, ...]:
    """A COPY text line read back as PostgreSQL reads it."""
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    unescape = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
    out: list[str | None] = []
    for raw in line[:-1].decode("utf-8").split("\t"):
        if raw == "\\N":
            out.append(None)
            continue
        text, i = [], 0
        while i < len(raw):
            if raw[i] == "\\":
                text.append(unescape[raw[i + 1]])
                i += 2
            else:
                text.append(raw[i])
                i += 1
        out.append("".join(text))
    return tuple(out)


def check_copy_line(values: list[str | None]) -> None:
    line = copy_line(tuple(values))
    assert b"\n\\.\n" not in b"\n" + line and not line.startswith(b"\\.")  # the end-of-data marker never occurs
    assert copy_fields(line) == tuple(values)


test_copy_line, test_copy_line_fuzz = both(
    check_copy_line,
    st.lists(st.one_of(st.none(), TEXT, st.text(st.characters(blacklist_categories=("Cs",)))), min_size=1, max_size=6),
)
