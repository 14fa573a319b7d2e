"""``dv demo`` builds its warehouse from the sample CSVs, twice in a row, with the documented results."""

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
    """A database name of this test's own; the demo creates it, the test drops it."""
    name = f"dv_demo_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    params = psycopg2.extensions.parse_dsn(server_dsn)
    yield psycopg2.extensions.make_dsn(**{**params, "dbname": name})
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def _application_statuses(dsn: str, application_id: str) -> list[str]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT s.status FROM raw_vault.sat_application_status_hist s"
                " JOIN raw_vault.hub_application h USING (hk_application)"
                " WHERE h.application_id = %s ORDER BY s.applied_dts, s.load_dts, s.load_seq",
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
        assert [sum(t.rows for t in b.targets) for b in run.batches] == [48, 14, 3]
        assert len(run.quarantine) == 1
        assert "years_experience" in run.quarantine[0][2]
        tables = dict(run.tables)
        assert tables["sat_candidate_profile"] == 9  # changed profiles, re-delivery skipped, corrected row loaded
    # A->B->A: screening, interview, screening (day 2), then offer (day 3)
    assert _application_statuses(demo_dsn, "A-5003") == ["screening", "interview", "screening", "offer"]


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
