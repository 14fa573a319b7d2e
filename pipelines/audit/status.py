"""``dv status``: the last runs, failures, per-source freshness and row counts, for people or machines."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from generator.manifest_model import SourceNode
from pipelines.alerts import stale_sources
from pipelines.db import transaction
from pipelines.failures import OPEN_FAILURES
from pipelines.project import Project


def collect(conn: Any, project: Project, runs: int = 10) -> dict[str, Any]:
    """The last ``runs`` batches and failed tasks, each source's last extract and freshness, the tables' row
    estimates and the alerts of the last day, as JSON-ready values."""
    with transaction(conn) as cur:
        cur.execute(
            "SELECT b.batch_id, b.load_dts, b.status, b.started_at, b.finished_at,"
            " (SELECT COALESCE(sum(rows_read), 0) FROM dv_meta.batch_source s WHERE s.batch_id = b.batch_id),"
            " (SELECT COALESCE(sum(rows_quarantined), 0) FROM dv_meta.batch_source s WHERE s.batch_id = b.batch_id),"
            " (SELECT COALESCE(sum(rows_inserted), 0) FROM dv_meta.load_log l WHERE l.batch_id = b.batch_id),"
            " (SELECT g.passed FROM dv_meta.quality_gate g WHERE g.batch_id = b.batch_id)"
            " FROM dv_meta.batch b ORDER BY b.batch_id DESC LIMIT %s",
            (runs,),
        )
        batches = [
            {
                "batch_id": r[0],
                "load_dts": _iso(r[1]),
                "status": r[2],
                "started_at": _iso(r[3]),
                "finished_at": _iso(r[4]),
                "seconds": None if r[4] is None else round((r[4] - r[3]).total_seconds(), 2),
                "rows_read": int(r[5]),
                "rows_quarantined": int(r[6]),
                "rows_inserted": int(r[7]),
                "quality_gate": {True: "passed", False: "failed", None: "not run"}[r[8]],
            }
            for r in cur.fetchall()
        ]
        cur.execute(OPEN_FAILURES + " ORDER BY f.finished_at DESC LIMIT %s", (runs,))  # fixed ones left out
        failures = [{"batch_id": r[0], "task": r[1], "error": r[2], "at": _iso(r[3])} for r in cur.fetchall()]
        stale = {name: (age, limit) for name, age, limit in stale_sources(cur, project.manifest)}
        sources = []
        for node in project.with_statement("stage"):
            assert isinstance(node, SourceNode)
            name = node.name
            cur.execute(
                "SELECT max(finished_at), sum(rows_read) FROM dv_meta.task_run WHERE task = %s AND status = 'done'",
                (f"extract.{name}",),
            )
            last, rows = cur.fetchone()
            sources.append(
                {
                    "source": name,
                    "last_extract": _iso(last),
                    "rows_read_total": int(rows or 0),
                    "freshness_hours": node.freshness_hours,
                    "stale": name in stale,
                }
            )
        tables = []
        for table in sorted(project.manifest.physical.tables):
            schema, name = table.split(".", 1)
            cur.execute(
                "SELECT n_live_tup FROM pg_stat_user_tables WHERE schemaname = %s AND relname = %s", (schema, name)
            )
            row = cur.fetchone()
            tables.append({"table": table, "rows_estimate": None if row is None else int(row[0])})
        cur.execute("SELECT count(*) FROM dv_meta.alert WHERE raised_at > clock_timestamp() - interval '1 day'")
        (alerts,) = cur.fetchone()
    return {
        "batches": batches,
        "failures": failures,
        "sources": sources,
        "tables": tables,
        "alerts_last_day": int(alerts),
    }


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def show_status(report: dict[str, Any], out: Console, *, as_json: bool = False) -> None:
    """``dv status``'s output: the report as JSON, or the tables of the last batches and the sources."""
    if as_json:
        print(json.dumps(report, indent=2))
        return
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
