"""``dv batch B``: the audit of one batch, from ``dv_meta`` only.

What the batch read per source (rows read, staged, quarantined; the extract's watermark window; the files it
landed with their sha256), what it loaded per target and per layer, the reconciliation of every count (rows
read = rows staged + rows quarantined, per source, and the extract and file counts that lead to it), its
quarantined and late rows, its tasks, its quality gate (and an operator's acceptance), its anomalies, the mart
refreshes that reflect it, and its alerts. Everything is read in one read-only snapshot, so the numbers agree
with each other even while another batch runs.

``audit_batch`` returns a JSON-ready dict (``dv batch B --json``); ``batch_render.py`` prints it for people.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import psycopg2.extensions

from generator.errors import WarehouseError
from generator.kinds import KIND_BY_PREFIX
from pipelines.audit.batch_reconcile import reconcile, totals
from pipelines.db import transaction

# load_log targets are manifest ids (<id prefix>.<name>): they are grouped by their kind's family (the
# registry's), named in these words, in this order
FAMILY_WORDS = {"hub": "hubs", "link": "links", "satellite": "satellites", "reference": "reference tables"}
LAYER_ORDER = list(FAMILY_WORDS.values())
EXTRACT_REASON = "extract:"  # quarantined by a feed's parser before landing (pipelines/extract/feeds/parsers.py)
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
        report["totals"] = totals(report)
        report["reconciliation"] = reconcile(report)
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
    facts = KIND_BY_PREFIX.get(prefix)
    return FAMILY_WORDS.get(facts.family, prefix) if facts is not None else prefix


def _layer_rank(layer: str) -> tuple[int, str]:
    return (LAYER_ORDER.index(layer), "") if layer in LAYER_ORDER else (len(LAYER_ORDER), layer)


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
