"""``dv demo`` builds its warehouse from the simulated platform over three daily batches, twice in a row,
with the same results each time."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg2
import psycopg2.extensions
import pytest

from generator.errors import WarehouseError
from pipelines import demo
from tests.conftest import REPO


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
            cur.execute(f'DROP DATABASE IF EXISTS "{db}"')
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
        assert not run.quarantine  # the platform's database delivers typed values
        inserted = [sum(t.rows for t in b.targets) for b in run.batches]
        assert inserted[0] > 10 * inserted[1] > 0 and inserted[2] > 0  # the history, then a day's changes
        extracted = [sum(e.values()) for e in run.extracted]
        assert extracted == [sum(int(s["read"]) for s in b.staged) for b in run.batches]
        tables = dict(run.tables)
        for table in ("hub_candidate", "link_application_candidate_job", "sat_user_personal", "ref_skill"):
            assert tables[table] > 0, table
        assert tables["sat_user_login"] > tables["sat_user_personal"]  # sign-ins change daily, names do not
    # the same seed: the same warehouse
    assert first.tables == second.tables
    assert [[(t.target, t.rows) for t in b.targets] for b in first.batches] == [
        [(t.target, t.rows) for t in b.targets] for b in second.batches
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
