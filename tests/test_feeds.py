"""File feeds into the landing tables (``pipelines/extract/feeds``, ``dv land-feeds``).

Fast tier: each parser on small hand-written inputs. Database tier: the files of
``dv demo-data`` (scale 0.01, 2 days, a source database of this test run's own,
dropped at the end) landed into a warehouse of the repository's model, counted
independently, checked against ``defects.json``, landed again (nothing), staged;
then changed, truncated and incomplete files, each on a fresh warehouse.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import pytest

from generator.errors import WarehouseError
from generator.manifest_model import FileFeed
from pipelines.cli import main
from pipelines.db import connect, transaction
from pipelines.demo.platform.clock import Config
from pipelines.demo.platform.run import run
from pipelines.extract.feeds import FeedResult, land_feed, land_feeds, reconcile
from pipelines.extract.feeds.copyio import copy_line
from pipelines.extract.feeds.feedfiles import path_date, plan_files
from pipelines.extract.feeds.parsers import (
    Bad,
    Break,
    Column,
    FeedFile,
    FeedFormatError,
    Record,
    Row,
    board_a_xml,
    board_b_json,
    crm_csv,
    dmy_to_iso,
    events_jsonl,
)
from pipelines.project import Project
from pipelines.warehouse import apply, load, open_batch
from tests.conftest import REPO, drop_database, make_project, reset_schemas

# -- fast: the parsers ------------------------------------------------------------------------------------------

EVENT_COLUMNS = {
    "job_view": "event_id user_id job_id view_source occurred_at landing_file landing_line",
    "search": "event_id user_id query_text filters:json result_count occurred_at landing_file landing_line",
    "login": "event_id user_id login_method occurred_at landing_file landing_line",
    "profile_update": "event_id user_id updated_fields occurred_at landing_file landing_line",
}
EVENT_TYPES = frozenset(EVENT_COLUMNS)


def columns(spec: str) -> tuple[Column, ...]:
    out = []
    for word in spec.split():
        name, _, family = word.partition(":")
        out.append(Column(name, family or "text"))
    return tuple(out)


def event_file(kind: str, catch_all: bool = False) -> FeedFile:
    return FeedFile("events/h.jsonl", columns(EVENT_COLUMNS[kind]), kind, EVENT_TYPES, catch_all)


def parse(parser: Any, data: bytes | str, f: FeedFile) -> list[Record]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return list(parser(io.BufferedReader(io.BytesIO(raw)), f))  # type: ignore[arg-type]


def rows(records: list[Record]) -> list[tuple[str | None, ...]]:
    return [r.values for r in records if isinstance(r, Row)]


def bads(records: list[Record]) -> list[Bad]:
    return [r for r in records if isinstance(r, Bad)]


def breaks(records: list[Record]) -> list[str]:
    return [r.problem for r in records if isinstance(r, Break)]


EVENTS = (
    '{"event_id":"e1","type":"search","user_id":622,"timestamp":"2026-03-02T10:00:03.542Z",'
    '"payload":{"query":"senior dbt","filters":{"country":"DE","min_rate":120},"results":29}}\n'
    '{"event_id":"e2","type":"job_view","user_id":null,"timestamp":"2026-03-02T10:00:08.495Z",'
    '"payload":{"job_id":435,"source":"search"}}\n'
    "\n"
    '{"event_id":"e3","type":"job_view","user_id":7,"timest\n'  # cut in half: the text still names its type
    '{"event_id":"e4","ty\n'  # cut before the type: the catch-all's
    '{"event_id":"e5","type":"profile_update","user_id":9,"timestamp":"2026-03-02T10:05:00.000Z",'
    '"payload":{"fields":["headline","city"]}}\n'
    '{"event_id":"e6","type":"purchase","user_id":9,"timestamp":"2026-03-02T10:06:00.000Z","payload":{}}\n'
    '{"event_id":"e7","type":"login","user_id":3,"timestamp":"2026-03-02T10:07:00.000Z","payload":{"method":"google"}}'
)


def test_events_are_flattened_into_the_sources_columns() -> None:
    assert rows(parse(events_jsonl, EVENTS, event_file("search"))) == [
        ("e1", "622", "senior dbt", '{"country":"DE","min_rate":120}', "29", "2026-03-02T10:00:03.542Z",
         "events/h.jsonl", "1"),
    ]  # fmt: skip
    assert rows(parse(events_jsonl, EVENTS, event_file("job_view"))) == [
        ("e2", None, "435", "search", "2026-03-02T10:00:08.495Z", "events/h.jsonl", "2"),
    ]
    assert rows(parse(events_jsonl, EVENTS, event_file("profile_update")))[0][2] == "headline,city"
    # the last line has no line end but is whole: it is landed, and the file is not truncated
    login = parse(events_jsonl, EVENTS, event_file("login"))
    assert rows(login) == [("e7", "3", "google", "2026-03-02T10:07:00.000Z", "events/h.jsonl", "8")]
    assert not breaks(login)


def test_every_event_line_is_landed_or_quarantined_by_exactly_one_source() -> None:
    seen: Counter[int] = Counter()
    for kind in EVENT_COLUMNS:
        records = parse(events_jsonl, EVENTS, event_file(kind, catch_all=kind == "job_view"))
        seen.update(int(r[-1]) for r in rows(records))  # type: ignore[arg-type]
        seen.update(b.line for b in bads(records))  # type: ignore[misc]
    assert seen == Counter({1: 1, 2: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1})  # line 3 is empty
    views = bads(parse(events_jsonl, EVENTS, event_file("job_view", catch_all=True)))
    assert [(b.line, b.reason.split(" (")[0]) for b in views] == [
        (4, "extract: the line is not valid JSON"),
        (5, "extract: the line is not valid JSON"),
        (7, "extract: event type 'purchase' cannot be routed: no source lands it"),
    ]
    assert views[0].raw == '{"event_id":"e3","type":"job_view","user_id":7,"timest'
    assert not bads(parse(events_jsonl, EVENTS, event_file("job_view", catch_all=False)))[1:]


def test_a_line_cut_at_the_end_of_the_file_is_a_break_for_every_source() -> None:
    cut = EVENTS[: EVENTS.rindex('"method"')]
    for kind in EVENT_COLUMNS:
        records = parse(events_jsonl, cut, event_file(kind))
        (problem,) = breaks(records)
        assert problem.startswith("line 8 is cut: the file ends inside a JSON line (Expecting property name")
    login = bads(parse(events_jsonl, cut, event_file("login")))
    assert [(b.line, b.reason.split(" (")[0]) for b in login] == [
        (8, "extract: truncated file: the last line ends without a line end and is not valid JSON")
    ]


def test_unstorable_event_values_are_quarantined() -> None:
    nul = '{"event_id":"e\\u0000","type":"login","user_id":1,"timestamp":"t","payload":{"method":"x"}}\n'
    bad_utf8 = b'{"event_id":"\xff","type":"login","user_id":1,"timestamp":"t","payload":{"method":"x"}}\n'
    records = parse(events_jsonl, nul.encode() + bad_utf8, event_file("login"))
    assert not rows(records)
    assert [b.reason for b in bads(records)] == [
        "extract: a value contains a NUL character, which PostgreSQL text cannot hold",
        "extract: a value is not valid UTF-8",
    ]
    assert "\x00" not in bads(records)[0].raw


BOARD_A_COLUMNS = columns(
    "board posting_id reference company title city country_code remote employment salary_currency salary_period "
    "salary_min salary_max posted_on extracted_on landing_file"
)
BOARD_A = """<?xml version="1.0" encoding="UTF-8"?>
<jobs board="board_a" date="2026-03-03" count="3">
  <job id="A0000095">
    <reference>BBN-2026-0002</reference>
    <company>Smith &amp; Jones</company>
    <title>Senior Data Scientist (m/w/d)</title>
    <location city="München" country="DE" remote="remote"/>
    <employment>contract</employment>
    <salary currency="EUR" period="hour" min="75" max="90"/>
    <posted>2026-01-09</posted>
  </job>
  <job>
    <reference>NO-ID</reference>
  </job>
  <note>not a posting</note>
  <job id="A0000097">
    <reference>BBN-2026-0003</reference>
    <posted>31.02.2026</posted>
  </job>
</jobs>
"""


def test_board_a_postings_are_read_element_by_element() -> None:
    records = parse(board_a_xml, BOARD_A, FeedFile("board_a/2026-03-03.xml", BOARD_A_COLUMNS))
    assert rows(records) == [
        ("board_a", "A0000095", "BBN-2026-0002", "Smith & Jones", "Senior Data Scientist (m/w/d)", "München", "DE",
         "remote", "contract", "EUR", "hour", "75", "90", "2026-01-09", "2026-03-03", "board_a/2026-03-03.xml"),
        ("board_a", "A0000097", "BBN-2026-0003", None, None, None, None, None, None, None, None, None, None,
         "31.02.2026", "2026-03-03", "board_a/2026-03-03.xml"),
    ]  # fmt: skip
    assert [(b.line, b.reason) for b in bads(records)] == [
        (12, "extract: posting without an id"),
        (15, "extract: unexpected element <note> (records are <job>)"),
    ]
    assert "<reference>NO-ID</reference>" in bads(records)[0].raw
    assert not breaks(records)


def test_board_a_cut_in_the_middle_lands_the_postings_before_the_break() -> None:
    cut = BOARD_A[: BOARD_A.index("<title>")]
    records = parse(board_a_xml, cut, FeedFile("board_a/x.xml", BOARD_A_COLUMNS))
    assert not rows(records)
    assert len(breaks(records)) == 1 and breaks(records)[0].startswith("truncated file: it ends inside the XML")
    (bad,) = bads(records)
    assert bad.line == 3 and '<job id="A0000095">' in bad.raw and bad.reason.startswith("extract: truncated file")
    cut = BOARD_A[: BOARD_A.index("<note>") + 6]  # after one good and one id-less posting
    records = parse(board_a_xml, cut, FeedFile("board_a/x.xml", BOARD_A_COLUMNS))
    assert [r[1] for r in rows(records)] == ["A0000095"]
    assert [b.reason.split(" (")[0] for b in bads(records)] == [
        "extract: posting without an id",
        "extract: truncated file: it ends inside the XML document",
    ]


def test_board_a_not_well_formed_in_the_middle_is_a_break() -> None:
    broken = BOARD_A.replace("<employment>contract", "<employment>contract & co", 1)
    records = parse(board_a_xml, broken, FeedFile("board_a/x.xml", BOARD_A_COLUMNS))
    assert not rows(records)
    assert breaks(records)[0].startswith("the XML document is not well-formed (not well-formed (invalid token): line 8")
    assert bads(records)[0].line == 3


BOARD_B_COLUMNS = columns(
    "board posting_id employer_reference employer_name title city country_code remote employment_type "
    "compensation_min compensation_max compensation_currency compensation_unit published_at extracted_at landing_file"
)


def board_b_page(items: list[Any], page: int = 1, pages: int = 1) -> str:
    following = f"page-{page + 1:04d}.json" if page < pages else None
    body = {"board": "board_b", "extracted_at": "2026-03-03T23:30:00Z", "page": page, "pages": pages,
            "next_page": following, "items": items}  # fmt: skip
    return json.dumps(body, ensure_ascii=False) + "\n"


ITEM = {"id": "bb-000067", "employer_reference": " bbc-2026-50067 ", "employer": "Blue Logistics SAS",
        "title": "Security Engineer", "city": "Lyon", "country": "FR", "remote": False,
        "employment_type": "CONTRACT", "compensation": {"min": 55, "max": 70, "currency": "EUR", "unit": "HOUR"},
        "published_at": "2026-01-05T09:00:00Z"}  # fmt: skip


def test_board_b_items_are_landed_as_given() -> None:
    page = board_b_page([ITEM, {"employer_reference": "x"}, "nonsense"])
    records = parse(board_b_json, page, FeedFile("board_b/2026-03-03/page-0001.json", BOARD_B_COLUMNS))
    assert rows(records) == [
        ("board_b", "bb-000067", " bbc-2026-50067 ", "Blue Logistics SAS", "Security Engineer", "Lyon", "FR", "false",
         "CONTRACT", "55", "70", "EUR", "HOUR", "2026-01-05T09:00:00Z", "2026-03-03T23:30:00Z",
         "board_b/2026-03-03/page-0001.json"),
    ]  # fmt: skip
    assert [(b.item, b.reason) for b in bads(records)] == [
        (2, "extract: posting without an id"),
        (3, "extract: item is not a JSON object"),
    ]
    cut = parse(board_b_json, page[:100], FeedFile("board_b/d/page-0001.json", BOARD_B_COLUMNS))
    assert not rows(cut) and len(breaks(cut)) == 1
    assert bads(cut)[0].reason.startswith("extract: the page is not valid JSON")


def test_board_b_pages_follow_the_next_page_chain(tmp_path: Path) -> None:
    folder = tmp_path / "board_b" / "2026-03-03"
    folder.mkdir(parents=True)
    (folder / "page-0001.json").write_text(board_b_page([ITEM], 1, 3).replace("page-0002", "page-0003"))
    (folder / "page-0003.json").write_text(board_b_page([ITEM], 2, 3).replace("page-0003", "page-0002"))
    (folder / "page-0002.json").write_text(board_b_page([ITEM], 3, 3))
    feed = FileFeed(format="board_b_json", path="board_b/*/page-*.json", event_type=None)
    planned = plan_files(tmp_path, feed)
    assert [p.path.name for p in planned] == ["page-0001.json", "page-0003.json", "page-0002.json"]
    assert all(p.chain_problem is None and p.note is None for p in planned)
    (folder / "page-0002.json").unlink()  # the last page of the chain is missing
    (folder / "page-0009.json").write_text(board_b_page([ITEM], 9, 9))  # a page no next_page leads to
    planned = plan_files(tmp_path, feed)
    assert [(p.path.name, p.chain_problem, p.note) for p in planned] == [
        ("page-0001.json", None, None),
        ("page-0003.json", "its next_page 'page-0002.json' is not in 2026-03-03/", None),
        ("page-0009.json", None, "not reached from page-0001.json by next_page"),
    ]
    context = FeedFile("x", BOARD_B_COLUMNS, chain_problem=planned[1].chain_problem)
    records = parse(board_b_json, (folder / "page-0003.json").read_bytes(), context)
    assert len(rows(records)) == 1 and len(breaks(records)) == 1
    assert bads(records)[0].reason == "extract: incomplete export: its next_page 'page-0002.json' is not in 2026-03-03/"


def test_files_of_later_days_wait_for_their_batch(tmp_path: Path) -> None:
    for name in ("events/2026-03-02T23.jsonl", "events/2026-03-03T00.jsonl", "events/undated.jsonl"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    feed = FileFeed(format="events_jsonl", path="events/*.jsonl", event_type=None)
    until = dt.date(2026, 3, 2)
    assert [p.rel for p in plan_files(tmp_path, feed, until)] == ["events/2026-03-02T23.jsonl", "events/undated.jsonl"]
    assert len(plan_files(tmp_path, feed)) == 3
    assert path_date("board_b/2026-03-03/page-0001.json") == dt.date(2026, 3, 3)
    assert path_date("crm/accounts_2026-02-30_2026-03-01.csv") == dt.date(2026, 3, 1)


CRM_COLUMNS = columns(
    "account_id account_name platform_employer_id account_manager contract_tier billing_country "
    "last_modified:timestamptz export_date:date landing_file landing_line:integer"
)
CRM = (
    "\ufeffAccount ID,Account Name,Platform Employer ID,Account Manager,Contract Tier,Billing Country,Last Modified\r\n"
    "001J00000000001,Iron Energy B.V.,1,Claire Martin,Silver,NL,02/04/2025 11:08\r\n"
    '001J00000000017,"Smith, Jones & Partners",19,Nora Fischer,Gold,GB,14/05/2025 09:12\r\n'
    "\r\n"
    '001J00000000052,"Rhine Labs, Prospect",,Ben Carter,Bronze,DE,20/02/2026 16:40\r\n'
    '001J00000000053,"""Nova"" Labs\r\nLtd",7,Ben Carter,Bronze,DE,31/02/2026 25:61\r\n'
    "001J00000000054,Short,8,Ben Carter\r\n"
    "\r\n"
)


def crm_file(name: str = "crm/accounts_2026-03-02.csv") -> FeedFile:
    return FeedFile(name, CRM_COLUMNS)


def test_crm_quirks_parse() -> None:
    records = parse(crm_csv, CRM, crm_file())
    assert rows(records) == [
        ("001J00000000001", "Iron Energy B.V.", "1", "Claire Martin", "Silver", "NL", "2025-04-02T11:08:00Z",
         "2026-03-02", "crm/accounts_2026-03-02.csv", "2"),
        ("001J00000000017", "Smith, Jones & Partners", "19", "Nora Fischer", "Gold", "GB", "2025-05-14T09:12:00Z",
         "2026-03-02", "crm/accounts_2026-03-02.csv", "3"),
        ("001J00000000052", "Rhine Labs, Prospect", None, "Ben Carter", "Bronze", "DE", "2026-02-20T16:40:00Z",
         "2026-03-02", "crm/accounts_2026-03-02.csv", "5"),
        ("001J00000000053", '"Nova" Labs\r\nLtd', "7", "Ben Carter", "Bronze", "DE", "31/02/2026 25:61",
         "2026-03-02", "crm/accounts_2026-03-02.csv", "6"),
    ]  # fmt: skip
    (bad,) = bads(records)
    assert (bad.line, bad.reason, bad.raw) == (
        8,
        "extract: 4 fields, the header has 7",
        "001J00000000054,Short,8,Ben Carter\r\n",
    )
    assert not breaks(records)
    assert rows(parse(crm_csv, CRM.replace("\r\n", "\n"), crm_file()))[0][6] == "2025-04-02T11:08:00Z"
    assert rows(parse(crm_csv, CRM, crm_file("crm/accounts_latest.csv")))[0][7] is None


def test_crm_cut_inside_a_quoted_field_is_a_break() -> None:
    cut = CRM[: CRM.index("Smith, Jones") + 5]
    records = parse(crm_csv, cut, crm_file())
    assert len(rows(records)) == 1
    assert breaks(records) == ["line 3 is cut: the file ends inside a record (the file ends inside a quoted field)"]
    assert bads(records)[0].raw == '001J00000000017,"Smith'


def test_crm_header_must_match_the_source() -> None:
    other = CRM.replace("Contract Tier", "Tier Level")
    with pytest.raises(FeedFormatError, match="not declared: tier_level; not in the header: contract_tier"):
        parse(crm_csv, other, crm_file())


def test_dates_and_copy_text() -> None:
    assert dmy_to_iso("02/04/2025 11:08", "timestamptz") == "2025-04-02T11:08:00Z"
    assert dmy_to_iso("02/04/2025 11:08", "timestamp") == "2025-04-02T11:08:00"
    assert dmy_to_iso("29/02/2025 11:08", "timestamptz") == "29/02/2025 11:08"  # not a real day: kept
    assert dmy_to_iso("31/02/2026 25:61", "timestamptz") == "31/02/2026 25:61"
    assert dmy_to_iso("02/04/2025", "date") == "2025-04-02"
    assert dmy_to_iso("02/04/2025 11:08", "text") == "02/04/2025 11:08"
    assert copy_line(("a\tb", None, "c\\d\r\ne", "")) == b"a\\tb\t\\N\tc\\\\d\\r\\ne\t\n"


# -- database: the files of dv demo-data -------------------------------------------------------------------------

SCALE, DAYS = 0.01, 2
EVENT_SOURCE = {
    "application_submit": "events_application_submits",
    "job_view": "events_job_views",
    "login": "events_logins",
    "profile_update": "events_profile_updates",
    "search": "events_searches",
}
FEED_SOURCES = ["board_a_postings", "board_b_postings", "crm_accounts", "events_application_submits",
                "events_job_views", "events_logins", "events_profile_updates", "events_searches"]  # fmt: skip


def _derived_dsn(dsn: str, suffix: str) -> str:
    params = psycopg2.extensions.parse_dsn(dsn)
    return psycopg2.extensions.make_dsn(**{**params, "dbname": f"{params['dbname']}_{suffix}"})


def _drop_database(server_dsn: str, dsn: str) -> None:
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            name = psycopg2.extensions.parse_dsn(dsn)["dbname"]
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            drop_database(cur, name)
    finally:
        admin.close()


@pytest.fixture(scope="module")
def files(test_dsn: str, server_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The landing folder of ``dv demo-data`` (scale 0.01, 2 days); its source database is dropped at the end."""
    landing = tmp_path_factory.mktemp("feeds") / "landing"
    source = _derived_dsn(test_dsn, "feeds_source")
    try:
        run(Config(seed=1, scale=SCALE, days=DAYS), landing, source)
    finally:
        _drop_database(server_dsn, source)
    yield landing


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return make_project(tmp_path_factory.mktemp("feeds_project"), REPO / "model")


def defects(landing: Path, kind: str) -> list[dict[str, Any]]:
    body = json.loads((landing / "defects.json").read_text(encoding="utf-8"))
    return [d for d in body["defects"] if d["kind"] == kind]


def records_in(path: Path) -> int:
    """Records in a file, counted without the parsers."""
    data = path.read_bytes()
    if path.suffix == ".jsonl":
        return sum(1 for line in data.split(b"\n") if line.strip())
    if path.suffix == ".xml":
        return len(re.findall(rb"<job[ >]", data))
    if path.suffix == ".json":
        return len(json.loads(data)["items"])
    return sum(1 for line in data.decode("utf-8-sig").split("\r\n") if line.startswith("001J"))


def query(cur: psycopg2.extensions.cursor, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    cur.execute(sql, args)
    return cur.fetchall()


@dataclass
class Scenario:
    landing: Path
    batch_id: int
    first: list[FeedResult]
    again: list[FeedResult]
    refused_other_batch: str
    landed: dict[str, list[dict[str, Any]]]  # source -> landing rows, before staging
    file_log: list[tuple[Any, ...]]  # (source, path, status, read, landed, quarantined)
    extract_quarantine: list[tuple[Any, ...]]  # (source, reason, file, line, raw)
    after_stage: list[FeedResult] = field(default_factory=list)


@pytest.fixture(scope="module")
def scenario(
    files: Path, project: Project, test_dsn: str, server_dsn: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Scenario, psycopg2.extensions.connection]]:
    """Land every feed (batch 1), land again (nothing), try another batch (refused), stage and load batch 1,
    land once more in a new batch (nothing). On a warehouse database of this module's own."""
    dsn = _derived_dsn(test_dsn, "feeds_wh")
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{psycopg2.extensions.parse_dsn(dsn)["dbname"]}"')
    admin.close()
    conn = connect(dsn)
    try:
        apply(conn, project)
        batch_id, _ = open_batch(conn)
        first = land_feeds(conn, project, files, batch_id)
        again = land_feeds(conn, project, files, batch_id)
        other, _ = open_batch(conn)
        newer = tmp_path_factory.mktemp("feeds_newer")  # a new file, for a batch that did not stage batch 1 yet
        (newer / "events").mkdir()
        shutil.copy(files / "events" / "2026-03-02T10.jsonl", newer / "events" / "2026-03-09T10.jsonl")
        with pytest.raises(WarehouseError) as refused:
            land_feed(conn, project, "source.events_logins", newer, other)
        assert land_feed(conn, project, "source.events_logins", files, other).files_skipped == 24 * DAYS  # no new file
        landed: dict[str, list[dict[str, Any]]] = {}
        with transaction(conn) as cur:
            for source in FEED_SOURCES:
                cur.execute(f"SELECT * FROM staging.{source} ORDER BY dv_row_no")
                names = [d[0] for d in cur.description]
                landed[source] = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
            log = query(cur, "SELECT source, path, status, rows_read, rows_landed, rows_quarantined"
                             " FROM dv_meta.file_log ORDER BY file_log_id")  # fmt: skip
            bad = query(cur, "SELECT source, reason, source_row->>'file', (source_row->>'line')::int,"
                             " source_row->>'raw' FROM dv_meta.quarantine ORDER BY quarantine_id")  # fmt: skip
        state = Scenario(files, batch_id, first, again, str(refused.value), landed, log, bad)
        load(conn, project, batch_id=batch_id)
        later, _ = open_batch(conn)
        state.after_stage = land_feeds(conn, project, files, later)
        yield state, conn
    finally:
        conn.close()
        _drop_database(server_dsn, dsn)


@pytest.mark.db
def test_every_feed_source_lands_every_file(scenario: tuple[Scenario, Any]) -> None:
    s, _ = scenario
    assert [r.source for r in s.first] == FEED_SOURCES
    expected = {
        "board_a_postings": len(list(s.landing.glob("board_a/*.xml"))),
        "board_b_postings": len(list(s.landing.glob("board_b/*/page-*.json"))),
        "crm_accounts": len(list(s.landing.glob("crm/*.csv"))),
    }
    for r in s.first:
        assert r.files_read == expected.get(r.source, 24 * DAYS), r.source
        assert r.files_skipped == 0 and not r.changed and not r.truncated
        assert r.rows_read == r.rows_landed + r.rows_quarantined
        assert len(s.landed[r.source]) == r.rows_landed > 0, r.source


@pytest.mark.db
def test_per_file_rows_landed_and_quarantined_add_up_to_its_records(scenario: tuple[Scenario, Any]) -> None:
    s, _ = scenario
    per_path: Counter[str] = Counter()
    for _source, path, status, read, landed, quarantined in s.file_log:
        assert status == "loaded" and read == landed + quarantined
        per_path[path] += landed + quarantined  # an events file is read by five sources, each taking its lines
    on_disk = {p.relative_to(s.landing).as_posix(): p for p in s.landing.rglob("*") if p.is_file()}
    on_disk.pop("defects.json")
    assert set(per_path) == set(on_disk)
    for path, file in on_disk.items():
        assert per_path[path] == records_in(file), path
    # and the landing tables hold, per file, what the log says was landed
    logged = Counter()
    for source, path, _status, _read, landed, _q in s.file_log:
        logged[(source, path)] += landed
    counted = Counter((source, row["landing_file"]) for source, rs in s.landed.items() for row in rs)
    assert counted == +logged


@pytest.mark.db
def test_broken_json_lines_are_quarantined_with_file_and_line(scenario: tuple[Scenario, Any]) -> None:
    s, _ = scenario
    broken = {(d["location"], int(d["key"])) for d in defects(s.landing, "broken_json")}
    assert broken, "the generator injected no broken_json defect"
    extract_level = [q for q in s.extract_quarantine if q[1].startswith("extract:")]
    found = Counter((file, line) for _source, _reason, file, line, _raw in extract_level)
    assert set(found) == broken and set(found.values()) == {1}  # each exactly once, nothing else
    for source, reason, file, line, raw in extract_level:
        assert reason.startswith("extract: the line is not valid JSON")
        text = (s.landing / file).read_text(encoding="utf-8").split("\n")[line - 1]
        assert raw == text
        routed = re.search(r'"type":"(\w+)"', raw)
        assert source == EVENT_SOURCE[routed.group(1) if routed else "application_submit"]  # else: the catch-all


@pytest.mark.db
def test_duplicated_events_are_all_landed(scenario: tuple[Scenario, Any]) -> None:
    s, _ = scenario
    in_files: Counter[str] = Counter()
    for file in s.landing.glob("events/*.jsonl"):
        for line in file.read_text(encoding="utf-8").splitlines():
            match = re.match(r'\{"event_id":"(\w+)","type":"\w+".*\}$', line)
            if match:
                in_files[match.group(1)] += 1
    twice = {e for e, n in in_files.items() if n > 1}
    assert twice, "no event was delivered twice"
    landed = Counter(r["event_id"] for src, rs in s.landed.items() if src.startswith("events_") for r in rs)
    assert {e: landed[e] for e in twice} == {e: in_files[e] for e in twice}


@pytest.mark.db
def test_crm_quirks_are_landed(scenario: tuple[Scenario, Any]) -> None:
    s, _ = scenario
    rows_ = s.landed["crm_accounts"]
    for file in sorted(s.landing.glob("crm/*.csv")):
        raw = file.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n\r\n" in raw  # BOM, CRLF, empty lines
        with open(file, encoding="utf-8-sig", newline="") as handle:
            expected = [r for r in csv.reader(handle) if r][1:]
        rel = file.relative_to(s.landing).as_posix()
        got = [r for r in rows_ if r["landing_file"] == rel]
        assert [(r["account_id"], r["account_name"], r["platform_employer_id"] or "") for r in got] == [
            (e[0], e[1], e[2]) for e in expected
        ]
        assert any("," in r["account_name"] for r in got) and any(r["platform_employer_id"] is None for r in got)
        lines = raw.decode("utf-8-sig").split("\r\n")
        for r in got:
            assert lines[int(r["landing_line"]) - 1].startswith(r["account_id"] + ",")
            assert r["export_date"] == file.stem.split("_")[1]
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", r["last_modified"]) or r["last_modified"] == (
                "31/02/2026 25:61"
            )


@pytest.mark.db
def test_board_b_references_are_landed_as_given(scenario: tuple[Scenario, Any]) -> None:
    s, _ = scenario
    given = {}
    for page in s.landing.glob("board_b/*/page-*.json"):
        for item in json.loads(page.read_text(encoding="utf-8"))["items"]:
            given[(page.relative_to(s.landing).as_posix(), item["id"])] = item["employer_reference"]
    landed = {(r["landing_file"], r["posting_id"]): r["employer_reference"] for r in s.landed["board_b_postings"]}
    assert landed == given
    assert all(v == v.lower() for v in landed.values()) and any(v != v.strip() for v in landed.values())
    assert {r["board"] for r in s.landed["board_b_postings"]} == {"board_b"}


@pytest.mark.db
def test_a_second_run_lands_nothing(scenario: tuple[Scenario, Any]) -> None:
    s, _ = scenario
    for results in (s.again, s.after_stage):  # the same batch before staging; a new batch after it
        assert [r.source for r in results] == FEED_SOURCES
        for r in results:
            assert r.files_read == 0 and r.rows_landed == 0 and r.files_skipped == len(r.files) > 0


@pytest.mark.db
def test_landing_in_another_batch_before_staging_is_refused(scenario: tuple[Scenario, Any]) -> None:
    s, _ = scenario
    assert f"rows of files landed in batch {s.batch_id}, never staged" in s.refused_other_batch
    assert f"dv load --batch {s.batch_id}" in s.refused_other_batch


@pytest.mark.db
def test_the_stage_step_quarantines_bad_timestamps_and_reconciles(scenario: tuple[Scenario, Any]) -> None:
    s, conn = scenario
    with transaction(conn) as cur:
        staged = query(cur, "SELECT source_row->>'landing_file', (source_row->>'landing_line')::int, reason"
                            " FROM dv_meta.quarantine WHERE batch_id = %s AND reason NOT LIKE 'extract:%%'",
                       s.batch_id)  # fmt: skip
        checks = reconcile(cur, s.batch_id)
    bad = {}
    for d in defects(s.landing, "bad_timestamp"):
        line = (s.landing / d["location"]).read_text(encoding="utf-8").split("\n")[int(d["key"]) - 1]
        bad[(d["location"], int(d["key"]))] = json.loads(line)["timestamp"]
    castable = {k for k, v in bad.items() if v == "1970-01-01T00:00:00Z"}  # the epoch is a valid time
    found = {(f, n): reason for f, n, reason in staged if f and f.startswith("events/")}
    assert set(found) == set(bad) - castable and found
    for key, reason in found.items():
        assert reason == f"column occurred_at: not a valid timestamptz: {bad[key]}"
    crm = {r for f, _n, r in staged if f and f.startswith("crm/")}
    assert crm == {"column last_modified: not a valid timestamptz: 31/02/2026 25:61"}
    assert [c.source for c in checks] == FEED_SOURCES
    for c in checks:
        assert c.balanced, c
        assert c.rows_read == c.staged + c.quarantined_at_stage + c.quarantined_at_extract  # type: ignore[operator]


# -- database: changed, truncated and incomplete files -----------------------------------------------------------


@pytest.fixture
def small(files: Path, project: Project, tmp_path: Path, test_dsn: str) -> Iterator[tuple[Path, Any]]:
    """A fresh warehouse of the repository's model, and a landing folder with a few of the files."""
    reset_schemas(test_dsn)
    landing = tmp_path / "landing"
    for pattern in ("events/2026-03-02T1[01].jsonl", "board_a/2026-03-02.xml", "board_b/2026-03-02/*",
                    "crm/accounts_2026-03-02.csv"):  # fmt: skip
        for file in files.glob(pattern):
            target = landing / file.relative_to(files)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, target)
    conn = connect(test_dsn)
    try:
        apply(conn, project)
        yield landing, conn
    finally:
        conn.close()


def land_all(conn: Any, project: Project, landing: Path, batch_id: int | None = None) -> dict[str, FeedResult]:
    if batch_id is None:
        batch_id, _ = open_batch(conn)
    return {r.source: r for r in land_feeds(conn, project, landing, batch_id)}


def file_log(conn: Any, path: str) -> list[tuple[Any, ...]]:
    with transaction(conn) as cur:
        return query(cur, "SELECT source, status, sha256, previous_sha256, rows_read, rows_landed, rows_quarantined,"
                          " problem FROM dv_meta.file_log WHERE path = %s ORDER BY file_log_id", path)  # fmt: skip


def alerts(conn: Any) -> list[tuple[str, str, str]]:
    with transaction(conn) as cur:
        return query(cur, "SELECT kind, subject, message FROM dv_meta.alert ORDER BY alert_id")


@pytest.mark.db
def test_a_changed_file_is_detected_not_landed_and_reported(small: tuple[Path, Any], project: Project) -> None:
    landing, conn = small
    batch_id, _ = open_batch(conn)
    land_all(conn, project, landing, batch_id)
    crm = landing / "crm" / "accounts_2026-03-02.csv"
    before = file_log(conn, "crm/accounts_2026-03-02.csv")[0][2]
    crm.write_bytes(crm.read_bytes().replace(b"Gold", b"Platinum"))
    for _ in range(2):  # found again by every run, recorded and alerted once
        result = land_all(conn, project, landing, batch_id)["crm_accounts"]
        (changed,) = result.changed
        assert result.rows_landed == 0 and changed.previous_sha256 == before != changed.sha256
        assert before in str(changed.problem) and changed.sha256 in str(changed.problem)
    log = file_log(conn, "crm/accounts_2026-03-02.csv")
    assert [(r[1], r[3]) for r in log] == [("loaded", None), ("changed", before)]
    assert [(k, s) for k, s, _m in alerts(conn)] == [("file_changed", "crm_accounts: crm/accounts_2026-03-02.csv")]
    code = main(["--project", str(project.root), "land-feeds", "--landing", str(landing), "--dsn", conn.dsn,
                 "--batch", str(batch_id)])  # fmt: skip
    assert code == 1


@pytest.mark.db
def test_a_truncated_events_file_lands_its_good_lines_and_quarantines_the_break(
    small: tuple[Path, Any], project: Project
) -> None:
    landing, conn = small
    path = landing / "events" / "2026-03-02T10.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    keep = len(lines) // 2
    cut = lines[keep][: len(lines[keep]) // 2]
    path.write_text("".join(lines[:keep]) + cut, encoding="utf-8")
    results = land_all(conn, project, landing)
    rel = "events/2026-03-02T10.jsonl"
    log = file_log(conn, rel)
    assert {r[1] for r in log} == {"truncated"} and len(log) == 5  # every events source reports the break
    assert sum(r[5] for r in log) == sum(1 for line in lines[:keep] if line.strip())
    assert sum(r[6] for r in log) == 1
    with transaction(conn) as cur:
        (q,) = query(cur, "SELECT reason, source_row FROM dv_meta.quarantine WHERE source_row->>'file' = %s", rel)
    assert q[0].startswith("extract: truncated file: the last line ends without a line end")
    assert q[1]["raw"] == cut and q[1]["line"] == keep + 1
    assert all(rel in [f.path for f in results[s].truncated] for s in FEED_SOURCES if s.startswith("events_"))
    assert ("file_truncated", f"events_job_views: {rel}") in [(k, s) for k, s, _m in alerts(conn)]


@pytest.mark.db
def test_a_truncated_board_a_file_lands_the_postings_before_the_break_and_deletes_nothing(
    small: tuple[Path, Any], project: Project, files: Path
) -> None:
    landing, conn = small
    land_all(conn, project, landing)
    with transaction(conn) as cur:
        (batch_id,) = query(cur, "SELECT max(batch_id) FROM dv_meta.batch")[0]
    load(conn, project, batch_id=batch_id)
    # day 2 of board A, cut in the middle of a posting: a full extract missing its second half
    day2 = (files / "board_a" / "2026-03-03.xml").read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"<job ", day2)]
    middle = starts[len(starts) // 2]
    cut = day2[: day2.index("<title>", middle)]
    (landing / "board_a" / "2026-03-03.xml").write_text(cut, encoding="utf-8")
    result = land_all(conn, project, landing)["board_a_postings"]
    assert result.rows_landed == len(starts) // 2 and result.rows_quarantined == 1
    (truncated,) = result.truncated
    assert truncated.path == "board_a/2026-03-03.xml" and "truncated file" in str(truncated.problem)
    with transaction(conn) as cur:
        (batch2,) = query(cur, "SELECT max(batch_id) FROM dv_meta.batch")[0]
    load(conn, project, batch_id=batch2)
    with transaction(conn) as cur:
        missing = query(cur, "SELECT count(*) FROM raw_vault.sts_board_a_listing s WHERE s.batch_id = %s"
                             " AND NOT EXISTS (SELECT 1 FROM staging.board_a_postings_stage g"
                             "   WHERE g.batch_id = %s AND g.hk_board_posting = s.hk_board_posting)",
                        batch_id, batch2)[0][0]  # fmt: skip
        deleted = query(cur, "SELECT count(*) FROM raw_vault.sts_board_a_listing WHERE status = 'deleted'")[0][0]
    assert missing > 0, "no posting of day 1 is missing from the cut extract: the test proves nothing"
    assert deleted == 0  # a partly quarantined extract deletes nothing


@pytest.mark.db
def test_a_missing_board_b_page_is_a_break(small: tuple[Path, Any], project: Project) -> None:
    landing, conn = small
    folder = landing / "board_b" / "2026-03-02"
    page = json.loads((folder / "page-0001.json").read_text(encoding="utf-8"))
    page.update(pages=2, next_page="page-0002.json")
    (folder / "page-0001.json").write_text(json.dumps(page), encoding="utf-8")
    result = land_all(conn, project, landing)["board_b_postings"]
    assert result.rows_landed == len(page["items"]) and result.rows_quarantined == 1
    (truncated,) = result.truncated
    assert "next_page 'page-0002.json' is not in 2026-03-02/" in str(truncated.problem)


@pytest.mark.db
def test_landing_waits_for_the_stage_step_of_its_source(small: tuple[Path, Any], project: Project) -> None:
    landing, conn = small
    batch_id, _ = open_batch(conn)
    stage = connect(conn.dsn)  # holds the lock warehouse.stage_source takes for the source
    try:
        with stage.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext('dv.stage.source.crm_accounts'))")
        done: list[FeedResult] = []
        worker = threading.Thread(
            target=lambda: done.append(land_feed(conn, project, "source.crm_accounts", landing, batch_id))
        )
        worker.start()
        worker.join(1.0)
        assert worker.is_alive() and not done  # waiting
        stage.commit()
        worker.join(10.0)
        assert not worker.is_alive() and done[0].rows_landed > 0
    finally:
        stage.close()


@pytest.mark.db
def test_dv_land_feeds_prints_a_table_and_fails_on_a_source_it_cannot_land(
    small: tuple[Path, Any], project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    landing, conn = small

    def dv(folder: Path, *more: str) -> int:
        args = ["--project", str(project.root), "land-feeds", "--landing", str(folder), "--dsn", conn.dsn, *more]
        return main(args)

    assert dv(landing) == 0
    out = capsys.readouterr().out
    assert "board_a_postings" in out and "events_searches" in out and "dv load --batch 1" in out
    assert dv(landing) == 0  # nothing new: the batch it opened is closed
    assert "no new file: batch 2 is closed empty" in capsys.readouterr().out
    assert dv(landing / "nowhere") == 1
    assert "landing folder" in capsys.readouterr().err
    # a new CRM file whose header names a column the source does not declare: that source lands nothing
    (landing / "crm" / "accounts_2026-03-09.csv").write_text("Account ID,Rating\r\n001J1,A\r\n", encoding="utf-8")
    (landing / "board_a" / "2026-03-09.xml").write_text('<jobs date="2026-03-09"><job id="A1"/></jobs>\n')
    assert dv(landing, "--batch", "1") == 1
    captured = capsys.readouterr()
    assert "crm_accounts: nothing landed: crm/accounts_2026-03-09.csv: the header does not match" in captured.err
    assert "not declared: rating" in captured.err and "Traceback" not in captured.err
    with transaction(conn) as cur:  # the other sources were landed all the same
        assert query(cur, "SELECT posting_id FROM staging.board_a_postings WHERE extracted_on = '2026-03-09'") == [
            ("A1",)
        ]
        assert query(cur, "SELECT count(*) FROM dv_meta.file_log WHERE path LIKE 'crm/%%2026-03-09%%'") == [(0,)]


@pytest.mark.db
def test_a_landed_file_is_not_read_again_unless_its_size_or_time_changed(
    small: tuple[Path, Any], project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from pipelines.extract.feeds import land

    landing, conn = small
    batch_id, _ = open_batch(conn)
    land_all(conn, project, landing, batch_id)
    read: list[str] = []
    digest = land.file_digest
    monkeypatch.setattr(land, "file_digest", lambda path: read.append(path.name) or digest(path))
    result = land_all(conn, project, landing, batch_id)  # same size and time: skipped, not one byte read
    assert read == [] and all(r.files_read == 0 and r.files_skipped == len(r.files) for r in result.values())
    crm = landing / "crm" / "accounts_2026-03-02.csv"
    stat = crm.stat()
    os.utime(crm, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched: read, the same content
    assert land_all(conn, project, landing, batch_id)["crm_accounts"].files_skipped == 1 and read == [crm.name]
    assert land_all(conn, project, landing, batch_id)["crm_accounts"].files_skipped == 1 and read == [crm.name]
    content = crm.read_bytes()  # the same size, other content and time: a change, found by its checksum
    crm.write_bytes(content.replace(b"Gold", b"Silv", 1))
    os.utime(crm, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    (changed,) = land_all(conn, project, landing, batch_id)["crm_accounts"].changed
    assert changed.size == stat.st_size and changed.previous_sha256 != changed.sha256
