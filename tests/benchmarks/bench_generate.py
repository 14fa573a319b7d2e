"""Benchmark: `dv validate`, `dv generate` and `dv --help` on a synthetic model of N entities.

    make bench                                          # runs this after the PIT benchmark
    BENCH_ENTITIES=1000,4000 python -m tests.benchmarks.bench_generate

A model of N entities (model files: sources, hubs, links, satellites, and a dimension or a fact every few
hubs) is written into a temporary project folder; each command runs in a subprocess, as a user runs it,
BENCH_REPEAT times (default 3; the best run is reported), and its wall and CPU time (user + system of the
child) are measured. The floor is `python -c pass`, the interpreter's own start-up. Reported per scale:
wall and CPU seconds, and the CPU growth from the smaller scale to the larger one (≈ the ratio of the
scales when linear). The goals (issue 15): a 1,000-entity model generates in ≤ 3 s, a command that
touches no database answers in ≤ 0.3 s. Nothing here is an assertion.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

SCALES = [int(n) for n in os.environ.get("BENCH_ENTITIES", "1000,4000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
DV = [sys.executable, "-m", "pipelines.cli"]
REPO = Path(__file__).resolve().parents[2]


def _source(i: int) -> str:
    parent = "  - {name: parent_id, type: text}\n" if i else ""
    return (
        f"kind: source\nname: src_{i}\ndescription: Records of entity {i}, with a change timestamp.\n"
        f"record_source: sys{i % 7}\napplied_ts: updated_at\nsequence: change_seq\ncolumns:\n"
        f"  - {{name: e{i}_id, type: text}}\n{parent}"
        f"  - {{name: label, type: text}}\n  - {{name: amount, type: 'numeric(12,2)'}}\n"
        f"  - {{name: counted, type: integer}}\n  - {{name: seen_on, type: date}}\n"
        f"  - {{name: updated_at, type: timestamptz}}\n  - {{name: change_seq, type: bigint}}\n"
    )


def _hub(i: int) -> str:
    return (
        f"kind: hub\nname: e{i}\ndescription: Entity {i}.\nbusiness_keys:\n  - {{name: e{i}_id, type: text}}\n"
        f"sources:\n  - {{source: src_{i}, columns: [e{i}_id]}}\n"
    )


def _link(i: int) -> str:
    return (
        f"kind: link\nname: e{i}_parent\ndescription: The parent of entity {i}.\nhubs:\n  - {{hub: e{i}}}\n"
        f"  - {{hub: e{i - 1}}}\nsources:\n  - source: src_{i}\n"
        f"    keys: {{e{i}: [e{i}_id], e{i - 1}: [parent_id]}}\n"
    )


def _satellite(i: int) -> str:
    return (
        f"kind: satellite\nname: e{i}_details\ndescription: The details of entity {i}.\nhub: e{i}\n"
        f"source: src_{i}\ncolumns: [label, amount, counted, seen_on]\n"
    )


def _dimension(i: int) -> str:
    return (
        f"kind: dimension\nname: dim_e{i}\ndescription: Entity {i} as it is now.\nrefresh: view\ncolumns:\n"
        f"  - {{name: e{i}_key, description: The hub's hash key}}\n  - {{name: e{i}_id, description: Business key}}\n"
        f"  - {{name: label, description: Current label}}\n  - {{name: amount, description: Current amount}}\n"
        f"sql: |\n  SELECT h.hk_e{i} AS e{i}_key, h.e{i}_id, s.label, s.amount\n"
        f"  FROM raw_vault.hub_e{i} AS h\n"
        f"  LEFT JOIN raw_vault.sat_e{i}_details_current AS s ON s.hk_e{i} = h.hk_e{i}\n"
    )


def _fact(i: int) -> str:
    return (
        f"kind: fact\nname: fact_e{i}\ndescription: Children of entity {i - 1}, per parent.\nrefresh: table\n"
        f"key: [e{i - 1}_id]\ncolumns:\n  - {{name: e{i - 1}_id, description: Business key of the parent}}\n"
        f"  - {{name: children, description: Children}}\n  - {{name: amount, description: Their amount}}\n"
        f"sql: |\n  SELECT p.e{i - 1}_id, count(*) AS children, COALESCE(sum(s.amount), 0) AS amount\n"
        f"  FROM raw_vault.link_e{i}_parent AS l\n"
        f"  JOIN raw_vault.hub_e{i - 1} AS p ON p.hk_e{i - 1} = l.hk_e{i - 1}\n"
        f"  LEFT JOIN raw_vault.sat_e{i}_details_current AS s ON s.hk_e{i} = l.hk_e{i}\n"
        f"  WHERE l.record_source <> 'SYSTEM.GHOST'\n  GROUP BY p.e{i - 1}_id\n"
    )


def write_model(root: Path, entities: int) -> dict[str, int]:
    """A project of about ``entities`` model entities in ``root``; returns the count of each kind."""
    files: dict[str, list[str]] = {k: [] for k in ("sources", "hubs", "links", "satellites", "marts")}
    i = 0
    while sum(len(v) for v in files.values()) < entities:
        files["sources"].append(_source(i))
        files["hubs"].append(_hub(i))
        files["satellites"].append(_satellite(i))
        if i:
            files["links"].append(_link(i))
        if i % 5 == 4:
            files["marts"].append(_dimension(i))
        if i % 10 == 9:
            files["marts"].append(_fact(i))
        i += 1
    model = root / "model"
    model.mkdir(parents=True)
    (model / "project.yml").write_text(
        "kind: project\nname: bench\ndescription: Synthetic model of the generate benchmark.\n"
    )
    for folder, docs in files.items():
        (model / folder).mkdir()
        for start in range(0, len(docs), 25):  # 25 entities a file, as a model grows by folders of files
            (model / folder / f"{folder}_{start // 25:04d}.yml").write_text("---\n".join(docs[start : start + 25]))
    return {k: len(v) for k, v in files.items()}


@dataclass
class Timing:
    wall: float
    cpu: float


def run(args: list[str], cwd: Path) -> Timing:
    """The best of REPEAT runs of a command in a subprocess (wall and the child's user + system CPU)."""
    best: Timing | None = None
    for _ in range(REPEAT):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            args, cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode:
            raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{done.stdout}\n{done.stderr}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if best is None or wall < best.wall:
            best = Timing(wall, cpu)
    assert best is not None
    return best


def measure(entities: int) -> dict[str, Timing]:
    workdir = Path(tempfile.mkdtemp(prefix="dv_bench_generate_"))
    try:
        write_model(workdir, entities)
        return {
            "python -c pass (floor)": run([sys.executable, "-c", "pass"], workdir),
            "dv --help": run([*DV, "--help"], workdir),
            "dv validate --help": run([*DV, "validate", "--help"], workdir),
            "dv validate": run([*DV, "validate"], workdir),
            "dv generate": run([*DV, "generate"], workdir),
            "dv generate --check": run([*DV, "generate", "--check"], workdir),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    console = Console()
    figures = {n: measure(n) for n in SCALES}
    table = Table(title=f"dv commands on synthetic models (best of {REPEAT} runs, subprocess)")
    table.add_column("command")
    for n in SCALES:
        table.add_column(f"{n:,} entities\nwall / CPU s", justify="right")
    if len(SCALES) > 1:
        table.add_column(f"CPU ×\n(scale ×{SCALES[-1] / SCALES[0]:g})", justify="right")
    for command in figures[SCALES[0]]:
        row = [command]
        for n in SCALES:
            t = figures[n][command]
            row.append(f"{t.wall:.2f} / {t.cpu:.2f}")
        if len(SCALES) > 1:
            first, last = figures[SCALES[0]][command].cpu, figures[SCALES[-1]][command].cpu
            row.append(f"{last / first:.2f}" if first else "-")
        table.add_row(*row)
    console.print(table)
    console.print("goals: dv generate ≤ 3 s at 1,000 entities; a command that touches no database ≤ 0.3 s")


if __name__ == "__main__":
    main()
