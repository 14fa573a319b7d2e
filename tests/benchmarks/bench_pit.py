"""Benchmark: PIT build time against the number of satellite versions, with floors measured in the same run.

    make bench                                    # runs this after the satellite benchmark
    BENCH_PIT_KEYS=100000 BENCH_PIT_DAYS=30 python -m tests.benchmarks.bench_pit

A hub of BENCH_PIT_KEYS keys and one satellite whose history has V versions per key (V in
BENCH_PIT_VERSIONS, default 1,3,10), spread over BENCH_PIT_DAYS daily batches, written straight into the
raw vault (the loads are not what is measured). For each V:

- floor: writing the PIT's rows without finding any version (every day x every key known that day,
  inserted into a table of the same width) — the cost of the output alone;
- build: the generated PIT build (every snapshot: range join on the virtual end dates of the _hist view);
- refresh: one more batch changing 1% of the keys, then the generated incremental refresh (the last
  snapshot again plus the new day).

Reported as build/floor and refresh/build; nothing here is an assertion.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import psycopg2

from generator.generate import generate
from pipelines.db import connect
from pipelines.project import Project
from pipelines.warehouse import apply
from tests.conftest import drop_database

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "tests" / "fixtures" / "models" / "marts"
KEYS = int(os.environ.get("BENCH_PIT_KEYS", "50000"))
DAYS = int(os.environ.get("BENCH_PIT_DAYS", "30"))
VERSIONS = [int(v) for v in os.environ.get("BENCH_PIT_VERSIONS", "1,3,10").split(",")]


def say(line: str) -> None:
    print(line, flush=True)


def _exec(conn: psycopg2.extensions.connection, sql: str, batch: int | None = None) -> float:
    started = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("SET TimeZone = 'UTC'")
        if batch is not None:
            cur.execute("SELECT set_config('dv.batch_id', %s, false)", (str(batch),))
        cur.execute(sql)
    conn.commit()
    return time.perf_counter() - started


def _history(conn: psycopg2.extensions.connection, versions: int) -> None:
    """Hub keys all known from batch 1; version v of each key loaded by the batch spread evenly over the days."""
    _exec(
        conn,
        f"""
        TRUNCATE dv_meta.batch, raw_vault.hub_job, raw_vault.sat_job_title RESTART IDENTITY;
        DROP TABLE IF EXISTS business_vault.pit_job;
        INSERT INTO dv_meta.batch (load_dts, status)
        SELECT timestamptz '2026-01-01 06:00+00' + (d - 1) * interval '1 day', 'succeeded'
        FROM generate_series(1, {DAYS}) AS d;
        INSERT INTO raw_vault.hub_job (hk_job, job_id, load_dts, record_source, batch_id)
        SELECT md5('J' || k)::uuid, 'J' || k, timestamptz '2026-01-01 06:00+00', 'bench', 1
        FROM generate_series(1, {KEYS}) AS k;
        INSERT INTO raw_vault.sat_job_title (hk_job, load_dts, load_seq, applied_dts, applied_seq, hashdiff,
                                             record_source, batch_id, title)
        SELECT md5('J' || k)::uuid, b.load_dts, 1, b.load_dts - interval '1 hour', k, md5(k || '/' || v)::uuid,
               'bench', b.batch_id, 'title ' || k || ' v' || v
        FROM generate_series(1, {KEYS}) AS k
        CROSS JOIN generate_series(0, {versions - 1}) AS v
        JOIN dv_meta.batch AS b ON b.batch_id = 1 + (v * {DAYS}) / {versions} + (k % GREATEST({DAYS} / {versions}, 1));
        ANALYZE raw_vault.hub_job; ANALYZE raw_vault.sat_job_title; ANALYZE dv_meta.batch;
        """,
    )


def main() -> None:
    server = os.environ.get("DV_TEST_DSN") or "postgresql://postgres@127.0.0.1:5432/postgres"
    name = f"dv_bench_pit_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(server)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    params = psycopg2.extensions.parse_dsn(server)
    params["dbname"] = name
    dsn = psycopg2.extensions.make_dsn(**params)
    workdir = Path(tempfile.mkdtemp(prefix="dv_bench_pit_"))
    try:
        shutil.copytree(MODEL, workdir / "model")
        generate(workdir)
        project = Project.open(workdir)
        node = project.node("pit.pit_job")
        build_sql = project.sql(node.sql["build"])
        refresh_sql = project.sql(node.sql["refresh"])
        conn = connect(dsn)
        apply(conn, project)
        say(f"PIT of {KEYS} keys over {DAYS} daily snapshots; one satellite with V versions per key")
        say(
            f"{'V':>3} {'sat rows':>10} {'PIT rows':>10} {'floor s':>8} {'build s':>8} {'build/floor':>11} "
            f"{'refresh s':>9} {'refresh/build':>13}"
        )
        for versions in VERSIONS:
            _history(conn, versions)
            floor = _exec(
                conn,
                f"""CREATE TEMP TABLE floor_pit AS
                    SELECT d::date AS snapshot_date, d AS snapshot_dts, h.hk_job, h.hk_job AS job_title_hk,
                           h.load_dts AS job_title_load_dts, 1 AS job_title_load_seq
                    FROM generate_series(date '2026-01-01', date '2026-01-01' + {DAYS - 1}, interval '1 day') AS d
                    JOIN raw_vault.hub_job AS h ON h.load_dts < d + interval '1 day'
                    WHERE h.record_source <> 'SYSTEM.GHOST';
                    DROP TABLE floor_pit;""",
            )
            build = _exec(conn, build_sql, batch=DAYS)
            with conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM business_vault.pit_job")
                (pit_rows,) = cur.fetchone()
                cur.execute("SELECT count(*) FROM raw_vault.sat_job_title")
                (sat_rows,) = cur.fetchone()
            conn.commit()
            _exec(
                conn,
                f"""INSERT INTO dv_meta.batch (load_dts, status)
                    VALUES (timestamptz '2026-01-01 06:00+00' + {DAYS} * interval '1 day', 'succeeded');
                    INSERT INTO raw_vault.sat_job_title (hk_job, load_dts, load_seq, applied_dts, applied_seq,
                                                         hashdiff, record_source, batch_id, title)
                    SELECT md5('J' || k)::uuid, b.load_dts, 1, b.load_dts - interval '1 hour', k,
                           md5(k || '/new')::uuid,
                           'bench', b.batch_id, 'new title ' || k
                    FROM generate_series(1, {KEYS}, 100) AS k, dv_meta.batch AS b WHERE b.batch_id = {DAYS + 1};""",
            )
            refresh = _exec(conn, refresh_sql, batch=DAYS + 1)
            say(
                f"{versions:>3} {sat_rows:>10} {pit_rows:>10} {floor:>8.2f} {build:>8.2f} {build / floor:>11.2f} "
                f"{refresh:>9.2f} {refresh / build:>13.3f}"
            )
        conn.close()
    finally:
        admin.cursor().execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        drop_database(admin.cursor(), name)
        admin.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
