"""Benchmark: satellite and hub loads against floors measured in the same run.

    make bench                      # default size
    BENCH_KEYS=500000 make bench    # larger

Builds a satellite with history (BENCH_KEYS keys x BENCH_VERSIONS versions),
then loads one more batch of BENCH_BATCH rows (half changed, half unchanged)
and reports:

- load / floor: our satellite load against the bare cost of reading the
  batch's stage rows and inserting them into an empty table of the same shape
  (no comparison at all);
- whole-rank / load: the common approach of ranking the whole satellite to
  find each key's latest row, run on the same data, against our load, which
  reads only the batch's keys.

Figures are ratios of times measured in this run on this machine; nothing here
is an assertion. Runs on DV_TEST_DSN's server or 127.0.0.1:5432, in a database
of its own that it drops at the end.
"""

from __future__ import annotations

import io
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
from pipelines.warehouse import apply, load
from tests.conftest import drop_database

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "tests" / "fixtures" / "models" / "basic"
KEYS = int(os.environ.get("BENCH_KEYS", "200000"))
VERSIONS = int(os.environ.get("BENCH_VERSIONS", "3"))
BATCH = int(os.environ.get("BENCH_BATCH", "20000"))
COLUMNS = ("customer_id", "referred_by", "name", "email", "tier", "updated_at", "change_seq")


def _csv(rows: list[tuple[object, ...]]) -> io.StringIO:
    buf = io.StringIO()
    for row in rows:
        buf.write(",".join("" if v is None else str(v) for v in row) + "\n")
    buf.seek(0)
    return buf


def _land(conn: psycopg2.extensions.connection, rows: list[tuple[object, ...]]) -> None:
    with conn.cursor() as cur:
        cur.copy_expert(f"COPY staging.crm_customers ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)", _csv(rows))
    conn.commit()


def _rows(keys: range, version: int, day: int) -> list[tuple[object, ...]]:
    return [
        (f"C{k}", None, f"name {k}", f"c{k}@x.io", f"tier{(k + version) % 4}", f"2026-01-{day:02d} 10:00:00+00", k)
        for k in keys
    ]


def say(line: str) -> None:
    print(line, flush=True)


def _timed(conn: psycopg2.extensions.connection, sql: str) -> float:
    started = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.commit()
    return time.perf_counter() - started


def main() -> None:
    server = os.environ.get("DV_TEST_DSN") or "postgresql://postgres@127.0.0.1:5432/postgres"
    name = f"dv_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(server)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    params = psycopg2.extensions.parse_dsn(server)
    params["dbname"] = name
    dsn = psycopg2.extensions.make_dsn(**params)
    workdir = Path(tempfile.mkdtemp(prefix="dv_bench_"))
    try:
        shutil.copytree(MODEL, workdir / "model")
        generate(workdir)
        project = Project.open(workdir)
        conn = connect(dsn)
        apply(conn, project)
        say(f"history: {KEYS} keys x {VERSIONS} versions; measured batch: {BATCH} rows (half changed)")
        for version in range(VERSIONS):
            _land(conn, _rows(range(KEYS), version, version + 1))
            load(conn, project)
        with conn.cursor() as cur:
            cur.execute("ANALYZE")
        conn.commit()
        changed = _rows(range(0, BATCH // 2), VERSIONS, 20)
        unchanged = _rows(range(BATCH // 2, BATCH), VERSIONS - 1, VERSIONS)
        _land(conn, changed + unchanged)
        node_id = "sat.customer_details"
        result = load(conn, project)
        ours = next(t.seconds for t in result.targets if t.target == node_id)
        inserted = result.inserted(node_id)
        batch = result.batch_id
        floor = _timed(
            conn,
            f"""CREATE TEMP TABLE floor_copy AS
                SELECT s.hk_customer, s.load_dts, 1 AS load_seq, s.applied_dts, s.hd_customer_details AS hashdiff,
                       s.record_source, s.batch_id, s.name, s.email, s.tier
                FROM staging.crm_customers_stage s WHERE s.batch_id = {batch}""",
        )
        whole_rank = _timed(
            conn,
            f"""CREATE TEMP TABLE whole_rank AS
                WITH latest AS MATERIALIZED (
                    SELECT hk_customer, hashdiff FROM (
                        SELECT t.hk_customer, t.hashdiff,
                               row_number() OVER (PARTITION BY t.hk_customer
                                                  ORDER BY t.applied_dts DESC, t.load_dts DESC, t.load_seq DESC) AS rn
                        FROM raw_vault.sat_customer_details t) r
                    WHERE rn = 1)
                SELECT s.* FROM staging.crm_customers_stage s
                LEFT JOIN latest l ON l.hk_customer = s.hk_customer
                WHERE s.batch_id = {batch} AND l.hashdiff IS DISTINCT FROM s.hd_customer_details""",
        )
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM raw_vault.sat_customer_details")
            (sat_rows,) = cur.fetchone()
        conn.close()
        say(f"satellite rows: {sat_rows}; inserted by the measured load: {inserted} (expected {BATCH // 2})")
        say(f"floor (copy batch rows, no comparison): {floor:.3f} s")
        say(f"our satellite load (batch keys only):   {ours:.3f} s   load/floor = {ours / floor:.2f}")
        say(f"rank whole satellite (compare only):    {whole_rank:.3f} s   whole-rank/load = {whole_rank / ours:.2f}")
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
