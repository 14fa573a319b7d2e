"""Soda Core's side of the data-quality checks: the data source, one session verifying contract
files, and its results as ``CheckResult`` (``pipelines/quality.py`` runs, records and gates them).
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2.extensions
import yaml

from generator.contracts import BATCH_VAR, DATA_SOURCE, DATABASE_VAR, SCOPE_VAR
from generator.errors import DVError
from pipelines.db import scrub
from pipelines.project import Project

# Soda Core reports every run to its vendor unless told not to (and waits for the network offline).
os.environ["SODA_CORE_TELEMETRY_ENABLED"] = "false"

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
    scope: str = "full"  # "batch": the generated checks judged the batch's rows; "full": whole tables


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


@contextmanager
def _acting_as(conn: psycopg2.extensions.connection) -> Iterator[None]:
    """Soda opens a connection of its own: it acts as the role this connection acts as (``SET ROLE``, the
    loader in the pipeline), through libpq's ``PGOPTIONS`` (``-c role=…``, applied when it connects)."""
    with conn.cursor() as cur:
        cur.execute("SELECT current_user, session_user")
        role, user = cur.fetchone()
    if role == user:
        yield
        return
    before = os.environ.get("PGOPTIONS")
    escaped = str(role).replace("\\", "\\\\").replace(" ", "\\ ")
    os.environ["PGOPTIONS"] = f"{before or ''} -c role={escaped}".strip()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PGOPTIONS", None)
        else:
            os.environ["PGOPTIONS"] = before


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
    conn: psycopg2.extensions.connection,
    project: Project,
    files: Sequence[Path],
    batch_id: int | None,
    full: bool = True,
) -> list[CheckResult]:
    """Verify contract files with Soda Core, in one session; nothing is recorded. ``full=False``
    scopes the generated checks to the rows batch ``batch_id`` inserted."""
    scope = 0 if full or batch_id is None else int(batch_id)
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
        with _acting_as(conn):
            session = ContractVerificationSession.execute(
                contract_yaml_sources=sources,
                data_source_yaml_sources=[DataSourceYamlSource.from_str(data_source_yaml(conn))],
                variables={DATABASE_VAR: conn.info.dbname, BATCH_VAR: str(int(batch_id or 0)), SCOPE_VAR: str(scope)},
            )
    if len(session.results) != len(files):  # the session failed as a whole (a data source error)
        raise DVError("Soda could not verify the contracts: " + scrub(session.get_errors_str() or "no result"))
    results: list[CheckResult] = []
    for name, path, verified in zip(names, files, session.results, strict=True):
        contract = verified.check_collection
        dataset = _dataset(contract, path)
        errors = scrub("; ".join(line.strip().replace("\n", " ") for line in verified.get_errors()))[:2000]
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
                        "batch" if scope else "full",
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
                    "batch" if scope else "full",
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


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
