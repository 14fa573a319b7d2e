"""Luigi tasks: extract, stage and load one batch in the order of the manifest's graph.

Each task's work and its completion marker commit in one transaction on one
connection, so a task killed half-way leaves nothing behind and a rerun does
exactly the missing work:

- ``Extract``: rows into the source's landing table + a ``dv_meta.task_run``
  row (and the new watermark for incremental database sources);
- ``Stage``: the stage step + its ``dv_meta.batch_source`` row;
- ``Load``: one hub, link or satellite load + its ``dv_meta.load_log`` row;
- ``Batch``: every load done → the batch is marked succeeded;
- ``Quality``: the batch's data-quality checks (``pipelines/quality.py``) + its results and its
  quality gate in ``dv_meta`` (the gate row is the marker).
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from pathlib import Path
from typing import Any

import luigi
import psycopg2.extensions

from generator.generate import GENERATED_MARK
from generator.manifest_model import SourceNode
from pipelines.access import connect_as
from pipelines.alerts import raise_alert
from pipelines.db import scrub, transaction
from pipelines.project import Project
from pipelines.warehouse import analyze_loaded, load_target, stage_source, staged_sources


def open_project(project_dir: str) -> Project:
    """The project, read once per process while its manifest is unchanged: Luigi asks every task for its
    dependencies and completeness many times, and reading the manifest costs ~9 ms each time (about 5 s of
    scheduling per batch of the JTLD model before this cache)."""
    try:
        stamp = (Path(project_dir) / GENERATED_MARK / "manifest.json").stat().st_mtime_ns
    except OSError:
        return Project.open(Path(project_dir))  # says what is missing and what to do
    return _open_project(project_dir, stamp)


@functools.lru_cache(maxsize=4)
def _open_project(project_dir: str, _manifest_mtime_ns: int) -> Project:
    return Project.open(Path(project_dir))


class BatchTask(luigi.Task):
    """Parameters every task of a batch shares."""

    batch_id: int = luigi.IntParameter()
    project_dir: str = luigi.Parameter()
    dsn: str = luigi.Parameter(significant=False, visibility=luigi.parameter.ParameterVisibility.PRIVATE)
    source_dsn: str = luigi.Parameter(
        default="", significant=False, visibility=luigi.parameter.ParameterVisibility.PRIVATE
    )
    landing_dir: str = luigi.Parameter(default="landing", significant=False)
    look_back_hours: float = luigi.FloatParameter(default=2.0, significant=False)

    # a failing task is not retried inside a run: the scheduler disables it at its first failure; the
    # resume (dv run --batch N) runs it again (re-enabled first on luigid: pipelines/scheduler.py)
    retry_count = 1

    @property
    def project(self) -> Project:
        return open_project(self.project_dir)

    def connection(self) -> psycopg2.extensions.connection:
        return connect_as(self.dsn, self.project.manifest, "loader")  # the pipeline acts as the loader role

    def shared(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "project_dir": self.project_dir,
            "dsn": self.dsn,
            "source_dsn": self.source_dsn,
            "landing_dir": self.landing_dir,
            "look_back_hours": self.look_back_hours,
        }

    def _marker(self, sql: str, args: tuple[Any, ...]) -> bool:
        conn = self.connection()
        try:
            with transaction(conn) as cur:
                cur.execute(sql, args)
                return cur.fetchone() is not None
        finally:
            conn.close()

    def record_failure(self, task: str, error: BaseException) -> None:
        text = scrub(str(error))[:4000]  # an error may quote a DSN: no password into dv_meta or an alert
        conn = self.connection()
        try:
            with transaction(conn) as cur:
                cur.execute(
                    "INSERT INTO dv_meta.task_run (batch_id, task, status, error) VALUES (%s, %s, 'failed', %s)",
                    (self.batch_id, task, text),
                )
                raise_alert(cur, "task_failed", task, text, self.batch_id)
        finally:
            conn.close()


class Extract(BatchTask):
    """Land one source's rows for the batch (a database query or the files of a feed)."""

    source: str = luigi.Parameter()

    def task_name(self) -> str:
        return f"extract.{self.source}"

    def complete(self) -> bool:
        return self._marker(
            "SELECT 1 FROM dv_meta.task_run WHERE batch_id = %s AND task = %s AND status = 'done'",
            (self.batch_id, self.task_name()),
        ) or self._marker(  # staged already: nothing left to extract
            "SELECT 1 FROM dv_meta.batch_source WHERE batch_id = %s AND source = %s", (self.batch_id, self.source)
        )

    def run(self) -> None:
        from pipelines.extract.dispatch import extract_source

        node = self.project.manifest.source(self.source)
        started = time.perf_counter()
        conn = self.connection()
        try:
            result = extract_source(
                conn,
                self.project,
                node,
                batch_id=self.batch_id,
                source_dsn=self.source_dsn or None,
                landing_dir=Path(self.project_dir) / self.landing_dir,
                look_back=dt.timedelta(hours=self.look_back_hours),
            )
            with transaction(conn) as cur:  # the marker: a retry after this point has nothing left to do
                cur.execute(
                    "INSERT INTO dv_meta.task_run (batch_id, task, status, rows_read, rows_written, rows_quarantined,"
                    " seconds) VALUES (%s, %s, 'done', %s, %s, %s, %s)",
                    (
                        self.batch_id,
                        self.task_name(),
                        result.rows_read,
                        result.rows_landed,
                        result.rows_quarantined,
                        round(time.perf_counter() - started, 3),
                    ),
                )
        except Exception as exc:
            self.record_failure(self.task_name(), exc)
            raise
        finally:
            conn.close()


class Stage(BatchTask):
    """Cast, hash and quarantine the landed rows of one source (the generated stage SQL)."""

    source: str = luigi.Parameter()

    def requires(self) -> luigi.Task:
        return Extract(source=self.source, **self.shared())

    def complete(self) -> bool:
        return self._marker(
            "SELECT 1 FROM dv_meta.batch_source WHERE batch_id = %s AND source = %s", (self.batch_id, self.source)
        )

    def run(self) -> None:
        conn = self.connection()
        try:
            stage_source(conn, self.project, self.project.manifest.source(self.source), self.batch_id)
        except Exception as exc:
            self.record_failure(f"stage.{self.source}", exc)
            raise
        finally:
            conn.close()


class Load(BatchTask):
    """Load one vault entity: after the stage of its sources and the loads it depends on."""

    node_id: str = luigi.Parameter()

    def requires(self) -> list[luigi.Task]:
        out: list[luigi.Task] = []
        for upstream in self.project.node(self.node_id).depends_on:
            node = self.project.node(upstream)
            if isinstance(node, SourceNode):
                out.append(Stage(source=node.name, **self.shared()))
            elif "load" in node.sql:
                out.append(Load(node_id=upstream, **self.shared()))
        return out

    def complete(self) -> bool:
        return self._marker(
            "SELECT 1 FROM dv_meta.load_log WHERE batch_id = %s AND target = %s", (self.batch_id, self.node_id)
        )

    def run(self) -> None:
        conn = self.connection()
        try:
            load_target(conn, self.project, self.project.node(self.node_id), self.batch_id)
        except Exception as exc:
            self.record_failure(f"load.{self.node_id}", exc)
            raise
        finally:
            conn.close()


class Batch(BatchTask):
    """The whole batch: every load of the manifest; marks the batch succeeded."""

    def requires(self) -> list[luigi.Task]:
        loads: list[luigi.Task] = [Load(node_id=n.id, **self.shared()) for n in self.project.with_statement("load")]
        stages = [Stage(source=n.name, **self.shared()) for n in staged_sources(self.project)]
        return loads + stages

    def complete(self) -> bool:
        return self._marker(
            "SELECT 1 FROM dv_meta.batch WHERE batch_id = %s AND status = 'succeeded'", (self.batch_id,)
        )

    def run(self) -> None:
        started = time.perf_counter()
        conn = self.connection()
        try:
            analyzed = analyze_loaded(conn, self.project, self.batch_id)  # fresh statistics for the checks, marts
            with transaction(conn) as cur:
                cur.execute(
                    "INSERT INTO dv_meta.task_run (batch_id, task, status, rows_written, seconds)"
                    " VALUES (%s, 'analyze', 'done', %s, %s) ON CONFLICT DO NOTHING",
                    (self.batch_id, len(analyzed), round(time.perf_counter() - started, 3)),
                )
                cur.execute(
                    "UPDATE dv_meta.batch SET status = 'succeeded', finished_at = clock_timestamp()"
                    " WHERE batch_id = %s",
                    (self.batch_id,),
                )
        finally:
            conn.close()


class Profile(BatchTask):
    """After the loads: profile every staged source column of the batch (dv_meta.profile) and warn when
    the batch departs from the recent ones (dv_meta.anomaly, an alert). Warnings never fail a batch."""

    def requires(self) -> luigi.Task:
        return Batch(**self.shared())

    def complete(self) -> bool:
        return self._marker(
            "SELECT 1 FROM dv_meta.task_run WHERE batch_id = %s AND task = 'profile' AND status = 'done'",
            (self.batch_id,),
        )

    def run(self) -> None:
        from pipelines.profile import detect_anomalies, profile_batch

        started = time.perf_counter()
        conn = self.connection()
        try:
            profiles = profile_batch(conn, self.project, self.batch_id)
            anomalies = detect_anomalies(conn, self.project, self.batch_id)
            with transaction(conn) as cur:
                cur.execute(
                    "INSERT INTO dv_meta.task_run (batch_id, task, status, rows_read, rows_written, seconds)"
                    " VALUES (%s, 'profile', 'done', %s, %s, %s) ON CONFLICT DO NOTHING",
                    (self.batch_id, len(profiles), len(anomalies), round(time.perf_counter() - started, 3)),
                )
        except Exception as exc:
            self.record_failure("profile", exc)
            raise
        finally:
            conn.close()


class Quality(BatchTask):
    """After the loads of the batch: every data contract verified, results and the batch's quality gate
    recorded in one transaction. Fail-level results close the gate (the marts require a passed gate);
    they do not fail the task: the loads are done and stay done. A check run that cannot happen at
    all (Soda cannot start, no contract) fails the task."""

    def requires(self) -> luigi.Task:
        return Profile(**self.shared())

    def complete(self) -> bool:
        if not self._marker("SELECT 1 WHERE to_regclass('dv_meta.quality_gate') IS NOT NULL", ()):
            return False  # a warehouse applied before the checks existed: run() says to dv apply
        return self._marker("SELECT 1 FROM dv_meta.quality_gate WHERE batch_id = %s", (self.batch_id,))

    def run(self) -> None:
        from pipelines.quality import gate, run_checks

        started = time.perf_counter()
        conn = self.connection()
        try:
            results = run_checks(conn, self.project, self.batch_id)
            decided = gate(conn, self.batch_id)
            with transaction(conn) as cur:
                cur.execute(
                    "INSERT INTO dv_meta.task_run (batch_id, task, status, rows_read, seconds) VALUES (%s, 'quality',"
                    " 'done', %s, %s) ON CONFLICT DO NOTHING",
                    (self.batch_id, len(results), round(time.perf_counter() - started, 3)),
                )
                if decided is not None and not decided.passed:
                    raise_alert(
                        cur,
                        "quality_failed",
                        f"batch {self.batch_id}",
                        f"quality gate failed: {decided.failed} check(s) failed, {decided.errors} could not run"
                        " (dv_meta.quality_result; dv check --batch to rerun)",
                        self.batch_id,
                    )
        except Exception as exc:
            self.record_failure("quality", exc)
            raise
        finally:
            conn.close()


class Marts(BatchTask):
    """After the quality gate: refresh the business vault and the marts (``pipelines.marts``) in one
    transaction. A batch whose gate failed (and was not accepted) leaves the marts as they were: the task
    records 'skipped' with the reason and raises an alert; ``dv gate accept`` + ``dv marts`` go on later."""

    def requires(self) -> luigi.Task:
        return Quality(**self.shared())

    def complete(self) -> bool:
        return self._marker(
            "SELECT 1 FROM dv_meta.task_run WHERE batch_id = %s AND task = 'marts' AND status IN ('done', 'skipped')",
            (self.batch_id,),
        )

    def run(self) -> None:
        from pipelines.marts import blocking_batches, build_marts, derived_nodes

        conn = self.connection()
        try:
            if not derived_nodes(self.project):
                self._record(conn, "done", 0, 0.0, None)
                return
            blocked = blocking_batches(conn, self.batch_id)
            if blocked:
                batch, why = blocked[0]
                reason = f"marts not refreshed: batch {batch}: {why} (dv gate accept {batch} --reason ...; dv marts)"
                with transaction(conn) as cur:
                    raise_alert(cur, "marts_blocked", f"batch {self.batch_id}", reason, self.batch_id)
                self._record(conn, "skipped", 0, 0.0, reason)
                return
            result = build_marts(conn, self.project, self.batch_id)
            self._record(conn, "done", len(result.objects), result.seconds, None)
        except Exception as exc:
            self.record_failure("marts", exc)
            raise
        finally:
            conn.close()

    def _record(self, conn: Any, status: str, objects: int, seconds: float, note: str | None) -> None:
        with transaction(conn) as cur:
            cur.execute(
                "INSERT INTO dv_meta.task_run (batch_id, task, status, rows_written, seconds, error)"
                " VALUES (%s, 'marts', %s, %s, %s, %s)",
                (self.batch_id, status, objects, round(seconds, 3), note),
            )
