"""Data-quality checks: Soda contracts verified against the warehouse, results kept in ``dv_meta``.

The API (used by ``dv check``, the pipeline's ``Quality`` task and hand-written rules)::

    run_checks(conn_or_dsn, project, batch_id=None, contracts=None, full=None) -> list[CheckResult]
    full_checks_due(conn, batch_id, every=None) -> bool
    quality_gate_passed(conn, batch_id) -> bool

``run_checks`` verifies the contracts (default: every ``checks/generated/**/*.contract.yml`` and
``checks/rules/**/*.contract.yml`` of the project; or the given files or globs, relative to the
project folder) offline with Soda Core, all of them in one Soda session, and records every result
in ``dv_meta.quality_result`` (one ``run_id`` per call). A run of every contract for a batch also
decides the batch's quality gate (``dv_meta.quality_gate``): passed unless a fail-level check failed
or a check could not run. Contracts refer to the data source ``warehouse`` and may use the variables
``${var.database}`` (the warehouse database, from the connection), ``${var.batch_id}`` (the
batch checked, or 0 for the whole warehouse; declare it with ``default: 0``) and
``${var.scope_batch_id}`` (the batch whose rows the generated checks judge, or 0 for whole tables).

A run for a batch is **batch-scoped** (the generated checks judge the rows the batch inserted:
``scope_batch_id`` = the batch) or **full** (whole tables: ``scope_batch_id`` = 0). ``full=None``
follows the schedule: full for the first batch checked and then once every ``DV_FULL_CHECKS_EVERY``
batches (default ``DEFAULT_FULL_EVERY``; 1: every batch; 0: only when asked); a full run of every
contract for a batch is recorded as the task ``quality.full`` of the batch in ``dv_meta.task_run``.
A run without a batch is always full. docs/quality.md has the details.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2.extensions
from psycopg2.extras import execute_values

from generator.contracts import CONTRACTS_DIR
from generator.errors import DVError, WarehouseError
from pipelines.db import connect, transaction
from pipelines.project import Project
from pipelines.quality_soda import CheckResult, data_source_yaml, verify  # noqa: F401 (the module's API)

# Soda Core reports every run to its vendor unless told not to (and waits for the network offline).
os.environ["SODA_CORE_TELEMETRY_ENABLED"] = "false"

RULES_DIR = "checks/rules"
DEFAULT_CONTRACTS = (f"{CONTRACTS_DIR}/**/*.contract.yml", f"{RULES_DIR}/**/*.contract.yml")
OUTCOMES = ("pass", "warn", "fail", "error")
# Soda's exit-code convention (soda contract verify)
EXIT_PASSED, EXIT_FAILED, EXIT_WARNED, EXIT_ERROR = 0, 1, 2, 3
FULL_EVERY_ENV = "DV_FULL_CHECKS_EVERY"  # full (whole-table) checks once every N batches
DEFAULT_FULL_EVERY = 7  # a week of daily batches
FULL_TASK = "quality.full"  # dv_meta.task_run: the batches whose checks ran on whole tables


@dataclass
class Gate:
    """A batch's quality gate."""

    batch_id: int
    run_id: int
    passed: bool
    outcome: str
    checks: int
    warned: int
    failed: int
    errors: int
    decided_at: dt.datetime | None = None


# --- contracts ---------------------------------------------------------------------------------------


def contract_files(project: Project, contracts: str | Sequence[str | Path] | None = None) -> list[Path]:
    """The contract files to verify: every generated and hand-written one, or those the given paths or
    globs (relative to the project folder) match. A given pattern that matches nothing is an error."""
    root = project.root
    if contracts is None:
        found = {p for pattern in DEFAULT_CONTRACTS for p in root.glob(pattern) if p.is_file()}
        if not found:
            raise DVError(
                f"no data contract under {root / CONTRACTS_DIR} or {root / RULES_DIR}\n"
                "    hint: run 'dv generate' (it writes checks/generated/)"
            )
        return sorted(found)
    patterns = [contracts] if isinstance(contracts, str | Path) else list(contracts)
    files: set[Path] = set()
    for pattern in patterns:
        text = str(pattern)
        path = Path(text)
        if path.is_absolute():
            matched = [path] if path.is_file() else [Path(p) for p in _glob_absolute(text)]
        else:
            matched = [p for p in root.glob(text) if p.is_file()]
        if not matched:
            raise DVError(
                f"no contract file matches {text!r} (in {root})\n"
                f"    hint: e.g. --contracts '{CONTRACTS_DIR}/hubs/*.contract.yml'"
            )
        files.update(matched)
    return sorted(files)


def _glob_absolute(pattern: str) -> list[str]:
    import glob

    return sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


# --- the schedule of full checks ----------------------------------------------------------------------


def full_checks_every() -> int:
    """``DV_FULL_CHECKS_EVERY``: a batch's checks run on whole tables once every that many batches
    (default ``DEFAULT_FULL_EVERY``; 1: every batch; 0: never on schedule, only when asked)."""
    text = os.environ.get(FULL_EVERY_ENV, "").strip()
    if not text:
        return DEFAULT_FULL_EVERY
    try:
        every = int(text)
    except ValueError:
        every = -1
    if every < 0:
        raise DVError(
            f"{FULL_EVERY_ENV}={text!r} is not a number of batches\n"
            f"    hint: e.g. {FULL_EVERY_ENV}=7 (whole tables once every 7 batches), 1 (every batch), 0 (only dv check)"
        )
    return every


def full_checks_due(conn: psycopg2.extensions.connection, batch_id: int, every: int | None = None) -> bool:
    """Whether batch ``batch_id``'s checks run on whole tables by the schedule: no earlier batch had a
    full run (the first batch checked), or the last one is ``every`` batches back or more."""
    every = full_checks_every() if every is None else every
    if every <= 0:
        return False
    with transaction(conn) as cur:
        cur.execute(
            "SELECT max(batch_id) FROM dv_meta.task_run WHERE task = %s AND status = 'done' AND batch_id < %s",
            (FULL_TASK, batch_id),
        )
        (last,) = cur.fetchone()
    return last is None or batch_id - int(last) >= every


# --- recording, the gate ------------------------------------------------------------------------------


def _require_meta(conn: psycopg2.extensions.connection, batch_id: int | None) -> None:
    """The results need dv_meta.quality_result (dv apply creates it); a batch checked must exist."""
    with transaction(conn) as cur:
        cur.execute("SELECT to_regclass('dv_meta.quality_result') IS NOT NULL")
        if not cur.fetchone()[0]:
            raise DVError(
                f"the warehouse ({conn.info.dbname}) has no dv_meta.quality_result table\n"
                "    hint: run 'dv apply' first (it creates the metadata schema)"
            )
        if batch_id is None:
            return
        cur.execute("SELECT 1 FROM dv_meta.batch WHERE batch_id = %s", (batch_id,))
        if cur.fetchone() is None:
            raise DVError(f"batch {batch_id} does not exist\n    hint: dv status lists the batches")


def summarize(results: Sequence[CheckResult]) -> dict[str, int]:
    counts = dict.fromkeys(OUTCOMES, 0)
    for r in results:
        counts[r.outcome] += 1
    return counts


def overall(results: Sequence[CheckResult]) -> str:
    """The worst outcome: error, then fail, then warn, else pass."""
    counts = summarize(results)
    for outcome in ("error", "fail", "warn"):
        if counts[outcome]:
            return outcome
    return "pass"


def exit_code(results: Sequence[CheckResult]) -> int:
    """Soda's convention: 0 passed, 1 failed, 2 warnings only, 3 a check could not run."""
    return {"pass": EXIT_PASSED, "fail": EXIT_FAILED, "warn": EXIT_WARNED, "error": EXIT_ERROR}[overall(results)]


def record(
    conn: psycopg2.extensions.connection,
    results: Sequence[CheckResult],
    batch_id: int | None,
    decide_gate: bool,
    full: bool = False,
) -> int:
    """Store the results (and, for a run of every contract of a batch, its gate; a full one also as
    the batch's task ``quality.full``, which the schedule counts from) in one transaction; returns the
    run id."""
    with transaction(conn) as cur:
        cur.execute("SELECT nextval('dv_meta.quality_run_id')")
        (run_id,) = cur.fetchone()
        execute_values(
            cur,
            "INSERT INTO dv_meta.quality_result (run_id, batch_id, contract_file, dataset, check_name, check_type,"
            " column_name, outcome, measured_value, threshold, message, checked_at) VALUES %s",
            [
                (
                    run_id,
                    batch_id,
                    r.contract,
                    r.dataset,
                    r.check,
                    r.check_type,
                    r.column,
                    r.outcome,
                    r.value,
                    r.threshold,
                    r.message,
                    r.checked_at,
                )
                for r in results
            ],
        )
        if decide_gate and batch_id is not None:
            counts = summarize(results)
            cur.execute(
                "INSERT INTO dv_meta.quality_gate (batch_id, run_id, passed, outcome, checks, warned, failed, errors)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (batch_id) DO UPDATE SET run_id = EXCLUDED.run_id, passed = EXCLUDED.passed,"
                " outcome = EXCLUDED.outcome, checks = EXCLUDED.checks, warned = EXCLUDED.warned,"
                " failed = EXCLUDED.failed, errors = EXCLUDED.errors, decided_at = clock_timestamp()",
                (
                    batch_id,
                    run_id,
                    counts["fail"] == 0 and counts["error"] == 0,
                    overall(results),
                    len(results),
                    counts["warn"],
                    counts["fail"],
                    counts["error"],
                ),
            )
            if full:
                cur.execute(
                    "INSERT INTO dv_meta.task_run (batch_id, task, status, rows_read) VALUES (%s, %s, 'done', %s)"
                    " ON CONFLICT DO NOTHING",
                    (batch_id, FULL_TASK, len(results)),
                )
    return int(run_id)


def run_checks(
    conn_or_dsn: psycopg2.extensions.connection | str | None,
    project: Project,
    batch_id: int | None = None,
    contracts: str | Sequence[str | Path] | None = None,
    full: bool | None = None,
) -> list[CheckResult]:
    """Verify the contracts against the warehouse and record every result in ``dv_meta.quality_result``.

    ``batch_id``: the batch checked (``${var.batch_id}`` in the contracts) and recorded with the
    results; ``None`` checks the whole warehouse and decides no gate. ``contracts``: files or globs
    relative to the project folder; default every generated and hand-written contract, and only such
    a full run of a batch decides its quality gate. ``full``: the generated checks judge whole tables
    (True), the batch's rows (False), or as the schedule says (None: ``full_checks_due``); a run
    without a batch is always full. Returns the results in contract order. Raises
    ``DVError`` when no contract matches or Soda cannot run at all; a check that cannot run is a
    result with outcome ``error``."""
    conn = conn_or_dsn if isinstance(conn_or_dsn, psycopg2.extensions.connection) else connect(conn_or_dsn)
    try:
        files = contract_files(project, contracts)
        _require_meta(conn, batch_id)
        if batch_id is None:
            full = True
        elif full is None:
            full = full_checks_due(conn, batch_id)
        results = verify(conn, project, files, batch_id, full)
        every = contracts is None
        record(conn, results, batch_id, decide_gate=every, full=full and every)
        return results
    finally:
        if conn is not conn_or_dsn:
            conn.close()


def gate(conn: psycopg2.extensions.connection, batch_id: int) -> Gate | None:
    """The batch's quality gate, or None when its checks have not run."""
    with transaction(conn) as cur:
        cur.execute("SELECT to_regclass('dv_meta.quality_gate') IS NOT NULL")
        if not cur.fetchone()[0]:  # a warehouse applied before the checks existed
            return None
        cur.execute(
            "SELECT batch_id, run_id, passed, outcome, checks, warned, failed, errors, decided_at"
            " FROM dv_meta.quality_gate WHERE batch_id = %s",
            (batch_id,),
        )
        row = cur.fetchone()
    return None if row is None else Gate(*row)


def quality_gate_passed(conn: psycopg2.extensions.connection, batch_id: int) -> bool:
    """True when the batch's checks ran and no fail-level check failed nor any check errored, or when an
    operator accepted the batch's failed gate (``dv gate accept``)."""
    found = gate(conn, batch_id)
    if found is None:
        return False
    return found.passed or gate_acceptance(conn, batch_id) is not None


def gate_acceptance(conn: psycopg2.extensions.connection, batch_id: int) -> tuple[str, str, Any] | None:
    """Who accepted the batch's failed gate, why and when; None when nobody did."""
    with transaction(conn) as cur:
        cur.execute("SELECT to_regclass('dv_meta.gate_acceptance') IS NOT NULL")
        if not cur.fetchone()[0]:
            return None
        cur.execute(
            "SELECT accepted_by, reason, accepted_at FROM dv_meta.gate_acceptance WHERE batch_id = %s", (batch_id,)
        )
        row = cur.fetchone()
    return None if row is None else (str(row[0]), str(row[1]), row[2])


def accept_gate(conn: psycopg2.extensions.connection, batch_id: int, reason: str) -> None:
    """Record an operator's acceptance of a batch whose gate failed; refuses a passed or undecided gate."""
    found = gate(conn, batch_id)
    if found is None:
        raise WarehouseError(
            f"batch {batch_id} has no quality gate: its checks have not run\n    hint: dv check --batch {batch_id}"
        )
    if found.passed:
        raise WarehouseError(f"batch {batch_id} passed its quality gate: nothing to accept")
    if not reason.strip():
        raise WarehouseError(
            "an acceptance needs a reason\n    hint: dv gate accept BATCH --reason 'why the failures are acceptable'"
        )
    with transaction(conn) as cur:
        cur.execute(
            "INSERT INTO dv_meta.gate_acceptance (batch_id, reason) VALUES (%s, %s)"
            " ON CONFLICT (batch_id) DO UPDATE SET reason = EXCLUDED.reason, accepted_by = session_user,"
            " accepted_at = clock_timestamp()",
            (batch_id, reason.strip()),
        )


def gate_failures(conn: psycopg2.extensions.connection, run_id: int, limit: int = 20) -> list[CheckResult]:
    """The failed and errored checks of a run, for reports."""
    with transaction(conn) as cur:
        cur.execute(
            "SELECT contract_file, dataset, check_name, check_type, column_name, outcome, measured_value, threshold,"
            " message, batch_id, checked_at FROM dv_meta.quality_result"
            " WHERE run_id = %s AND outcome IN ('fail', 'error') ORDER BY result_id LIMIT %s",
            (run_id, limit),
        )
        return [CheckResult(*row) for row in cur.fetchall()]
