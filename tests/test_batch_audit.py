"""``dv batch B``: the audit of one batch agrees with dv_meta, reconciles, and says so.

Runs on the ``demo_marts`` session fixture (3 simulated days through the pipeline; the gates of batches 1
and 3 failed on the injected defects and were accepted by the demo; the marts refreshed after each)."""

from __future__ import annotations

import copy
import io
import json
from collections import defaultdict
from typing import Any

import psycopg2
import pytest
from rich.console import Console

from pipelines.audit.batch_audit import SECTIONS, layer_of
from pipelines.audit.batch_reconcile import RULE, reconcile
from pipelines.audit.batch_render import render
from pipelines.cli import main
from pipelines.demo.sample import DEMO_ACCEPT_REASON

pytestmark = pytest.mark.db


def _rows(dsn: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SET TimeZone = 'UTC'")
            cur.execute(sql, params)
            return list(cur.fetchall())
    finally:
        conn.close()


def _audit(dsn: str, batch: int, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    assert main(["batch", str(batch), "--dsn", dsn, "--json", *extra]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def _human(dsn: str, batch: int, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["batch", str(batch), "--dsn", dsn, *extra]) == 0
    return capsys.readouterr().out


def test_batch_numbers_equal_dv_meta_and_reconcile(demo_marts: Any, capsys: pytest.CaptureFixture[str]) -> None:
    dsn = demo_marts.dsn
    report = _audit(dsn, 1, capsys)

    (batch,) = _rows(
        dsn, "SELECT load_dts, status, started_at, finished_at, note FROM dv_meta.batch WHERE batch_id = 1"
    )
    b = report["batch"]
    assert (b["batch_id"], b["load_dts"], b["status"], b["note"]) == (1, batch[0].isoformat(), batch[1], batch[4])
    assert b["seconds"] == pytest.approx((batch[3] - batch[2]).total_seconds(), abs=0.001)

    # per source: the stage step's counts, exactly dv_meta.batch_source; read = staged + quarantined
    staged = _rows(
        dsn,
        "SELECT source, rows_read, rows_staged, rows_quarantined FROM dv_meta.batch_source WHERE batch_id = 1"
        " ORDER BY source",
    )
    assert len(staged) > 10
    got = [(s["source"], s["rows_read"], s["rows_staged"], s["rows_quarantined"]) for s in report["sources"]]
    assert got == staged
    for s in report["sources"]:
        assert s["rows_read"] == s["rows_staged"] + s["rows_quarantined"], s
    extracts = dict(
        _rows(
            dsn,
            "SELECT substr(task, 9), rows_landed FROM (SELECT task, rows_written AS rows_landed FROM dv_meta.task_run"
            " WHERE batch_id = 1 AND status = 'done' AND task LIKE 'extract.%%') t",
        )
    )
    assert {s["source"]: s["extract"]["rows_landed"] for s in report["sources"]} == extracts
    windows = _rows(dsn, "SELECT source, read_from, high_value FROM dv_meta.watermark WHERE batch_id = 1")
    assert windows, "the database sources record their extract window"
    by_source = {s["source"]: s for s in report["sources"]}
    for source, read_from, high in windows:
        assert by_source[source]["watermark"]["read_from"] is None and read_from is None  # day 1: a full extract
        assert by_source[source]["watermark"]["high_value"] == high.isoformat()
    files = _rows(
        dsn,
        "SELECT source, path, sha256, rows_read, rows_landed, rows_quarantined FROM dv_meta.file_log"
        " WHERE batch_id = 1 ORDER BY path, source",
    )
    assert files, "the feeds landed files in batch 1"
    got_files = [
        (f["source"], f["path"], f["sha256"], f["rows_read"], f["rows_landed"], f["rows_quarantined"])
        for f in report["files"]
    ]
    assert got_files == files

    # per target: dv_meta.load_log summed; totals per layer and for the batch are the sums
    loads = _rows(
        dsn,
        "SELECT target, sum(rows_inserted)::bigint, sum(rows_rejected)::bigint FROM dv_meta.load_log"
        " WHERE batch_id = 1 GROUP BY target",
    )
    assert {t["target"]: (t["rows_inserted"], t["rows_rejected"]) for t in report["targets"]} == {
        t: (i, r) for t, i, r in loads
    }
    layers: dict[str, int] = defaultdict(int)
    for target, inserted, _ in loads:
        layers[layer_of(target)] += inserted
    assert {x["layer"]: x["rows_inserted"] for x in report["layers"]} == layers
    assert {"hubs", "links", "satellites"} <= set(layers)
    totals = report["totals"]
    assert totals["rows_inserted"] == sum(i for _, i, _ in loads) == sum(layers.values())
    assert totals["rows_read"] == sum(r for _, r, _, _ in staged)
    assert totals["rows_staged"] == sum(s for _, _, s, _ in staged)
    assert totals["rows_quarantined"] == sum(q for _, _, _, q in staged)
    assert totals["rows_read"] == totals["rows_staged"] + totals["rows_quarantined"]

    # the reconciliation: the rule checked for every source, every other count agreeing
    rec = report["reconciliation"]
    assert rec["rule"] == RULE and rec["ok"] and rec["mismatches"] == []
    assert sorted(c["source"] for c in rec["checks"] if c["check"] == RULE) == [s for s, *_ in staged]
    assert len(rec["checks"]) > len(staged)  # the quarantine, extract and file counts too

    printed = _human(dsn, 1, capsys)
    assert "reconciliation: reconciled" in printed
    assert f"{RULE}: holds for {len(staged)} of {len(staged)} source(s)" in printed
    assert f"{totals['rows_inserted']:,}" in printed and "hubs (" in printed and "satellites (" in printed


def test_a_mismatch_is_flagged(demo_marts: Any, capsys: pytest.CaptureFixture[str]) -> None:
    report = _audit(demo_marts.dsn, 1, capsys)
    broken = copy.deepcopy(report)
    source = next(s for s in broken["sources"] if s["rows_read"])
    source["rows_staged"] -= 1  # one row neither staged nor quarantined
    broken["reconciliation"] = reconcile(broken)
    assert not broken["reconciliation"]["ok"]
    [mismatch] = broken["reconciliation"]["mismatches"]
    assert (mismatch["source"], mismatch["check"]) == (source["source"], RULE)
    console = Console(file=io.StringIO(), width=160, color_system=None)
    render(broken, console)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "reconciliation: 1 mismatch(es)" in text
    assert f"x {source['source']}: {RULE}: {source['rows_read']} = {source['rows_staged']} + " in text


def test_batch_3_shows_its_failed_check_and_the_acceptance(demo_marts: Any, capsys: pytest.CaptureFixture[str]) -> None:
    dsn = demo_marts.dsn
    q = _audit(dsn, 3, capsys)["quality"]
    ((run_id, passed, checks, failed),) = _rows(
        dsn, "SELECT run_id, passed, checks, failed FROM dv_meta.quality_gate WHERE batch_id = 3"
    )
    assert not passed and failed >= 1
    assert (q["run_id"], q["passed"], q["checks"], q["failed"], q["verdict"]) == (
        run_id, False, checks, failed, "failed, accepted"
    )  # fmt: skip
    failures = _rows(
        dsn,
        "SELECT dataset, check_name, measured_value FROM dv_meta.quality_result WHERE run_id = %s AND outcome = 'fail'"
        " ORDER BY result_id",
        (run_id,),
    )
    assert len(failures) == failed
    got = [(c["dataset"], c["check"], c["measured_value"]) for c in q["not_passed"] if c["outcome"] == "fail"]
    assert got == failures
    ((who, when),) = _rows(dsn, "SELECT accepted_by, accepted_at FROM dv_meta.gate_acceptance WHERE batch_id = 3")
    assert q["acceptance"] == {"accepted_by": who, "accepted_at": when.isoformat(), "reason": DEMO_ACCEPT_REASON}

    printed = _human(dsn, 3, capsys)
    assert "quality gate: failed, accepted" in printed
    assert f"accepted by {who} at {when:%Y-%m-%d %H:%M:%S}: {DEMO_ACCEPT_REASON}" in printed
    for dataset, check, _ in failures:
        assert dataset in printed and check in printed


def test_quarantine_rows_of_batch_1_match_dv_meta(demo_marts: Any, capsys: pytest.CaptureFixture[str]) -> None:
    dsn = demo_marts.dsn
    rows = _rows(
        dsn,
        "SELECT quarantine_id, source, reason, dv_row_no, source_row FROM dv_meta.quarantine WHERE batch_id = 1"
        " ORDER BY quarantine_id",
    )
    assert rows, "the simulator's defects quarantine rows in batch 1"
    expected: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for qid, source, reason, row_no, source_row in rows:
        expected[(source, reason)].append((qid, row_no, source_row))
    for n in (5, 1):
        q = _audit(dsn, 1, capsys, "--quarantine-rows", str(n))["quarantine"]
        assert q["rows"] == len(rows)
        assert {(g["source"], g["reason"]): g["rows"] for g in q["groups"]} == {k: len(v) for k, v in expected.items()}
        for g in q["groups"]:
            got = [(e["quarantine_id"], e["row_no"], e["source_row"]) for e in g["examples"]]
            assert got == expected[(g["source"], g["reason"])][:n]
            assert g["step"] == ("extract" if g["reason"].startswith("extract:") else "stage")
    # the stage's quarantined counts are its rows of dv_meta.quarantine
    stage = defaultdict(int)
    for (source, reason), found in expected.items():
        if not reason.startswith("extract:"):
            stage[source] += len(found)
    counted = _rows(dsn, "SELECT source, rows_quarantined FROM dv_meta.batch_source WHERE batch_id = 1")
    for source, quarantined in counted:
        assert stage.get(source, 0) == quarantined

    printed = _human(dsn, 1, capsys)
    assert f"quarantine (dv_meta.quarantine): {len(rows)} row(s)" in printed
    for (_, reason), found in expected.items():
        assert reason in printed and f"row {found[0][1]}:" in printed


def test_json_has_every_section_and_the_marts_of_each_batch(
    demo_marts: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    dsn = demo_marts.dsn
    for batch in (1, 2, 3):
        report = _audit(dsn, batch, capsys)
        assert tuple(report) == SECTIONS
        assert report["batch"]["batch_id"] == batch and report["batch"]["status"] == "succeeded"
        assert report["sources"] and report["targets"] and report["layers"]
        tasks = report["tasks"]
        assert tasks["failed"] == 0 and tasks["done"] + tasks["skipped"] == len(tasks["runs"]) > 0
        assert report["quality"] is not None
        assert isinstance(report["anomalies"], list) and isinstance(report["alerts"], list)
        refreshes = _rows(
            dsn,
            "SELECT run_id, object, mode, rows_total FROM dv_meta.mart_refresh WHERE batch_id = %s"
            " ORDER BY run_id, refresh_id",
            (batch,),
        )
        assert refreshes, f"the demo refreshed the marts to batch {batch}"
        got = [(r["run_id"], r["object"], r["mode"], r["rows"]) for r in report["marts"]["refreshes"]]
        assert got == refreshes
        alerts = _rows(dsn, "SELECT kind, message FROM dv_meta.alert WHERE batch_id = %s ORDER BY alert_id", (batch,))
        assert [(a["kind"], a["message"]) for a in report["alerts"]] == alerts
    # the gate of batch 1 failed: its alert and the skipped marts task are in the audit
    report = _audit(dsn, 1, capsys)
    assert any(a["kind"] == "quality_failed" for a in report["alerts"])
    assert [r["status"] for r in report["tasks"]["runs"] if r["task"] == "marts"] == ["skipped"]


def test_unknown_batch_exits_1_with_a_hint(demo_marts: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", "999", "--dsn", demo_marts.dsn]) == 1
    captured = capsys.readouterr()
    assert "batch 999 does not exist" in captured.err
    assert "hint: the latest batches are 3, 2, 1" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert main(["batch", "1", "--dsn", demo_marts.dsn, "--quarantine-rows", "-1"]) == 1
    assert "--quarantine-rows must be 0 or more" in capsys.readouterr().err


def test_late_data_grouped_with_its_first_rows(warehouse: Any) -> None:
    """Late rows a batch rejected, by target and reason, each group with its first rows (late_id order)."""
    from pipelines.audit.batch_audit import audit_batch
    from pipelines.project import Project
    from pipelines.warehouse import apply, open_batch
    from tests.conftest import REPO

    apply(warehouse, Project.open(REPO))
    batch, _ = open_batch(warehouse)
    with warehouse.cursor() as cur:
        cur.execute(
            "INSERT INTO dv_meta.late_data (batch_id, target, hash_key, applied_dts, latest_applied_dts, reason,"
            " staged_row) SELECT %s, t, 'k' || n, timestamptz '2026-01-01' + n * interval '1 hour',"
            " timestamptz '2026-02-01', r, jsonb_build_object('dv_row_no', n)"
            " FROM (VALUES (1, 'sat.a', 'late'), (2, 'sat.a', 'late'), (3, 'sat.a', 'late'), (4, 'sat.b', 'late'),"
            " (5, 'sat.a', 'other')) AS v(n, t, r)",
            (batch,),
        )
    warehouse.commit()
    late = audit_batch(warehouse, batch, quarantine_rows=2)["late_data"]
    assert late["rows"] == 5
    got = {(g["target"], g["reason"]): (g["rows"], [e["hash_key"] for e in g["examples"]]) for g in late["groups"]}
    assert got == {
        ("sat.a", "late"): (3, ["k1", "k2"]),
        ("sat.a", "other"): (1, ["k5"]),
        ("sat.b", "late"): (1, ["k4"]),
    }
