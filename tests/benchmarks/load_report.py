"""The figures of ``bench_load`` as ratios and rich tables.

Ratios are the issue's goals (issue 12), each against a floor or a batch of the same run:
initial/hash floor (goal ≤ 1.5, extract to raw vault), delta/delta hash floor (≤ 3), delta/initial
(≤ 5%), rerun/initial (≤ 1%), (profile + quality)/load time (≤ 20%, the load time being the batch's
extract to raw vault wall time).
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from tests.benchmarks.load_timing import PHASES, BatchTimes


def _div(a: float, b: float) -> float | None:
    return a / b if b else None


def per_source(
    db_initial: dict[str, Any], db_delta: dict[str, Any], t_initial: BatchTimes, t_delta: BatchTimes, floors: Any
) -> list[dict[str, Any]]:
    """Rows, stage seconds and floors of each source, the largest (initial rows read) first."""
    stage = {
        "initial": {t.name: t.seconds for t in t_initial.tasks if t.phase == "stage"},
        "delta": {t.name: t.seconds for t in t_delta.tasks if t.phase == "stage"},
    }
    floor = {batch: {f.source: f for f in found} for batch, found in floors.items()}
    out = []
    for name in db_initial["sources"]:
        row: dict[str, Any] = {"source": name}
        for batch, db in (("initial", db_initial), ("delta", db_delta)):
            c = db["sources"].get(name, {"read": 0, "staged": 0, "quarantined": 0})
            seconds = stage[batch].get(name)
            f = floor[batch].get(name)
            row[f"{batch}_rows"] = c["read"]
            row[f"{batch}_staged"] = c["staged"]
            row[f"{batch}_quarantined"] = c["quarantined"]
            row[f"{batch}_stage_s"] = seconds
            row[f"{batch}_stage_rows_per_s"] = _div(c["read"], seconds or 0)
            row[f"{batch}_copy_floor_s"] = f.copy_s if f else None
            row[f"{batch}_hash_floor_s"] = f.hash_s if f else None
        out.append(row)
    return sorted(out, key=lambda r: -r["initial_rows"])


def ratios(fig: dict[str, Any]) -> dict[str, Any]:
    pq = {b: fig[f"{b}_profile_s"] + fig[f"{b}_quality_s"] for b in ("initial", "delta")}
    return {
        "initial_over_hash_floor": _div(fig["initial_s"], fig["hash_floor_s"]),
        "initial_vault_over_hash_floor": _div(fig["initial_vault_s"], fig["hash_floor_s"]),
        "initial_vault_over_copy_floor": _div(fig["initial_vault_s"], fig["copy_floor_s"]),
        "delta_over_delta_hash_floor": _div(fig["delta_s"], fig["delta_hash_floor_s"]),
        "delta_vault_over_delta_hash_floor": _div(fig["delta_vault_s"], fig["delta_hash_floor_s"]),
        "delta_over_initial": _div(fig["delta_s"], fig["initial_s"]),
        "rerun_over_initial": _div(fig["rerun_s"], fig["initial_s"]),
        "rerun_run_over_initial": _div(fig["rerun_run_s"], fig["initial_s"]),
        "rerun_reload_over_initial": _div(fig["rerun_reload_s"], fig["initial_s"]),
        "initial_profile_quality_over_load": _div(pq["initial"], fig["initial_vault_s"]),
        "delta_profile_quality_over_load": _div(pq["delta"], fig["delta_vault_s"]),
        "initial_stage_rows_per_s": _div(fig["initial_rows_read"], fig["initial_stage_s"]),
        "delta_stage_rows_per_s": _div(fig["delta_rows_read"], fig["delta_stage_s"]),
    }


def _s(v: float | None) -> str:
    return "" if v is None else f"{v:.2f}"


def _x(v: float | None, pct: bool = False) -> str:
    if v is None:
        return ""
    return f"{100 * v:.1f}%" if pct else f"{v:.2f}×"


def print_run(fig: dict[str, Any], console: Console) -> None:
    scale, days = fig["scale"], fig["days"]
    phases = Table(title=f"bench-load: scale {scale:g}, {days} days, {fig['workers']} workers", title_justify="left")
    for col in ("phase", "initial Σ s", "initial wall s", "delta Σ s", "delta wall s"):
        phases.add_column(col, justify="left" if col == "phase" else "right")
    for phase in PHASES:
        if f"initial_{phase}_s" not in fig:
            continue
        phases.add_row(
            phase,
            *(_s(fig.get(f"{b}_{phase}{k}")) for b in ("initial", "delta") for k in ("_s", "_wall_s")),
        )
    for phase in ("extract", "stage", "load"):
        db = [_s(fig.get(f"{b}_{phase}_db_s")) for b in ("initial", "delta")]
        phases.add_row(f"{phase} (dv_meta: statements)", db[0], "", db[1], "")
    phases.add_row("no task running", "", _s(fig["initial_idle_s"]), "", _s(fig["delta_idle_s"]))
    phases.add_row("extract→raw vault", "", _s(fig["initial_vault_s"]), "", _s(fig["delta_vault_s"]))
    phases.add_row("batch (dv run + marts)", "", _s(fig["initial_s"]), "", _s(fig["delta_s"]))
    console.print(phases)

    rows = Table(title="floors, reruns and ratios (goals: issue 12)", title_justify="left")
    for col in ("figure", "seconds", "ratio", "goal"):
        rows.add_column(col, justify="left" if col in ("figure", "goal") else "right")
    rows.add_row(
        f"copy floor ({fig['floor_rows']} rows)", _s(fig["copy_floor_s"]), _x(fig["initial_vault_over_copy_floor"]), ""
    )
    rows.add_row("hash floor", _s(fig["hash_floor_s"]), "", "")
    rows.add_row("initial extract→vault / hash floor", "", _x(fig["initial_vault_over_hash_floor"]), "≤ 1.5×")
    rows.add_row("initial batch / hash floor", "", _x(fig["initial_over_hash_floor"]), "")
    rows.add_row(f"delta copy floor ({fig['delta_floor_rows']} rows)", _s(fig["delta_copy_floor_s"]), "", "")
    rows.add_row("delta hash floor", _s(fig["delta_hash_floor_s"]), "", "")
    rows.add_row("delta batch / delta hash floor", "", _x(fig["delta_over_delta_hash_floor"]), "≤ 3×")
    rows.add_row("delta extract→vault / delta hash floor", "", _x(fig["delta_vault_over_delta_hash_floor"]), "")
    rows.add_row("delta / initial", "", _x(fig["delta_over_initial"], True), "≤ 5%")
    rerun = _x(fig["rerun_over_initial"], True)
    rows.add_row("rerun: dv load --batch", _s(fig["rerun_s"]), rerun, "≤ 1%")
    reload = _x(fig["rerun_reload_over_initial"], True)
    rows.add_row("rerun: dv load --batch --reload (every load again)", _s(fig["rerun_reload_s"]), reload, "")
    rerun_run = _x(fig["rerun_run_over_initial"], True)
    rows.add_row(f"rerun: dv run --batch ({fig['rerun_run_tasks']} tasks ran)", _s(fig["rerun_run_s"]), rerun_run, "")
    if "delta_plans" in fig:  # the delta's load statements again under three states of the statistics
        plans = fig["delta_plans"]
        base = plans["loads_as_run_s"]
        for state, label in (("as_run", "as the pipeline ran them"), ("fresh", "after a fresh ANALYZE"),
                             ("none", "with no statistics at all")):  # fmt: skip
            seconds = plans[f"loads_{state}_s"]
            rows.add_row(f"delta loads, statistics {label}", _s(seconds), _x(_div(seconds, base)), "~1×")
    for b in ("initial", "delta"):
        rows.add_row(f"{b}: (profile + quality) / load", "", _x(fig[f"{b}_profile_quality_over_load"], True), "≤ 20%")
        rows.add_row(f"{b}: stage rows/s (Σ over sources)", "", f"{fig[f'{b}_stage_rows_per_s'] or 0:,.0f}", "")
    rows.add_row(
        "peak RSS MB (bench / task processes)",
        "",
        f"{fig['peak_rss_mb']:.0f} ({fig['bench_rss_mb']:.0f} / {fig['task_rss_mb']:.0f})",
        "≤ 300",
    )
    simulated = f"{fig['simulate_rss_mb']:.0f} MB RSS"
    rows.add_row("platform simulation (own process, not counted)", _s(fig["simulate_s"]), simulated, "")
    console.print(rows)

    costly = Table(title="costliest stage and load tasks (share of the batch)", title_justify="left")
    for col in ("batch", "task", "seconds", "share"):
        costly.add_column(col, justify="left" if col in ("batch", "task") else "right")
    for b in ("initial", "delta"):
        for t in fig[f"{b}_costliest"]:
            costly.add_row(b, t["task"], _s(t["seconds"]), _x(t["share"], True))
    console.print(costly)

    sources = Table(title="largest sources: rows read, stage time, floors", title_justify="left")
    for col in ("source", "rows", "stage s", "rows/s", "copy floor s", "hash floor s", "delta rows", "delta stage s"):
        sources.add_column(col, justify="left" if col == "source" else "right")
    for r in fig["sources"][:6]:
        sources.add_row(
            r["source"],
            str(r["initial_rows"]),
            _s(r["initial_stage_s"]),
            f"{r['initial_stage_rows_per_s'] or 0:,.0f}",
            _s(r["initial_copy_floor_s"]),
            _s(r["initial_hash_floor_s"]),
            str(r["delta_rows"]),
            _s(r["delta_stage_s"]),
        )
    console.print(sources)
    console.print(
        f"rows: initial read {fig['initial_rows_read']}, staged {fig['initial_rows_staged']}, quarantined "
        f"{fig['initial_rows_quarantined']}, inserted into the vault {fig['initial_rows_inserted']}; delta read "
        f"{fig['delta_rows_read']}, inserted {fig['delta_rows_inserted']}; sources staged by the checked statement"
        f" (a value did not cast): initial {fig['initial_checked_sources']}, delta {fig['delta_checked_sources']}",
        markup=False,
        soft_wrap=True,
    )


def growth(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each larger scale against the smallest: time ratios next to the data ratio."""
    base = runs[0]
    out = []
    for fig in runs[1:]:
        row: dict[str, Any] = {"from_scale": base["scale"], "to_scale": fig["scale"]}
        row["scale_ratio"] = fig["scale"] / base["scale"]
        for key in ("initial_s", "initial_vault_s", "delta_s", "hash_floor_s", "floor_rows", "peak_rss_mb"):
            row[key.removesuffix("_s") + "_ratio"] = _div(fig[key], base[key])
        out.append(row)
    return out


def print_growth(rows: list[dict[str, Any]], console: Console) -> None:
    table = Table(title="growth with scale (goal: time within ±20% of the scale ratio)", title_justify="left")
    columns = ("scales", "×data", "×rows", "×initial", "×extract→vault", "×delta", "×hash floor", "×peak RSS")
    for col in columns:
        table.add_column(col, justify="left" if col == "scales" else "right")
    for r in rows:
        table.add_row(
            f"{r['from_scale']:g} → {r['to_scale']:g}",
            _x(r["scale_ratio"]),
            _x(r["floor_rows_ratio"]),
            _x(r["initial_ratio"]),
            _x(r["initial_vault_ratio"]),
            _x(r["delta_ratio"]),
            _x(r["hash_floor_ratio"]),
            _x(r["peak_rss_mb_ratio"]),
        )
    console.print(table)
