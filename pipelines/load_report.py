"""What the load commands print: ``dv land``, ``dv load``, ``dv run``, ``dv marts`` and ``dv export-feed``.

Each function takes the result its command's runtime function returned and the consoles to print on
(``rich``), and returns the command's exit code; the command line only opens, calls and prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:  # the types only: dv load does not import Luigi, dv run not the marts
    from pipelines.extract.csv_file import CsvLanded
    from pipelines.marts import MartsResult
    from pipelines.run import RunOutcome
    from pipelines.warehouse import LoadResult


def report_land(landed: CsvLanded, out: Console, err: Console) -> int:
    """The rows landed; the file's breaks and its quarantined records (the first ones) as warnings."""
    read = f" (read {landed.rows_read}: {landed.rows_quarantined} quarantined)" if landed.rows_quarantined else ""
    out.print(f"landed {landed.rows_landed} rows into {landed.table}{read}")
    for problem in landed.breaks:
        err.print(f"[yellow]warning:[/] {escape(landed.path)}: {escape(problem)}")
    if landed.rows_quarantined:
        err.print(
            f"[yellow]warning:[/] {landed.rows_quarantined} record(s) of {escape(landed.path)} quarantined in"
            " dv_meta.quarantine (the next dv load of the source puts them in its batch):"
        )
        for bad in landed.examples:
            err.print(f"  line {bad.line}: {escape(bad.reason.removeprefix('extract: '))}")
        if landed.rows_quarantined > len(landed.examples):
            err.print(f"  … and {landed.rows_quarantined - len(landed.examples)} more")
    return 0


def report_load(result: LoadResult, resumed: bool, out: Console) -> int:
    """The batch, the sources staged (read, staged, quarantined) and the rows each target inserted."""
    note = " (resumed: sources staged before are not staged again)" if resumed else ""
    if result.skipped:
        note += f"; {len(result.skipped)} load(s) logged as done for it skipped (--reload runs them again)"
    out.print(f"batch {result.batch_id}, load_dts {result.load_dts.isoformat()}{note}")
    table = Table()
    table.add_column("source")
    for col in ("read", "staged", "quarantined"):
        table.add_column(col, justify="right")
    for s in result.staged:
        table.add_row(str(s["source"]), str(s["read"]), str(s["staged"]), str(s["quarantined"]))
    if result.staged:
        out.print(table)
    targets = Table()
    targets.add_column("target")
    targets.add_column("rows inserted", justify="right")
    targets.add_column("late, rejected", justify="right")
    targets.add_column("seconds", justify="right")
    for t in result.targets:
        targets.add_row(t.target, str(t.rows), str(t.rejected) if t.rejected else "", f"{t.seconds:.2f}")
    if result.targets or not result.skipped:
        out.print(targets)
    return 0


def report_run(outcome: RunOutcome, out: Console) -> int:
    """The batch's status, failed tasks, stale sources, quality gate and marts; exit 1 unless it succeeded."""
    colour = "green" if outcome.succeeded else "red"
    out.print(f"batch {outcome.batch_id} (load_dts {outcome.load_dts.isoformat()}): [{colour}]{outcome.status}[/]")
    for task in outcome.failed_tasks:
        out.print(f"  [red]failed[/] {escape(task)}")
    for name, age, limit in outcome.stale:
        out.print(f"  [yellow]stale[/] {name}: " + ("never extracted" if age is None else f"{age:.1f} h > {limit:g} h"))
    if outcome.quality is not None:
        q = outcome.quality
        counts = f"{q.checks} checks, {q.warned} warned, {q.failed} failed, {q.errors} errors"
        if q.passed:
            out.print(f"  quality gate: [green]passed[/] ({counts})")
        else:
            out.print(f"  quality gate: [red]failed[/] ({counts}); the marts will not refresh from this batch")
            for line in outcome.quality_failures:
                out.print(f"    [red]x[/] {escape(line)}")
            out.print(f"    details: dv check --batch {outcome.batch_id} (dv_meta.quality_result)")
    if outcome.marts is not None:
        status, objects, seconds, why = outcome.marts
        if status == "done":
            out.print(f"  marts: [green]refreshed[/] ({objects} objects, {seconds:.1f} s)")
        else:
            out.print(f"  marts: [yellow]not refreshed[/]: {escape(why or '')}")
    if not outcome.succeeded:
        out.print(f"  resume with: dv run --batch {outcome.batch_id}   (details: dv status)")
    return 0 if outcome.succeeded else 1


def report_marts(result: MartsResult, out: Console) -> int:
    """Each object refreshed (mode, rows, seconds), whether failed batches were forced in, the total."""
    table = Table(title=f"marts refreshed to batch {result.batch_id} (run {result.run_id})", title_justify="left")
    for col in ("object", "mode", "rows", "seconds"):
        table.add_column(col, justify="left" if col in ("object", "mode") else "right")
    for r in result.objects:
        table.add_row(r.qualified, r.mode, "" if r.rows is None else f"{r.rows:,}", f"{r.seconds:.2f}")
    out.print(table)
    if result.forced:
        out.print("[yellow]forced[/]: batches whose quality gate failed are included (dv marts --force)")
    out.print(f"{len(result.objects)} objects in {result.seconds:.1f} s")
    return 0


def report_export(folder: Path, out: Console) -> int:
    """The snapshot folder and each file of it (rows, columns, the table it came from), from its schema.json."""
    schema = json.loads((folder / "schema.json").read_text(encoding="utf-8"))
    out.print(f"matching feed snapshot: {folder}")
    for _, f in sorted((schema.get("files") or {}).items()):
        out.print(f"  {f['file']}: {f['rows']:,} rows, {len(f['columns'])} columns (from {f['table']})")
    return 0
