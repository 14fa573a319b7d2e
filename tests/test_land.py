"""``dv land``: a CSV file into a landing table, whatever the file holds (hostile review, issue 13).

Every row lands or is quarantined with its line and a reason (rows read = landed + quarantined), a line
``\\.`` is a value like any other, a refused file says why without a traceback, and landing waits for a
stage step of the same source instead of losing its rows to the stage's TRUNCATE.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2.extensions
import pytest
from hypothesis import HealthCheck, given, settings

from generator.errors import DVError
from pipelines.cli import main
from pipelines.db import connect, transaction
from pipelines.extract.csv_file import CsvFile, quoted_empty
from pipelines.extract.feeds.records import Bad, Break, Row
from pipelines.project import Project
from pipelines.warehouse import apply, land_csv, load, open_batch, stage_source
from tests.conftest import REPO, make_project
from tests.test_fuzz_feeds import LAND_HEADER, csv_files

HEADER = "recruiter_id,full_name,team,weekly_capacity,changed_at\n"
SOURCE = """kind: source
name: crm_recruiters
description: JTLD's own recruiters, exported from the CRM every night.
record_source: jtld.crm.recruiters
applied_ts: changed_at
columns:
  - {name: recruiter_id, type: text}
  - {name: full_name, type: text}
  - {name: team, type: text}
  - {name: weekly_capacity, type: integer}
  - {name: changed_at, type: timestamptz}
"""
HUB = """kind: hub
name: recruiter
description: A JTLD recruiter.
business_keys:
  - {name: recruiter_id, type: text}
sources:
  - {source: crm_recruiters, columns: [recruiter_id]}
"""
SAT = """kind: satellite
name: recruiter_details
description: Name, team and capacity of a recruiter.
hub: recruiter
source: crm_recruiters
columns: [full_name, team, weekly_capacity]
"""
DECLARED = ["recruiter_id", "full_name", "team", "weekly_capacity", "changed_at"]


def row(n: int, name: str | None = None) -> str:
    return f"r-{n:03d},{name or f'Person {n}'},IT,{n % 20},2026-03-01T09:{n % 60:02d}:00Z\n"


# -- fast: the parser --------------------------------------------------------------------------------------------


def parsed(text: str) -> tuple[list[str], list[Any]]:
    handle = io.TextIOWrapper(io.BytesIO(text.encode("utf-8", "surrogateescape")), "utf-8-sig", "surrogateescape",
                              newline="")  # fmt: skip
    f = CsvFile(handle, "f.csv", DECLARED)
    return f.columns, list(f.records())


def test_a_line_backslash_dot_is_a_value() -> None:
    _, records = parsed(HEADER + row(1) + "\\.\n" + row(2) + '"\\.",x,y,1,2026-03-01T09:00:00Z\n' + row(3))
    assert [r.values[0] for r in records if isinstance(r, Row)] == ["r-001", "r-002", "\\.", "r-003"]
    bad = [r for r in records if isinstance(r, Bad)]
    assert [(b.line, b.reason) for b in bad] == [(3, "extract: 1 fields, the header has 5")]


def test_header_names_match_case_insensitively_and_an_empty_field_is_null() -> None:
    columns, records = parsed('Recruiter_ID,FULL NAME,Team,Weekly Capacity,changed_at\nr-1,,"",1,\n')
    assert columns == DECLARED
    assert records == [Row(("r-1", None, "", "1", None))]  # "" is empty text, an empty field NULL (as COPY CSV)


def test_quoted_empty_fields_are_told_from_escaped_quotes() -> None:
    assert quoted_empty('a,"",b\r\n', 3) == {1}
    assert quoted_empty('"a,"",b",,""\n', 3) == {2}
    assert quoted_empty("a,,b\n", 3) == set()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty: no header row"),
        ("\n\n", "the file is empty: no header row"),
        ("recruiter_id,Recruiter ID\nx,y\n", "fields 1 and 2 of the header both name column 'recruiter_id'"),
        ("recruiter_id,salary\nx,y\n", "the header names 1 column(s) the source does not have: salary"),
        ("recruiter_id,\nx,y\n", "(field 2 is empty)"),
        ("\x00\x01\x02binary\xff\xfe,\x00\n", "does not have: \\x00\\x01\\x02binaryÿþ, \\x00"),
        ("\x89PNG\r\n\x1a\n", "the source does not have: \\x89png"),
    ],
)
def test_a_header_that_cannot_be_mapped_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(DVError) as caught:
        parsed(text)
    assert message in str(caught.value).lower() or message in str(caught.value)


def test_bad_records_are_quarantined_with_their_line_and_reason() -> None:
    text = (
        HEADER
        + row(1)
        + "r-002,too,many,fields,2026-03-01T09:00:00Z,extra\n"  # line 3
        + "r-003,too few\n"  # line 4
        + "r-004,Nul\x00here,IT,1,2026-03-01T09:00:00Z\n"  # line 5
        + "r-005,Bad \udcff byte,IT,1,2026-03-01T09:00:00Z\n"  # line 6 (invalid UTF-8 read as surrogate)
        + "\n"  # line 7: empty, skipped
        + "r-008,"
        + "x" * 200_000
        + ",IT,1,2026-03-01T09:00:00Z\n"  # line 8: over the field-size limit
        + row(9)
        + 'r-010,"open quote,IT,1,2026-03-01T09:00:00Z\n'  # line 10: the file ends inside the quotes
    )
    _, records = parsed(text)
    rows = [r.values[0] for r in records if isinstance(r, Row)]
    bad = {b.line: b.reason for b in records if isinstance(b, Bad)}
    assert rows == ["r-001", "r-009"]
    assert bad[3] == "extract: 6 fields, the header has 5"
    assert bad[4] == "extract: 2 fields, the header has 5"
    assert "NUL" in bad[5]
    assert bad[6] == "extract: a value is not valid UTF-8"
    assert bad[8] == "extract: a field is longer than 131072 characters (the CSV field-size limit)"
    assert "the file ends inside a quoted field" in bad[10]
    assert [r for r in records if isinstance(r, Break)]
    assert len(rows) + len(bad) == 8  # every record but the empty line: landed or quarantined


# -- database ----------------------------------------------------------------------------------------------------

pytest_db = pytest.mark.db


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    model = tmp_path_factory.mktemp("land_model")
    for folder, name, text in (("sources", "crm_recruiters", SOURCE), ("hubs", "recruiter", HUB),
                               ("satellites", "recruiter_details", SAT)):  # fmt: skip
        (model / folder).mkdir()
        (model / folder / f"{name}.yml").write_text(text)
    (model / "project.yml").write_text((REPO / "model" / "project.yml").read_text())
    return make_project(tmp_path_factory.mktemp("land_project"), model)


@pytest.fixture
def wh(warehouse: psycopg2.extensions.connection, project: Project) -> Iterator[psycopg2.extensions.connection]:
    apply(warehouse, project)
    yield warehouse


def landed(conn: Any) -> list[str]:
    with transaction(conn) as cur:
        cur.execute("SELECT recruiter_id FROM staging.crm_recruiters ORDER BY dv_row_no")
        return [r[0] for r in cur.fetchall()]


def quarantine(conn: Any) -> list[tuple[Any, ...]]:
    with transaction(conn) as cur:
        cur.execute("SELECT batch_id, reason, source_row->>'line', source_row->>'file' FROM dv_meta.quarantine"
                    " ORDER BY quarantine_id")  # fmt: skip
        return cur.fetchall()


@pytest_db
def test_every_row_after_a_backslash_dot_line_lands(wh: Any, project: Project, tmp_path: Path) -> None:
    file = tmp_path / "r.csv"
    file.write_text(HEADER + row(1) + "\\.\n" + row(2) + row(3))
    result = land_csv(wh, project, "crm_recruiters", str(file))
    assert landed(wh) == ["r-001", "r-002", "r-003"]
    assert (result.rows_read, result.rows_landed, result.rows_quarantined) == (4, 3, 1)
    assert [q[1:3] for q in quarantine(wh)] == [("extract: 1 fields, the header has 5", "3")]


@pytest_db
def test_a_hostile_file_lands_its_good_rows_and_quarantines_the_rest(
    wh: Any, project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "hostile.csv"
    file.write_bytes(
        b"\xef\xbb\xbfRecruiter_ID,Full Name,TEAM,weekly_capacity,changed_at\r\n"
        + row(1).encode()
        + b"r-002,cut\r\n"
        + b"r-003,N\x00L,IT,1,2026-03-01T09:00:00Z\r\n"
        + b"r-004,Bad \xff\xfe,IT,1,2026-03-01T09:00:00Z\r\n"
        + row(5).encode()
        + b'r-006,"never closed,IT,1,2026-03-01T09:00:00Z'
    )
    code = main(["--project", str(project.root), "land", "crm_recruiters", str(file), "--dsn", wh.dsn])
    out, err = capsys.readouterr()
    assert code == 0
    assert "landed 2 rows into staging.crm_recruiters (read 6: 4 quarantined)" in out
    assert "line 3: 2 fields, the header has 5" in err and "Traceback" not in out + err
    assert landed(wh) == ["r-001", "r-005"]
    rows = quarantine(wh)
    assert [(q[0], q[2], q[3]) for q in rows] == [(0, str(n), str(file)) for n in (3, 4, 5, 7)]
    # the next load takes them into its batch, with the rows landed beside them
    result = load(wh, project)
    assert result.staged[0]["read"] == 2
    assert {q[0] for q in quarantine(wh)} == {result.batch_id}


@pytest_db
@pytest.mark.parametrize("what", ["missing", "folder", "empty", "duplicate", "unknown"])
def test_a_file_that_cannot_be_landed_is_refused_without_a_traceback(
    what: str, wh: Any, project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "f.csv"
    content = {"empty": "", "duplicate": "recruiter_id,RECRUITER_ID\n1,2\n", "unknown": "recruiter_id,x\n1,2\n"}
    if what == "folder":
        file.mkdir()
    elif what in content:
        file.write_text(content[what])
    code = main(["--project", str(project.root), "land", "crm_recruiters", str(file), "--dsn", wh.dsn])
    _, err = capsys.readouterr()
    expected = {"missing": "no such file", "folder": "not a file", "empty": "the file is empty",
                "duplicate": "both name column 'recruiter_id'", "unknown": "does not have: x"}  # fmt: skip
    assert code == 1 and expected[what] in err and "Traceback" not in err, err
    assert landed(wh) == [] and quarantine(wh) == []


@pytest_db
def test_landing_waits_for_a_stage_step_and_its_rows_are_staged_by_the_next_load(
    wh: Any, project: Project, tmp_path: Path
) -> None:
    """The race of the review: dv land while dv load stages the source. The stage step is held open (a third
    connection locks dv_meta.batch_source, which it writes before its TRUNCATE); dv land must wait for it,
    and its rows must survive the TRUNCATE and be staged by the next load."""
    first, second = tmp_path / "1.csv", tmp_path / "2.csv"
    first.write_text(HEADER + row(1))
    second.write_text(HEADER + row(2) + row(3))
    land_csv(wh, project, "crm_recruiters", str(first))
    batch_id, _ = open_batch(wh)
    blocker = connect(wh.dsn)
    stager, lander = connect(wh.dsn), connect(wh.dsn)
    staged: list[Any] = []
    done: list[Any] = []
    try:
        with blocker.cursor() as cur:
            cur.execute("LOCK TABLE dv_meta.batch_source IN EXCLUSIVE MODE")
        node = project.manifest.source("crm_recruiters")
        stage = threading.Thread(target=lambda: staged.append(stage_source(stager, project, node, batch_id)))
        stage.start()
        _wait_for(wh, "Lock", "relation")  # the stage step holds its lock and waits for batch_source
        land = threading.Thread(target=lambda: done.append(land_csv(lander, project, "crm_recruiters", str(second))))
        land.start()
        _wait_for(wh, "Lock", "advisory")  # dv land waits for the stage step
        assert not done
        blocker.commit()
        stage.join(10)
        land.join(10)
        assert staged and staged[0]["read"] == 1 and done and done[0].rows_landed == 2
    finally:
        for c in (blocker, stager, lander):
            c.close()
    assert landed(wh) == ["r-002", "r-003"]  # survived the stage step's TRUNCATE
    assert load(wh, project).staged[0]["read"] == 2


def _wait_for(conn: Any, kind: str, event: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with transaction(conn) as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = %s AND wait_event = %s",
                (kind, event),
            )
            if cur.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError(f"no session waits for {kind}/{event}")


@pytest_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(case=csv_files(LAND_HEADER, 5, nullable=True))
def test_generated_files_land_exactly_as_read_through_copy(
    wh: Any, project: Project, tmp_path: Path, case: tuple[bytes, list[list[Any]], list[int]]
) -> None:
    """End to end through PostgreSQL's COPY: generated files (values with \\. \\N backslashes, tabs, quotes,
    line ends, NULL and empty text; some records broken) land exactly the good records, in order, and
    quarantine the others with their lines."""
    data, good, bad_lines = case
    with transaction(wh) as cur:
        cur.execute("TRUNCATE staging.crm_recruiters")
        cur.execute("DELETE FROM dv_meta.quarantine")
    file = tmp_path / "generated.csv"
    file.write_bytes(data)
    result = land_csv(wh, project, "crm_recruiters", str(file))
    with transaction(wh) as cur:
        cur.execute(f"SELECT {', '.join(DECLARED)} FROM staging.crm_recruiters ORDER BY dv_row_no")
        assert [list(r) for r in cur.fetchall()] == good
    assert [int(q[2]) for q in quarantine(wh)] == bad_lines
    assert (result.rows_landed, result.rows_quarantined) == (len(good), len(bad_lines))
