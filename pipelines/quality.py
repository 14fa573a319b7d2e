"""Data-quality checks: Soda contracts verified against the warehouse, results kept in ``dv_meta``.

The API (used by ``dv check``, the pipeline's ``Quality`` task and hand-written rules)::

    run_checks(conn_or_dsn, project, batch_id=None, contracts=None) -> list[CheckResult]
    quality_gate_passed(conn, batch_id) -> bool

``run_checks`` verifies the contracts (default: every ``checks/generated/**/*.contract.yml`` and
``checks/rules/**/*.contract.yml`` of the project; or the given files or globs, relative to the
project folder) offline with Soda Core, all of them in one Soda session, and records every result
in ``dv_meta.quality_result`` (one ``run_id`` per call). A run of every contract for a batch also
decides the batch's quality gate (``dv_meta.quality_gate``): passed unless a fail-level check failed
or a check could not run. Contracts refer to the data source ``warehouse`` and may use the variables
``${var.database}`` (the warehouse database, from the connection) and ``${var.batch_id}`` (the
batch checked, or 0 for the whole warehouse; declare it with ``default: 0``).
docs/quality.md has the details.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2.extensions
import yaml
from psycopg2.extras import execute_values

from generator.contracts import BATCH_VAR, CONTRACTS_DIR, DATA_SOURCE, DATABASE_VAR
from generator.errors import DVError, WarehouseError
from pipelines.db import connect, transaction
from pipelines.project import Project

# Soda Core reports every run to its vendor unless told not to (and waits for the network offline).
os.environ["SODA_CORE_TELEMETRY_ENABLED"] = "false"

RULES_DIR = "checks/rules"
DEFAULT_CONTRACTS = (f"{CONTRACTS_DIR}/**/*.contract.yml", f"{RULES_DIR}/**/*.contract.yml")
OUTCOMES = ("pass", "warn", "fail", "error")
# Soda's exit-code convention (soda contract verify)
EXIT_PASSED, EXIT_FAILED, EXIT_WARNED, EXIT_ERROR = 0, 1, 2, 3
_NOISE = {"dataset_rows_tested", "check_rows_tested"}  # diagnostics that say nothing about the outcome


@dataclass
class CheckResult:
    """One check of one contract, verified."""

    contract: str  # the contract file, relative to the project folder
    dataset: str  # schema.table
    check: str  # the check's name
    check_type: str  # Soda's check type: missing, duplicate, invalid, schema, failed_rows, metric, ...; contract
    column: str | None
    outcome: str  # pass | warn | fail | error
    value: float | None  # what was measured (rows failing, hours, a count, ...)
    threshold: str | None  # e.g. "must be 0"; "warn: must be less than 5" for warn-level thresholds
    message: str = ""  # the diagnostics, or why the check could not run
    batch_id: int | None = None
    checked_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


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


# --- Soda ---------------------------------------------------------------------------------------------


def data_source_yaml(conn: psycopg2.extensions.connection) -> str:
    """Soda's data source for the warehouse the connection is on: host (a unix-socket directory for a
    socket connection), port, user, database. Soda needs a password key even with trust auth."""
    info = conn.info
    connection = {
        "host": info.host,
        "port": int(info.port),
        "user": info.user,
        "password": info.password or os.environ.get("PGPASSWORD") or "unused",
        "database": info.dbname,
    }
    return yaml.safe_dump({"type": "postgres", "name": DATA_SOURCE, "connection": connection}, sort_keys=False)


def _threshold_text(check: Any) -> str | None:
    parts = []
    for threshold, prefix in ((check.threshold, ""), (check.warn_threshold, "warn: ")):
        if threshold is None:
            continue
        lines = [line for line in str(threshold).splitlines() if not line.startswith("level:")]
        level = "warn: " if getattr(threshold, "level", "fail") == "warn" else prefix
        parts.append(level + " and ".join(_comparison(line) for line in lines))
    return "; ".join(parts) or None


_COMPARISONS = (  # Soda's wording of a threshold, longest first
    ("must be greater than or equal: ", ">= "),
    ("must be less than or equal: ", "<= "),
    ("must be greater than: ", "> "),
    ("must be less than: ", "< "),
    ("must not be: ", "!= "),
    ("must be: ", "= "),
)


def _comparison(line: str) -> str:
    for words, symbol in _COMPARISONS:
        if line.startswith(words):
            return symbol + line[len(words) :]
    return line


def _message(soda_result: Any) -> str:
    diagnostics = getattr(soda_result, "column_data_type_mismatches", None)
    if diagnostics is not None:  # a schema check: which columns are missing, extra or retyped
        return str(soda_result.log_table_row_diagnostics(verbose=False)).replace("\n", "; ")
    values = soda_result.diagnostic_metric_values or {}
    if not isinstance(values, dict):
        return str(values)
    return ", ".join(f"{k} {_number(v)}" for k, v in values.items() if k not in _NOISE and v is not None)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


_OUTCOME = {"PASSED": "pass", "WARN": "warn", "FAILED": "fail", "NOT_EVALUATED": "error"}


def verify(
    conn: psycopg2.extensions.connection, project: Project, files: Sequence[Path], batch_id: int | None
) -> list[CheckResult]:
    """Verify contract files with Soda Core, in one session; nothing is recorded."""
    with warnings.catch_warnings():  # Soda warns about its own classes while importing them
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"soda_")
        from soda_core.common.yaml import ContractYamlSource, DataSourceYamlSource
        from soda_core.contracts.contract_verification import ContractVerificationSession

    sources = []
    names = []
    for path in files:
        name = _relative(path, project.root)
        names.append(name)
        sources.append(ContractYamlSource.from_str(path.read_text(encoding="utf-8"), file_path=name))
    with warnings.catch_warnings():  # Soda's own use of its deprecated raw-SQL nodes, once per query
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"soda_")
        session = ContractVerificationSession.execute(
            contract_yaml_sources=sources,
            data_source_yaml_sources=[DataSourceYamlSource.from_str(data_source_yaml(conn))],
            variables={DATABASE_VAR: conn.info.dbname, BATCH_VAR: str(int(batch_id or 0))},
        )
    if len(session.results) != len(files):  # the session failed as a whole (a data source error)
        raise DVError("Soda could not verify the contracts: " + (session.get_errors_str() or "no result"))
    results: list[CheckResult] = []
    for name, path, verified in zip(names, files, session.results, strict=True):
        contract = verified.check_collection
        dataset = _dataset(contract, path)
        errors = "; ".join(line.strip().replace("\n", " ") for line in verified.get_errors())[:2000]
        checked = verified.ended_timestamp or dt.datetime.now(dt.UTC)
        if checked.tzinfo is None:
            checked = checked.replace(tzinfo=dt.UTC)
        if not verified.check_results:  # Soda could not read the contract, or it has no check
            if verified.has_errors or errors:
                results.append(
                    CheckResult(
                        name,
                        dataset,
                        "contract",
                        "contract",
                        None,
                        "error",
                        None,
                        None,
                        errors or "the contract could not be verified",
                        batch_id,
                        checked,
                    )
                )
            continue
        for soda in verified.check_results:
            outcome = _OUTCOME.get(soda.outcome.name)
            if outcome is None:  # excluded by a check selector
                continue
            value = soda.threshold_value
            message = _message(soda)
            if outcome == "error":
                message = errors or "the check could not be evaluated (the query gave no number)"
            results.append(
                CheckResult(
                    name,
                    dataset,
                    soda.check.name or soda.check.type,
                    soda.check.type,
                    soda.check.column_name,
                    outcome,
                    None if value is None else float(value),
                    _threshold_text(soda.check),
                    message,
                    batch_id,
                    checked,
                )
            )
    return results


def _dataset(contract: Any, path: Path) -> str:
    if contract is not None and contract.dataset_name:
        prefix = list(contract.dataset_prefix or [])
        return ".".join([*prefix[-1:], contract.dataset_name])
    try:  # the contract could not be parsed by Soda: read its dataset line ourselves
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return ".".join(str(data["dataset"]).split("/")[-2:])
    except Exception:
        return "?"


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
) -> int:
    """Store the results (and, for a run of every contract of a batch, its gate) in one transaction;
    returns the run id."""
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
    return int(run_id)


def run_checks(
    conn_or_dsn: psycopg2.extensions.connection | str | None,
    project: Project,
    batch_id: int | None = None,
    contracts: str | Sequence[str | Path] | None = None,
) -> list[CheckResult]:
    """Verify the contracts against the warehouse and record every result in ``dv_meta.quality_result``.

    ``batch_id``: the batch checked (``${var.batch_id}`` in the contracts) and recorded with the
    results; ``None`` checks the whole warehouse and decides no gate. ``contracts``: files or globs
    relative to the project folder; default every generated and hand-written contract, and only such
    a full run of a batch decides its quality gate. Returns the results in contract order. Raises
    ``DVError`` when no contract matches or Soda cannot run at all; a check that cannot run is a
    result with outcome ``error``."""
    conn = conn_or_dsn if isinstance(conn_or_dsn, psycopg2.extensions.connection) else connect(conn_or_dsn)
    try:
        files = contract_files(project, contracts)
        _require_meta(conn, batch_id)
        results = verify(conn, project, files, batch_id)
        record(conn, results, batch_id, decide_gate=contracts is None)
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
            " ON CONFLICT (batch_id) DO UPDATE SET reason = EXCLUDED.reason, accepted_by = current_user,"
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
