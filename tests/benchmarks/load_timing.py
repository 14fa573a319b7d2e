"""Where a batch's time goes: each Luigi task's start and end, recorded from outside the pipeline.

Luigi calls the event handlers registered on ``luigi.Task`` in the process that runs the task (with two
workers, a forked child of the benchmark): ``START`` just before ``run()``, ``SUCCESS`` or ``FAILURE``
right after. The handlers below append one JSON line per event to a file (one short ``O_APPEND``
write each, so lines of concurrent tasks never interleave) with the wall clock and the process's peak
RSS. Nothing in ``pipelines/`` changes, and every task is covered, the stage step included: dv_meta
recorded when a stage ended (``batch_source.staged_at``) but not when it began until the fast stage
statement added ``batch_source.started_at``.

A task's seconds include what the task itself does around its SQL (open the project, connect); a
task's ``complete()`` checks and the scheduler's bookkeeping fall between tasks and show only in the
batch's wall time. ``db_figures`` reads what dv_meta says about the same batch, as a cross-check.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import luigi

# Luigi task class -> phase; a class the pipeline adds later lands in "other"
PHASE_OF = {
    "Extract": "extract",
    "Stage": "stage",
    "Load": "load",
    "Batch": "analyze",
    "Profile": "profile",
    "Quality": "quality",
    "Marts": "marts",
}
PHASES = ("extract", "stage", "load", "analyze", "profile", "quality", "marts", "other")

_events_file: Path | None = None  # set by record_events; inherited by the forked task processes


def _write(task: luigi.Task, event: str) -> None:
    if _events_file is None:
        return
    name = getattr(task, "source", None) or getattr(task, "node_id", None) or ""
    line = {
        "id": task.task_id,
        "family": task.get_task_family(),
        "name": str(name),
        "event": event,
        "t": time.time(),
        "pid": os.getpid(),
        "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    fd = os.open(_events_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (json.dumps(line) + "\n").encode())
    finally:
        os.close(fd)


@luigi.Task.event_handler(luigi.Event.START)
def _on_start(task: luigi.Task) -> None:
    _write(task, "start")


@luigi.Task.event_handler(luigi.Event.SUCCESS)
def _on_success(task: luigi.Task) -> None:
    _write(task, "end")


@luigi.Task.event_handler(luigi.Event.FAILURE)
def _on_failure(task: luigi.Task, _exc: BaseException) -> None:
    _write(task, "failed")


@contextmanager
def record_events(path: Path) -> Iterator[Path]:
    """Record every Luigi task run inside the block into ``path`` (emptied first)."""
    global _events_file
    path.write_text("")
    _events_file = path
    try:
        yield path
    finally:
        _events_file = None


@dataclass
class TaskTime:
    family: str
    name: str
    phase: str
    start: float
    end: float
    rss_mb: float

    @property
    def seconds(self) -> float:
        return self.end - self.start

    @property
    def label(self) -> str:
        return f"{self.phase}.{self.name}" if self.name else self.phase


@dataclass
class PhaseTime:
    tasks: int = 0
    summed_s: float = 0.0  # the tasks' seconds added up (what the phase costs)
    wall_s: float = 0.0  # first start to last end (what it takes with the workers in parallel)


@dataclass
class BatchTimes:
    tasks: list[TaskTime] = field(default_factory=list)
    phases: dict[str, PhaseTime] = field(default_factory=dict)
    task_rss_mb: float = 0.0  # the highest peak RSS of the processes that ran the tasks

    def phase(self, name: str) -> PhaseTime:
        return self.phases.get(name, PhaseTime())

    def span(self, *phases: str) -> float:
        """First start to last end over the tasks of ``phases`` (e.g. extract to raw vault)."""
        chosen = [t for t in self.tasks if t.phase in phases]
        return max(t.end for t in chosen) - min(t.start for t in chosen) if chosen else 0.0

    def idle(self, start: float, end: float) -> float:
        """Seconds of [start, end] when no task ran: Luigi's scheduling, complete() checks, process starts."""
        busy, reach = 0.0, start
        for t in sorted(self.tasks, key=lambda t: t.start):
            lo, hi = max(t.start, reach), min(t.end, end)
            if hi > lo:
                busy += hi - lo
                reach = hi
        return max(end - start - busy, 0.0)

    def costliest(self, phases: tuple[str, ...] = ("stage", "load"), n: int = 3) -> list[TaskTime]:
        return sorted((t for t in self.tasks if t.phase in phases), key=lambda t: -t.seconds)[:n]


def read_events(path: Path) -> BatchTimes:
    """Pair each task's start with its end (a retried task: its last run)."""
    starts: dict[str, dict[str, Any]] = {}
    out = BatchTimes()
    for raw in path.read_text().splitlines():
        event = json.loads(raw)
        if event["event"] == "start":
            starts[event["id"]] = event
            continue
        begun = starts.pop(event["id"], None)
        if begun is None:
            continue
        phase = PHASE_OF.get(event["family"], "other")
        out.tasks.append(
            TaskTime(event["family"], event["name"], phase, begun["t"], event["t"], event["rss_kb"] / 1024)
        )
    for phase in PHASES:
        chosen = [t for t in out.tasks if t.phase == phase]
        if chosen:
            out.phases[phase] = PhaseTime(len(chosen), sum(t.seconds for t in chosen), out.span(phase))
    out.task_rss_mb = max((t.rss_mb for t in out.tasks), default=0.0)
    return out


def db_figures(conn: Any, batch_id: int) -> dict[str, Any]:
    """What dv_meta records of a batch: the tasks' own seconds where they keep them, the loads' statement
    times, rows read, staged and quarantined per source, rows inserted."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT split_part(task, '.', 1), sum(seconds) FROM dv_meta.task_run"
            " WHERE batch_id = %s AND status IN ('done', 'skipped') GROUP BY 1",
            (batch_id,),
        )
        recorded = {str(k): float(v or 0) for k, v in cur.fetchall()}
        cur.execute(
            "SELECT COALESCE(sum(extract(epoch FROM finished_at - started_at)), 0), COALESCE(sum(rows_inserted), 0)"
            " FROM dv_meta.load_log WHERE batch_id = %s",
            (batch_id,),
        )
        load_s, inserted = cur.fetchone()
        cur.execute(
            "SELECT source, rows_read, rows_staged, rows_quarantined FROM dv_meta.batch_source"
            " WHERE batch_id = %s ORDER BY source",
            (batch_id,),
        )
        sources = {str(s): {"read": int(r), "staged": int(st), "quarantined": int(q)} for s, r, st, q in cur}
        stage_s, checked = 0.0, 0
        cur.execute(  # the stage start and the checked statement are recorded since the fast stage statement
            "SELECT count(*) = 2 FROM information_schema.columns WHERE table_schema = 'dv_meta'"
            " AND table_name = 'batch_source' AND column_name IN ('started_at', 'checked')"
        )
        if cur.fetchone()[0]:
            cur.execute(
                "SELECT COALESCE(sum(extract(epoch FROM staged_at - started_at)), 0), count(*) FILTER (WHERE checked)"
                " FROM dv_meta.batch_source WHERE batch_id = %s",
                (batch_id,),
            )
            stage_s, checked = cur.fetchone()
        cur.execute(
            "SELECT extract(epoch FROM finished_at - started_at) FROM dv_meta.batch WHERE batch_id = %s", (batch_id,)
        )
        (batch_s,) = cur.fetchone()
    conn.commit()
    return {
        "extract_db_s": recorded.get("extract", 0.0),
        "profile_db_s": recorded.get("profile", 0.0),
        "quality_db_s": recorded.get("quality", 0.0),
        "marts_db_s": recorded.get("marts", 0.0),
        "stage_db_s": float(stage_s),
        "checked_sources": int(checked),  # sources whose fast stage statement failed: the checked one ran
        "load_db_s": float(load_s),
        "batch_db_s": float(batch_s or 0),
        "rows_inserted": int(inserted),
        "sources": sources,
    }
