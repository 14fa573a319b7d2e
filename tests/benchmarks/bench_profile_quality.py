"""Benchmark: the profile and the quality checks of an initial batch and of a daily delta.

    .venv/bin/python -m tests.benchmarks.bench_profile_quality build     # the warehouse (BENCH_PQ_DSN)
    .venv/bin/python -m tests.benchmarks.bench_profile_quality measure   # profile and checks, 3 times each

``build`` creates (or resets, as ``dv demo`` does: only a database it marked) the warehouse and its
platform database, simulates the JTLD platform over BENCH_PQ_DAYS days (default 30) at BENCH_PQ_SCALE
(default 0.1) and loads it as one batch (the initial batch: the platform's whole history), then
simulates one more day and loads it (a daily delta). ``measure`` times ``profile_batch`` and
``run_checks`` (batch-scoped and full) for both batches on that warehouse and prints the fastest of
three runs of each, with the batches' own load times from ``dv_meta.batch``. Drop the databases
afterwards (``<name>`` and ``<name>_source``).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from pipelines.db import connect
from pipelines.demo.platform.clock import Config
from pipelines.demo.platform.run import run as simulate_platform
from pipelines.demo.platform.schema import SCHEMA as PLATFORM_SCHEMA
from pipelines.demo.platform.schema import SIM_SCHEMA
from pipelines.demo.sample import DEMO_SEED, LOAD_HOUR, day_end, prepare_database, source_dsn_for
from pipelines.profile import profile_batch
from pipelines.project import Project
from pipelines.quality import run_checks
from pipelines.run import run_batch
from pipelines.standardize import apply_standardization
from pipelines.warehouse import apply

ROOT = Path(__file__).resolve().parents[2]
DSN = os.environ.get("BENCH_PQ_DSN", "postgresql://postgres@127.0.0.1:5432/dv_pq_bench")
SCALE = float(os.environ.get("BENCH_PQ_SCALE", "0.1"))
DAYS = int(os.environ.get("BENCH_PQ_DAYS", "30"))
RUNS = 3


def build(landing: Path) -> None:
    source = source_dsn_for(DSN)
    prepare_database(DSN)
    prepare_database(source, (PLATFORM_SCHEMA, SIM_SCHEMA), "a platform database")
    conn = connect(DSN)
    project = Project.open(ROOT)
    apply(conn, project)
    apply_standardization(conn, project)
    conn.commit()
    conn.close()
    landing.mkdir(parents=True, exist_ok=True)
    for day in (DAYS, DAYS + 1):  # the initial batch (every day so far), then one daily delta
        simulate_platform(Config(seed=DEMO_SEED, scale=SCALE, days=day), landing, source)
        started = time.perf_counter()
        out = run_batch(ROOT, dsn=DSN, source_dsn=source, landing_dir=str(landing), workers=2,
                        load_dts=day_end(day) + LOAD_HOUR)  # fmt: skip
        print(f"batch {out.batch_id} (day {day}): {time.perf_counter() - started:.1f} s, succeeded {out.succeeded}")


def measure() -> None:
    project = Project.open(ROOT)
    conn = connect(DSN)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT b.batch_id, extract(epoch FROM b.finished_at - b.started_at),"
            " (SELECT sum(rows_staged) FROM dv_meta.batch_source s WHERE s.batch_id = b.batch_id)"
            " FROM dv_meta.batch b ORDER BY 1"
        )
        for batch_id, seconds, staged in cur.fetchall():
            print(f"batch {batch_id}: {staged} rows staged, loaded in {float(seconds or 0):.1f} s (whole batch)")
    conn.commit()
    timings: dict[str, list[float]] = {}
    for _ in range(RUNS):
        for batch_id in (1, 2):
            started = time.perf_counter()
            profile_batch(conn, project, batch_id)
            timings.setdefault(f"profile batch {batch_id}", []).append(time.perf_counter() - started)
            for full in (False, True):
                started = time.perf_counter()
                run_checks(conn, project, batch_id, full=full)
                label = f"quality batch {batch_id} {'full' if full else 'batch-scoped'}"
                timings.setdefault(label, []).append(time.perf_counter() - started)
    conn.close()
    for label, seconds in timings.items():
        print(f"{label}: {min(seconds):.2f} s (runs: {', '.join(f'{s:.2f}' for s in seconds)})")


if __name__ == "__main__":
    if sys.argv[1:] == ["build"]:
        build(Path(os.environ.get("BENCH_PQ_LANDING", "/tmp/dv-bench-pq-landing")))
    elif sys.argv[1:] == ["measure"]:
        measure()
    else:
        sys.exit(__doc__)
