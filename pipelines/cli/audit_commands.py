"""The auditors' commands: status, trace, asof, batch, lineage, impact, docs (pipelines/audit/).

Each opens the project and the connection, calls its module in ``pipelines/audit/``, which also renders
its output (for people or as JSON), and returns the exit code.
"""

from __future__ import annotations

import argparse

from rich.markup import escape

from generator.errors import DVError, output_error
from pipelines.cli.common import connection, err, out


def cmd_status(args: argparse.Namespace) -> int:
    from pipelines.audit.status import collect, show_status
    from pipelines.project import Project

    project = Project.open(args.project)
    with connection(args, "auditor") as conn:
        report = collect(conn, project, runs=args.runs)
    show_status(report, out, as_json=args.json)
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    from pipelines.audit.trace import trace
    from pipelines.audit.trace_render import show_trace
    from pipelines.project import Project

    project = Project.open(args.project)
    with connection(args, "personal" if args.personal else "auditor") as conn:
        found = trace(conn, project, args.entity, args.key)
    show_trace(found, out, as_json=args.json)
    return 0


def cmd_asof(args: argparse.Namespace) -> int:
    from pipelines.audit.asof import asof
    from pipelines.audit.trace_render import show_asof
    from pipelines.project import Project

    project = Project.open(args.project)
    with connection(args, "personal" if args.personal else "auditor") as conn:
        state = asof(conn, project, args.entity, args.key, args.at, applied=args.applied)
    show_asof(state, out, as_json=args.json)
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from pipelines.audit.batch_audit import audit_batch
    from pipelines.audit.batch_render import show_batch

    with connection(args, "auditor") as conn:
        report = audit_batch(conn, args.batch, quarantine_rows=args.quarantine_rows)
    show_batch(report, out, as_json=args.json)
    return 0


def cmd_lineage(args: argparse.Namespace) -> int:
    from pipelines.audit.lineage import lineage_report, show_lineage
    from pipelines.project import Project

    if args.upstream_only and args.downstream_only:
        raise DVError(
            "--upstream-only and --downstream-only exclude each other\n    hint: give one, or neither for both"
        )
    project = Project.open(args.project)
    with out.status("following the column through the generated SQL…"):
        report = lineage_report(project, args.column, up=not args.downstream_only, down=not args.upstream_only)
    show_lineage(report, out, err, as_json=args.json)
    return 0


def cmd_impact(args: argparse.Namespace) -> int:
    from pipelines.audit.impact import impact_report, show_impact
    from pipelines.project import Project

    report = impact_report(Project.open(args.project), args.file)
    show_impact(report, out, as_json=args.json)
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
