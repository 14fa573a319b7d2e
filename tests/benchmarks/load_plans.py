"""Whether the loads' plans depend on the statistics: a batch's load statements run again under three states
of the planner's statistics, each in a transaction that is rolled back.

For each state the batch's rows are deleted from every table its loads wrote (so each statement has its
real work to do again), the statistics are set, and every load statement of the batch runs in the
manifest's order, timed one by one:

- ``as run``: the statistics as the pipeline left them (the delta's loads ran with the statistics of
  the batch before: its stage rows are not in them);
- ``fresh``: every stage and target table analyzed first;
- ``none``: no statistics at all (``pg_statistic`` rows removed, ``reltuples`` unknown), the worst a
  planner can be told.

Each state runs after a first, uncounted pass that brings the tables into the cache. A plan that depends
on luck shows as one state far slower than the others. ``ROLLBACK`` undoes the
deletes and the statistics alike (both are transactional), so the warehouse is left as it was.
"""

from __future__ import annotations

import time
from typing import Any

from pipelines.project import Project
from pipelines.warehouse import batch_sql

STATES = ("as_run", "fresh", "none")


def _tables(project: Project) -> tuple[list[str], list[str]]:
    targets, stages = [], []
    for node in project.with_statement("load"):
        targets.append(node.qualified)
    for node in project.with_statement("stage"):
        stages.append(node.qualified)
    return targets, stages


def _loads(cur: Any, project: Project, batch_id: int) -> dict[str, float]:
    cur.execute("SELECT set_config('dv.batch_id', %s, true)", (str(batch_id),))
    seconds = {}
    for node in project.with_statement("load"):
        started = time.perf_counter()
        cur.execute(batch_sql(project, node.sql["load"], batch_id))  # as the runtime runs it
        seconds[node.id] = time.perf_counter() - started
    return seconds


def measure(conn: Any, project: Project, batch_id: int) -> dict[str, dict[str, float]]:
    """Seconds of each load statement of ``batch_id`` under each state of the statistics."""
    targets, stages = _tables(project)
    out: dict[str, dict[str, float]] = {}
    for state in ("warm-up", *STATES):  # the first pass reads the tables into the cache: not counted
        try:
            with conn.cursor() as cur:
                for table in targets:
                    cur.execute(f"DELETE FROM {table} WHERE batch_id = %s", (batch_id,))
                if state == "fresh":
                    for table in stages + targets:
                        cur.execute(f"ANALYZE {table}")
                elif state == "none":
                    oids = "ARRAY[" + ", ".join(f"'{t}'::regclass" for t in stages + targets) + "]::oid[]"
                    cur.execute(f"DELETE FROM pg_statistic WHERE starelid = ANY({oids})")
                    cur.execute(f"UPDATE pg_class SET reltuples = -1 WHERE oid = ANY({oids})")
                seconds = _loads(cur, project, batch_id)
                if state in STATES:
                    out[state] = seconds
        finally:
            conn.rollback()
    return out


def summary(measured: dict[str, dict[str, float]], top: int = 3) -> dict[str, Any]:
    """Total seconds per state, and the statements whose time differs most between the states."""
    totals = {f"loads_{state}_s": sum(seconds.values()) for state, seconds in measured.items()}
    spread = []
    for node_id in measured[STATES[0]]:
        times = [measured[s][node_id] for s in STATES]
        spread.append((max(times) - min(times), node_id, times))
    spread.sort(reverse=True)
    worst = [{"target": n, **{f"{s}_s": round(t, 3) for s, t in zip(STATES, ts, strict=True)}} for _, n, ts in spread]
    return {**totals, "plan_spread": worst[:top]}
