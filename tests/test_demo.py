"""``dv demo`` builds its warehouse from the simulated platform over three daily batches, twice in a row,
with the same results each time."""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import psycopg2.extensions
import pytest

from generator.errors import WarehouseError
from pipelines.db import connect
from pipelines.demo import sample as demo
from pipelines.project import Project
from pipelines.warehouse import apply
from tests.conftest import REPO, drop_database


@pytest.fixture
def demo_dsn(server_dsn: str) -> Iterator[str]:
    """A database name of this test's own; the demo creates it (and its platform database), the test
    drops both."""
    name = f"dv_demo_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    params = psycopg2.extensions.parse_dsn(server_dsn)
    yield psycopg2.extensions.make_dsn(**{**params, "dbname": name})
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        for db in (name, f"{name}_source"):
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (db,),
            )
            drop_database(cur, db)
    admin.close()


def _application_statuses(dsn: str, application_id: int) -> list[str]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT s.status FROM raw_vault.sat_application_status_hist s"
                " JOIN raw_vault.hub_application h USING (hk_application)"
                " WHERE h.application_id = %s ORDER BY s.applied_dts, s.applied_seq",
                (application_id,),
            )
            return [r[0] for r in cur.fetchall()]
    finally:
        conn.close()


@pytest.mark.db
def test_demo_runs_twice(demo_dsn: str) -> None:
    first = demo.run(REPO, demo_dsn)
    assert first.database == "created"
    second = demo.run(REPO, demo_dsn)
    assert second.database == "reset"
    for run in (first, second):
        assert [b.batch_id for b in run.batches] == [1, 2, 3]
        # the platform's database delivers typed values; only the click stream's injected defects
        # (a line cut in half, a timestamp that is no time) end in quarantine
        assert run.quarantine
        for _, source, reason in run.quarantine:
            assert source.startswith("events_"), (source, reason)
            assert reason.startswith(
                ("extract: the line is not valid JSON", "column occurred_at: not a valid timestamptz")
            ), reason
        inserted = [b.inserted for b in run.batches]
        assert inserted[0] > 10 * inserted[1] > 0 and inserted[2] > 0  # the history, then a day's changes
        assert all(b.read == b.staged + b.quarantined for b in run.batches)  # the stage step's counts
        assert all(b.unparsable == _extract_quarantined(run, b.batch_id) for b in run.batches)
        assert all(b.files > 0 for b in run.batches)  # every day brings new feed files
        tables = dict(run.tables)
        for table in ("hub_candidate", "link_application_candidate_job", "sat_user_personal", "ref_skill"):
            assert tables[table] > 0, table
        assert tables["sat_user_login"] > tables["sat_user_personal"]  # sign-ins change daily, names do not
    # the same seed: the same warehouse
    assert first.tables == second.tables
    assert [(b.read, b.staged, b.inserted) for b in first.batches] == [
        (b.read, b.staged, b.inserted) for b in second.batches
    ]
    # A->B->A: back from interview to screening, kept as history
    assert second.example is not None
    application_id, statuses = second.example
    assert "screening,interview,screening" in ",".join(statuses)
    assert _application_statuses(demo_dsn, application_id) == statuses


@pytest.mark.db
def test_demo_refuses_a_warehouse_it_did_not_create(demo_dsn: str, server_dsn: str) -> None:
    name = psycopg2.extensions.parse_dsn(demo_dsn)["dbname"]
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    conn = psycopg2.connect(demo_dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA raw_vault")
    conn.close()
    with pytest.raises(WarehouseError, match="did not create"):
        demo.run(REPO, demo_dsn)


@pytest.mark.db
def test_demo_refuses_a_platform_database_it_did_not_create(demo_dsn: str, server_dsn: str) -> None:
    source = demo.source_dsn_for(demo_dsn)
    name = psycopg2.extensions.parse_dsn(source)["dbname"]
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    conn = psycopg2.connect(source)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA platform")
        cur.execute("CREATE TABLE platform.users (user_id bigint)")
    conn.close()
    with pytest.raises(WarehouseError, match=r"a platform database .* that dv demo did not create"):
        demo.run(REPO, demo_dsn)
    conn = psycopg2.connect(source)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM platform.users")  # still there
        assert cur.fetchone()[0] == 0
    conn.close()


def _extract_quarantined(run: demo.DemoRun, batch_id: int) -> int:
    """Rows quarantined by the file parsers (before the stage step counted what it read)."""
    return sum(1 for b, _, reason in run.quarantine if b == batch_id and reason.startswith("extract:"))


@pytest.mark.db
def test_demo_starts_an_embedded_postgresql_when_none_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no DV_DSN and DV_DEMO_EMBEDDED=1 (as when nothing answers at 127.0.0.1:5432), the demo starts
    pgserver's PostgreSQL under the project's .dv/pgdata and the warehouse applies there."""
    monkeypatch.delenv("DV_DSN", raising=False)
    monkeypatch.setenv("DV_DEMO_EMBEDDED", "1")
    dsn = demo.find_server(None, tmp_path)
    params = psycopg2.extensions.parse_dsn(dsn)
    assert params["dbname"] == "jtld_demo" and params["host"].startswith(str(tmp_path.resolve()))
    try:
        assert demo.prepare_database(dsn) == "created"
        conn = connect(dsn)
        with conn.cursor() as cur:
            cur.execute("SHOW server_version_num")
            assert int(cur.fetchone()[0]) >= 160000  # pgserver bundles PostgreSQL 16, not the machine's 15
        apply(conn, Project.open(REPO))
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_vault'")
            assert cur.fetchone()[0] > 0
        conn.close()
    finally:
        # stop the embedded server: a fast shutdown signal to its postmaster (pg_ctl refuses root)
        pidfile = tmp_path.resolve() / ".dv" / "pgdata" / "postmaster.pid"
        if pidfile.exists():
            os.kill(int(pidfile.read_text().split()[0]), signal.SIGINT)
