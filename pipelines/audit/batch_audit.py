"""``dv batch B``: the audit of one batch, from ``dv_meta`` only.

What the batch read per source (rows read, staged, quarantined; the extract's watermark window; the files it
landed with their sha256), what it loaded per target and per layer, the reconciliation of every count (rows
read = rows staged + rows quarantined, per source, and the extract and file counts that lead to it), its
quarantined and late rows, its tasks, its quality gate (and an operator's acceptance), its anomalies, the mart
refreshes that reflect it, and its alerts. Everything is read in one read-only snapshot, so the numbers agree
with each other even while another batch runs.

``audit_batch`` returns a JSON-ready dict (``dv batch B --json``); ``render`` prints it for people.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from decimal import Decimal
from typing import Any

import psycopg2.extensions
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from generator.errors import WarehouseError
from pipelines.db import transaction

# load_log targets are manifest ids (<id prefix>.<name>); the layer of each prefix, in the order shown
LAYERS = {
    "hub": "hubs",
    "link": "links",
    "nhl": "links",
    "sat": "satellites",
    "msat": "satellites",
    "esat": "satellites",
    "sts": "satellites",
    "rts": "satellites",
    "ref": "reference tables",
}
LAYER_ORDER = ["hubs", "links", "satellites", "reference tables"]
EXTRACT_REASON = "extract:"  # quarantined by a feed's parser before landing (pipelines/extract/feeds/parsers.py)
PIPED_WIDTH = 120
RULE = "rows read = rows staged + rows quarantined"
SECTIONS = (
    "batch",
    "sources",
    "files",
    "targets",
    "layers",
    "totals",
    "reconciliation",
    "quarantine",
    "late_data",
    "tasks",
    "quality",
    "anomalies",
    "marts",
    "alerts",
)


def audit_batch(conn: psycopg2.extensions.connection, batch_id: int, quarantine_rows: int = 5) -> dict[str, Any]:
    """Everything ``dv_meta`` records about one batch, as JSON-ready values (timestamps in ISO 8601, UTC)."""
    if quarantine_rows < 0:
        raise WarehouseError("--quarantine-rows must be 0 or more\n    hint: e.g. --quarantine-rows 5")
    snapshot = conn.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_IDLE
    with transaction(conn) as cur:
        if snapshot:  # one consistent, read-only view of dv_meta
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'dv_meta' AND c.relkind IN ('r', 'p')"
        )
        present = {r[0] for r in cur.fetchall()}
        if "batch" not in present:
            raise WarehouseError(
                "the warehouse has no dv_meta.batch table: it has not been applied\n"
                "    hint: dv apply --dsn ..., then load a batch (dv run)"
            )
        report: dict[str, Any] = {"batch": _batch(cur, batch_id)}
        report.update(_sources(cur, batch_id, present))
        report.update(_targets(cur, batch_id))
        report["totals"] = _totals(report)
        report["reconciliation"] = _reconcile(report)
        report["quarantine"] = _quarantine(cur, batch_id, quarantine_rows)
        report["late_data"] = _late_data(cur, batch_id, quarantine_rows, present)
        report["tasks"] = _tasks(cur, batch_id, present)
        report["quality"] = _quality(cur, batch_id, present)
        report["anomalies"] = _anomalies(cur, batch_id, present)
        report["marts"] = _marts(cur, batch_id, present)
        report["alerts"] = _alerts(cur, batch_id, present)
    return {key: report[key] for key in SECTIONS}


# --- the sections ---------------------------------------------------------------------------------------


def _batch(cur: Any, batch_id: int) -> dict[str, Any]:
    cur.execute(
        "SELECT batch_id, load_dts, status, started_at, finished_at, note FROM dv_meta.batch WHERE batch_id = %s",
        (batch_id,),
    )
    row = cur.fetchone()
    if row is None:
        cur.execute("SELECT batch_id FROM dv_meta.batch ORDER BY batch_id DESC LIMIT 10")
        latest = [str(r[0]) for r in cur.fetchall()]
        hint = (
            f"the latest batches are {', '.join(latest)} (dv status lists them)"
            if latest
            else "the warehouse has no batch yet: load one (dv run, dv load)"
        )
        raise WarehouseError(f"batch {batch_id} does not exist\n    hint: {hint}")
    _, load_dts, status, started, finished, note = row
    return {
        "batch_id": int(batch_id),
        "load_dts": _iso(load_dts),
        "status": status,
        "started_at": _iso(started),
        "finished_at": _iso(finished),
        "seconds": None if finished is None else round((finished - started).total_seconds(), 3),
        "note": note,
    }


def _sources(cur: Any, batch_id: int, present: set[str]) -> dict[str, Any]:
    by_source: dict[str, dict[str, Any]] = {}

    def entry(name: str) -> dict[str, Any]:
        return by_source.setdefault(
            name,
            {
                "source": name,
                "rows_read": None,  # the stage step's counts (dv_meta.batch_source); None: not staged
                "rows_staged": None,
                "rows_quarantined": None,
                "staged_at": None,
                "extract": None,  # the Extract task (dv_meta.task_run extract.<source>)
                "watermark": None,  # the incremental extract's window (dv_meta.watermark)
                "files": None,  # the feed files it read (dv_meta.file_log), summed
                "quarantine_rows": {"extract": 0, "stage": 0},  # rows of dv_meta.quarantine, by step
            },
        )

    cur.execute(
        "SELECT source, rows_read, rows_staged, rows_quarantined, staged_at FROM dv_meta.batch_source"
        " WHERE batch_id = %s ORDER BY source",
        (batch_id,),
    )
    for source, read, staged, quarantined, staged_at in cur.fetchall():
        e = entry(source)
        e.update(rows_read=int(read), rows_staged=int(staged), rows_quarantined=int(quarantined))
        e["staged_at"] = _iso(staged_at)
    if "task_run" in present:
        cur.execute(
            "SELECT substr(task, 9), rows_read, rows_written, rows_quarantined, seconds FROM dv_meta.task_run"
            " WHERE batch_id = %s AND task LIKE 'extract.%%' AND status = 'done' ORDER BY task",
            (batch_id,),
        )
        for source, read, landed, quarantined, seconds in cur.fetchall():
            entry(source)["extract"] = {
                "rows_read": _int(read),
                "rows_landed": _int(landed),
                "rows_quarantined": _int(quarantined),
                "seconds": _num(seconds),
            }
    if "watermark" in present:
        cur.execute(
            "SELECT source, read_from, high_value, rows_read FROM dv_meta.watermark WHERE batch_id = %s",
            (batch_id,),
        )
        for source, read_from, high, rows in cur.fetchall():
            window = {"read_from": _iso(read_from), "high_value": _iso(high), "rows_read": int(rows)}
            entry(source)["watermark"] = window
    files: list[dict[str, Any]] = []
    if "file_log" in present:
        cur.execute(
            "SELECT source, path, size_bytes, sha256, status, rows_read, rows_landed, rows_quarantined,"
            " previous_sha256, problem, read_at FROM dv_meta.file_log WHERE batch_id = %s ORDER BY path, source",
            (batch_id,),
        )
        for source, path, size, sha, status, read, landed, quarantined, previous, problem, read_at in cur.fetchall():
            files.append(
                {
                    "source": source,
                    "path": path,
                    "size_bytes": int(size),
                    "sha256": sha,
                    "status": status,
                    "rows_read": int(read),
                    "rows_landed": int(landed),
                    "rows_quarantined": int(quarantined),
                    "previous_sha256": previous,
                    "problem": problem,
                    "read_at": _iso(read_at),
                }
            )
            e = entry(source)
            if e["files"] is None:
                e["files"] = {"files": 0, "rows_read": 0, "rows_landed": 0, "rows_quarantined": 0, "problems": 0}
            f = e["files"]
            f["files"] += 1
            f["rows_read"] += int(read)
            f["rows_landed"] += int(landed)
            f["rows_quarantined"] += int(quarantined)
            f["problems"] += status != "loaded"
    cur.execute(
        "SELECT source, starts_with(reason, %s), count(*) FROM dv_meta.quarantine WHERE batch_id = %s GROUP BY 1, 2",
        (EXTRACT_REASON, batch_id),
    )
    for source, at_extract, n in cur.fetchall():
        entry(source)["quarantine_rows"]["extract" if at_extract else "stage"] = int(n)
    return {"sources": [by_source[s] for s in sorted(by_source)], "files": files}


def _targets(cur: Any, batch_id: int) -> dict[str, Any]:
    cur.execute(
        "SELECT target, count(*), sum(rows_inserted), sum(rows_rejected),"
        " sum(extract(epoch FROM finished_at - started_at)) FROM dv_meta.load_log WHERE batch_id = %s"
        " GROUP BY target",
        (batch_id,),
    )
    targets = [
        {
            "target": target,
            "layer": layer_of(target),
            "statements": int(n),
            "rows_inserted": int(inserted),
            "rows_rejected": int(rejected),
            "seconds": round(float(seconds), 3),
        }
        for target, n, inserted, rejected, seconds in cur.fetchall()
    ]
    targets.sort(key=lambda t: (_layer_rank(t["layer"]), t["target"]))
    layers: dict[str, dict[str, Any]] = {}
    for t in targets:
        layer = layers.setdefault(
            t["layer"], {"layer": t["layer"], "targets": 0, "rows_inserted": 0, "rows_rejected": 0}
        )
        layer["targets"] += 1
        layer["rows_inserted"] += t["rows_inserted"]
        layer["rows_rejected"] += t["rows_rejected"]
    return {"targets": targets, "layers": list(layers.values())}


def layer_of(target: str) -> str:
    """The layer of a load_log target (a manifest id such as ``hub.candidate``)."""
    prefix = target.split(".", 1)[0]
    return LAYERS.get(prefix, prefix)


def _layer_rank(layer: str) -> tuple[int, str]:
    return (LAYER_ORDER.index(layer), "") if layer in LAYER_ORDER else (len(LAYER_ORDER), layer)


def _totals(report: dict[str, Any]) -> dict[str, Any]:
    staged = [s for s in report["sources"] if s["rows_read"] is not None]
    return {
        "sources_staged": len(staged),
        "rows_read": sum(s["rows_read"] for s in staged),
        "rows_staged": sum(s["rows_staged"] for s in staged),
        "rows_quarantined": sum(s["rows_quarantined"] for s in staged),
        "targets": len(report["targets"]),
        "rows_inserted": sum(t["rows_inserted"] for t in report["targets"]),
        "rows_rejected": sum(t["rows_rejected"] for t in report["targets"]),
        "files": len({(f["path"], f["sha256"]) for f in report["files"]}),  # a file read by several sources: once
        "file_reads": len(report["files"]),
    }


def _reconcile(report: dict[str, Any]) -> dict[str, Any]:
    """Every count that must agree with another: the stage step's (read = staged + quarantined), the
    quarantine table's, the extract task's and the feed files'. Each check is listed; ``ok`` says whether all
    hold, ``mismatches`` names the ones that do not."""
    checks: list[dict[str, Any]] = []
    running = report["batch"]["status"] == "running"

    def check(source: str, name: str, left: int | None, right: int | None, detail: str) -> None:
        ok = left is not None and left == right
        checks.append({"source": source, "check": name, "ok": ok, "left": left, "right": right, "detail": detail})

    for s in report["sources"]:
        name, q, x, f = s["source"], s["quarantine_rows"], s["extract"], s["files"]
        if s["rows_read"] is None:
            why = "not staged yet (the batch is running)" if running else "extracted or quarantined, never staged"
            check(name, "staged", None, None, f"{why}: no dv_meta.batch_source row")
            continue
        read, staged, quarantined = s["rows_read"], s["rows_staged"], s["rows_quarantined"]
        check(name, RULE, read, staged + quarantined, f"{read} = {staged} + {quarantined}")
        check(
            name,
            "rows quarantined by the stage = its rows in dv_meta.quarantine",
            quarantined,
            q["stage"],
            f"{quarantined} counted, {q['stage']} recorded",
        )
        landed = None if x is None else x["rows_landed"]
        if x is not None and landed is not None:
            at_extract = x["rows_quarantined"] or 0
            check(name, "rows landed by the extract = rows read by the stage", landed, read,
                  f"{landed} landed, {read} read")  # fmt: skip
            check(name, "extract: rows read = rows landed + rows quarantined", x["rows_read"], landed + at_extract,
                  f"{x['rows_read']} = {landed} + {at_extract}")  # fmt: skip
            check(name, "rows quarantined by the extract = its rows in dv_meta.quarantine", at_extract,
                  q["extract"], f"{at_extract} counted, {q['extract']} recorded")  # fmt: skip
        if f is not None:
            f_read, f_landed, f_quarantined = f["rows_read"], f["rows_landed"], f["rows_quarantined"]
            check(name, "files: rows read = rows landed + rows quarantined", f_read, f_landed + f_quarantined,
                  f"{f_read} = {f_landed} + {f_quarantined}")  # fmt: skip
            if landed is not None:
                check(name, "rows landed from the files = rows landed by the extract", f_landed, landed,
                      f"{f_landed} from the files, {landed} by the extract")  # fmt: skip
    mismatches = [c for c in checks if not c["ok"]]
    return {"rule": RULE, "ok": not mismatches, "checks": checks, "mismatches": mismatches}


def _quarantine(cur: Any, batch_id: int, examples: int) -> dict[str, Any]:
    cur.execute(
        "SELECT source, reason, count(*), (array_agg(quarantine_id ORDER BY quarantine_id))[1:%s]"
        " FROM dv_meta.quarantine WHERE batch_id = %s GROUP BY source, reason ORDER BY source, count(*) DESC, reason",
        (examples, batch_id),
    )
    groups = [
        {
            "source": source,
            "reason": reason,
            "step": "extract" if reason.startswith(EXTRACT_REASON) else "stage",
            "rows": int(n),
            "examples": [],
            "ids": list(ids or []),
        }
        for source, reason, n, ids in cur.fetchall()
    ]
    wanted = [i for g in groups for i in g["ids"]]
    by_id: dict[int, dict[str, Any]] = {}
    if wanted:
        cur.execute(
            "SELECT quarantine_id, dv_row_no, source_row, quarantined_at FROM dv_meta.quarantine"
            " WHERE quarantine_id = ANY(%s)",
            (wanted,),
        )
        for qid, row_no, source_row, at in cur.fetchall():
            by_id[qid] = {"quarantine_id": int(qid), "row_no": int(row_no), "source_row": source_row,
                          "quarantined_at": _iso(at)}  # fmt: skip
    for g in groups:
        g["examples"] = [by_id[i] for i in g.pop("ids")]
    return {"rows": sum(g["rows"] for g in groups), "groups": groups}


def _late_data(cur: Any, batch_id: int, examples: int, present: set[str]) -> dict[str, Any]:
    if "late_data" not in present:
        return {"rows": 0, "groups": []}
    cur.execute(
        "SELECT target, reason, count(*) FROM dv_meta.late_data WHERE batch_id = %s"
        " GROUP BY target, reason ORDER BY target, count(*) DESC, reason",
        (batch_id,),
    )
    groups = [{"target": t, "reason": r, "rows": int(n), "examples": []} for t, r, n in cur.fetchall()]
    # the first rows of every group, in one query
    cur.execute(
        "SELECT target, reason, late_id, hash_key, applied_dts, latest_applied_dts, staged_row FROM ("
        " SELECT l.*, row_number() OVER (PARTITION BY target, reason ORDER BY late_id) AS dv_n"
        " FROM dv_meta.late_data AS l WHERE batch_id = %s) AS x WHERE dv_n <= %s ORDER BY late_id",
        (batch_id, examples),
    )
    by_group = {(g["target"], g["reason"]): g for g in groups}
    for t, reason, i, k, a, la, r in cur.fetchall():
        by_group[(t, reason)]["examples"].append(
            {"late_id": int(i), "hash_key": k, "applied_dts": _iso(a), "latest_applied_dts": _iso(la), "staged_row": r}
        )
    return {"rows": sum(g["rows"] for g in groups), "groups": groups}


def _tasks(cur: Any, batch_id: int, present: set[str]) -> dict[str, Any]:
    if "task_run" not in present:
        return {"done": 0, "failed": 0, "skipped": 0, "runs": []}
    cur.execute(
        "SELECT task, status, rows_read, rows_written, rows_quarantined, seconds, error, finished_at"
        " FROM dv_meta.task_run WHERE batch_id = %s ORDER BY finished_at, task",
        (batch_id,),
    )
    runs = [
        {
            "task": task,
            "status": status,
            "rows_read": _int(read),
            "rows_written": _int(written),
            "rows_quarantined": _int(quarantined),
            "seconds": _num(seconds),
            "error": error,
            "finished_at": _iso(at),
        }
        for task, status, read, written, quarantined, seconds, error, at in cur.fetchall()
    ]
    counts = {s: sum(r["status"] == s for r in runs) for s in ("done", "failed", "skipped")}
    return {**counts, "runs": runs}


def _quality(cur: Any, batch_id: int, present: set[str]) -> dict[str, Any] | None:
    if "quality_gate" not in present:
        return None
    cur.execute(
        "SELECT run_id, passed, outcome, checks, warned, failed, errors, decided_at FROM dv_meta.quality_gate"
        " WHERE batch_id = %s",
        (batch_id,),
    )
    row = cur.fetchone()
    if row is None:
        return None
    run_id, passed, outcome, checks, warned, failed, errors, decided = row
    cur.execute(
        "SELECT outcome, contract_file, dataset, check_name, check_type, column_name, measured_value, threshold,"
        " message FROM dv_meta.quality_result WHERE run_id = %s AND batch_id = %s AND outcome <> 'pass'"
        " ORDER BY CASE outcome WHEN 'error' THEN 0 WHEN 'fail' THEN 1 ELSE 2 END, result_id",
        (run_id, batch_id),
    )
    not_passed = [
        {
            "outcome": o,
            "contract": contract,
            "dataset": dataset,
            "check": check,
            "check_type": check_type,
            "column": column,
            "measured_value": value,
            "threshold": threshold,
            "message": message,
        }
        for o, contract, dataset, check, check_type, column, value, threshold, message in cur.fetchall()
    ]
    acceptance = None
    if "gate_acceptance" in present:
        cur.execute(
            "SELECT accepted_by, accepted_at, reason FROM dv_meta.gate_acceptance WHERE batch_id = %s", (batch_id,)
        )
        found = cur.fetchone()
        if found is not None:
            acceptance = {"accepted_by": found[0], "accepted_at": _iso(found[1]), "reason": found[2]}
    return {
        "run_id": int(run_id),
        "passed": bool(passed),
        "verdict": "passed" if passed else ("failed, accepted" if acceptance else "failed"),
        "outcome": outcome,
        "checks": int(checks),
        "warned": int(warned),
        "failed": int(failed),
        "errors": int(errors),
        "decided_at": _iso(decided),
        "not_passed": not_passed,
        "acceptance": acceptance,
    }


def _anomalies(cur: Any, batch_id: int, present: set[str]) -> list[dict[str, Any]]:
    if "anomaly" not in present:
        return []
    cur.execute(
        "SELECT source, column_name, metric, observed, expected_low, expected_high, baseline_batches, message"
        " FROM dv_meta.anomaly WHERE batch_id = %s ORDER BY source, column_name NULLS FIRST, metric, anomaly_id",
        (batch_id,),
    )
    return [
        {
            "source": s,
            "column": c,
            "metric": m,
            "observed": o,
            "expected_low": _num(lo),
            "expected_high": _num(hi),
            "baseline_batches": int(b),
            "message": msg,
        }
        for s, c, m, o, lo, hi, b, msg in cur.fetchall()
    ]


def _marts(cur: Any, batch_id: int, present: set[str]) -> dict[str, Any]:
    if "mart_refresh" not in present:
        return {"refreshes": [], "later_batch": None}
    cur.execute(
        "SELECT run_id, object, mode, rows_total, seconds, refreshed_at FROM dv_meta.mart_refresh"
        " WHERE batch_id = %s ORDER BY run_id, refresh_id",
        (batch_id,),
    )
    refreshes = [
        {"run_id": int(r), "object": o, "mode": m, "rows": _int(n), "seconds": _num(s), "refreshed_at": _iso(at)}
        for r, o, m, n, s, at in cur.fetchall()
    ]
    later = None
    if not refreshes:  # the marts reflect every batch up to the one a refresh names: the first one after it
        cur.execute("SELECT min(batch_id) FROM dv_meta.mart_refresh WHERE batch_id > %s", (batch_id,))
        later = _int(cur.fetchone()[0])
    return {"refreshes": refreshes, "later_batch": later}


def _alerts(cur: Any, batch_id: int, present: set[str]) -> list[dict[str, Any]]:
    if "alert" not in present:
        return []
    cur.execute(
        "SELECT alert_id, raised_at, kind, subject, message FROM dv_meta.alert WHERE batch_id = %s ORDER BY alert_id",
        (batch_id,),
    )
    return [
        {"alert_id": int(i), "raised_at": _iso(at), "kind": k, "subject": s, "message": m}
        for i, at, k, s, m in cur.fetchall()
    ]


# --- values ---------------------------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _num(value: Any) -> float | None:
    return None if value is None else float(value) if isinstance(value, Decimal) else value


# --- for people -----------------------------------------------------------------------------------------


def render(report: dict[str, Any], console: Console) -> None:
    """The report as tables, section by section; what needs attention in red or yellow. Into a file or a pipe
    (no terminal, no ``COLUMNS``) the tables are PIPED_WIDTH wide rather than rich's 80, which folds every
    source and table name."""
    out = console
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        out = Console(file=console.file, width=max(console.width, PIPED_WIDTH), highlight=False, soft_wrap=True,
                      emoji=False)  # fmt: skip
    b = report["batch"]
    colour = {"succeeded": "green", "failed": "red"}.get(b["status"], "yellow")
    took = "" if b["seconds"] is None else f", {b['seconds']:.1f} s"
    out.print(
        f"[bold]batch {b['batch_id']}[/]: load_dts {_short(b['load_dts'])}, [{colour}]{b['status']}[/]"
        f" (started {_short(b['started_at'])}, finished {_short(b['finished_at']) or 'not yet'}{took})"
        + (f"; note: {escape(b['note'])}" if b["note"] else "")
    )
    _render_sources(report, out)
    _render_files(report, out)
    _render_targets(report, out)
    _render_reconciliation(report, out)
    _render_quarantine(report, out)
    _render_late(report, out)
    _render_tasks(report, out)
    _render_quality(report, out)
    _render_tail(report, out)


def _render_sources(report: dict[str, Any], out: Console) -> None:
    t = report["totals"]
    table = Table(title=f"read per source (dv_meta.batch_source): {t['sources_staged']} staged", title_justify="left")
    table.add_column("source", overflow="fold")
    for col in ("read", "staged", "quarantined", "unparsable", "files"):
        table.add_column(col, justify="right")
    for s in report["sources"]:
        x, f = s["extract"], s["files"]
        unparsable = 0 if x is None else x["rows_quarantined"] or 0
        table.add_row(
            s["source"] if s["rows_read"] is not None else f"{s['source']} [red](not staged)[/]",
            _n(s["rows_read"]),
            _n(s["rows_staged"]),
            _warn(s["rows_quarantined"]),
            _warn(unparsable) if unparsable else "",
            "" if f is None else (_n(f["files"]) + (f" [red]({f['problems']} not loaded)[/]" if f["problems"] else "")),
        )
    table.add_section()
    table.add_row("total", _n(t["rows_read"]), _n(t["rows_staged"]), _warn(t["rows_quarantined"]), "", "")
    out.print(table)
    out.print(
        "  read: rows of the landing table the stage step read; unparsable: records a feed's parser quarantined"
        " before landing (not in read)"
    )
    windows = [s for s in report["sources"] if s["watermark"] is not None]
    if windows:
        table = Table(title="extract windows (dv_meta.watermark)", title_justify="left")
        table.add_column("source", overflow="fold")
        for col in ("from", "up to", "rows extracted"):
            table.add_column(col, justify="right")
        for s in windows:
            w = s["watermark"]
            table.add_row(s["source"], _short(w["read_from"]) or "(full)", _short(w["high_value"]), _n(w["rows_read"]))
        out.print(table)


def _render_files(report: dict[str, Any], out: Console) -> None:
    if not report["files"]:
        return
    by_path: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in report["files"]:
        by_path[(f["path"], f["sha256"])].append(f)
    table = Table(title=f"files read (dv_meta.file_log): {len(by_path)}", title_justify="left")
    table.add_column("path", overflow="fold")
    table.add_column("sha256", no_wrap=True)
    for col in ("sources", "records", "landed", "quarantined"):
        table.add_column(col, justify="right")
    table.add_column("status", overflow="fold")
    for (path, sha), rows in sorted(by_path.items()):
        status = ", ".join(sorted({r["status"] for r in rows}))
        problems = "; ".join(sorted({r["problem"] for r in rows if r["problem"]}))
        table.add_row(
            escape(path),
            sha[:12] + "…",
            str(len(rows)),
            _n(sum(r["rows_read"] for r in rows)),
            _n(sum(r["rows_landed"] for r in rows)),
            _warn(sum(r["rows_quarantined"] for r in rows)),
            (status if status == "loaded" else f"[red]{status}[/]") + (f": {escape(problems)}" if problems else ""),
        )
    out.print(table)


def _render_targets(report: dict[str, Any], out: Console) -> None:
    t = report["totals"]
    table = Table(title=f"loaded per target (dv_meta.load_log): {t['targets']}", title_justify="left")
    table.add_column("target", overflow="fold")
    for col in ("rows inserted", "late, rejected", "seconds"):
        table.add_column(col, justify="right")
    layer = None
    for row in report["targets"]:
        if layer is not None and row["layer"] != layer:
            table.add_section()
        layer = row["layer"]
        table.add_row(row["target"], _n(row["rows_inserted"]), _warn(row["rows_rejected"]), f"{row['seconds']:.2f}")
    table.add_section()
    for lay in report["layers"]:
        table.add_row(
            f"[bold]{lay['layer']}[/] ({lay['targets']})", _n(lay["rows_inserted"]), _warn(lay["rows_rejected"]), ""
        )
    table.add_row("[bold]total[/]", _n(t["rows_inserted"]), _warn(t["rows_rejected"]), "")
    out.print(table)


def _render_reconciliation(report: dict[str, Any], out: Console) -> None:
    r = report["reconciliation"]
    rule = [c for c in r["checks"] if c["check"] == RULE]
    others = [c for c in r["checks"] if c["check"] != RULE]
    state = "[green]reconciled[/]" if r["ok"] else f"[red]{len(r['mismatches'])} mismatch(es)[/]"
    out.print(
        f"reconciliation: {state}. Per source, {RULE}: holds for {sum(c['ok'] for c in rule)} of {len(rule)}"
        f" source(s); {sum(c['ok'] for c in others)} of {len(others)} other count(s) agree (quarantined rows ="
        " rows in dv_meta.quarantine, rows landed by the extract = rows read by the stage, file rows = extract rows)"
    )
    for c in r["mismatches"]:
        out.print(f"  [red]x[/] {c['source']}: {escape(c['check'])}: {escape(c['detail'])}")


def _render_quarantine(report: dict[str, Any], out: Console) -> None:
    q = report["quarantine"]
    if not q["rows"]:
        out.print("quarantine: no row")
        return
    out.print(f"[bold]quarantine[/] (dv_meta.quarantine): {q['rows']} row(s), by source and reason")
    for g in q["groups"]:
        out.print(f"  [yellow]{g['rows']}[/] {g['source']} ({g['step']}): {escape(g['reason'])}")
        for e in g["examples"]:
            out.print(f"      row {e['row_no']}: {escape(_clip(e['source_row']))}")
        if g["rows"] > len(g["examples"]):
            out.print(f"      … {g['rows'] - len(g['examples'])} row(s) not shown (--quarantine-rows N)")


def _render_late(report: dict[str, Any], out: Console) -> None:
    late = report["late_data"]
    if not late["rows"]:
        out.print("late data: no row rejected")
        return
    out.print(f"[bold]late data[/], rejected (dv_meta.late_data): {late['rows']} row(s), by target and reason")
    for g in late["groups"]:
        out.print(f"  [yellow]{g['rows']}[/] {g['target']}: {escape(g['reason'])}")
        for e in g["examples"]:
            out.print(
                f"      key {e['hash_key']}: applied {_short(e['applied_dts'])},"
                f" the vault holds {_short(e['latest_applied_dts'])}"
            )


def _render_tasks(report: dict[str, Any], out: Console) -> None:
    t = report["tasks"]
    if not t["runs"]:
        out.print("tasks: none recorded (a batch loaded with dv load runs no task)")
        return
    colours = {"done": "green", "failed": "red", "skipped": "yellow"}
    title = f"tasks (dv_meta.task_run): {t['done']} done, {t['failed']} failed, {t['skipped']} skipped"
    table = Table(title=title, title_justify="left")
    table.add_column("task", overflow="fold")
    table.add_column("status")
    for col in ("read", "written", "quarantined", "seconds"):
        table.add_column(col, justify="right")
    table.add_column("error / note", overflow="fold")
    extracts = [r for r in t["runs"] if r["task"].startswith("extract.") and r["status"] == "done"]
    if extracts:  # one line for the extracts that went well: the per-source tables above show them
        table.add_row(
            f"extract.* ({len(extracts)} sources)",
            "[green]done[/]",
            _n(sum(r["rows_read"] or 0 for r in extracts)),
            _n(sum(r["rows_written"] or 0 for r in extracts)),
            _warn(sum(r["rows_quarantined"] or 0 for r in extracts)),
            f"{sum(r['seconds'] or 0 for r in extracts):.2f}",
            "",
        )
    for r in t["runs"]:
        if r in extracts:
            continue
        table.add_row(
            r["task"],
            f"[{colours.get(r['status'], 'white')}]{r['status']}[/]",
            _n(r["rows_read"]),
            _n(r["rows_written"]),
            _n(r["rows_quarantined"]),
            "" if r["seconds"] is None else f"{r['seconds']:.2f}",
            escape((r["error"] or "")[:300]),
        )
    out.print(table)


def _render_quality(report: dict[str, Any], out: Console) -> None:
    q = report["quality"]
    if q is None:
        out.print("quality gate: not decided (its checks have not run: dv check --batch B)")
        return
    verdict = {"passed": "[green]passed[/]", "failed, accepted": "[yellow]failed, accepted[/]"}.get(
        q["verdict"], "[red]failed[/]"
    )
    out.print(
        f"quality gate: {verdict} ({q['checks']} checks, {q['warned']} warned, {q['failed']} failed,"
        f" {q['errors']} errors; run {q['run_id']}, decided {_short(q['decided_at'])})"
    )
    a = q["acceptance"]
    if a is not None:
        out.print(f"  accepted by {escape(a['accepted_by'])} at {_short(a['accepted_at'])}: {escape(a['reason'])}")
    if q["not_passed"]:
        colours = {"fail": "red", "error": "red", "warn": "yellow"}
        table = Table(title="checks that did not pass", title_justify="left")
        for col in ("outcome", "table", "check", "value", "threshold"):
            table.add_column(col, justify="right" if col == "value" else "left", overflow="fold")
        for c in q["not_passed"]:
            table.add_row(
                f"[{colours[c['outcome']]}]{c['outcome']}[/]",
                escape(c["dataset"]),
                escape(c["check"]),
                "" if c["measured_value"] is None else f"{c['measured_value']:g}",
                escape(c["threshold"] or ""),
            )
        out.print(table)


def _render_tail(report: dict[str, Any], out: Console) -> None:
    anomalies = report["anomalies"]
    if anomalies:
        out.print(f"anomalies (dv_meta.anomaly): {len(anomalies)}")
        for a in anomalies:
            out.print(f"  [yellow]![/] {a['source']}{'.' + a['column'] if a['column'] else ''}: {escape(a['message'])}")
    else:
        out.print("anomalies: none")
    m = report["marts"]
    if m["refreshes"]:
        table = Table(title=f"marts refreshed to this batch (dv_meta.mart_refresh): {len(m['refreshes'])}",
                      title_justify="left")  # fmt: skip
        for col in ("run", "object", "mode", "rows", "seconds"):
            table.add_column(col, justify="right" if col in ("run", "rows", "seconds") else "left")
        for r in m["refreshes"]:
            seconds = "" if r["seconds"] is None else f"{r['seconds']:.2f}"
            table.add_row(str(r["run_id"]), r["object"], r["mode"], _n(r["rows"]), seconds)
        out.print(table)
    elif m["later_batch"] is not None:
        out.print(f"marts: no refresh to this batch; the refresh to batch {m['later_batch']} reflects it")
    else:
        out.print("marts: no refresh reflects this batch yet (dv marts)")
    alerts = report["alerts"]
    if alerts:
        out.print(f"alerts (dv_meta.alert): {len(alerts)}")
        for a in alerts:
            out.print(f"  [red]![/] {_short(a['raised_at'])} {a['kind']}: {escape(a['message'])}")
    else:
        out.print("alerts: none")


def _short(value: str | None) -> str:
    """An ISO timestamp without its microseconds and UTC offset (every time here is UTC)."""
    if value is None:
        return ""
    return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S")


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _warn(value: int | None) -> str:
    return f"[yellow]{value:,}[/]" if value else _n(value)


def _clip(row: Any, width: int = 160) -> str:
    text = json.dumps(row, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[: width - 1] + "…"
