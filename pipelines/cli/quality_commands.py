"""`dv check` and `dv profile`: data contracts and profiles of a batch (printed by ``pipelines/quality_report.py``)."""

from __future__ import annotations

import argparse

from rich.markup import escape

from generator.errors import DVError
from pipelines.cli.common import connection, err, out


def cmd_check(args: argparse.Namespace) -> int:
    import time

    from pipelines.project import Project
    from pipelines.quality import EXIT_ERROR, run_checks
    from pipelines.quality_report import report_checks

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
    return report_checks(
        results,
        out,
        batch_id=args.batch,
        show_all=args.all,
        contracts=bool(args.contracts),
        seconds=time.perf_counter() - started,
    )


def cmd_profile(args: argparse.Namespace) -> int:
    from pipelines.profile import detect_anomalies, profile_batch
    from pipelines.project import Project
    from pipelines.quality_report import batch_to_profile, report_profile

    project = Project.open(args.project)
    with connection(args, "loader") as conn:
        batch_id = batch_to_profile(conn, args.batch)
        profiles = profile_batch(conn, project, batch_id)
        anomalies = detect_anomalies(
            conn, project, batch_id, window=args.window, width=args.width, relative=args.relative,
            min_history=args.min_history,
        )  # fmt: skip
    return report_profile(batch_id, profiles, anomalies, out)
