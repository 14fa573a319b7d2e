"""The load runtime's commands: plan, apply, rehash, land, land-feeds, load, run, marts, gate, export-feed."""

from __future__ import annotations

import argparse
import datetime as dt

from rich.markup import escape
from rich.table import Table

from generator.errors import DVError
from pipelines.cli.common import connection, err, out


def cmd_plan(args: argparse.Namespace) -> int:
    from pipelines.db import connect
    from pipelines.plan import plan
    from pipelines.project import Project

    project = Project.open(args.project)
    with connect(args.dsn) as conn:
        result = plan(conn, project)
    model = f"model {project.manifest['model_fingerprint'][:12]}"
    if result.refusals:
        for refusal in result.refusals:
            err.print(f"[red]refused:[/] {escape(refusal.render())}")
        waiting = ""
        if result.steps and not result.hash_change:
            waiting = f" ({len(result.steps)} other step(s) wait for them)"
        err.print(f"[red]{len(result.refusals)} change(s) refused[/]: dv apply would change nothing{waiting}")
        return 1
    if result.empty:
        out.print(f"nothing to do: the warehouse matches vault_sql/ ({model})")
        return 0
    out.print(result.render(), markup=False, highlight=False)
    what = "the warehouse is empty: the plan creates everything; " if result.fresh else ""
    out.print(f"{what}{len(result.steps)} step(s) ({model}); run 'dv apply' to make them, in one transaction")
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    from pipelines.db import connect
    from pipelines.plan import GROUPS, secure
    from pipelines.project import Project
    from pipelines.standardize import apply_standardization
    from pipelines.warehouse import apply

    project = Project.open(args.project)
    with connect(args.dsn) as conn:
        result = apply(conn, project)
        standardized = apply_standardization(conn)  # business_vault.std_* functions, and views where tables exist
        secured = secure(conn, project)  # their owners and grants, as for every object (pipelines/access.py)
        result.steps += secured
    if standardized:
        out.print(
            f"business_vault: standardization functions and {len(standardized)} view(s) ({', '.join(standardized)})"
        )
    model = f"model {project.manifest['model_fingerprint'][:12]}"
    if result.empty:
        out.print(f"nothing to do: the warehouse matched vault_sql/ ({model}, recorded in dv_meta.model_version)")
        return 0
    out.print(f"[green]applied[/] {len(result.steps)} step(s) of the plan ({model}):")
    for group, title in GROUPS.items():
        targets = [s.target for s in result.steps if s.group == group]
        if targets and group in ("owners", "revoke", "grants"):
            out.print(f"  {title}: {len(targets)} statement(s) on {len(set(targets))} object(s)")
        elif targets:
            out.print(f"  {title}: {escape(', '.join(targets))}")
    return 0


def cmd_rehash(args: argparse.Namespace) -> int:
    from pipelines.db import connect
    from pipelines.project import Project
    from pipelines.rehash import rehash

    project = Project.open(args.project)
    with connect(args.dsn) as conn, out.status("rehashing…"):
        result = rehash(conn, project)  # the rebuilt tables then go to their owners, with their grants
    if not result.done:
        out.print(f"nothing to rehash: the warehouse already uses {result.new}")
        return 0
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in result.tables:
        table.add_row(name, str(rows))
    out.print(table)
    out.print(f"[green]rehashed[/] {len(result.tables)} tables from {result.old} to {result.new}")
    drops = "; ".join(f"DROP SCHEMA {s} CASCADE" for s in result.backup_schemas)
    out.print(f"the old tables are kept in {', '.join(result.backup_schemas)}; once checked, remove them: {drops}")
    return 0


def cmd_land(args: argparse.Namespace) -> int:
    from pipelines.project import Project
    from pipelines.warehouse import land_csv

    project = Project.open(args.project)
    with connection(args, "loader") as conn:
        landed = land_csv(conn, project, args.source, args.file)
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


def cmd_land_feeds(args: argparse.Namespace) -> int:
    from pipelines.extract.feeds.land import feed_sources, land_feeds
    from pipelines.extract.feeds.summary import close_if_empty, report
    from pipelines.project import Project
    from pipelines.warehouse import open_batch

    project = Project.open(args.project)
    landing = args.project / args.landing
    if not feed_sources(project):
        out.print("nothing to land: no source of the model reads a file feed")
        return 0
    if not landing.is_dir():
        raise DVError(f"landing folder {landing} not found\n    hint: pass --landing DIR (dv demo-data writes one)")
    with connection(args, "loader") as conn:
        batch_id = args.batch if args.batch is not None else open_batch(conn, note="dv land-feeds")[0]
        errors: list[tuple[str, str]] = []
        results = land_feeds(conn, project, landing, batch_id, errors)
        code = report(results, errors, out, err)
        if args.batch is None and not errors and close_if_empty(conn, batch_id, results):
            out.print(f"no new file: batch {batch_id} is closed empty")
            return code
    out.print(f"batch {batch_id}: stage and load what was landed with 'dv load --batch {batch_id}'")
    return code


def cmd_load(args: argparse.Namespace) -> int:
    from pipelines.project import Project
    from pipelines.warehouse import load

    project = Project.open(args.project)
    with connection(args, "loader") as conn, out.status("loading…") as status:
        result = load(
            conn,
            project,
            batch_id=args.batch,
            load_dts=args.load_dts,
            progress=lambda node: status.update(f"loading {node}"),
            reload=args.reload,
        )
    resumed = " (resumed: sources staged before are not staged again)" if args.batch else ""
    if result.skipped:
        resumed += f"; {len(result.skipped)} load(s) logged as done for it skipped (--reload runs them again)"
    out.print(f"batch {result.batch_id}, load_dts {result.load_dts.isoformat()}{resumed}")
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


def cmd_run(args: argparse.Namespace) -> int:
    from pipelines.run import run_batch

    load_dts = None
    if args.date is not None:
        load_dts = dt.datetime.combine(args.date, dt.time(23, 59, 59), tzinfo=dt.UTC)
    outcome = run_batch(
        args.project,
        dsn=args.dsn,
        source_dsn=args.source_dsn,
        landing_dir=args.landing,
        workers=args.workers,
        batch_id=args.batch,
        load_dts=load_dts,
        scheduler_host=args.scheduler_host,
        scheduler_port=args.scheduler_port,
    )
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


def cmd_marts(args: argparse.Namespace) -> int:
    from pipelines.marts import build_marts
    from pipelines.project import Project

    project = Project.open(args.project)
    with connection(args, "loader") as conn, out.status("refreshing the business vault and the marts…") as status:
        result = build_marts(
            conn,
            project,
            batch_id=args.batch,
            force=args.force,
            rebuild=args.rebuild,
            progress=lambda node: status.update(f"refreshing {node}"),
        )
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


def cmd_gate(args: argparse.Namespace) -> int:
    from pipelines.quality import accept_gate, gate, gate_acceptance, gate_failures

    with connection(args, "loader" if args.action == "accept" else "auditor") as conn:
        if args.action == "accept":
            accept_gate(conn, args.batch, args.reason)
        found = gate(conn, args.batch)
        if found is None:
            out.print(f"batch {args.batch}: no quality gate (its checks have not run: dv check --batch {args.batch})")
            return 1
        accepted = gate_acceptance(conn, args.batch)
        verdict = "passed" if found.passed else ("[yellow]failed, accepted[/]" if accepted else "[red]failed[/]")
        out.print(
            f"batch {args.batch}: quality gate {verdict} ({found.checks} checks, {found.warned} warned, "
            f"{found.failed} failed, {found.errors} errors; decided {found.decided_at:%Y-%m-%d %H:%M:%S})"
        )
        if accepted:
            out.print(f"accepted by {escape(accepted[0])} at {accepted[2]:%Y-%m-%d %H:%M:%S}: {escape(accepted[1])}")
        for r in gate_failures(conn, found.run_id):
            out.print(f"  {r.outcome}: {escape(r.dataset)} {escape(r.check)} (value {r.value})")
    return 0


def cmd_export_feed(args: argparse.Namespace) -> int:
    import json

    from pipelines.feed_export import export_feed
    from pipelines.project import Project

    project = Project.open(args.project)
    with connection(args, "reader") as conn, out.status("exporting the matching feed…"):
        folder = export_feed(conn, args.out, args.version, project=project)
    schema = json.loads((folder / "schema.json").read_text(encoding="utf-8"))
    out.print(f"matching feed snapshot: {folder}")
    for _, f in sorted((schema.get("files") or {}).items()):
        out.print(f"  {f['file']}: {f['rows']:,} rows, {len(f['columns'])} columns (from {f['table']})")
    return 0
