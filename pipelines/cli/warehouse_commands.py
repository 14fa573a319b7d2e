"""The load runtime's commands: plan, apply, rehash, land, land-feeds, load, run, marts, gate, export-feed.

Each opens what it needs, calls the runtime and prints with the runtime's own report function
(``pipelines/plan/report.py``, ``pipelines/rehash/report.py``, ``pipelines/load_report.py``,
``pipelines/quality_report.py``, ``pipelines/extract/feeds/summary.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt

from generator.errors import DVError
from pipelines.cli.common import connection, err, out


def cmd_plan(args: argparse.Namespace) -> int:
    from pipelines.db import connect
    from pipelines.plan import plan
    from pipelines.plan.report import report_plan
    from pipelines.project import Project

    project = Project.open(args.project)
    with connect(args.dsn) as conn:
        result = plan(conn, project)
    return report_plan(result, out, err)


def cmd_apply(args: argparse.Namespace) -> int:
    from pipelines.db import connect
    from pipelines.plan import secure
    from pipelines.plan.report import report_apply
    from pipelines.project import Project
    from pipelines.standardize import apply_standardization
    from pipelines.warehouse import apply

    project = Project.open(args.project)
    with connect(args.dsn) as conn:
        result = apply(conn, project)
        standardized = apply_standardization(conn, project)  # the business vault's functions and views (its model)
        result.steps += secure(conn, project)  # their owners and grants, as for every object (pipelines/access.py)
    return report_apply(result, standardized, out)


def cmd_rehash(args: argparse.Namespace) -> int:
    from pipelines.db import connect
    from pipelines.project import Project
    from pipelines.rehash import rehash
    from pipelines.rehash.report import report_rehash

    project = Project.open(args.project)
    with connect(args.dsn) as conn, out.status("rehashing…"):
        result = rehash(conn, project)  # the rebuilt tables then go to their owners, with their grants
    return report_rehash(result, out)


def cmd_land(args: argparse.Namespace) -> int:
    from pipelines.load_report import report_land
    from pipelines.project import Project
    from pipelines.warehouse import land_csv

    project = Project.open(args.project)
    with connection(args, "loader") as conn:
        landed = land_csv(conn, project, args.source, args.file)
    return report_land(landed, out, err)


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
    from pipelines.load_report import report_load
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
    return report_load(result, bool(args.batch), out)


def cmd_run(args: argparse.Namespace) -> int:
    from pipelines.load_report import report_run
    from pipelines.run import run_batch

    load_dts = args.load_dts
    if args.date is not None:
        load_dts = dt.datetime.combine(args.date, dt.time(23, 59, 59), tzinfo=dt.UTC)
    if load_dts is not None and args.batch is not None:
        option = "--date" if args.date is not None else "--load-dts"
        raise DVError(
            f"{option} stamps a new batch; batch {args.batch} keeps the load_dts it was opened with\n"
            f"    hint: resume it without {option} (dv run --batch {args.batch}), or leave out --batch for a new batch"
        )
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
    return report_run(outcome, out)


def cmd_marts(args: argparse.Namespace) -> int:
    from pipelines.load_report import report_marts
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
    return report_marts(result, out)


def cmd_gate(args: argparse.Namespace) -> int:
    from pipelines.quality import accept_gate
    from pipelines.quality_report import report_gate

    with connection(args, "loader" if args.action == "accept" else "auditor") as conn:
        if args.action == "accept":
            accept_gate(conn, args.batch, args.reason)
        return report_gate(conn, args.batch, out)


def cmd_export_feed(args: argparse.Namespace) -> int:
    from pipelines.feed_export import export_feed
    from pipelines.load_report import report_export
    from pipelines.project import Project

    project = Project.open(args.project)
    with connection(args, "reader") as conn, out.status("exporting the matching feed…"):
        folder = export_feed(conn, args.out, args.version, project=project)
    return report_export(folder, out)
