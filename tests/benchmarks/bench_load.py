"""Benchmark: the whole batch pipeline on the JTLD platform, against floors measured in the same run.

    make bench-load                                  # scale 1, 30 days
    make bench-load SCALE=0.1 BENCH_OUT=bench.json   # the figures also as one JSON object
    make bench-load SCALES=0.1,1                     # several scales: how time grows with data
    .venv/bin/python -m tests.benchmarks.bench_load --scales 0.1 --days 30 [--out FILE] [--keep]

For each scale, in databases of its own (``dv_bench_load`` and ``dv_bench_load_source``, or
``$DV_BENCH_DB`` and ``${DV_BENCH_DB}_source``, on the server of ``DV_BENCH_DSN``, else 127.0.0.1:5432;
dropped and recreated first, refused when another session uses them; dropped at the end unless
``--keep``), the method of ``dv demo`` (``pipelines/demo/sample.py``) at a larger size:

1. initial batch: the platform simulated for DAYS days (seed 1, defects included), then one ``dv run``
   batch (``pipelines.run.run_batch``, 2 Luigi workers): the whole history extracted, staged, loaded,
   analyzed, profiled, checked, the marts built;
2. daily delta: the platform simulated for DAYS+1 days (the same seed: one day more of database rows and
   files), then one batch;
3. rerun of the delta batch: ``dv run --batch N`` (``run_batch(batch_id=N)``, ``rerun_run_s``) and
   ``dv load --batch N`` (``pipelines.warehouse.load``: stages and loads the batch logged are skipped,
   ``rerun_s``) and ``dv load --batch N --reload`` (every load statement again, ``rerun_reload_s``);
4. the delta's load statements again, with the statistics as they were, freshly analyzed, and none at all
   (``load_plans.py``, rolled back): whether a plan depends on luck;
5. floors on the rows each batch landed: COPY and the one-pass hash (``load_floors.py``).

Each phase of a batch (extract, stage, load, analyze, profile, quality, marts) is timed from Luigi's
task events (``load_timing.py``): ``<batch>_<phase>_s`` is the phase's tasks' seconds added up (its
cost), ``<batch>_<phase>_wall_s`` its first start to last end (two workers overlap tasks, and phases:
a source stages while another extracts). The simulator injects defects, so the quality gate of each
batch fails and the Marts task skips; the benchmark then accepts the gate and builds the marts as an
operator would (``dv gate accept``, ``dv marts``) and counts that time as the batch's marts phase and
in ``initial_s``/``delta_s``. The platform is simulated in a child process, so its memory is not the
pipeline's: ``peak_rss_mb`` is the highest peak RSS of this process and of the processes that ran the
Luigi tasks. Figures are seconds and ratios measured in this run on this machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg2.errors
import psycopg2.extensions
from rich.console import Console

from pipelines.db import connect
from pipelines.demo.platform.schema import SCHEMA as PLATFORM_SCHEMA
from pipelines.demo.platform.schema import SIM_SCHEMA
from pipelines.demo.sample import LOAD_HOUR, day_end, prepare_database, source_dsn_for
from pipelines.marts import build_marts
from pipelines.project import Project
from pipelines.quality import accept_gate
from pipelines.run import run_batch
from pipelines.standardize import apply_standardization
from pipelines.warehouse import apply, load
from tests.benchmarks import load_floors, load_plans, load_report
from tests.benchmarks.load_timing import PHASES, db_figures, read_events, record_events
from tests.conftest import drop_database as drop_test_database

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BASE = "postgresql://postgres@127.0.0.1:5432/"
DATABASE = "dv_bench_load"
SEED = 1
ACCEPT_REASON = "bench-load: the platform simulator injects these defects on purpose"
SIMULATE = (
    "import json, resource, sys\n"
    "from pathlib import Path\n"
    "from pipelines.demo.platform.clock import Config\n"
    "from pipelines.demo.platform.run import run\n"
    "a = json.loads(sys.argv[1])\n"
    "run(Config(seed=a['seed'], scale=a['scale'], days=a['days']), Path(a['landing']), a['dsn'])\n"
    "print(json.dumps({'rss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))\n"
)


def bench_dsn() -> str:
    """The benchmark's warehouse: ``DV_BENCH_DB`` (default dv_bench_load) on the server of ``DV_BENCH_DSN``."""
    name = os.environ.get("DV_BENCH_DB") or DATABASE
    if not name.startswith("dv_bench"):
        raise SystemExit(f"DV_BENCH_DB={name}: the benchmark drops its databases, so their names start with dv_bench")
    params = psycopg2.extensions.parse_dsn(os.environ.get("DV_BENCH_DSN") or DEFAULT_BASE)
    return psycopg2.extensions.make_dsn(**{**params, "dbname": name})


def drop_database(dsn: str, at_end: bool = False) -> None:
    """Drop one of the benchmark's databases; never one another session is using (a concurrent run)."""
    params = psycopg2.extensions.parse_dsn(dsn)
    name = params["dbname"]
    assert name.startswith("dv_bench"), name  # never anything but the benchmark's own databases
    admin = connect(psycopg2.extensions.make_dsn(**{**params, "dbname": "postgres"}))
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            drop_test_database(cur, name)
    except psycopg2.errors.ObjectInUse:
        if at_end:
            print(f"warning: {name} is in use by another session: not dropped", file=sys.stderr)
            return
        raise SystemExit(
            f"database {name} is in use by another session (another bench-load run?)\n"
            "    hint: wait for it, or run with DV_BENCH_DB=dv_bench_<something else>"
        ) from None
    finally:
        admin.close()


def batch_status(conn: Any, batch_id: int) -> str:
    with conn.cursor() as cur:
        cur.execute("SELECT status FROM dv_meta.batch WHERE batch_id = %s", (batch_id,))
        (status,) = cur.fetchone()
    conn.commit()
    return str(status)


def simulate(scale: float, days: int, landing: Path, source_dsn: str) -> tuple[float, float]:
    """The platform through ``days`` days, in a child process: (seconds, its peak RSS in MB)."""
    started = time.perf_counter()
    args = json.dumps({"seed": SEED, "scale": scale, "days": days, "landing": str(landing), "dsn": source_dsn})
    done = subprocess.run([sys.executable, "-c", SIMULATE, args], cwd=REPO, check=True, capture_output=True, text=True)
    rss_kb = json.loads(done.stdout.strip().splitlines()[-1])["rss_kb"]
    return time.perf_counter() - started, rss_kb / 1024


def run_one_batch(ctx: dict[str, Any], day: int, events: Path, batch_id: int | None = None) -> dict[str, Any]:
    """One ``dv run`` batch, timed; the marts built after accepting the gate when the Marts task skipped."""
    conn, project = ctx["conn"], ctx["project"]
    with record_events(events):
        started, wall = time.perf_counter(), time.time()
        outcome = run_batch(
            REPO,
            dsn=ctx["dsn"],
            source_dsn=ctx["source_dsn"],
            landing_dir=str(ctx["landing"]),
            workers=ctx["workers"],
            batch_id=batch_id,
            load_dts=None if batch_id is not None else day_end(day) + LOAD_HOUR,
        )
        run_s = time.perf_counter() - started
        times = read_events(events)
        idle_s = times.idle(wall, wall + run_s)
    if not outcome.succeeded:
        raise SystemExit(f"batch {outcome.batch_id} failed: " + "; ".join(outcome.failed_tasks))
    marts_s = 0.0
    if outcome.marts is not None and outcome.marts[0] == "skipped":
        started = time.perf_counter()
        accept_gate(conn, outcome.batch_id, ACCEPT_REASON)
        build_marts(conn, project, outcome.batch_id)
        marts_s = time.perf_counter() - started
    return {
        "batch_id": outcome.batch_id,
        "run_s": run_s,
        "marts_after_gate_s": marts_s,
        "times": times,
        "idle_s": idle_s,
    }


def batch_figures(prefix: str, batch: dict[str, Any], db: dict[str, Any]) -> dict[str, Any]:
    """The ``<prefix>_*`` figures of one batch."""
    times = batch["times"]
    total = batch["run_s"] + batch["marts_after_gate_s"]
    out: dict[str, Any] = {
        f"{prefix}_s": total,
        f"{prefix}_run_s": batch["run_s"],
        f"{prefix}_vault_s": times.span("extract", "stage", "load"),
        f"{prefix}_batch_id": batch["batch_id"],
        f"{prefix}_idle_s": batch["idle_s"],  # dv run's time when no task ran (scheduling, checks, forks)
    }
    for phase in PHASES:
        p = times.phase(phase)
        if phase == "other" and not p.tasks:
            continue
        out[f"{prefix}_{phase}_s"] = p.summed_s
        out[f"{prefix}_{phase}_wall_s"] = p.wall_s
    out[f"{prefix}_marts_s"] += batch["marts_after_gate_s"]
    out[f"{prefix}_marts_wall_s"] += batch["marts_after_gate_s"]
    out[f"{prefix}_marts_after_gate_s"] = batch["marts_after_gate_s"]
    keys = ("extract_db_s", "stage_db_s", "load_db_s", "profile_db_s", "quality_db_s", "batch_db_s", "checked_sources")
    for key in keys:
        out[f"{prefix}_{key}"] = db[key]
    sources = db["sources"]
    out[f"{prefix}_rows_read"] = sum(s["read"] for s in sources.values())
    out[f"{prefix}_rows_staged"] = sum(s["staged"] for s in sources.values())
    out[f"{prefix}_rows_quarantined"] = sum(s["quarantined"] for s in sources.values())
    out[f"{prefix}_rows_inserted"] = db["rows_inserted"]
    out[f"{prefix}_costliest"] = [
        {"task": t.label, "seconds": round(t.seconds, 3), "share": round(t.seconds / total, 4)}
        for t in times.costliest()
    ]
    out[f"{prefix}_task_rss_mb"] = times.task_rss_mb
    return out


def run_scale(scale: float, days: int, workers: int, keep: bool, say: Any) -> dict[str, Any]:
    dsn = bench_dsn()
    source_dsn = source_dsn_for(dsn)
    for name in (dsn, source_dsn):
        drop_database(name)
    prepare_database(dsn)
    prepare_database(source_dsn, (PLATFORM_SCHEMA, SIM_SCHEMA), "a platform database")
    project = Project.open(REPO)
    conn = connect(dsn)
    fig: dict[str, Any] = {"scale": scale, "days": days, "seed": SEED, "workers": workers}
    try:
        apply(conn, project)
        apply_standardization(conn, project)
        conn.commit()
        with tempfile.TemporaryDirectory(prefix="dv-bench-load-") as tmp:
            folder = Path(tmp)
            ctx = {"conn": conn, "project": project, "dsn": dsn, "source_dsn": source_dsn, "workers": workers}
            ctx["landing"] = folder / "landing"
            ctx["landing"].mkdir()
            sim_s, sim_rss = simulate(scale, days, ctx["landing"], source_dsn)
            say(f"scale {scale}: platform simulated for {days} days in {sim_s:.1f} s; initial batch…")
            initial = run_one_batch(ctx, days, folder / "initial.jsonl")
            say(f"scale {scale}: initial batch {initial['run_s']:.1f} s; simulating day {days + 1}…")
            sim2_s, sim2_rss = simulate(scale, days + 1, ctx["landing"], source_dsn)
            say(f"scale {scale}: day {days + 1} simulated in {sim2_s:.1f} s; delta batch…")
            delta = run_one_batch(ctx, days + 1, folder / "delta.jsonl")
            db_initial, db_delta = db_figures(conn, initial["batch_id"]), db_figures(conn, delta["batch_id"])
            fig.update(batch_figures("initial", initial, db_initial))
            fig.update(batch_figures("delta", delta, db_delta))
            say(f"scale {scale}: delta batch {delta['run_s']:.1f} s; reruns…")
            rerun = run_one_batch(ctx, days + 1, folder / "rerun.jsonl", batch_id=delta["batch_id"])
            fig["rerun_run_s"] = rerun["run_s"]
            fig["rerun_run_tasks"] = len(rerun["times"].tasks)
            fig["rerun_run_batch_status"] = batch_status(conn, delta["batch_id"])
            started = time.perf_counter()
            load(conn, project, batch_id=delta["batch_id"])
            fig["rerun_s"] = time.perf_counter() - started
            started = time.perf_counter()
            load(conn, project, batch_id=delta["batch_id"], reload=True)
            fig["rerun_reload_s"] = time.perf_counter() - started
            say(f"scale {scale}: rerun (dv load --batch) {fig['rerun_s']:.1f} s; plans under three statistics…")
            fig["delta_plans"] = load_plans.summary(load_plans.measure(conn, project, delta["batch_id"]))
            say(f"scale {scale}: floors…")
            sources = load_floors.floor_sources(project)
            floors = {
                "initial": load_floors.measure(conn, sources, initial["batch_id"], folder),
                "delta": load_floors.measure(conn, sources, delta["batch_id"], folder),
            }
    finally:
        conn.close()
        if not keep:
            for name in (dsn, source_dsn):
                drop_database(name, at_end=True)
    fig["simulate_s"] = sim_s + sim2_s
    fig["simulate_rss_mb"] = max(sim_rss, sim2_rss)
    fig["copy_floor_s"] = sum(f.copy_s for f in floors["initial"])
    fig["hash_floor_s"] = sum(f.hash_s for f in floors["initial"])
    fig["delta_copy_floor_s"] = sum(f.copy_s for f in floors["delta"])
    fig["delta_hash_floor_s"] = sum(f.hash_s for f in floors["delta"])
    fig["floor_rows"] = sum(f.rows for f in floors["initial"])
    fig["delta_floor_rows"] = sum(f.rows for f in floors["delta"])
    fig["sources"] = load_report.per_source(db_initial, db_delta, initial["times"], delta["times"], floors)
    fig["bench_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fig["children_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    fig["task_rss_mb"] = max(fig["initial_task_rss_mb"], fig["delta_task_rss_mb"])
    fig["peak_rss_mb"] = max(fig["bench_rss_mb"], fig["task_rss_mb"])
    fig.update(load_report.ratios(fig))
    return fig


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("SODA_CORE_TELEMETRY_ENABLED", "false")
    parser = argparse.ArgumentParser(prog="bench_load", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default=os.environ.get("SCALES") or os.environ.get("SCALE") or "1")
    parser.add_argument("--days", type=int, default=int(os.environ.get("DAYS") or 30))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=os.environ.get("BENCH_OUT") or None, help="write the figures as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    args = parser.parse_args(argv)
    scales = sorted(float(s) for s in args.scales.split(",") if s.strip())
    console = Console(width=None if sys.stdout.isatty() else 140)
    started = time.perf_counter()

    def say(line: str) -> None:
        console.print(f"[{time.perf_counter() - started:7.1f} s] {line}", markup=False, highlight=False)

    runs = [run_scale(scale, args.days, args.workers, args.keep, say) for scale in scales]
    for fig in runs:
        load_report.print_run(fig, console)
    result = dict(runs[-1])
    if len(runs) > 1:
        result["growth"] = load_report.growth(runs)
        result["runs"] = runs
        load_report.print_growth(result["growth"], console)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2, default=float) + "\n", encoding="utf-8")
        console.print(f"figures written to {args.out}", markup=False)


if __name__ == "__main__":
    main()
