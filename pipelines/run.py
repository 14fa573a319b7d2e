"""``dv run``: one batch through Luigi — extract, stage, load in graph order, then the quality checks.

Local scheduler by default; ``--scheduler-host/--scheduler-port`` run it on a
central ``luigid`` (``make scheduler``), visible in its web page. The exit
code tells the truth: 0 when every task succeeded, 1 when any failed (the
batch is then marked failed and can be resumed with ``--batch``). The data-quality checks of a
loaded batch decide its quality gate; a closed gate is reported (and alerted) but does not fail the
run: the loads are done, only the marts wait for a passed gate (docs/quality.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import luigi
import luigi.configuration
from luigi.execution_summary import LuigiStatusCode

from generator.errors import WarehouseError
from pipelines.access import connect_as
from pipelines.alerts import raise_alert, stale_sources
from pipelines.db import resolve_dsn, transaction
from pipelines.failures import OPEN_FAILURES
from pipelines.project import Project
from pipelines.quality import Gate, gate, gate_failures
from pipelines.scheduler import re_enable
from pipelines.tasks import Marts
from pipelines.warehouse import batch_load_dts, open_batch

OK_STATUSES = {LuigiStatusCode.SUCCESS, LuigiStatusCode.SUCCESS_WITH_RETRY}


def configure_luigi() -> None:
    """Settings a run relies on, whatever luigi.cfg says: bounded retries, no warnings noise."""
    config = luigi.configuration.get_config()  # type: ignore[no-untyped-call]  # luigi: no annotations
    for section, key, value in (
        ("core", "autoload_range", "false"),
        ("worker", "keep_alive", "false"),
        ("scheduler", "retry_count", "1"),
        ("scheduler", "retry_delay", "1"),
    ):
        if not config.has_section(section):
            config.add_section(section)
        config.set(section, key, value)
    # a failing task's error is recorded in dv_meta.task_run and printed by dv run; Luigi's own
    # tracebacks only with DV_DEBUG=1
    level = logging.DEBUG if os.environ.get("DV_DEBUG") else logging.CRITICAL
    for name in ("luigi", "luigi-interface", "luigi.scheduler", "luigi.worker"):
        logging.getLogger(name).setLevel(level)


def batch_task_ids(task: luigi.Task) -> list[str]:
    """The ids of ``task`` and of every task it requires, directly or not."""
    seen: dict[str, luigi.Task] = {}
    todo = [task]
    while todo:
        current = todo.pop()
        if current.task_id not in seen:
            seen[current.task_id] = current
            todo.extend(luigi.task.flatten(current.requires()))  # type: ignore[no-untyped-call]  # luigi: no annotations
    return list(seen)


@dataclass
class RunOutcome:
    batch_id: int
    load_dts: dt.datetime
    succeeded: bool
    status: str
    failed_tasks: list[str] = field(default_factory=list)
    stale: list[tuple[str, float | None, float]] = field(default_factory=list)
    quality: Gate | None = None  # the batch's quality gate (None when the checks did not run)
    quality_failures: list[str] = field(default_factory=list)  # "table: check (value, threshold)" of failures
    marts: tuple[str, int, float, str | None] | None = None  # done | skipped, objects refreshed, seconds, why skipped


def run_batch(
    project_dir: Path,
    dsn: str | None = None,
    source_dsn: str | None = None,
    landing_dir: str = "landing",
    workers: int = 1,
    batch_id: int | None = None,
    load_dts: dt.datetime | None = None,
    scheduler_host: str | None = None,
    scheduler_port: int | None = None,
) -> RunOutcome:
    configure_luigi()
    target_dsn = resolve_dsn(dsn)
    project = Project.open(project_dir)
    conn = connect_as(target_dsn, project.manifest, "loader")
    try:
        if batch_id is None:
            batch_id, stamp = open_batch(conn, load_dts, note="dv run")
        else:
            stamp = batch_load_dts(conn, batch_id)
    finally:
        conn.close()
    guard = connect_as(target_dsn, project.manifest, "loader")  # holds the batch's lock for the whole run
    try:
        with guard.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(hashtext('dv.batch'), %s::int)", (batch_id,))
            (locked,) = cur.fetchone()
        guard.commit()
        if not locked:
            raise WarehouseError(
                f"batch {batch_id} is being run by another process\n"
                "    hint: wait for it (dv status), or run a new batch"
            )
        return _run_locked(
            project,
            batch_id,
            stamp,
            target_dsn,
            source_dsn,
            landing_dir,
            workers,
            project_dir,
            scheduler_host,
            scheduler_port,
        )
    finally:
        guard.close()


def _run_locked(
    project: Project,
    batch_id: int,
    stamp: dt.datetime,
    target_dsn: str,
    source_dsn: str | None,
    landing_dir: str,
    workers: int,
    project_dir: Path,
    scheduler_host: str | None,
    scheduler_port: int | None,
) -> RunOutcome:
    conn = connect_as(target_dsn, project.manifest, "loader")
    try:
        with transaction(conn) as cur:
            cur.execute(
                # a batch that succeeded stays so: a rerun finds every task complete and sets nothing back
                "UPDATE dv_meta.batch SET status = 'running', finished_at = NULL"
                " WHERE batch_id = %s AND status <> 'succeeded'",
                (batch_id,),
            )
    finally:
        conn.close()
    task = Marts(  # requires Quality, Profile, Batch, which requires every load
        batch_id=batch_id,
        project_dir=str(project_dir.resolve()),
        dsn=target_dsn,
        source_dsn=source_dsn or "",
        landing_dir=landing_dir,
    )
    options: dict[str, object] = {
        "workers": workers,
        "detailed_summary": True,
        "log_level": "DEBUG" if os.environ.get("DV_DEBUG") else "CRITICAL",
    }
    if scheduler_host:
        options.update(scheduler_host=scheduler_host, scheduler_port=scheduler_port or 8082)
        # luigid disabled the tasks that failed in an earlier attempt: a resume runs them again, as locally
        re_enable(scheduler_host, scheduler_port or 8082, batch_task_ids(task))
    else:
        options["local_scheduler"] = True
    result = luigi.build([task], **options)  # type: ignore[no-untyped-call]  # luigi: no annotations
    succeeded = result.status in OK_STATUSES
    conn = connect_as(target_dsn, project.manifest, "loader")
    try:
        with transaction(conn) as cur:
            if not succeeded:
                cur.execute(
                    "UPDATE dv_meta.batch SET status = 'failed', finished_at = clock_timestamp() WHERE batch_id = %s",
                    (batch_id,),
                )
            # the failures that are still failures: a task that failed in an earlier attempt and has
            # succeeded since is not one (its failed rows stay in dv_meta.task_run, the history)
            cur.execute(OPEN_FAILURES + " AND f.batch_id = %s ORDER BY f.finished_at", (batch_id,))
            failed = [f"{task}: {error}" for _, task, error, _ in cur.fetchall()]
            stale = stale_sources(cur, project.manifest)
            for name, age, limit in stale:
                age_text = "never extracted" if age is None else f"last extract {age:.1f} h ago"
                raise_alert(cur, "stale_source", name, f"{age_text}; freshness limit {limit:g} h", batch_id)
        quality = gate(conn, batch_id)
        failures = [] if quality is None or quality.passed else gate_failures(conn, quality.run_id)
        with transaction(conn) as cur:
            cur.execute(
                "SELECT status, rows_written, seconds, error FROM dv_meta.task_run"
                " WHERE batch_id = %s AND task = 'marts' AND status IN ('done', 'skipped')"
                " ORDER BY finished_at DESC LIMIT 1",
                (batch_id,),
            )
            marts = cur.fetchone()
    finally:
        conn.close()
    outcome = RunOutcome(batch_id, stamp, succeeded, result.status.name, failed, stale, quality)
    if marts is not None:
        outcome.marts = (str(marts[0]), int(marts[1] or 0), float(marts[2] or 0), marts[3])
    outcome.quality_failures = [
        f"{r.dataset}: {r.check} ({r.outcome}"
        + ("" if r.value is None else f", measured {r.value:g}")
        + ("" if r.threshold is None else f", expected {r.threshold}")
        + ")"
        for r in failures
    ]
    return outcome
