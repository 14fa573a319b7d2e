"""Apply the generated DDL and run loads: set-based SQL files, executed in graph order.

Each source's stage step and each entity's load run in a transaction of their
own, so a failure leaves every earlier entity loaded and the batch rerunnable.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeAlias

import psycopg2
import psycopg2.extensions

from generator.constants import SCHEMA_META
from generator.dialects import get_dialect
from generator.errors import WarehouseError
from generator.manifest_model import Node, SourceNode, StoredNode
from generator.resolve import hint_for
from pipelines.db import transaction
from pipelines.extract.csv_file import ADOPT_SQL, CsvLanded, land_csv_file
from pipelines.plan import Plan
from pipelines.plan import apply as apply_plan
from pipelines.project import Project

Conn: TypeAlias = psycopg2.extensions.connection


@dataclass
class TargetResult:
    target: str
    kind: str
    rows: int
    seconds: float
    rejected: int = 0  # rows refused as late (late_data: reject), recorded in dv_meta.late_data


@dataclass
class LoadResult:
    batch_id: int
    load_dts: dt.datetime
    staged: list[dict[str, int | str]] = field(default_factory=list)
    targets: list[TargetResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # targets whose load this batch had logged already

    def inserted(self, node_id: str) -> int:
        return sum(t.rows for t in self.targets if t.target == node_id)


def _run(cur: psycopg2.extensions.cursor, sql: str, what: str) -> None:
    try:
        cur.execute(sql)
    except psycopg2.Error as exc:
        detail = (exc.pgerror or str(exc)).strip()
        raise WarehouseError(f"{what} failed: {detail}") from None


def apply(conn: Conn, project: Project) -> Plan:
    """Bring the warehouse to the model in one transaction: the metadata schema, then the plan of
    ``pipelines.plan`` (new schemas, tables, columns, indexes, views), then the applied model
    version. A fresh database gets everything; a refused plan raises ``PlanRefused`` and changes
    nothing."""
    return apply_plan(conn, project)


def batch_load_dts(conn: Conn, batch_id: int) -> dt.datetime:
    """The load_dts of an existing batch (to resume it); a clear error when there is no such batch."""
    with transaction(conn) as cur:
        cur.execute("SELECT load_dts FROM dv_meta.batch WHERE batch_id = %s", (batch_id,))
        row = cur.fetchone()
    if row is None:
        raise WarehouseError(f"batch {batch_id} does not exist\n    hint: omit --batch to open a new one")
    stamp: dt.datetime = row[0]
    return stamp


LOAD_DTS_AHEAD_ENV = "DV_LOAD_DTS_MAX_AHEAD_HOURS"  # how far ahead of the server's clock a load_dts may be
LOAD_DTS_AHEAD_DEFAULT = 24.0
LOAD_DTS_FLOOR = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)  # no warehouse loads a batch before this


def load_dts_max_ahead() -> dt.timedelta:
    """``DV_LOAD_DTS_MAX_AHEAD_HOURS`` (default 24): a new batch's load_dts may be at most this far ahead of
    the server's clock."""
    raw = os.environ.get(LOAD_DTS_AHEAD_ENV, "").strip()
    if not raw:
        return dt.timedelta(hours=LOAD_DTS_AHEAD_DEFAULT)
    try:
        hours = float(raw)
        if not 0 <= hours <= 24 * 366:
            raise ValueError(raw)
    except ValueError:
        raise WarehouseError(
            f"{LOAD_DTS_AHEAD_ENV}={raw!r} is not a number of hours between 0 and 8784\n"
            f"    hint: e.g. {LOAD_DTS_AHEAD_ENV}=24, or unset it (24 h)"
        ) from None
    return dt.timedelta(hours=hours)


def check_load_dts(stamp: dt.datetime, server_now: dt.datetime) -> None:
    """Refuse a load_dts no batch can honestly have: far ahead of the server's clock (every later batch would
    be refused, since load dates must increase) or before 1900 (``0001-01-01``: a typo or a default)."""
    ahead = load_dts_max_ahead()
    if stamp > server_now + ahead:
        raise WarehouseError(
            f"load_dts {stamp.isoformat()} is more than {ahead.total_seconds() / 3600:g} h ahead of the server's "
            f"clock ({server_now.isoformat(timespec='seconds')}): every later batch would have to load after it\n"
            f"    hint: give the time the batch is loaded (or omit --load-dts: now); {LOAD_DTS_AHEAD_ENV} sets the "
            "tolerance"
        )
    if stamp < LOAD_DTS_FLOOR:
        raise WarehouseError(
            f"load_dts {stamp.isoformat()} is before {LOAD_DTS_FLOOR.date().isoformat()}: not a time a batch is "
            "loaded\n    hint: give the time the batch is loaded, e.g. --load-dts 2026-03-01T06:00:00+00:00, "
            "or omit --load-dts (now)"
        )


def open_batch(conn: Conn, load_dts: dt.datetime | None = None, note: str | None = None) -> tuple[int, dt.datetime]:
    """A new batch. Its load_dts must be later than every earlier batch's: versions are ordered by it,
    and "an earlier batch" means one with a smaller load_dts. It may not be far ahead of the server's clock
    nor before 1900 (``check_load_dts``)."""
    with transaction(conn) as cur:
        cur.execute("LOCK TABLE dv_meta.batch IN SHARE ROW EXCLUSIVE MODE")
        cur.execute("SELECT max(load_dts) FROM dv_meta.batch")
        (latest,) = cur.fetchone()
        cur.execute("SELECT COALESCE(%s::timestamptz, date_trunc('milliseconds', now())), now()", (load_dts,))
        stamp, server_now = cur.fetchone()
        check_load_dts(stamp, server_now)
        if latest is not None and stamp <= latest:
            ahead = " (it is ahead of the server's clock: see docs/operations.md, 'Load dates')"
            raise WarehouseError(
                f"load_dts {stamp.isoformat()} is not later than the last batch's ({latest.isoformat()})"
                f"{ahead if latest > server_now + load_dts_max_ahead() else ''}\n"
                "    hint: batches load in time order; give a later --load-dts, or rerun the existing batch "
                "with --batch"
            )
        cur.execute(
            "INSERT INTO dv_meta.batch (load_dts, note) VALUES (%s, %s) RETURNING batch_id, load_dts",
            (stamp, note),
        )
        batch_id, stamp = cur.fetchone()
    return int(batch_id), stamp


def load(
    conn: Conn,
    project: Project,
    batch_id: int | None = None,
    load_dts: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
    reload: bool = False,
) -> LoadResult:
    """Stage what the landing tables hold and load every entity, in the manifest's order.

    Without ``batch_id`` a new batch is opened. With it, the batch is resumed from its bookkeeping:
    sources already staged for it are not staged again, and a target whose load is logged for it
    (``dv_meta.load_log``) is not loaded again unless one of its sources was staged just now; so a
    rerun of a loaded batch runs no load statement. ``reload`` runs every load statement again (each
    skips what the vault already holds, so it inserts nothing new).
    """
    if batch_id is None:
        batch_id, stamp = open_batch(conn, load_dts)
        loaded: set[str] = set()
    else:
        stamp = batch_load_dts(conn, batch_id)
        loaded = set() if reload else loaded_targets(conn, batch_id)
    result = LoadResult(batch_id, stamp)
    try:
        fresh: set[str] = set()  # sources staged by this call
        for source in staged_sources(project):
            if progress:
                progress(source.id)
            staged = stage_source(conn, project, source, batch_id)
            if staged is not None:
                result.staged.append(staged)
                fresh.add(source.id)
        for node in project.with_statement("load"):
            if node.id in loaded and not fresh.intersection(node.depends_on):
                result.skipped.append(node.id)
                continue
            if progress:
                progress(node.id)
            result.targets.append(load_target(conn, project, node, batch_id))
    except Exception:
        with transaction(conn) as cur:
            cur.execute(
                "UPDATE dv_meta.batch SET status = 'failed', finished_at = clock_timestamp() WHERE batch_id = %s",
                (batch_id,),
            )
        raise
    if result.targets or result.staged:  # a rerun that did nothing leaves the statistics as they are
        analyze_loaded(conn, project, batch_id)
    with transaction(conn) as cur:
        cur.execute(
            "UPDATE dv_meta.batch SET status = 'succeeded', finished_at = clock_timestamp() WHERE batch_id = %s",
            (batch_id,),
        )
    return result


def loaded_targets(conn: Conn, batch_id: int) -> set[str]:
    """The targets whose load a batch has logged: a resumed batch does not load them again."""
    with transaction(conn) as cur:
        cur.execute("SELECT DISTINCT target FROM dv_meta.load_log WHERE batch_id = %s", (batch_id,))
        return {str(target) for (target,) in cur.fetchall()}


def analyze_loaded(conn: Conn, project: Project, batch_id: int, share: float = 0.1) -> list[str]:
    """ANALYZE the tables a batch grew by more than ``share`` of their size (or that were never analyzed):
    the checks, profiles and marts that run right after the loads would otherwise be planned on the
    statistics of the tables before the batch (at scale 1, a first load makes a 2.4M-row satellite that
    the planner still believes empty, and a quality check chooses a nested loop over it for hours)."""
    grown: dict[str, int] = {}
    with transaction(conn) as cur:
        cur.execute("SELECT target, rows_inserted FROM dv_meta.load_log WHERE batch_id = %s", (batch_id,))
        nodes = project.manifest.nodes
        for target, rows in cur.fetchall():
            node = nodes.get(target)
            if isinstance(node, StoredNode) and node.table and rows:
                grown[node.qualified] = int(rows)
        cur.execute("SELECT source, rows_staged FROM dv_meta.batch_source WHERE batch_id = %s", (batch_id,))
        for source, rows in cur.fetchall():
            node = nodes.get(f"source.{source}")
            if isinstance(node, SourceNode) and rows:
                grown[node.qualified] = int(rows)
        done: list[str] = []
        for table, rows in sorted(grown.items()):
            cur.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", (table,))
            row = cur.fetchone()
            if row is None:
                continue
            if row[0] <= 0 or rows >= share * row[0]:
                # as the table's owner: the loader may insert into the raw vault, not maintain it
                cur.execute(f"SELECT {SCHEMA_META}.analyze_table(%s::regclass)", (table,))
                done.append(table)
    return done


def _set_batch(cur: psycopg2.extensions.cursor, batch_id: int) -> None:
    cur.execute("SELECT set_config('dv.batch_id', %s, true)", (str(batch_id),))


BATCH_ID_EXPR = get_dialect("postgres").current_batch_id()  # how the generated SQL reads the batch id


def batch_sql(project: Project, relative: str, batch_id: int) -> str:
    """A generated statement with the batch id written in as a constant (the file reads it from the session
    setting ``dv.batch_id``, which stays set). The planner then estimates the batch's rows of a stage table
    from its statistics for that very value, and a value they have not seen yet (a new batch) as rare, so
    the batch's rows are read through the (batch_id, dv_row_no) key. For an unknown setting it can only
    guess from the number of batches: with one batch in the statistics, the whole table, read in full for
    every delta (hub.user at scale 1: 3.7 s instead of 0.3 s)."""
    return project.sql(relative).replace(BATCH_ID_EXPR, f"{int(batch_id)}::bigint")


def staged_sources(project: Project) -> list[SourceNode]:
    """The sources with a stage step, in load order."""
    return [n for n in project.of_type(SourceNode) if "stage" in n.sql]


def stage_source(conn: Conn, project: Project, node: SourceNode, batch_id: int) -> dict[str, int | str] | None:
    """Stage one source for the batch; ``None`` when it was staged already (a rerun)."""
    node_id, name = node.id, node.name
    with transaction(conn) as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"dv.stage.{node_id}",))
        cur.execute("SELECT 1 FROM dv_meta.batch_source WHERE batch_id = %s AND source = %s", (batch_id, name))
        if cur.fetchone() is not None:
            return None
        cur.execute(ADOPT_SQL, (batch_id, name))  # rows dv land quarantined: this batch's, as its rows
        _set_batch(cur, batch_id)
        cur.execute("SELECT clock_timestamp()")
        (started_at,) = cur.fetchone()
        sql = node.sql
        checked = False
        if "stage_checked" not in sql:  # a project generated before the fast statement existed
            _run(cur, batch_sql(project, sql["stage"], batch_id), f"staging {node_id}")
        elif not _stage_fast(cur, batch_sql(project, sql["stage"], batch_id), f"staging {node_id}"):
            # a value does not cast: every value is tested, the ones that fail are quarantined
            checked = True
            _run(cur, batch_sql(project, sql["stage_checked"], batch_id), f"staging {node_id}")
        cur.execute(
            "UPDATE dv_meta.batch_source SET started_at = %s, checked = %s WHERE batch_id = %s AND source = %s",
            (started_at, checked, batch_id, name),
        )
        cur.execute(
            "SELECT rows_read, rows_staged, rows_quarantined FROM dv_meta.batch_source"
            " WHERE batch_id = %s AND source = %s",
            (batch_id, name),
        )
        read, staged, quarantined = cur.fetchone()
    return {"source": name, "read": read, "staged": staged, "quarantined": quarantined}


def _stage_fast(cur: psycopg2.extensions.cursor, sql: str, what: str) -> bool:
    """Run the fast stage statement (casts without a test first) in a savepoint: ``False`` when a value
    did not cast (a data exception, SQLSTATE class 22), after rolling the statement back."""
    cur.execute("SAVEPOINT dv_stage_fast")
    try:
        cur.execute(sql)
    except psycopg2.DataError:
        cur.execute("ROLLBACK TO SAVEPOINT dv_stage_fast")
        return False
    except psycopg2.Error as exc:
        detail = (exc.pgerror or str(exc)).strip()
        raise WarehouseError(f"{what} failed: {detail}") from None
    cur.execute("RELEASE SAVEPOINT dv_stage_fast")
    return True


def load_target(conn: Conn, project: Project, node: Node, batch_id: int) -> TargetResult:
    """Run one node's load statement for the batch and log it (``dv_meta.load_log``)."""
    started = time.perf_counter()
    node_id = node.id
    with transaction(conn) as cur:
        _set_batch(cur, batch_id)
        cur.execute("SELECT clock_timestamp()")
        (started_at,) = cur.fetchone()
        _run(cur, batch_sql(project, node.sql["load"], batch_id), f"loading {node_id}")
        rows = max(cur.rowcount, 0)
        cur.execute("SELECT count(*) FROM dv_meta.late_data WHERE batch_id = %s AND target = %s", (batch_id, node_id))
        (rejected,) = cur.fetchone()
        cur.execute(
            "INSERT INTO dv_meta.load_log (batch_id, target, rows_inserted, rows_rejected, started_at)"
            " VALUES (%s, %s, %s, %s, %s)",
            (batch_id, node_id, rows, rejected, started_at),
        )
    return TargetResult(node_id, node.kind, rows, time.perf_counter() - started, int(rejected))


def land_csv(conn: Conn, project: Project, source: str, path: str) -> CsvLanded:
    """Land a CSV file (header row, columns by name) into a source's landing table: its good rows through
    COPY, the records that cannot be rows quarantined (``pipelines/extract/csv_file.py``)."""
    node = project.manifest.nodes.get(f"source.{source}")
    if not isinstance(node, SourceNode):
        names = [n.name for n in project.manifest.nodes.values() if isinstance(n, SourceNode)]
        raise WarehouseError(f"unknown source '{source}'\n    hint: {hint_for(source, names)}")
    return land_csv_file(conn, node, path)
