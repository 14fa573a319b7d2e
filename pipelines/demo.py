"""``dv demo``: a small warehouse from the sample CSVs of ``pipelines/sample_data``.

Creates (or resets) the demo database, applies ``vault_sql/``, then lands and
loads one folder of CSVs per day (``day1/``, ``day2/``, ...), each as a batch
of its own, exactly as ``dv land`` and ``dv load --load-dts`` would. Prints
what each batch did, the rows of every raw-vault table and the quarantined
rows with their reasons.

The sample days show: changed profiles (day 2), a status change
screening -> interview -> screening (day 2), a malformed row that ends in
quarantine (day 2), and a re-delivery of rows the vault already holds, next
to the corrected malformed row (day 3).

Safety: the demo only resets a database it created itself (marked by a
comment on the database) or one without any of the warehouse schemas.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import psycopg2.extensions
from rich.console import Console
from rich.table import Table

from generator.constants import ALL_SCHEMAS, GHOST_RECORD_SOURCE, SCHEMA_META, SCHEMA_RAW_VAULT
from generator.errors import WarehouseError
from pipelines.db import connect
from pipelines.project import Project
from pipelines.warehouse import LoadResult, apply, land_csv, load

SAMPLE_DATA = Path(__file__).resolve().parent / "sample_data"
DEMO_DSN = "postgresql://postgres@127.0.0.1:5432/jtld_demo"
FIRST_LOAD_DTS = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)  # day 1; each further day one day later
MARKER = "created by dv demo: reset by every run of dv demo"


def demo_dsn(dsn: str | None) -> str:
    """``--dsn``, else ``DV_DSN``, else the ``jtld_demo`` database of the local server."""
    return dsn or os.environ.get("DV_DSN") or DEMO_DSN


def where(dsn: str) -> str:
    """The database a DSN names, for messages (no credentials)."""
    p = psycopg2.extensions.parse_dsn(dsn)
    host = p.get("host", "localhost")
    port = p.get("port", "5432")
    return f"database {p.get('dbname', '?')} on {host}:{port}"


def prepare_database(dsn: str) -> str:
    """Create the demo database, or empty it of the warehouse schemas; returns what was done."""
    params = psycopg2.extensions.parse_dsn(dsn)
    name = params.get("dbname")
    if not name:
        raise WarehouseError(f"the demo DSN names no database: {where(dsn)}\n    hint: e.g. {DEMO_DSN}")
    admin_dsn = psycopg2.extensions.make_dsn(**{**params, "dbname": "postgres"})
    admin = connect(admin_dsn)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (name,))
            row = cur.fetchone()
            if row is None:
                cur.execute(f'CREATE DATABASE "{name}"')
                cur.execute(f"COMMENT ON DATABASE \"{name}\" IS '{MARKER}'")
                return "created"
            marked = row[0] == MARKER
    finally:
        admin.close()
    conn = connect(dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT array_agg(nspname::text ORDER BY nspname) FROM pg_namespace WHERE nspname = ANY(%s)",
                (list(ALL_SCHEMAS),),
            )
            present = cur.fetchone()[0] or []
            if present and not marked:
                raise WarehouseError(
                    f"{where(dsn)} holds a warehouse ({', '.join(present)}) that dv demo did not create; "
                    "the demo will not reset it\n"
                    f"    hint: point DV_DSN at another database, or unset it to use {where(DEMO_DSN)}"
                )
            for schema in ALL_SCHEMAS:
                cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cur.execute(f"COMMENT ON DATABASE \"{name}\" IS '{MARKER}'")
    finally:
        conn.close()
    return "reset"


@dataclass
class DemoRun:
    dsn: str
    database: str  # created | reset
    batches: list[LoadResult] = field(default_factory=list)
    tables: list[tuple[str, int]] = field(default_factory=list)  # raw-vault table, rows without the ghost
    quarantine: list[tuple[int, str, str]] = field(default_factory=list)  # batch, source, reason
    seconds: float = 0.0


def days(data: Path = SAMPLE_DATA) -> list[Path]:
    """The day folders, in day order (day1, day2, ..., day10)."""
    folders = [p for p in data.iterdir() if p.is_dir() and p.name.startswith("day")]
    return sorted(folders, key=lambda p: int(p.name.removeprefix("day")))


def run(root: Path, dsn: str, data: Path = SAMPLE_DATA, progress: Console | None = None) -> DemoRun:
    started = time.perf_counter()
    project = Project.open(root)
    result = DemoRun(dsn, prepare_database(dsn))
    conn = connect(dsn)
    try:
        apply(conn, project)
        for n, day in enumerate(days(data)):
            landed = 0
            for path in sorted(day.glob("*.csv")):
                landed += land_csv(conn, project, path.stem, str(path))
            batch = load(conn, project, load_dts=FIRST_LOAD_DTS + dt.timedelta(days=n))
            result.batches.append(batch)
            if progress is not None:
                progress.print(day_line(day.name, batch), soft_wrap=True, markup=False)
        with conn.cursor() as cur:
            cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s"
                " AND table_type = 'BASE TABLE' ORDER BY table_name",
                (SCHEMA_RAW_VAULT,),
            )
            for (table,) in cur.fetchall():
                cur.execute(
                    f"SELECT count(*) FROM {SCHEMA_RAW_VAULT}.{table} WHERE record_source <> %s",
                    (GHOST_RECORD_SOURCE,),
                )
                result.tables.append((table, int(cur.fetchone()[0])))
            cur.execute(f"SELECT batch_id, source, reason FROM {SCHEMA_META}.quarantine ORDER BY quarantine_id")
            result.quarantine = [(int(b), str(s), str(r)) for b, s, r in cur.fetchall()]
        conn.commit()
    finally:
        conn.close()
    result.seconds = time.perf_counter() - started
    return result


def day_line(day: str, batch: LoadResult) -> str:
    read = sum(int(s["read"]) for s in batch.staged)
    staged = sum(int(s["staged"]) for s in batch.staged)
    quarantined = sum(int(s["quarantined"]) for s in batch.staged)
    inserted = sum(t.rows for t in batch.targets)
    stamp = batch.load_dts.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{day}: batch {batch.batch_id}, load_dts {stamp}: {read} rows read, {staged} staged, "
        f"{quarantined} quarantined; {inserted} rows inserted into the raw vault"
    )


def report(demo: DemoRun, console: Console) -> None:
    tables = Table(title="raw_vault (ghost records not counted)", title_justify="left")
    tables.add_column("table")
    tables.add_column("rows", justify="right")
    for table, rows in demo.tables:
        tables.add_row(table, str(rows))
    console.print(tables)
    lines = [f"dv_meta.quarantine: {len(demo.quarantine)} row(s)"]
    lines += [f"  batch {b}, {source}: {reason}" for b, source, reason in demo.quarantine]
    uri = connect_string(psycopg2.extensions.parse_dsn(demo.dsn))
    lines += [
        f"demo warehouse ready in {demo.seconds:.1f} s: {where(demo.dsn)} ({demo.database})",
        "look next:",
        f"  psql '{uri}'",
        "  -- the status history of application A-5003 (screening, interview, screening, offer):",
        "  SELECT h.application_id, s.status, s.applied_dts, s.applied_end_dts, s.is_current",
        "    FROM raw_vault.sat_application_status_hist s JOIN raw_vault.hub_application h USING (hk_application)",
        "   WHERE h.application_id = 'A-5003' ORDER BY s.applied_dts;",
        "  -- every satellite has sat_<name>_hist and sat_<name>_current views; batches are in dv_meta",
        "  README.md, 'A five-minute walkthrough': add a source, a hub and a satellite of your own",
    ]
    for line in lines:
        console.print(line, soft_wrap=True, markup=False)


def connect_string(params: dict[str, str]) -> str:
    """A libpq URI without the password."""
    user = params.get("user", "")
    host = params.get("host", "localhost")
    port = params.get("port", "5432")
    return f"postgresql://{user + '@' if user else ''}{host}:{port}/{params.get('dbname', '')}"
