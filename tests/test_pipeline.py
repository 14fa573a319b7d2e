"""The Luigi pipeline end to end on PostgreSQL: a shop database of its own is the source.

- a run extracts, stages and loads everything; a rerun of the batch and a new batch with no source
  change insert nothing; incremental extraction with a look-back does not lose a late commit;
- a run killed (SIGKILL) in the middle of the loads, then resumed, ends with exactly the vault of an
  uninterrupted run (every row compared, not counts);
- a second run of a batch that is running is refused, with a clear message;
- a source that is down: a clear error, a failed task, an alert, exit code 1; the batch resumes once
  the source is back.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import pytest

from pipelines.db import connect
from pipelines.project import Project
from pipelines.run import run_batch
from pipelines.warehouse import apply
from tests import casefiles
from tests.conftest import drop_database, make_project, reset_schemas

pytestmark = pytest.mark.db

SHOP = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (customer_id bigint PRIMARY KEY, name text, tier text, updated_at timestamptz NOT NULL);
CREATE TABLE shop.orders (order_id bigint PRIMARY KEY, customer_id bigint, amount numeric(10,2), status text);
INSERT INTO shop.customers
SELECT i, 'customer ' || i, CASE WHEN i % 3 = 0 THEN 'gold' ELSE 'silver' END,
       timestamptz '2026-03-01 08:00+00' + i * interval '1 hour'
FROM generate_series(1, 200) AS i;
INSERT INTO shop.orders
SELECT i, 1 + i % 200, (i % 97) * 1.5, CASE WHEN i % 5 = 0 THEN 'shipped' ELSE 'open' END
FROM generate_series(1, 500) AS i;
"""


def _dsn_with(dsn: str, name: str) -> str:
    params = psycopg2.extensions.parse_dsn(dsn)
    params["dbname"] = name
    return psycopg2.extensions.make_dsn(**params)


@pytest.fixture
def shop_dsn(test_dsn: str) -> Any:
    name = psycopg2.extensions.parse_dsn(test_dsn)["dbname"] + "_shop"
    admin = psycopg2.connect(_dsn_with(test_dsn, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        drop_database(cur, name)
        cur.execute(f'CREATE DATABASE "{name}"')
    dsn = _dsn_with(test_dsn, name)
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute(SHOP)
    conn.close()
    yield dsn
    with admin.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        drop_database(cur, name)
    admin.close()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path, casefiles.MODELS / "pipeline")


@pytest.fixture
def applied(test_dsn: str, project: Project) -> str:
    reset_schemas(test_dsn)
    conn = connect(test_dsn)
    apply(conn, project)
    conn.close()
    return test_dsn


def vault(dsn: str, project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every vault table, batch ids left out (they differ between two warehouses)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    conn = connect(dsn)
    with conn.cursor() as cur:
        for node in project.with_statement("load"):
            table = node.qualified
            cur.execute(f"SELECT * FROM {table}")
            names = [d.name for d in cur.description]
            rows = [
                tuple(casefiles.canon(v) for n, v in zip(names, r, strict=True) if n != "batch_id")
                for r in cur.fetchall()
            ]
            out[table] = sorted(rows, key=repr)
    conn.close()
    return out


def inserted(dsn: str, batch_id: int) -> int:
    conn = connect(dsn)
    with conn.cursor() as cur:
        cur.execute("SELECT COALESCE(sum(rows_inserted), 0) FROM dv_meta.load_log WHERE batch_id = %s", (batch_id,))
        (rows,) = cur.fetchone()
    conn.close()
    return int(rows)


def _shop(dsn: str, sql: str) -> None:
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute(sql)
    conn.close()


def test_run_then_rerun_and_an_unchanged_batch_insert_nothing(applied: str, shop_dsn: str, project: Project) -> None:
    first = run_batch(project.root, dsn=applied, source_dsn=shop_dsn, workers=2)
    assert first.succeeded, first.failed_tasks
    conn = connect(applied)
    with conn.cursor() as cur:  # after the loads the batch is profiled (every staged column) and checked
        cur.execute("SELECT DISTINCT source, column_name FROM dv_meta.profile WHERE batch_id = %s", (first.batch_id,))
        profiled = set(cur.fetchall())
        cur.execute("SELECT task FROM dv_meta.task_run WHERE batch_id = %s AND status = 'done'", (first.batch_id,))
        done = {r[0] for r in cur.fetchall()}
    conn.close()
    assert {("shop_customers", c) for c in ("customer_id", "name", "tier", "updated_at")} <= profiled
    assert {"profile", "quality"} <= done
    counts = {t: len(rows) for t, rows in vault(applied, project).items()}
    assert counts["raw_vault.hub_customer"] == 201 and counts["raw_vault.sat_order_details"] == 501  # + ghosts
    before = vault(applied, project)
    again = run_batch(project.root, dsn=applied, source_dsn=shop_dsn, batch_id=first.batch_id)
    assert again.succeeded
    with psycopg2.connect(applied) as conn2, conn2.cursor() as cur:  # a rerun leaves a succeeded batch succeeded
        cur.execute("SELECT status, finished_at IS NOT NULL FROM dv_meta.batch WHERE batch_id = %s", (first.batch_id,))
        assert cur.fetchone() == ("succeeded", True)
    conn2.close()
    second = run_batch(project.root, dsn=applied, source_dsn=shop_dsn)
    assert second.succeeded and inserted(applied, second.batch_id) == 0
    assert vault(applied, project) == before


def test_incremental_extract_reads_changes_and_late_commits(applied: str, shop_dsn: str, project: Project) -> None:
    first = run_batch(project.root, dsn=applied, source_dsn=shop_dsn)
    assert first.succeeded
    # a change now, and a commit that arrives late: its updated_at is older than the watermark, inside the look-back
    _shop(
        shop_dsn,
        "UPDATE shop.customers SET tier = 'platinum', updated_at = now() WHERE customer_id = 7;"
        "UPDATE shop.customers SET tier = 'bronze', updated_at = timestamptz '2026-03-09 15:00:00+00'"
        " WHERE customer_id = 8",
    )
    second = run_batch(project.root, dsn=applied, source_dsn=shop_dsn)
    assert second.succeeded
    conn = connect(applied)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT rows_read, read_from IS NOT NULL FROM dv_meta.watermark WHERE batch_id = %s "
            "AND source = 'shop_customers'",
            (second.batch_id,),
        )
        rows_read, incremental = cur.fetchone()
        cur.execute(
            "SELECT h.customer_id, s.tier FROM raw_vault.sat_customer_details_current s "
            "JOIN raw_vault.hub_customer h USING (hk_customer) WHERE h.customer_id IN (7, 8) ORDER BY 1"
        )
        current = cur.fetchall()
    conn.close()
    assert incremental and rows_read == 4, "the second extract reads the watermark window, not the whole table"
    assert current == [(7, "platinum"), (8, "bronze")]


def _dv(project: Project, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, SODA_CORE_TELEMETRY_ENABLED="false")
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "--project", str(project.root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )


def test_killed_run_resumes_to_the_same_vault(applied: str, shop_dsn: str, project: Project, test_dsn: str) -> None:
    # the reference: an uninterrupted run in a second warehouse
    stamp = dt.datetime(2026, 10, 1, 23, 59, 59, tzinfo=dt.UTC)  # what --date 2026-10-01 gives
    reference = run_batch(project.root, dsn=applied, source_dsn=shop_dsn, load_dts=stamp)
    assert reference.succeeded
    expected = vault(applied, project)
    reset_schemas(applied)
    conn = connect(applied)
    apply(conn, project)
    # hold one satellite so the run stops in the middle of its loads, then kill it there
    blocker = connect(applied)
    with blocker.cursor() as cur:
        cur.execute("LOCK TABLE raw_vault.sat_order_details IN ACCESS EXCLUSIVE MODE")
    run = _dv(project, "run", "--dsn", applied, "--source-dsn", shop_dsn, "--workers", "2", "--date", "2026-10-01")
    deadline = time.monotonic() + 60
    with conn.cursor() as cur:
        while True:
            cur.execute("SELECT count(*) FROM dv_meta.load_log")
            (loads,) = cur.fetchone()
            conn.rollback()
            if loads >= 3:
                break
            assert run.poll() is None, run.communicate()
            assert time.monotonic() < deadline, "the run never reached its loads"
            time.sleep(0.1)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    blocker.rollback()
    blocker.close()
    with conn.cursor() as cur:
        cur.execute("SELECT batch_id, status FROM dv_meta.batch")
        ((batch_id, status),) = cur.fetchall()
    conn.close()
    assert status == "running", "the killed run could not mark anything"
    resumed = _dv(project, "run", "--dsn", applied, "--source-dsn", shop_dsn, "--batch", str(batch_id))
    out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, out + err
    assert vault(applied, project) == expected


def test_second_run_of_a_running_batch_is_refused(applied: str, shop_dsn: str, project: Project) -> None:
    first = run_batch(project.root, dsn=applied, source_dsn=shop_dsn)
    holder = connect(applied)
    with holder.cursor() as cur:  # as a run of that batch would hold it
        cur.execute("SELECT pg_advisory_lock(hashtext('dv.batch'), %s::int)", (first.batch_id,))
    run = _dv(project, "run", "--dsn", applied, "--source-dsn", shop_dsn, "--batch", str(first.batch_id))
    _, err = run.communicate(timeout=60)
    holder.close()
    assert run.returncode == 1
    assert f"batch {first.batch_id} is being run by another process" in err
    assert "Traceback" not in err


def test_source_down_fails_clearly_then_resumes(applied: str, shop_dsn: str, project: Project) -> None:
    down = _dsn_with(shop_dsn, "no_such_shop_database")
    run = _dv(project, "run", "--dsn", applied, "--source-dsn", down)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1, out + err
    assert "Traceback" not in err
    conn = connect(applied)
    with conn.cursor() as cur:
        cur.execute("SELECT batch_id, status FROM dv_meta.batch")
        ((batch_id, status),) = cur.fetchall()
        cur.execute("SELECT task, error FROM dv_meta.task_run WHERE status = 'failed'")
        failed = cur.fetchall()
        cur.execute("SELECT count(*) FROM dv_meta.alert WHERE kind = 'task_failed'")
        (alerts,) = cur.fetchone()
    conn.close()
    assert status == "failed" and f"resume with: dv run --batch {batch_id}" in out
    assert failed and all("no_such_shop_database" in error for _, error in failed), failed
    assert alerts == len(failed)
    resumed = run_batch(project.root, dsn=applied, source_dsn=shop_dsn, batch_id=batch_id)
    assert resumed.succeeded
    assert inserted(applied, batch_id) > 0


def test_run_on_a_central_scheduler(applied: str, shop_dsn: str, project: Project, tmp_path: Path) -> None:
    """luigid as `make scheduler` starts it (with task history in PostgreSQL); dv run against it; the
    scheduler's API lists the batch's tasks as done."""
    import json
    import socket
    import urllib.parse
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    history = applied.replace("postgresql://", "postgresql+psycopg2://", 1)
    if not history.startswith("postgresql+psycopg2://"):
        params = psycopg2.extensions.parse_dsn(applied)
        history = (
            f"postgresql+psycopg2://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}:"
            f"{params.get('port', '5432')}/{params['dbname']}"
        )
    (tmp_path / "logs").mkdir()
    cfg = tmp_path / "luigid.cfg"
    cfg.write_text(
        "[core]\nautoload_range = false\n[scheduler]\nrecord_task_history = true\n"
        f"[task_history]\ndb_connection = {history}\n"
    )
    luigid = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "luigid"),
            "--address",
            "127.0.0.1",
            "--port",
            str(port),
            "--state-path",
            str(tmp_path / "state.pickle"),
            "--logdir",
            str(tmp_path / "logs"),
        ],
        env=dict(os.environ, LUIGI_CONFIG_PATH=str(cfg)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/task_list?data={{}}", timeout=1)
                break
            except OSError:
                assert luigid.poll() is None, luigid.communicate()
                assert time.monotonic() < deadline, "luigid did not start"
                time.sleep(0.2)
        outcome = run_batch(
            project.root, dsn=applied, source_dsn=shop_dsn, scheduler_host="127.0.0.1", scheduler_port=port
        )
        assert outcome.succeeded, outcome.failed_tasks
        query = urllib.parse.quote(json.dumps({"status": "DONE", "upstream_status": "", "search": ""}))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/task_list?data={query}", timeout=5) as answer:
            tasks = json.loads(answer.read())["response"]
        names = {t["name"] for t in tasks.values()}
        assert {"Extract", "Stage", "Load", "Batch"} <= names, names
        conn = connect(applied)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM tasks")  # luigi's task history table, in the warehouse database
            (recorded,) = cur.fetchone()
        conn.close()
        assert recorded >= len(tasks)
    finally:
        luigid.terminate()
        luigid.wait(timeout=10)


def test_status_and_alerts(applied: str, shop_dsn: str, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """dv status --json reports the run; a source staler than its freshness_hours raises an alert: a row,
    and a POST to the webhook named by DV_ALERT_WEBHOOK (a local HTTP server here)."""
    import http.server
    import json
    import threading

    received: list[dict[str, Any]] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("DV_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/alerts")
    try:
        outcome = run_batch(project.root, dsn=applied, source_dsn=shop_dsn)
        assert outcome.succeeded
        # shop_orders declares no freshness; shop_customers 24 h: fresh now
        assert outcome.stale == [] and received == []
        conn = connect(applied)
        with conn.cursor() as cur:  # pretend the last extract of customers was two days ago
            cur.execute(
                "UPDATE dv_meta.task_run SET finished_at = finished_at - interval '2 days'"
                " WHERE task = 'extract.shop_customers'"
            )
        conn.commit()
        conn.close()
        status = _dv(project, "status", "--dsn", applied, "--json")
        out, err = status.communicate(timeout=60)
        assert status.returncode == 0, err
        report = json.loads(out)
        assert report["batches"][0]["batch_id"] == outcome.batch_id
        assert report["batches"][0]["status"] == "succeeded"
        assert report["batches"][0]["quality_gate"] == "passed"  # the shop's clean data passes every check
        stale = {s["source"]: s["stale"] for s in report["sources"]}
        assert stale == {"shop_customers": True, "shop_orders": False}
        # the next run (no source change: the stale source is extracted again, so it is fresh after it)
        second = run_batch(project.root, dsn=applied, source_dsn=shop_dsn)
        assert second.succeeded and second.stale == []
        # a source that fails, whose last good extract is old: a failed task and a stale source, both alerted
        conn = connect(applied)
        with conn.cursor() as cur:
            cur.execute("UPDATE dv_meta.task_run SET finished_at = finished_at - interval '2 days'")
        conn.commit()
        conn.close()
        failing = run_batch(project.root, dsn=applied, source_dsn=_dsn_with(shop_dsn, "gone_shop"))
        assert not failing.succeeded
        assert [name for name, _, _ in failing.stale] == ["shop_customers"]
        kinds = sorted({a["kind"] for a in received})
        assert kinds == ["stale_source", "task_failed"], received
        assert all(a["batch_id"] == failing.batch_id for a in received)
    finally:
        server.shutdown()


def test_a_source_landed_by_hand_is_left_alone(applied: str, shop_dsn: str, tmp_path: Path) -> None:
    """A source with no table, query or feed is landed by hand (dv land): dv run stages what it holds and
    never empties it (it is not a database source)."""
    model = tmp_path / "hand"
    shutil.copytree(casefiles.MODELS / "pipeline", model)
    text = (model / "model.yml").read_text()
    (model / "model.yml").write_text(text.replace("table: shop.orders\n", ""))
    project = make_project(tmp_path / "p", model)
    assert project.manifest.source("shop_orders").source_table is None
    reset_schemas(applied)
    conn = connect(applied)
    apply(conn, project)
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO staging.shop_orders (order_id, customer_id, amount, status) VALUES ('9001', '1', '5', 'open')"
        )
    conn.commit()
    conn.close()
    outcome = run_batch(project.root, dsn=applied, source_dsn=shop_dsn)
    assert outcome.succeeded, outcome.failed_tasks
    tables = vault(applied, project)
    assert len(tables["raw_vault.hub_shop_order"]) == 2  # the ghost and order 9001
