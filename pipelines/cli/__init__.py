"""The ``dv`` command.

Works on the ``model/`` and ``vault_sql/`` of the folder it runs in (or
``--project``); reads the warehouse from ``--dsn`` or ``DV_DSN``. A user error
prints what is wrong and how to fix it, and exits 1, never with a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from generator.errors import DVError, ModelError, output_error
from generator.generate import generate
from generator.model import load_model

out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def _timestamp(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an ISO 8601 timestamp (e.g. 2026-03-04T12:00:00Z)") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _connection(args: argparse.Namespace, role: str) -> Any:
    """A connection to the warehouse acting as one of its roles (pipelines/access.py); outside a project
    folder (no vault_sql/manifest.json), as the DSN's user."""
    from generator.generate import GENERATED_MARK
    from pipelines.access import connect_as
    from pipelines.db import connect
    from pipelines.project import Project

    if not (args.project / GENERATED_MARK / "manifest.json").is_file():
        return connect(args.dsn)
    return connect_as(args.dsn, Project.open(args.project).manifest, role)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dv", description="Data Vault 2.0 generator and loader for PostgreSQL.")
    parser.add_argument("--project", type=Path, default=Path("."), help="project folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("validate", help="check model/ and print every problem found")

    p = sub.add_parser("generate", help="write vault_sql/ from model/")
    p.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 and show the diff if vault_sql/ is stale"
    )

    p = sub.add_parser("plan", help="show the SQL dv apply would run to bring the warehouse to vault_sql/")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")

    p = sub.add_parser("apply", help="run the plan: create and extend schemas, tables and views, in one transaction")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")

    p = sub.add_parser("rehash", help="recompute every hash key and hashdiff after a change of the hash settings")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")

    p = sub.add_parser(
        "land", help="land a CSV file (with a header row) into a source's landing table; bad records quarantined"
    )
    p.add_argument("source", help="source name, as in model/")
    p.add_argument("file", help="CSV file; columns are matched by the header's names")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")

    p = sub.add_parser("land-feeds", help="land the new files of every file-feed source (each file once) in a batch")
    p.add_argument("--landing", type=Path, default=Path("landing"), help="folder of the files (default: landing/)")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--batch", type=int, help="land into this batch (resume it) instead of opening a new one")

    p = sub.add_parser("load", help="stage the landing tables and load hubs, links and satellites in graph order")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--batch", type=int, help="resume (rerun) this batch instead of opening a new one")
    p.add_argument(
        "--reload",
        action="store_true",
        help="with --batch: run every load statement again, even those the batch logged as done",
    )
    p.add_argument("--load-dts", type=dt.datetime.fromisoformat, help="load timestamp of a new batch (default: now)")

    p = sub.add_parser("demo", help="create or reset a demo warehouse and run the pipeline over three simulated days")
    p.add_argument("--dsn", help="demo database (default: $DV_DSN, else jtld_demo on the local server)")

    p = sub.add_parser("demo-data", help="simulate the JTLD platform: its database (rebuilt) and its files")
    p.add_argument("--scale", type=float, default=0.01, help="size; 1 = 100k candidates, 1M applications")
    p.add_argument("--days", type=int, default=7, help="days simulated after the platform's history (files)")
    p.add_argument("--seed", type=int, default=1, help="random seed: the same arguments give identical output")
    p.add_argument("--landing", type=Path, default=Path("landing"), help="folder of the files (default: landing/)")
    p.add_argument("--source-dsn", help="platform database (default: $DV_SOURCE_DSN, else jtld_source, created)")
    p.add_argument("--defect-rate", type=float, default=0.005, help="share of malformed records (default 0.005)")

    p = sub.add_parser("run", help="run one batch through Luigi: extract, stage and load every source and entity")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--source-dsn", help="platform database (default: $DV_SOURCE_DSN, else jtld_source)")
    p.add_argument("--landing", default="landing", help="folder of the file feeds, in the project (default: landing)")
    p.add_argument("--date", type=dt.date.fromisoformat, help="load the feeds up to this day; load_dts is its end")
    p.add_argument("--workers", type=int, default=1, help="tasks run in parallel (default 1)")
    p.add_argument("--batch", type=int, help="resume this batch (after a failure or a kill) instead of a new one")
    p.add_argument("--scheduler-host", help="central luigid host (default: Luigi's local scheduler)")
    p.add_argument("--scheduler-port", type=int, default=8082, help="central luigid port (default 8082)")

    p = sub.add_parser("check", help="verify the data contracts (checks/) with Soda, record the results, exit 0/1/2/3")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument(
        "--batch",
        type=int,
        help="check this batch and decide its quality gate (default: the whole warehouse, no gate)",
    )
    p.add_argument(
        "--contracts",
        action="append",
        metavar="GLOB",
        help="only these contract files (glob, relative to the project; repeatable); the gate is then left alone",
    )
    p.add_argument("--all", action="store_true", help="list every check, not only those that did not pass")
    p.add_argument(
        "--full",
        action="store_true",
        help="with --batch: the generated checks judge whole tables, not only the batch's rows (default: as the"
        " schedule says, DV_FULL_CHECKS_EVERY; without --batch always whole tables)",
    )

    p = sub.add_parser("profile", help="profile a batch's staged rows; warn where it departs from the batches before")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--batch", type=int, help="the batch to profile (default: the latest)")
    p.add_argument("--window", type=int, default=10, help="earlier batches compared with (default 10)")
    p.add_argument("--width", type=float, default=3.0, help="band: mean ± WIDTH standard deviations (default 3)")
    p.add_argument("--relative", type=float, help="band: mean ± RELATIVE × mean instead (e.g. 0.5)")
    p.add_argument("--min-history", type=int, default=3, help="judge only with this many earlier batches (default 3)")

    p = sub.add_parser("status", help="last runs, failures, per-source freshness and row counts")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--runs", type=int, default=10, help="how many recent batches (default 10)")

    p = sub.add_parser(
        "marts", help="refresh the business vault and the marts (PIT, bridges, facts, KPIs) in one transaction"
    )
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--batch", type=int, help="the batch the marts reflect (default: the latest succeeded one)")
    p.add_argument("--force", action="store_true", help="refresh even over batches whose quality gate failed")
    p.add_argument("--rebuild", action="store_true", help="build every table in full, not incrementally")

    p = sub.add_parser("trace", help="one business key through history: hub, every satellite version, links, erasures")
    p.add_argument("entity", help="a hub, e.g. candidate")
    p.add_argument("key", nargs="+", help="its business key (one value per part), e.g. 10042")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--personal", action="store_true", help="show personal data: act as the personal-data role")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("asof", help="a business key as the warehouse knew it at a moment (or, --applied, as it was)")
    p.add_argument("entity", help="a hub, e.g. candidate")
    p.add_argument("key", nargs="+", help="its business key (one value per part)")
    p.add_argument("--at", required=True, type=_timestamp, help="the moment, ISO 8601 (UTC unless it has an offset)")
    p.add_argument("--applied", action="store_true", help="as it was at the source then, not as loaded by then")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--personal", action="store_true", help="show personal data: act as the personal-data role")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser(
        "export-feed", help="write the ML matching feed as a versioned Parquet snapshot with a schema file"
    )
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--out", type=Path, default=Path("exports"), help="folder of the snapshots (default: exports/)")
    p.add_argument("--version", help="name of the snapshot (default: batch-<the batch the feed reflects>)")

    p = sub.add_parser("gate", help="show a batch's quality gate, or accept its failures so the marts refresh over it")
    p.add_argument("action", choices=["show", "accept"], help="show the gate, or accept a failed one")
    p.add_argument("batch", type=int, help="the batch")
    p.add_argument("--reason", default="", help="accept: why the failures are acceptable (recorded)")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")

    p = sub.add_parser("batch", help="audit one batch: sources, files, loads, reconciliation, quarantine, gate, marts")
    p.add_argument("batch", type=int, help="the batch id")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--quarantine-rows", type=int, default=5, metavar="N", help="example rows per quarantine reason (default 5)"
    )
    p = sub.add_parser("lineage", help="where a column comes from, down to the source columns, and what reads it")
    p.add_argument("column", help="TABLE.COLUMN, schema-qualified or not, e.g. kpi_jobs_summary.avg_time_to_fill_days")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--upstream-only", action="store_true", help="only where it comes from")
    p.add_argument("--downstream-only", action="store_true", help="only what reads it")

    p = sub.add_parser("impact", help="what a change of one model file touches: entities, generated files, marts")
    p.add_argument("file", help="a model file, e.g. model/satellites/job.yml")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("docs", help="write a static HTML documentation site of the warehouse (offline, searchable)")
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="folder of the site (default: site/ in the project folder; created, or refreshed)",
    )
    return parser


def cmd_validate(args: argparse.Namespace) -> int:
    model = load_model(args.project / "model", args.project)
    out.print(
        f"[green]model OK[/]: {len(model.sources)} sources, {len(model.hubs)} hubs, {len(model.links)} links, "
        f"{len(model.satellites)} satellites"
    )
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    _, drift = generate(args.project, check=args.check)
    for path in drift.foreign:
        err.print(
            f"[yellow]warning:[/] {escape(path)} was not written by dv generate (no generated header): left alone, "
            "and never run by dv apply or dv load\n    hint: move hand-written SQL out of the generated folders"
        )
    if args.check:
        if drift.stale:
            folders = " and ".join(drift.folders)
            err.print(drift.diff, markup=False, end="")
            err.print(
                f"[red]{folders} {'is' if len(drift.folders) == 1 else 'are'} stale[/]: {len(drift.added)} missing, "
                f"{len(drift.changed)} changed, {len(drift.removed)} not generated any more\n"
                f"    hint: run 'dv generate' and commit {folders}"
            )
            return 1
        out.print("[green]vault_sql/ and checks/generated/ are up to date[/]")
        return 0
    total = len(drift.added) + len(drift.changed) + len(drift.removed)
    out.print(
        f"{' and '.join(drift.folders)}: {len(drift.added)} added, {len(drift.changed)} changed, "
        f"{len(drift.removed)} removed"
        if total
        else "vault_sql/ and checks/generated/ were up to date"
    )
    return 0


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
    with _connection(args, "loader") as conn:
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
    with _connection(args, "loader") as conn:
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
    with _connection(args, "loader") as conn, out.status("loading…") as status:
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


def cmd_demo(args: argparse.Namespace) -> int:
    from pipelines.demo import sample as demo

    result = demo.run(args.project, demo.find_server(args.dsn, args.project, out), progress=out)
    demo.report(result, out)
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from pipelines.demo.platform.clock import Config
    from pipelines.demo.platform.database import source_dsn
    from pipelines.demo.platform.run import report, run

    cfg = Config(seed=args.seed, scale=args.scale, days=args.days, defect_rate=args.defect_rate)
    landing = args.project / args.landing
    try:
        result = run(cfg, landing, source_dsn(args.source_dsn), progress=out)
    except OSError as exc:
        raise output_error(exc, landing, "the simulated platform's files") from None
    report(result, out)
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


def cmd_check(args: argparse.Namespace) -> int:
    import time

    from pipelines.project import Project
    from pipelines.quality import EXIT_ERROR, CheckResult, exit_code, run_checks, summarize

    started = time.perf_counter()
    try:  # Soda's convention: a run that cannot check at all exits 3, not 1 (1 = a check failed)
        project = Project.open(args.project)
        with _connection(args, "loader") as conn, out.status("verifying the data contracts…"):
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
    with _connection(args, "loader") as conn:
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


def cmd_status(args: argparse.Namespace) -> int:
    import json

    from pipelines.audit.status import collect
    from pipelines.project import Project

    project = Project.open(args.project)
    with _connection(args, "auditor") as conn:
        report = collect(conn, project, runs=args.runs)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    runs = Table(title="last batches")
    for col in ("batch", "load_dts", "status", "seconds", "read", "quarantined", "inserted", "quality"):
        runs.add_column(
            col, justify="right" if col in ("batch", "seconds", "read", "quarantined", "inserted") else "left"
        )
    for b in report["batches"]:
        runs.add_row(
            str(b["batch_id"]),
            str(b["load_dts"]),
            b["status"],
            str(b["seconds"] or ""),
            str(b["rows_read"]),
            str(b["rows_quarantined"]),
            str(b["rows_inserted"]),
            b["quality_gate"],
        )
    out.print(runs)
    sources = Table(title="sources")
    for col in ("source", "last extract", "rows read", "freshness (h)", "stale"):
        sources.add_column(col)
    for s in report["sources"]:
        sources.add_row(
            s["source"],
            str(s["last_extract"] or "never"),
            str(s["rows_read_total"]),
            str(s["freshness_hours"] or ""),
            "[red]stale[/]" if s["stale"] else "",
        )
    out.print(sources)
    for f in report["failures"]:
        out.print(f"[red]failed[/] batch {f['batch_id']} {escape(f['task'])}: {escape(str(f['error'])[:200])}")
    out.print(f"alerts in the last day: {report['alerts_last_day']}")
    return 0


def cmd_marts(args: argparse.Namespace) -> int:
    from pipelines.marts import build_marts
    from pipelines.project import Project

    project = Project.open(args.project)
    with _connection(args, "loader") as conn, out.status("refreshing the business vault and the marts…") as status:
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


def _when(value: object) -> str:
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    if value.replace(tzinfo=None) in (dt.datetime.max, dt.datetime.min):
        return "∞"
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _values(values: dict[str, object], only: list[str] | None = None) -> str:
    shown = {k: v for k, v in values.items() if only is None or k in only}
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def cmd_trace(args: argparse.Namespace) -> int:
    import json

    from pipelines.audit.trace import trace
    from pipelines.project import Project

    project = Project.open(args.project)
    with _connection(args, "personal" if args.personal else "auditor") as conn:
        found = trace(conn, project, args.entity, args.key)
    if args.json:
        print(json.dumps(found.as_json(), indent=2, default=str))
        return 0
    out.print(
        f"[bold]{found.hub} {' '.join(found.key)}[/] (hash key {found.hash_key}): first seen {_when(found.first_seen)}"
        f" from {escape(found.record_source)}, batch {found.batch_id}"
    )
    for sat in found.satellites:
        if sat.hidden and not sat.versions:
            out.print(f"[yellow]{sat.node_id}: hidden[/] ({escape(sat.hidden)})")
            continue
        title = f"{sat.node_id} ({len(sat.versions)} versions{'; ' + sat.hidden if sat.hidden else ''})"
        table = Table(title=escape(title), title_justify="left")
        for col in ("applied", "loaded", "batch", "source", "changed", "values"):
            table.add_column(col, overflow="fold")
        before: dict[str, object] = {}
        for v in sat.versions:
            changed = "[red]ERASED[/]" if v.erased else escape(", ".join(v.changed))
            if v.erased:
                values = escape(v.note)
            elif v.changed == ["(first)"] or "members" in v.values:
                values = escape(_values(v.values))
            else:  # what changed: old -> new
                values = escape("; ".join(f"{c}: {before.get(c)} → {v.values.get(c)}" for c in v.changed))
            before = v.values
            table.add_row(
                _when(v.applied_dts) + (" *" if v.is_current else ""),
                _when(v.load_dts),
                str(v.batch_id),
                escape(v.record_source),
                changed,
                values,
            )
        out.print(table)
    if found.links:
        table = Table(title="links", title_justify="left")
        for col in ("link", "as", "to", "loaded", "batch", "effectivity"):
            table.add_column(col, overflow="fold")
        for link in found.links:
            periods = "; ".join(
                f"{_when(p['start_dts'])} → {_when(p['end_dts'])}" + (" (current)" if p["is_current"] else "")
                for p in link.periods
            )
            table.add_row(
                link.node_id,
                link.role,
                escape(", ".join(f"{r} {k}" for r, k in link.partners.items())),
                _when(link.load_dts),
                str(link.batch_id),
                periods,
            )
        out.print(table)
    for e in found.events:
        out.print(
            f"events {e['link']} as {e['role']}: {e['events']} ({_when(e['first_event'])} .. {_when(e['last_event'])})"
        )
    for e in found.erasures:
        out.print(
            f"[red]erased[/] {escape(e.entity)} {e.satellite} at {_when(e.applied_dts)} (loaded {_when(e.load_dts)},"
            f" batch {e.batch_id}, {escape(e.record_source)}); request: {escape(e.request)}"
        )
    out.print("* current version; applied = when it changed at the source, loaded = when the warehouse learned it")
    return 0


def cmd_asof(args: argparse.Namespace) -> int:
    import json

    from pipelines.audit.trace import asof
    from pipelines.project import Project

    project = Project.open(args.project)
    with _connection(args, "personal" if args.personal else "auditor") as conn:
        state = asof(conn, project, args.entity, args.key, args.at, applied=args.applied)
    axis = "as it was at the source" if state.applied else "as the warehouse knew it"
    if args.json:
        print(
            json.dumps(
                {
                    "hub": state.hub,
                    "key": state.key,
                    "at": state.at.isoformat(),
                    "applied": state.applied,
                    "known": state.known,
                    "satellites": {k: (v.as_json() if v else None) for k, v in state.satellites.items()},
                    **({"hidden": state.hidden} if state.hidden else {}),
                    "links": [
                        {"link": r.node_id, "role": r.role, "partners": r.partners, "batch_id": r.batch_id}
                        for r in state.links
                    ],
                },
                indent=2,
                default=str,
            )
        )
        return 0
    out.print(f"[bold]{state.hub} {' '.join(state.key)}[/] {axis} at {_when(state.at)}")
    if not state.known:
        out.print("  not known then")
    for name, v in state.satellites.items():
        if v is None:
            out.print(f"  {name}: (no version)")
        else:
            out.print(
                f"  {name}: {escape(_values(v.values))}  [dim](applied {_when(v.applied_dts)},"
                f" loaded {_when(v.load_dts)}, batch {v.batch_id})[/]"
            )
    for name, why in state.hidden.items():
        out.print(f"  {name}: [yellow]hidden[/] ({escape(why)})")
    for r in state.links:
        out.print(f"  {r.node_id} as {r.role}: {escape(', '.join(f'{k} {v}' for k, v in r.partners.items()))}")
    return 0


def cmd_export_feed(args: argparse.Namespace) -> int:
    import json

    from pipelines.feed_export import export_feed
    from pipelines.project import Project

    project = Project.open(args.project)
    with _connection(args, "reader") as conn, out.status("exporting the matching feed…"):
        folder = export_feed(conn, args.out, args.version, project=project)
    schema = json.loads((folder / "schema.json").read_text(encoding="utf-8"))
    out.print(f"matching feed snapshot: {folder}")
    for _, f in sorted((schema.get("files") or {}).items()):
        out.print(f"  {f['file']}: {f['rows']:,} rows, {len(f['columns'])} columns (from {f['table']})")
    return 0


def cmd_gate(args: argparse.Namespace) -> int:
    from pipelines.quality import accept_gate, gate, gate_acceptance, gate_failures

    with _connection(args, "loader" if args.action == "accept" else "auditor") as conn:
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


def cmd_batch(args: argparse.Namespace) -> int:
    import json

    from pipelines.audit.batch_audit import audit_batch, render

    with _connection(args, "auditor") as conn:
        report = audit_batch(conn, args.batch, quarantine_rows=args.quarantine_rows)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    render(report, out)
    return 0


def _lineage_label(item: dict) -> str:
    from pipelines.audit.lineage import KIND_TITLES

    table, name = item["column"].rsplit(".", 1)
    text = f"{escape(table)}.[bold]{escape(name)}[/]"
    if item.get("how") and item["how"] != "sql":
        text = f"[cyan]{escape(item['how'])}[/]: " + text
    what = KIND_TITLES.get(item.get("kind") or "", "")
    where = " · ".join(x for x in (what, item.get("defined_in", "")) if x)
    return text + (f"  [dim]({escape(where)})[/]" if where else "")


def _origin_text(origin: dict) -> str:
    if origin["kind"] == "file":
        event = f", event {origin['event_type']}" if origin.get("event_type") else ""
        return f"file feed {origin['format']} {origin['path']}{event}"
    if origin.get("column"):
        return f"{origin['column']} (source database, {origin['via']})"
    return str(origin["via"])


def cmd_lineage(args: argparse.Namespace) -> int:
    import json

    from rich.tree import Tree

    from pipelines.audit.lineage import KIND_TITLES, LAYER_TITLES, lineage_report
    from pipelines.project import Project

    if args.upstream_only and args.downstream_only:
        raise DVError(
            "--upstream-only and --downstream-only exclude each other\n    hint: give one, or neither for both"
        )
    project = Project.open(args.project)
    with out.status("following the column through the generated SQL…"):
        report = lineage_report(project, args.column, up=not args.downstream_only, down=not args.upstream_only)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0

    def grow(branch: Tree, item: dict) -> None:
        for note in item.get("notes", []):
            branch.add(f"[dim]{escape(note)}[/]")
        for origin in item.get("origins", []):
            branch.add(f"[green]from[/] {escape(_origin_text(origin))}")
        if item.get("repeated"):
            branch.add("[dim](its upstream is shown above)[/]")
        for child in item.get("upstream", []):
            grow(branch.add(_lineage_label(child)), child)

    column = report["column"]
    if "upstream" in report:
        up = report["upstream"]
        tree = Tree(f"[bold]upstream of {escape(column)}[/]")
        grow(tree.add(_lineage_label(up["tree"])), up["tree"])
        out.print(tree, soft_wrap=False)  # wrap long labels, do not crop them
        if up["sources"]:
            table = Table(title="source columns reached", title_justify="left")
            for col in ("source", "column", "origin"):
                table.add_column(col, overflow="fold")
            for s in up["sources"]:
                origin = "; ".join(_origin_text(o) for o in s["origins"])
                table.add_row(escape(s["source"]), escape(s["source_column"]), escape(origin))
            out.print(table)
        else:
            out.print("no source column: it is computed without reading one (see the notes above)")
        if up["raw_vault"]:
            out.print(f"raw-vault columns reached ({len(up['raw_vault'])}): " + escape(", ".join(up["raw_vault"])))
    if "downstream" in report:
        objects = report["downstream"]
        tree = Tree(f"[bold]downstream of {escape(column)}[/]: {len(objects)} tables and views read it")
        layers: dict[str, Tree] = {}
        for obj in objects:
            layer = layers.get(obj["layer"]) or layers.setdefault(
                obj["layer"], tree.add(f"[bold]{escape(LAYER_TITLES.get(obj['layer'], obj['layer']))}[/]")
            )
            what = KIND_TITLES.get(obj["kind"] or "", "")
            where = " · ".join(x for x in (what, obj["defined_in"]) if x)
            layer.add(f"{escape(obj['relation'])} [dim]({escape(where)})[/]: " + escape(", ".join(obj["columns"])))
        if not objects:
            tree.add("[dim]nothing in the model reads it[/]")
        out.print(tree, soft_wrap=False)  # wrap long labels, do not crop them
    for problem in report.get("lineage_problems", []):
        err.print(f"[yellow]warning:[/] lineage not followed: {escape(problem)}")
    return 0


def cmd_impact(args: argparse.Namespace) -> int:
    import json

    from rich.tree import Tree

    from pipelines.audit.lineage import KIND_TITLES, LAYER_TITLES, impact_report
    from pipelines.project import Project

    report = impact_report(Project.open(args.project), args.file)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    entities = Table(title=f"{report['file']}: {len(report['entities'])} entities", title_justify="left")
    for col in ("entity", "kind", "table", "defined in"):
        entities.add_column(col)
    for e in report["entities"]:
        entities.add_row(
            escape(e["id"]), KIND_TITLES.get(e["kind"], e["kind"]), escape(e["table"] or ""), e["defined_in"]
        )
    if report["entities"]:
        out.print(entities)
    if report["note"]:
        out.print(f"{escape(report['file'])} {escape(report['note'])}")
    files = Tree(
        f"[bold]files that change[/]: {len(report['generated'])} in vault_sql/, {len(report['contracts'])} "
        f"data contracts, and {report['manifest']}"
    )
    for path in report["generated"] + report["contracts"]:
        files.add(escape(path))
    out.print(files, soft_wrap=False)
    if report["rules"]:
        rules = Tree(f"[bold]hand-written rules reading them[/]: {len(report['rules'])}")
        for r in report["rules"]:
            rules.add(f"{escape(r['file'])} [dim]({escape(r['dataset'])})[/]")
        out.print(rules, soft_wrap=False)
    total = sum(len(v) for v in report["downstream"].values())
    tree = Tree(f"[bold]downstream[/]: {total} entities depend on them")
    for layer, items in report["downstream"].items():
        branch = tree.add(f"[bold]{escape(LAYER_TITLES.get(layer, layer))}[/] ({len(items)})")
        for e in items:
            kind = KIND_TITLES.get(e["kind"], e["kind"])
            branch.add(f"{escape(e['table'] or e['id'])} [dim]({kind} · {escape(e['defined_in'])})[/]")
    out.print(tree, soft_wrap=False)  # wrap long labels, do not crop them
    out.print("marts touched: " + (escape(", ".join(report["marts"])) or "none"))
    out.print("KPIs touched: " + (escape(", ".join(report["kpis"])) or "none"))
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from pipelines.audit.docs_site import build_site
    from pipelines.project import Project

    project = Project.open(args.project)
    target = args.out if args.out is not None else args.project / "site"
    try:
        result = build_site(project, target)
    except OSError as exc:
        raise output_error(exc, target, "the documentation site") from None
    out.print(
        f"documentation site: {result.pages} pages ({result.entities} entities, {result.columns} columns, "
        f"{result.checks} checks) in {escape(str(target))}; open {escape(str(target / 'index.html'))}"
    )
    return 0


COMMANDS = {
    "docs": cmd_docs,
    "lineage": cmd_lineage,
    "impact": cmd_impact,
    "marts": cmd_marts,
    "gate": cmd_gate,
    "export-feed": cmd_export_feed,
    "trace": cmd_trace,
    "asof": cmd_asof,
    "validate": cmd_validate,
    "generate": cmd_generate,
    "plan": cmd_plan,
    "apply": cmd_apply,
    "rehash": cmd_rehash,
    "land": cmd_land,
    "land-feeds": cmd_land_feeds,
    "load": cmd_load,
    "demo": cmd_demo,
    "demo-data": cmd_demo_data,
    "run": cmd_run,
    "check": cmd_check,
    "status": cmd_status,
    "profile": cmd_profile,
    "batch": cmd_batch,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        from pipelines.db import remember_dsn, scrub_logs_and_tracebacks

        scrub_logs_and_tracebacks()  # no password in a log line or a traceback either
        if getattr(args, "dsn", None) or getattr(args, "source_dsn", None):
            remember_dsn(getattr(args, "dsn", None))  # their passwords never appear in a message (db.scrub)
            remember_dsn(getattr(args, "source_dsn", None))
        return COMMANDS[args.command](args)
    except ModelError as exc:
        for problem in exc.problems:
            err.print(problem.render(), markup=False)
        err.print(f"[red]{len(exc.problems)} problem(s) in the model[/]")
        return 1
    except DVError as exc:  # the message is text, not markup; never a password it may quote
        from pipelines.db import scrub

        err.print(f"[red]error:[/] {escape(scrub(str(exc)))}", markup=True)
        return 1
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
