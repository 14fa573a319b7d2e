"""``dv status``: the last runs, failures, per-source freshness and row counts, for people or machines."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from generator.manifest_model import SourceNode
from pipelines.alerts import stale_sources
from pipelines.audit.batch_audit import EXTRACT_REASON
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
            " (SELECT g.passed FROM dv_meta.quality_gate g WHERE g.batch_id = b.batch_id),"
            " (SELECT COALESCE(sum(rows_staged), 0) FROM dv_meta.batch_source s WHERE s.batch_id = b.batch_id),"
            " (SELECT count(*) FROM dv_meta.quarantine q WHERE q.batch_id = b.batch_id AND starts_with(q.reason, %s)),"
            " EXISTS (SELECT FROM dv_meta.gate_acceptance a WHERE a.batch_id = b.batch_id)"
            " FROM dv_meta.batch b ORDER BY b.batch_id DESC LIMIT %s",
            (EXTRACT_REASON, runs),
        )
        batches = [
            {
                "batch_id": r[0],
                "load_dts": _iso(r[1]),
                "status": r[2],
                "started_at": _iso(r[3]),
                "finished_at": _iso(r[4]),
                "seconds": None if r[4] is None else round((r[4] - r[3]).total_seconds(), 2),
                "rows_read": int(r[5]),  # the stage step's: read = staged + quarantined
                "rows_quarantined": int(r[6]),  # values the stage step quarantined (dv_meta.batch_source)
                "rows_inserted": int(r[7]),
                "quality_gate": {True: "passed", False: "failed", None: "not run"}[r[8]],
                "rows_staged": int(r[9]),
                "rows_unparsable": int(r[10]),  # records a feed's parser quarantined before landing
                "gate_accepted": bool(r[11]),  # a failed gate an operator accepted (dv gate accept)
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
                "SELECT max(finished_at), sum(rows_read), (array_agg(rows_read ORDER BY finished_at DESC))[1],"
                " (array_agg(batch_id ORDER BY finished_at DESC))[1]"
                " FROM dv_meta.task_run WHERE task = %s AND status = 'done'",
                (f"extract.{name}",),
            )
            last, rows, last_rows, last_batch = cur.fetchone()
            sources.append(
                {
                    "source": name,
                    "last_extract": _iso(last),
                    "last_extract_batch": last_batch,
                    "rows_read_last": None if last_rows is None else int(last_rows),  # by the last extract
                    "rows_read_total": int(rows or 0),  # by every extract, over all batches
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


def when(value: str | None) -> str:
    """An ISO timestamp of the report as people read it: UTC, to the second (``2026-03-05 06:00:00``)."""
    if value is None:
        return ""
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _table(title: str) -> Table:
    """A table that fits 80 columns: no vertical rules, a cell too long for its column wraps at its spaces
    (and folds when a word is longer than the column), never cut with an ellipsis."""
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)


def show_status(report: dict[str, Any], out: Console, *, as_json: bool = False) -> None:
    """``dv status``'s output: the report as JSON, or the tables of the last batches (what ran, then the rows
    of each), the failures, the sources and the estimated rows per table. Times in UTC, to the second."""
    if as_json:
        print(json.dumps(report, indent=2))
        return
    runs = _table("last batches (times in UTC)")
    runs.add_column("batch", justify="right", no_wrap=True)
    runs.add_column("load_dts", overflow="fold")
    runs.add_column("status", overflow="fold")
    runs.add_column("seconds", justify="right", no_wrap=True)
    runs.add_column("quality gate", overflow="fold")
    for b in report["batches"]:
        gate = b["quality_gate"] + (", accepted" if b.get("gate_accepted") else "")
        colour = {"succeeded": "green", "failed": "red"}.get(b["status"], "yellow")
        runs.add_row(
            str(b["batch_id"]),
            when(b["load_dts"]),
            f"[{colour}]{b['status']}[/]",
            "" if b["seconds"] is None else f"{b['seconds']:.1f}",
            f"[red]{gate}[/]" if b["quality_gate"] == "failed" and not b.get("gate_accepted") else gate,
        )
    out.print(runs)
    rows = _table("rows per batch")
    rows.add_column("batch", justify="right", no_wrap=True)
    for col in ("read", "staged", "quarantined", "unparsable", "inserted"):
        rows.add_column(col, justify="right", no_wrap=True)
    for b in report["batches"]:
        rows.add_row(
            str(b["batch_id"]),
            _n(b["rows_read"]),
            _n(b.get("rows_staged")),
            _n(b["rows_quarantined"]),
            _n(b.get("rows_unparsable")),
            _n(b["rows_inserted"]),
        )
    out.print(rows)
    out.print(
        "  read: rows of the landing tables the stage step read (read = staged + quarantined); quarantined:"
        " rows the stage step quarantined (a value that does not cast); unparsable: records a feed's parser"
        " quarantined before landing (not in read); both are in dv_meta.quarantine (dv batch B: by source and"
        " reason); inserted: rows inserted into the raw vault",
        soft_wrap=False,
    )
    sources = _table("sources (times in UTC)")
    sources.add_column("source", overflow="fold")
    sources.add_column("last\nextract", overflow="fold", max_width=10)  # the date above the time
    sources.add_column("rows\n(last)", justify="right", no_wrap=True)
    sources.add_column("rows\n(all)", justify="right", no_wrap=True)
    sources.add_column("freshness", overflow="fold", max_width=9)
    for s in report["sources"]:
        limit = s["freshness_hours"]
        fresh = "" if limit is None else f"{limit:g} h"
        if s["stale"]:
            fresh = f"[red]{fresh} stale[/]"
        sources.add_row(
            s["source"],
            when(s["last_extract"]) or "never",
            _n(s.get("rows_read_last")),
            _n(s["rows_read_total"]),
            fresh,
        )
    out.print(sources)
    out.print(
        "  rows (last): records the source's last extract read; rows (all): every extract's, over all batches;"
        " freshness: the source's freshness_hours (stale: its last extract is older)",
        soft_wrap=False,
    )
    if report["tables"]:
        tables = _table("rows per table (estimates: pg_stat_user_tables)")
        tables.add_column("table", overflow="fold")
        tables.add_column("rows", justify="right", no_wrap=True)
        schema = None
        for t in report["tables"]:
            here = t["table"].split(".", 1)[0]
            if schema is not None and here != schema:
                tables.add_section()
            schema = here
            tables.add_row(t["table"], "not analysed" if t["rows_estimate"] is None else _n(t["rows_estimate"]))
        out.print(tables)
    for f in report["failures"]:
        out.print(f"[red]failed[/] batch {f['batch_id']} {escape(f['task'])}: {escape(str(f['error'])[:200])}")
    out.print(f"alerts in the last day: {report['alerts_last_day']}")
