"""Two loads of the same batch at the same moment leave the vault exactly as one load does.

- ``test_two_loads_of_one_batch_at_once``: two connections run the whole load of one batch
  (``pipelines.warehouse.load``) from threads released by a barrier.
- ``test_racing_load_statements``: for every hub, link and satellite, the second connection's load
  statement starts while the first's rows are inserted but not committed, so its snapshot cannot see
  them: only the primary key and ``ON CONFLICT DO NOTHING`` keep it from inserting them again.
- Two controls show these tests can fail: without ``ON CONFLICT`` the same race breaks the second load
  (so the race is real, not serialized away), and the duplicate check catches a duplicated version.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.errors
import pytest

from generator.manifest_model import HubNode, LinkNode, Node, SatNode, SourceNode
from pipelines.db import connect
from pipelines.project import Project
from pipelines.warehouse import apply, load, load_target, open_batch, stage_source
from tests import casefiles
from tests.conftest import make_project, reset_schemas

pytestmark = pytest.mark.db

LOAD_DTS = "2026-02-01 00:00:00+00"

# One batch that gives every hub, link and satellite of the basic model rows to insert; keys arrive
# from several sources and spellings, and C1 changes A -> B -> A inside the batch.
ORDER_COLUMNS = ("region", "order_no", "line_no", "product_code", "customer_id", "quantity", "price")
LANDED: dict[str, list[dict[str, Any]]] = {
    "crm_customers": [
        {"customer_id": "C1", "name": "Ann", "tier": "gold", "updated_at": "2026-01-01 10:00:00+00", "change_seq": 1},
        {"customer_id": "C1", "name": "Ann", "tier": "silver", "updated_at": "2026-01-02 10:00:00+00", "change_seq": 2},
        {"customer_id": "c1", "name": "Ann", "tier": "gold", "updated_at": "2026-01-03 10:00:00+00", "change_seq": 3},
        {
            "customer_id": "C2",
            "name": "Bob",
            "referred_by": "C1",
            "updated_at": "2026-01-01 11:00:00+00",
            "change_seq": 4,
        },
        {
            "customer_id": "C3",
            "name": "Cid",
            "referred_by": "R9",
            "updated_at": "2026-01-01 12:00:00+00",
            "change_seq": 5,
        },
    ],
    "web_signups": [
        {"customer_ref": "C2", "channel": "ads"},
        {"customer_ref": "C4", "channel": "mail"},
        {"customer_ref": " c4 ", "channel": "ads"},
    ],
    "shop_orders": [
        dict(zip(ORDER_COLUMNS, row, strict=True))
        for row in (("EU", 1, 1, "P1", "C1", 2, 10), ("EU", 1, 2, "P2", "C1", 1, 5), ("US", 7, 1, "p1", "C5", 3, 9))
    ],
}


def _fresh(dsn: str, project: Project) -> Any:
    """Drop every dv schema, apply the model, land the batch; a new connection to the result."""
    reset_schemas(dsn)
    conn = connect(dsn)
    apply(conn, project)
    casefiles.land(conn, project, LANDED)
    return conn


def _vault_tables(project: Project) -> list[str]:
    return [n.qualified for n in project.ordered("hub", "link", "sat")]


def snapshot(conn: Any, project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every vault table (all columns), plus the batch's quarantine and reconciliation."""
    queries = {table: f"SELECT * FROM {table}" for table in _vault_tables(project)}
    queries["dv_meta.quarantine"] = "SELECT batch_id, source, dv_row_no, reason, source_row FROM dv_meta.quarantine"
    queries["dv_meta.batch_source"] = (
        "SELECT batch_id, source, rows_read, rows_staged, rows_quarantined FROM dv_meta.batch_source"
    )
    out: dict[str, list[tuple[Any, ...]]] = {}
    with conn.cursor() as cur:
        for name, sql in queries.items():
            cur.execute(sql)
            out[name] = sorted((tuple(casefiles.canon(v) for v in row) for row in cur.fetchall()), key=repr)
    conn.rollback()
    return out


def duplicates(conn: Any, project: Project) -> list[str]:
    """Rows the vault holds twice: a hub business key or a hash key on two rows, or a satellite version
    that repeats the one before it (same hashdiff, in version order)."""
    found: list[str] = []
    with conn.cursor() as cur:
        for node in project.ordered("hub", "link", "sat"):
            node_id, table = node.id, node.qualified
            if isinstance(node, SatNode):
                key = node.parent_key
                cur.execute(
                    f"SELECT {key}::text, applied_dts, load_seq FROM ("
                    f" SELECT s.*, lag(hashdiff) OVER (PARTITION BY {key}"
                    f"  ORDER BY {', '.join(node.version_order)}) AS prev FROM {table} AS s) AS v"
                    " WHERE prev = hashdiff"
                )
                found += [f"{node_id}: version repeats its predecessor {row}" for row in cur.fetchall()]
                continue
            assert isinstance(node, HubNode | LinkNode)
            groups = [node.hash_key]
            if isinstance(node, HubNode):
                groups.append(", ".join(k.name for k in node.business_keys))
            for columns in groups:
                cur.execute(f"SELECT {columns}, count(*) FROM {table} GROUP BY {columns} HAVING count(*) > 1")
                found += [f"{node_id}: ({columns}) on {row[-1]} rows: {row[:-1]}" for row in cur.fetchall()]
    conn.rollback()
    return found


def _in_threads(*work: Callable[[], Any]) -> list[Any]:
    """Run each callable in its own thread, released together by a barrier; results or exceptions."""
    barrier = threading.Barrier(len(work))
    results: list[Any] = [None] * len(work)

    def run(i: int, fn: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = fn()
        except BaseException as exc:  # reported by the test, not lost in the thread
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(work)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a load thread did not finish"
    return results


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path, casefiles.MODELS / "basic")


@pytest.fixture
def reference(test_dsn: str, project: Project) -> dict[str, Any]:
    """The vault after one load of the batch, and the rows that load inserted per target."""
    conn = _fresh(test_dsn, project)
    try:
        result = load(conn, project, load_dts=LOAD_DTS)
        inserted = {t.target: t.rows for t in result.targets}
        assert all(inserted.values()), f"every target should get rows from the batch: {inserted}"
        assert not duplicates(conn, project)
        return {"snapshot": snapshot(conn, project), "inserted": inserted}
    finally:
        conn.close()


@pytest.mark.parametrize("round_no", [1, 2, 3])
def test_two_loads_of_one_batch_at_once(test_dsn: str, project: Project, reference: dict[str, Any], round_no: int):
    main = _fresh(test_dsn, project)
    batch_id, _ = open_batch(main, LOAD_DTS)
    conns = [connect(test_dsn), connect(test_dsn)]
    try:
        results = _in_threads(*(lambda c=c: load(c, project, batch_id=batch_id) for c in conns))
        errors = [r for r in results if isinstance(r, BaseException)]
        assert not errors, f"round {round_no}: a concurrent load failed: {errors}"
        # each row was inserted once, by one of the two loads
        for target, rows in reference["inserted"].items():
            assert sum(r.inserted(target) for r in results) == rows, f"round {round_no}: {target}"
        assert duplicates(main, project) == []
        assert snapshot(main, project) == reference["snapshot"]
    finally:
        for c in conns:
            c.close()
        main.close()


def _race(
    dsn: str, project: Project, node: Node, batch_id: int, sql: str, second_batch_id: int | None = None
) -> tuple[int, Any]:
    """Run ``sql`` (a load statement) on two connections: the second starts after the first has inserted
    and before it commits. Returns the first's row count and the second's row count (or its error).
    The second loads ``second_batch_id`` when given, else the same batch."""
    first, second = connect(dsn), connect(dsn)
    try:
        with second.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            second_pid = cur.fetchone()[0]
        second.commit()
        with first.cursor() as cur:
            cur.execute("SELECT set_config('dv.batch_id', %s, true)", (str(batch_id),))
            cur.execute(sql)
            first_rows = cur.rowcount

        def second_load() -> int:
            try:
                with second.cursor() as cur:
                    cur.execute("SELECT set_config('dv.batch_id', %s, true)", (str(second_batch_id or batch_id),))
                    cur.execute(sql)
                    rows = cur.rowcount
                second.commit()
                return rows
            except BaseException:
                second.rollback()
                raise

        outcome: list[Any] = []
        thread = threading.Thread(target=lambda: outcome.append(_capture(second_load)))
        thread.start()
        # the second statement must be waiting for the first transaction: its snapshot predates the commit
        deadline = time.monotonic() + 15
        watcher = connect(dsn)
        try:
            with watcher.cursor() as cur:
                while True:
                    cur.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (second_pid,))
                    if cur.fetchone()[0] == "Lock":
                        break
                    assert thread.is_alive(), f"{node.table}: the second load ended without waiting for the first"
                    assert time.monotonic() < deadline, f"{node.table}: the second load never waited for the first"
                    watcher.rollback()
                    time.sleep(0.01)
        finally:
            watcher.close()
            if thread.is_alive() and not outcome:
                first.commit()  # release the second load, so a failed assertion does not leave it hanging
        first.commit()
        thread.join(timeout=60)
        assert not thread.is_alive(), f"{node.table}: the second load did not finish"
        return first_rows, outcome[0]
    finally:
        first.close()
        second.close()


def _capture(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except BaseException as exc:
        return exc


def _staged_batch(dsn: str, project: Project) -> tuple[Any, int]:
    main = _fresh(dsn, project)
    batch_id, _ = open_batch(main, LOAD_DTS)
    for source in project.of_type(SourceNode):
        stage_source(main, project, source, batch_id)
    return main, batch_id


def test_racing_load_statements(test_dsn: str, project: Project, reference: dict[str, Any]) -> None:
    main, batch_id = _staged_batch(test_dsn, project)
    try:
        for node in project.ordered("hub", "link", "sat"):
            node_id = node.id
            first_rows, second = _race(test_dsn, project, node, batch_id, project.sql(node.sql["load"]))
            assert not isinstance(second, BaseException), f"{node_id}: the second load failed: {second}"
            assert first_rows == reference["inserted"][node_id], node_id
            assert second == 0, f"{node_id}: the second load inserted {second} row(s) again"
        assert duplicates(main, project) == []
        assert snapshot(main, project) == reference["snapshot"]
    finally:
        main.close()


def test_control_race_without_on_conflict_fails(test_dsn: str, project: Project) -> None:
    """Without ON CONFLICT DO NOTHING the same race makes the second load fail on the primary key: the
    NOT EXISTS guards alone do not protect a concurrent load, so the race above is a real one. (The
    per-target lock is stripped too: with it the second load waits and then finds the rows.)"""
    main, batch_id = _staged_batch(test_dsn, project)
    try:
        for node in project.ordered("hub", "link", "sat"):
            node_id = node.id
            sql = project.sql(node.sql["load"])
            stripped = re.sub(r"ON CONFLICT \([^)]*\) DO NOTHING", "", sql)
            assert stripped != sql, f"{node_id}: load has no ON CONFLICT clause to strip"
            unlocked = re.sub(r"SELECT pg_advisory_xact_lock\([^;]*;", "", stripped)
            assert unlocked != stripped, f"{node_id}: load takes no lock to strip"
            stripped = unlocked
            first_rows, second = _race(test_dsn, project, node, batch_id, stripped)
            assert first_rows > 0, node_id
            assert isinstance(second, psycopg2.errors.UniqueViolation), f"{node_id}: second load gave {second!r}"
    finally:
        main.close()


def test_control_duplicate_is_caught(test_dsn: str, project: Project, reference: dict[str, Any]) -> None:
    """The checks of the tests above see a duplicated satellite version and a hub key on two rows."""
    conn = _fresh(test_dsn, project)
    try:
        load(conn, project, load_dts=LOAD_DTS)
        assert duplicates(conn, project) == []
        assert snapshot(conn, project) == reference["snapshot"]
        with conn.cursor() as cur:
            # the same version again, as a second loader without the primary key guard would write it
            cur.execute(
                "INSERT INTO raw_vault.sat_customer_details"
                " (hk_customer, load_dts, load_seq, applied_dts, applied_seq, hashdiff, record_source, batch_id,"
                " name, email, tier)"
                " SELECT hk_customer, load_dts, load_seq + 100, applied_dts, applied_seq, hashdiff, record_source,"
                " batch_id, name, email, tier FROM raw_vault.sat_customer_details_current WHERE batch_id <> 0"
            )
            # a customer key on a second row under another hash key
            cur.execute(
                "INSERT INTO raw_vault.hub_customer"
                " SELECT md5('not the key')::uuid, customer_id, load_dts, record_source, batch_id"
                " FROM raw_vault.hub_customer WHERE customer_id = 'C1'"
            )
        conn.commit()
        found = duplicates(conn, project)
        assert any(f.startswith("sat.customer_details: version repeats") for f in found), found
        assert any(f.startswith("hub.customer: (customer_id)") for f in found), found
        assert snapshot(conn, project) != reference["snapshot"]
    finally:
        conn.close()


def test_two_batches_at_once_keep_one_version(test_dsn: str, project: Project) -> None:
    """Two different batches carrying the same content for 50 keys (at different applied times): while
    the first batch's satellite load is uncommitted, the second batch's load must wait for it and then
    insert nothing, exactly as when they run one after the other. Without the per-target lock the
    second would not see the first's rows and would insert 50 repeated versions."""
    main = _fresh(test_dsn, project)
    try:
        node = project.manifest.source("crm_customers")
        landed = open_batch(main, "2026-02-01 00:00:00+00")[0]  # stages the fixture's landed rows out of the way
        stage_source(main, project, node, landed)
        batches = []
        for day in (1, 5):
            rows = [
                {
                    "customer_id": f"N{i}",
                    "name": "Ann",
                    "tier": "gold",
                    "updated_at": f"2026-01-0{day} 10:00:00+00",
                    "change_seq": day,
                }
                for i in range(50)
            ]
            casefiles.land(main, project, {"crm_customers": rows})
            batch_id = open_batch(main, f"2026-02-0{day + 1} 00:00:00+00")[0]
            stage_source(main, project, node, batch_id)
            batches.append(batch_id)
        for hub_or_link in ("hub.customer", "link.customer_referral"):
            for batch_id in batches:
                load_target(main, project, project.node(hub_or_link), batch_id)
        sat = project.node("sat.customer_details")
        first_rows, second = _race(test_dsn, project, sat, batches[0], project.sql(sat.sql["load"]), batches[1])
        assert first_rows == 50
        assert second == 0, f"the second batch inserted {second} repeated version(s)"
        assert duplicates(main, project) == []
    finally:
        main.close()
