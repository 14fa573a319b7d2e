"""What the quality commands print: ``dv check`` (the data contracts), ``dv gate`` (a batch's quality gate)
and ``dv profile`` (a batch's profiles and anomalies).

Each function takes what its command's runtime function returned (``dv gate``: the connection, to read
the gate) and the console to print on (``rich``), and returns the command's exit code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import psycopg2.extensions
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from generator.errors import DVError
from pipelines.db import transaction
from pipelines.profile import Anomaly, ColumnProfile
from pipelines.quality import exit_code, gate, gate_acceptance, gate_failures, summarize
from pipelines.quality_soda import CheckResult


def report_checks(
    results: Sequence[CheckResult],
    out: Console,
    *,
    batch_id: int | None,
    show_all: bool,
    contracts: bool,
    seconds: float,
) -> int:
    """A summary by folder of contracts, the checks that did not pass (every check with ``show_all``) and
    the verdict; Soda's exit code. ``contracts``: only some contracts ran (no quality gate)."""
    shown = results if show_all else [r for r in results if r.outcome != "pass"]
    colours = {"pass": "green", "warn": "yellow", "fail": "red", "error": "red"}
    summary = Table(title="data contracts", title_justify="left")
    for col in ("contracts", "files", "checks", "passed", "warned", "failed", "errors"):
        summary.add_column(col, justify="left" if col == "contracts" else "right")
    groups: dict[str, list[CheckResult]] = {}
    for r in results:  # by folder: checks/generated/hubs, ..., checks/rules
        groups.setdefault(str(Path(r.contract).parent).removeprefix("checks/"), []).append(r)
    for group, rows in sorted(groups.items()):
        n = summarize(rows)
        summary.add_row(
            escape(group),
            str(len({r.contract for r in rows})),
            str(len(rows)),
            str(n["pass"]),
            f"[yellow]{n['warn']}[/]" if n["warn"] else "0",
            f"[red]{n['fail']}[/]" if n["fail"] else "0",
            f"[red]{n['error']}[/]" if n["error"] else "0",
        )
    out.print(summary)
    if shown:
        table = Table(title="checks" if show_all else "checks that did not pass", title_justify="left")
        for col in ("outcome", "table", "check", "value", "threshold", "details"):
            table.add_column(col, justify="right" if col == "value" else "left", overflow="fold")
        for r in shown:
            value = "" if r.value is None else f"{r.value:g}"
            table.add_row(
                f"[{colours[r.outcome]}]{r.outcome}[/]",
                escape(r.dataset),
                escape(r.check),
                value,
                escape(r.threshold or ""),
                escape(r.message[:300]) if r.outcome != "pass" else "",
            )
        out.print(table)
    counts = summarize(results)
    n_contracts = len({r.contract for r in results})
    code = exit_code(results)
    verdict = {0: "[green]passed[/]", 1: "[red]failed[/]", 2: "[yellow]passed with warnings[/]", 3: "[red]error[/]"}
    scope = "the rows it inserted" if any(r.scope == "batch" for r in results) else "whole tables"
    out.print(
        f"{len(results)} checks in {n_contracts} contracts"
        + (f" (batch {batch_id}, {scope})" if batch_id is not None else " (the whole warehouse)")
        + f": {counts['pass']} passed, {counts['warn']} warned, {counts['fail']} failed, {counts['error']} errors"
        f" in {seconds:.1f} s: {verdict[code]}; recorded in dv_meta.quality_result"
        + ("" if contracts or batch_id is None else f" (quality gate of batch {batch_id})")
    )
    return code


def report_gate(conn: psycopg2.extensions.connection, batch_id: int, out: Console) -> int:
    """A batch's quality gate: its verdict and counts, who accepted it and why, the checks that failed;
    exit 1 when its checks have not run."""
    found = gate(conn, batch_id)
    if found is None:
        out.print(f"batch {batch_id}: no quality gate (its checks have not run: dv check --batch {batch_id})")
        return 1
    accepted = gate_acceptance(conn, batch_id)
    verdict = "passed" if found.passed else ("[yellow]failed, accepted[/]" if accepted else "[red]failed[/]")
    out.print(
        f"batch {batch_id}: quality gate {verdict} ({found.checks} checks, {found.warned} warned, "
        f"{found.failed} failed, {found.errors} errors; decided {found.decided_at:%Y-%m-%d %H:%M:%S})"
    )
    if accepted:
        out.print(f"accepted by {escape(accepted[0])} at {accepted[2]:%Y-%m-%d %H:%M:%S}: {escape(accepted[1])}")
    for r in gate_failures(conn, found.run_id):
        out.print(f"  {r.outcome}: {escape(r.dataset)} {escape(r.check)} (value {r.value})")
    return 0


def batch_to_profile(conn: psycopg2.extensions.connection, batch_id: int | None) -> int:
    """The batch ``dv profile`` profiles: the one asked for, else the latest; an error when there is none."""
    if batch_id is not None:
        return batch_id
    with transaction(conn) as cur:
        cur.execute("SELECT max(batch_id) FROM dv_meta.batch")
        latest = cur.fetchone()[0]
    if latest is None:
        raise DVError("the warehouse has no batch to profile\n    hint: load one first (dv run, dv load)")
    return int(latest)


def report_profile(batch_id: int, profiles: Sequence[ColumnProfile], anomalies: Sequence[Anomaly], out: Console) -> int:
    """How many columns of how many sources were profiled, and the anomalies found (a table)."""
    sources = len({p.source for p in profiles})
    out.print(f"batch {batch_id}: {len(profiles)} columns of {sources} sources profiled (dv_meta.profile)")
    if anomalies:
        table = Table(title=f"anomalies (dv_meta.anomaly): {len(anomalies)}", title_justify="left")
        for col in ("source", "column", "metric", "observed", "expected"):
            table.add_column(col, overflow="fold")
        for a in anomalies:
            expected = "" if a.low is None or a.high is None else f"{max(a.low, 0):g} .. {a.high:g}"
            table.add_row(a.source, a.column or "", a.metric, escape(a.observed[:80]), expected)
        out.print(table)
    else:
        out.print("no anomaly against the batches before")
    return 0
