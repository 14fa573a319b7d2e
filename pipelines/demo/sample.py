"""``dv demo``: a small warehouse loaded from the simulated JTLD platform, three days in a row.

Creates (or resets) the demo warehouse database and, next to it, the platform's database
(``<demo database>_source``), applies ``vault_sql/``, then for each of three days: simulates the
platform up to the end of that day (``pipelines/platform`` at a tiny scale, the same seed each
time, so each day adds to the one before), extracts every database source through
the Luigi pipeline (``dv run``: every database source by watermark — day 1 the platform's whole
history, days 2 and 3 that day's changes — and every new file of the feeds) as a batch of its own,
exactly as a nightly incremental run would. Prints what each batch did, the rows of every raw-vault table, the
quarantined rows (none: the platform's database delivers typed values) and an application whose
status went back to an earlier one (A->B->A), with the query that shows it.

The warehouse is ``--dsn``/``DV_DSN``, else the local server at 127.0.0.1:5432, else an embedded
PostgreSQL (``pgserver``, installed on demand; data under ``.dv/pgdata``).

Safety: the demo only resets databases it created itself (marked by a comment on the database) or
ones without any of the warehouse schemas (the platform database: without the platform's schemas).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
from rich.console import Console
from rich.table import Table

from generator.constants import ALL_SCHEMAS, GHOST_RECORD_SOURCE, SCHEMA_META, SCHEMA_RAW_VAULT
from generator.errors import WarehouseError
from pipelines.access import access_of, connect_as, role_names
from pipelines.db import connect
from pipelines.demo.platform.clock import Config, date_of
from pipelines.demo.platform.run import run as simulate_platform
from pipelines.demo.platform.schema import SCHEMA as PLATFORM_SCHEMA
from pipelines.demo.platform.schema import SIM_SCHEMA
from pipelines.marts import build_marts
from pipelines.plan import secure
from pipelines.project import Project
from pipelines.quality import accept_gate
from pipelines.run import run_batch
from pipelines.standardize import apply_standardization
from pipelines.warehouse import apply

DEMO_DSN = "postgresql://postgres@127.0.0.1:5432/jtld_demo"
DEMO_SCALE = 0.005  # about 500 users, 40 employers, 4,600 applications
DEMO_DAYS = 3
DEMO_SEED = 1
LOAD_HOUR = dt.timedelta(hours=6)  # each day's batch loads at 06:00 the next morning
MARKER = "created by dv demo: reset by every run of dv demo"


def demo_dsn(dsn: str | None) -> str:
    """``--dsn``, else ``DV_DSN``, else the ``jtld_demo`` database of the local server."""
    return dsn or os.environ.get("DV_DSN") or DEMO_DSN


def find_server(dsn: str | None, root: Path, console: Console | None = None) -> str:
    """The demo warehouse's DSN: ``--dsn`` or ``DV_DSN`` when given; else the local server at
    127.0.0.1:5432 when it answers; else an embedded PostgreSQL (the ``pgserver`` package, installed
    on demand) with its data under ``.dv/pgdata`` in the project, left running for psql afterwards.
    ``DV_DEMO_EMBEDDED=1`` chooses the embedded server even when a local one answers."""
    given = dsn or os.environ.get("DV_DSN")
    if given:
        try:
            psycopg2.extensions.parse_dsn(given)
        except psycopg2.ProgrammingError:  # libpq's message may quote a piece of it (a password): not shown
            raise WarehouseError(
                "cannot connect to the demo warehouse: the DSN is not a connection string libpq can read\n"
                f"    hint: pass --dsn or set DV_DSN, e.g. {DEMO_DSN}"
            ) from None
        return given
    if not os.environ.get("DV_DEMO_EMBEDDED") and _answers(DEMO_DSN):
        return DEMO_DSN
    if console is not None:
        console.print("no PostgreSQL at 127.0.0.1:5432: starting an embedded one (pgserver) under .dv/pgdata")
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        try:
            from pgserver.postgres_server import get_server
        except ImportError:
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pgserver>=0.1.4,<0.2"], check=True)
            from pgserver.postgres_server import get_server
    data = root.resolve() / ".dv" / "pgdata"
    data.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(data, cleanup_mode=None)  # keeps running after the demo, for psql
    params = psycopg2.extensions.parse_dsn(server.get_uri())
    embedded: str = psycopg2.extensions.make_dsn(**{**params, "dbname": "jtld_demo"})
    return embedded


def _answers(dsn: str) -> bool:
    params = psycopg2.extensions.parse_dsn(dsn)
    try:
        psycopg2.connect(**{**params, "dbname": "postgres", "connect_timeout": 3}).close()
    except psycopg2.OperationalError:
        return False
    return True


def where(dsn: str) -> str:
    """The database a DSN names, for messages (no credentials)."""
    p = psycopg2.extensions.parse_dsn(dsn)
    host = p.get("host", "localhost")
    port = p.get("port", "5432")
    return f"database {p.get('dbname', '?')} on {host}:{port}"


def prepare_database(dsn: str, schemas: tuple[str, ...] = ALL_SCHEMAS, what: str = "a warehouse") -> str:
    """Create the demo database, or empty it of ``schemas`` (the warehouse's); returns what was done.
    A database the demo did not create is reset only when it holds none of them."""
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
                (list(schemas),),
            )
            present = cur.fetchone()[0] or []
            if present and not marked:
                raise WarehouseError(
                    f"{where(dsn)} holds {what} ({', '.join(present)}) that dv demo did not create; "
                    "the demo will not reset it\n"
                    f"    hint: point DV_DSN at another database, or unset it to use {where(DEMO_DSN)}"
                )
            for schema in schemas:
                cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cur.execute(f"COMMENT ON DATABASE \"{name}\" IS '{MARKER}'")
    finally:
        conn.close()
    return "reset"


def source_dsn_for(dsn: str) -> str:
    """The demo's platform database: ``<demo database>_source`` on the same server (never
    ``DV_SOURCE_DSN``: the demo rebuilds it)."""
    params = psycopg2.extensions.parse_dsn(dsn)
    source: str = psycopg2.extensions.make_dsn(**{**params, "dbname": f"{params.get('dbname', '')}_source"})
    return source


@dataclass
class DemoRun:
    dsn: str
    database: str  # created | reset
    source_dsn: str = ""
    batches: list[BatchSummary] = field(default_factory=list)
    tables: list[tuple[str, int]] = field(default_factory=list)  # raw-vault table, rows without the ghost
    quarantine: list[tuple[int, str, str]] = field(default_factory=list)  # batch, source, reason
    example: tuple[int, list[str]] | None = None  # an application whose status went back: id, statuses
    marts: list[tuple[str, str, int | None]] = field(default_factory=list)  # object, refresh mode, rows
    funnel: list[tuple[str, str, int, int, Any]] = field(default_factory=list)  # kpi_application_funnel
    traced: int | None = None  # a candidate whose profile changed after day 1 (for dv trace)
    roles: list[tuple[str, str]] = field(default_factory=list)  # component, the database role it acted as
    role_names: dict[str, str] = field(default_factory=dict)  # logical role -> its name in this warehouse
    seconds: float = 0.0


DEMO_ACCEPT_REASON = "demo: the platform simulator injects these defects on purpose (landing/defects.json)"


@contextmanager
def _landing(folder: Path | None) -> Iterator[str]:
    """The demo's landing folder: the one given (kept), else a temporary one."""
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        yield str(folder)
        return
    with tempfile.TemporaryDirectory(prefix="dv-demo-") as landing:
        yield landing


def day_end(day: int) -> dt.datetime:
    """Midnight after ``day`` (UTC): the upper end of that day's extract window."""
    return dt.datetime.combine(date_of(day + 1), dt.time(), tzinfo=dt.UTC)


def run(
    root: Path,
    dsn: str,
    progress: Console | None = None,
    scale: float = DEMO_SCALE,
    days: int = DEMO_DAYS,
    workers: int = 2,
    landing_dir: Path | None = None,
) -> DemoRun:
    """Each day: simulate the platform through that day (database and files), then one batch of the
    Luigi pipeline (``dv run``): every database source by watermark, every new feed file, staged and
    loaded in graph order."""
    started = time.perf_counter()
    project = Project.open(root)
    result = DemoRun(dsn, prepare_database(dsn), source_dsn_for(dsn))
    prepare_database(result.source_dsn, (PLATFORM_SCHEMA, SIM_SCHEMA), "a platform database")
    admin = connect(dsn)  # the DSN's user: creates the roles and the schemas, gives the objects to their owners
    try:
        apply(admin, project)
        apply_standardization(admin, project)  # business_vault: standardized e-mails, countries, company names
        secure(admin, project)
    finally:
        admin.close()
    conn = connect_as(dsn, project.manifest, "loader")  # the pipeline acts as the loader role
    try:
        with _landing(landing_dir) as landing:
            for day in range(1, days + 1):
                # the platform as it stands at the end of the day (a run of N+1 days adds to one of N)
                say = progress.status(f"day {day}: simulating the platform") if progress else nullcontext()
                with say as status:
                    simulate_platform(Config(seed=DEMO_SEED, scale=scale, days=day), Path(landing), result.source_dsn)
                    if status is not None:
                        status.update(f"day {day}: dv run (extract, stage, load with {workers} workers)")
                    outcome = run_batch(
                        root,
                        dsn=dsn,
                        source_dsn=result.source_dsn,
                        landing_dir=landing,
                        workers=workers,
                        load_dts=day_end(day) + LOAD_HOUR,
                    )
                if not outcome.succeeded:
                    raise WarehouseError(
                        f"day {day}: batch {outcome.batch_id} failed: " + "; ".join(outcome.failed_tasks)
                    )
                batch = _batch_summary(conn, outcome.batch_id)
                if outcome.marts is not None and outcome.marts[0] == "skipped":
                    # the simulator injects these defects on purpose: the demo accepts them, as an operator
                    # would after reading dv check, and refreshes the marts (dv gate accept; dv marts)
                    accept_gate(conn, outcome.batch_id, DEMO_ACCEPT_REASON)
                    marts = build_marts(conn, project, outcome.batch_id)
                    batch.marts = (
                        f"refreshed after accepting the gate ({len(marts.objects)} objects, {marts.seconds:.1f} s)"
                    )
                elif outcome.marts is not None:
                    batch.marts = f"refreshed ({outcome.marts[1]} objects, {outcome.marts[2]:.1f} s)"
                result.batches.append(batch)
                if progress is not None:
                    progress.print(day_line(day, batch), soft_wrap=True, markup=False)
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
            cur.execute(EXAMPLE_SQL, (GHOST_RECORD_SOURCE,))
            row = cur.fetchone()
            result.example = (int(row[0]), list(row[1])) if row else None
            cur.execute(
                "SELECT object, mode, rows_total FROM dv_meta.mart_refresh"
                " WHERE run_id = (SELECT max(run_id) FROM dv_meta.mart_refresh) ORDER BY refresh_id"
            )
            result.marts = [(str(o), str(m), None if r is None else int(r)) for o, m, r in cur.fetchall()]
            if to_regclass(cur, "marts.kpi_application_funnel"):
                cur.execute(
                    "SELECT from_stage, to_stage, applications_at_from, applications_converted, conversion_pct"
                    " FROM marts.kpi_application_funnel ORDER BY step_order"
                )
                result.funnel = [tuple(r) for r in cur.fetchall()]
            cur.execute(TRACED_SQL, (GHOST_RECORD_SOURCE,))
            row = cur.fetchone()
            result.traced = int(row[0]) if row else None
            cur.execute(ROLES_SQL)
            result.roles = [(str(what), str(role)) for what, role in cur.fetchall() if role]
            access = access_of(project.manifest)
            result.role_names = role_names(cur, access) if access else {}
        conn.commit()
    finally:
        conn.close()
    result.seconds = time.perf_counter() - started
    return result


def to_regclass(cur: Any, name: str) -> bool:
    cur.execute("SELECT to_regclass(%s) IS NOT NULL", (name,))
    return bool(cur.fetchone()[0])


# which role each component acted as, as the warehouse recorded it (docs/security.md)
ROLES_SQL = """
SELECT 'dv apply (objects then given to the owner role)', string_agg(DISTINCT pg_get_userbyid(c.relowner), ', ')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('raw_vault', 'staging', 'dv_meta') AND c.relkind = 'r'
UNION ALL
SELECT 'pipeline tasks (Luigi: extract, stage, load, quality, marts)', string_agg(DISTINCT db_role, ', ')
  FROM dv_meta.task_run
UNION ALL
SELECT 'load statements (dv_meta.load_log)', string_agg(DISTINCT db_role, ', ') FROM dv_meta.load_log
UNION ALL
SELECT 'marts built by (owner of the mart tables)', string_agg(DISTINCT pg_get_userbyid(c.relowner), ', ')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'marts' AND c.relkind = 'r'
UNION ALL
SELECT 'gate accepted by (dv_meta.gate_acceptance: the person)', string_agg(DISTINCT accepted_by, ', ')
  FROM dv_meta.gate_acceptance
"""

# a candidate whose profile has a version loaded after the first batch (dv trace shows what changed)
TRACED_SQL = f"""
SELECT h.candidate_id
  FROM {SCHEMA_RAW_VAULT}.sat_candidate_profile s
  JOIN {SCHEMA_RAW_VAULT}.hub_candidate h USING (hk_candidate)
 WHERE s.record_source <> %s AND s.batch_id > 1
 ORDER BY h.candidate_id
 LIMIT 1
"""


# the latest application that went from screening to interview and back to screening
EXAMPLE_SQL = f"""
SELECT h.application_id, array_agg(s.status ORDER BY s.applied_dts, s.applied_seq) AS statuses
  FROM {SCHEMA_RAW_VAULT}.sat_application_status s
  JOIN {SCHEMA_RAW_VAULT}.hub_application h USING (hk_application)
 WHERE s.record_source <> %s
 GROUP BY h.application_id
HAVING array_to_string(array_agg(s.status ORDER BY s.applied_dts, s.applied_seq), ',')
       LIKE '%%screening,interview,screening%%'
 ORDER BY max(s.applied_dts) DESC, h.application_id
 LIMIT 1
"""


@dataclass
class BatchSummary:
    batch_id: int
    load_dts: dt.datetime
    seconds: float
    read: int
    staged: int
    quarantined: int  # rows the stage step quarantined (dv_meta.batch_source; read = staged + quarantined)
    inserted: int
    files: int
    unparsable: int = 0  # records a feed's parser quarantined before landing (dv_meta.quarantine, extract: …)
    quality_passed: bool | None = None
    marts: str = "not refreshed"


def _batch_summary(conn: Any, batch_id: int) -> BatchSummary:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT b.load_dts, extract(epoch FROM b.finished_at - b.started_at),"
            " (SELECT COALESCE(sum(rows_read), 0) FROM dv_meta.batch_source s WHERE s.batch_id = b.batch_id),"
            " (SELECT COALESCE(sum(rows_staged), 0) FROM dv_meta.batch_source s WHERE s.batch_id = b.batch_id),"
            " (SELECT COALESCE(sum(rows_quarantined), 0) FROM dv_meta.batch_source s WHERE s.batch_id = b.batch_id),"
            " (SELECT COALESCE(sum(rows_inserted), 0) FROM dv_meta.load_log l WHERE l.batch_id = b.batch_id),"
            " (SELECT count(*) FROM dv_meta.file_log f WHERE f.batch_id = b.batch_id),"
            " (SELECT g.passed FROM dv_meta.quality_gate g WHERE g.batch_id = b.batch_id),"
            " (SELECT count(*) FROM dv_meta.quarantine q WHERE q.batch_id = b.batch_id AND q.reason LIKE 'extract:%%')"
            " FROM dv_meta.batch b WHERE b.batch_id = %s",
            (batch_id,),
        )
        stamp, seconds, read, staged, quarantined, inserted, files, passed, unparsable = cur.fetchone()
    conn.commit()
    return BatchSummary(
        batch_id,
        stamp,
        float(seconds or 0),
        int(read),
        int(staged),
        int(quarantined),
        int(inserted),
        int(files),
        int(unparsable),
        passed,
    )


def day_line(day: int, batch: BatchSummary) -> str:
    stamp = batch.load_dts.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    window = "the whole history" if day == 1 else "that day's changes"
    return (
        f"day {day} ({window}, {batch.files} new files): batch {batch.batch_id}, load_dts {stamp}, "
        f"{batch.seconds:.1f} s: {batch.read} rows read, {batch.staged} staged, {batch.quarantined} quarantined; "
        + (f"{batch.unparsable} unparsable feed record(s) quarantined before landing; " if batch.unparsable else "")
        + f"{batch.inserted} rows inserted into the raw vault; quality gate "
        + {True: "passed", False: "failed (dv check shows why: the injected defects)", None: "not run"}[
            batch.quality_passed
        ]
        + f"; marts {batch.marts}"
    )


def report(demo: DemoRun, console: Console) -> None:
    tables = Table(title="raw_vault (ghost records not counted)", title_justify="left")
    tables.add_column("table")
    tables.add_column("rows", justify="right")
    for table, rows in demo.tables:
        tables.add_row(table, str(rows))
    console.print(tables)
    staged = sum(b.staged for b in demo.batches)
    quarantined = sum(b.quarantined for b in demo.batches)
    unparsable = sum(b.unparsable for b in demo.batches)
    vault_rows = sum(rows for _, rows in demo.tables)
    lines = [
        f"rows per layer: landed and read {sum(b.read for b in demo.batches)}, staged {staged}, "
        f"quarantined {quarantined}, unparsable {unparsable}, raw vault {vault_rows} in {len(demo.tables)} tables",
        "batch times: " + ", ".join(f"batch {b.batch_id} {b.seconds:.1f} s" for b in demo.batches),
        f"dv_meta.quarantine: {len(demo.quarantine)} row(s) = {quarantined} quarantined by the stage step"
        f" + {unparsable} unparsable, by source and reason (the injected defects):",
    ]
    reasons: dict[tuple[str, str], int] = {}
    for _, source, reason in demo.quarantine:
        kind = reason.split(" (")[0] if reason.startswith("extract") else ":".join(reason.split(":")[:2])
        reasons[(source, kind)] = reasons.get((source, kind), 0) + 1
    lines += [f"  {n:>4} {source}: {kind}" for (source, kind), n in sorted(reasons.items())]
    if demo.roles:
        lines.append("roles each component acted as (docs/security.md):")
        lines += [f"  {what}: {role}" for what, role in demo.roles]
    if demo.role_names:
        names = demo.role_names
        lines.append(
            f"  dashboards and the API read as {names['reader']} (marts, masked forms of personal data); "
            f"auditors as {names['auditor']}; personal data in clear: {names['personal']} only"
        )
    uri = connect_string(psycopg2.extensions.parse_dsn(demo.dsn))
    lines += [
        f"demo warehouse ready in {demo.seconds:.1f} s: {where(demo.dsn)} ({demo.database}); "
        f"the platform's database: {where(demo.source_dsn)}",
        "look next:",
        f"  psql '{uri}'",
    ]
    if demo.example is not None:
        application_id, statuses = demo.example
        lines += [
            f"  -- the status history of application {application_id} ({', '.join(statuses)}):",
            "  SELECT h.application_id, s.status, s.applied_dts, s.applied_seq, s.applied_end_dts, s.is_current",
            "    FROM raw_vault.sat_application_status_hist s JOIN raw_vault.hub_application h USING (hk_application)",
            f"   WHERE h.application_id = {application_id} ORDER BY s.applied_dts, s.applied_seq;",
        ]
    lines += [
        "  -- every satellite has sat_<name>_hist and sat_<name>_current views; batches are in dv_meta",
        "  docs/platform.md, 'The raw vault model': what each table holds",
    ]
    if demo.marts:
        kinds: dict[str, int] = {}
        for node_id, _, _ in demo.marts:
            kinds[node_id.split(".", 1)[0]] = kinds.get(node_id.split(".", 1)[0], 0) + 1
        lines.append(
            f"business vault and marts (last refresh): {len(demo.marts)} objects: "
            + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
            + " (schemas business_vault, marts; dv_meta.mart_refresh)"
        )
    if demo.funnel:
        lines.append("  SELECT * FROM marts.kpi_application_funnel;  -- conversion at each step of the funnel:")
        lines += [f"    {a:>9} -> {b:<9} {n:>5} reached, {c:>5} went on: {pct}%" for a, b, n, c, pct in demo.funnel]
        lines.append(
            "  SELECT * FROM marts.kpi_jobs_summary;  -- and every other kpi_*, fact_*, dim_* in docs/marts.md"
        )
    if demo.traced is not None:
        lines += [
            f"  export DV_DSN='{uri}'",
            f"  .venv/bin/dv trace candidate {demo.traced}   # every version, what changed, when, which batch",
            "  .venv/bin/dv batch 3                 # what batch 3 read, loaded, quarantined, checked",
            "  .venv/bin/dv docs                    # site/index.html: the warehouse documented, offline",
        ]
    for line in lines:
        console.print(line, soft_wrap=True, markup=False)


def connect_string(params: dict[str, str]) -> str:
    """A libpq URI without the password."""
    user = params.get("user", "")
    host = params.get("host", "localhost")
    port = params.get("port", "5432")
    return f"postgresql://{user + '@' if user else ''}{host}:{port}/{params.get('dbname', '')}"
