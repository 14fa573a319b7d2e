"""`dv check` and `dv profile`: data contracts and profiles of a batch."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from generator.errors import DVError
from pipelines.cli.common import connection, err, out


def cmd_check(args: argparse.Namespace) -> int:
    import time

    from pipelines.project import Project
    from pipelines.quality import EXIT_ERROR, CheckResult, exit_code, run_checks, summarize

    started = time.perf_counter()
    try:  # Soda's convention: a run that cannot check at all exits 3, not 1 (1 = a check failed)
        project = Project.open(args.project)
        with connection(args, "loader") as conn, out.status("verifying the data contracts…"):
            results = run_checks(
                conn, project, batch_id=args.batch, contracts=args.contracts, full=True if args.full else None
            )
    except DVError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        return EXIT_ERROR
    shown = results if args.all else [r for r in results if r.outcome != "pass"]
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
        table = Table(title="checks" if args.all else "checks that did not pass", title_justify="left")
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
    contracts = len({r.contract for r in results})
    batch = args.batch
    code = exit_code(results)
    verdict = {0: "[green]passed[/]", 1: "[red]failed[/]", 2: "[yellow]passed with warnings[/]", 3: "[red]error[/]"}
    out.print(
        f"{len(results)} checks in {contracts} contracts"
        + (f" (batch {batch}, {_scope_text(results)})" if batch is not None else " (the whole warehouse)")
        + f": {counts['pass']} passed, {counts['warn']} warned, {counts['fail']} failed, {counts['error']} errors"
        f" in {time.perf_counter() - started:.1f} s: {verdict[code]}; recorded in dv_meta.quality_result"
        + ("" if args.contracts or batch is None else f" (quality gate of batch {batch})")
    )
    return code


def _scope_text(results: Sequence[Any]) -> str:
    if any(r.scope == "batch" for r in results):
        return "the rows it inserted"
    return "whole tables"


def cmd_profile(args: argparse.Namespace) -> int:
    from pipelines.db import transaction
    from pipelines.profile import detect_anomalies, profile_batch
    from pipelines.project import Project

    project = Project.open(args.project)
    with connection(args, "loader") as conn:
        batch_id = args.batch
        if batch_id is None:
            with transaction(conn) as cur:
                cur.execute("SELECT max(batch_id) FROM dv_meta.batch")
                batch_id = cur.fetchone()[0]
            if batch_id is None:
                raise DVError("the warehouse has no batch to profile\n    hint: load one first (dv run, dv load)")
        profiles = profile_batch(conn, project, batch_id)
        anomalies = detect_anomalies(
            conn, project, batch_id, window=args.window, width=args.width, relative=args.relative,
            min_history=args.min_history,
        )  # fmt: skip
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
