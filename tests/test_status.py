"""``dv status``: readable in an 80-column terminal (cells wrap, never cut), times in UTC to the second, the
rows per table the README promises, honest labels; and the quarantine counts of a batch agree with the demo's
summary and ``dv batch``.

The rendering tests run on a report built here (no database); the agreement test on the ``demo_marts``
session fixture (3 simulated days through the pipeline, feed lines the parser quarantined and timestamps the
stage step quarantined)."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from rich.console import Console

from pipelines.audit.status import show_status, when
from pipelines.cli import main

LONG_SOURCE = "platform_application_status_history"  # the demo's longest source name: 35 characters


def _report() -> dict[str, Any]:
    batch = {
        "status": "succeeded",
        "started_at": "2026-03-05T06:00:01.254311+00:00",
        "finished_at": "2026-03-05T06:00:14.706127+00:00",
        "seconds": 13.45,
        "rows_read": 1_724_000,
        "rows_staged": 1_723_998,
        "rows_quarantined": 2,
        "rows_unparsable": 6,
        "rows_inserted": 1_568_123,
        "quality_gate": "failed",
        "gate_accepted": True,
    }
    return {
        "batches": [
            {**batch, "batch_id": 12, "load_dts": "2026-03-05T07:00:00.123456+01:00"},
            {
                **batch,
                "batch_id": 11,
                "load_dts": "2026-03-04T06:00:00+00:00",
                "quality_gate": "not run",
                "gate_accepted": False,
                "status": "running",
                "seconds": None,
            },
        ],
        "failures": [],
        "sources": [
            {
                "source": LONG_SOURCE,
                "last_extract": "2026-03-05T06:00:03.5+00:00",
                "last_extract_batch": 12,
                "rows_read_last": 59,
                "rows_read_total": 12_199,
                "freshness_hours": None,
                "stale": False,
            },
            {
                "source": "events_job_views",
                "last_extract": "2026-03-04T22:10:09.000001-02:00",
                "last_extract_batch": 12,
                "rows_read_last": 749,
                "rows_read_total": 2_258,
                "freshness_hours": 3.0,
                "stale": True,
            },
            {
                "source": "crm_accounts",
                "last_extract": None,
                "last_extract_batch": None,
                "rows_read_last": None,
                "rows_read_total": 0,
                "freshness_hours": 30.0,
                "stale": False,
            },
        ],
        "tables": [
            {"table": "raw_vault.hub_application", "rows_estimate": 4652},
            {"table": f"staging.{LONG_SOURCE}_stage", "rows_estimate": 12_199},
            {"table": "staging.crm_accounts", "rows_estimate": None},
        ],
        "alerts_last_day": 4,
    }


def _render(report: dict[str, Any], width: int = 80) -> str:
    buffer = io.StringIO()
    show_status(report, Console(file=buffer, width=width, highlight=False, soft_wrap=True, emoji=False))
    return buffer.getvalue()


def test_status_fits_80_columns_and_cuts_no_cell() -> None:
    text = _render(_report())
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80, text
    assert "…" not in text, text  # no cell cut with an ellipsis
    # every informative cell whole on its line: names, statuses, counts, times (the date and the time of a
    # folded timestamp each whole)
    cells = (LONG_SOURCE, "events_job_views", "succeeded", "running", "failed, accepted", "not run", "1,724,000",
             "1,723,998", "1,568,123", "12,199", "2,258", "13.4", "3 h stale", "30 h", "never")  # fmt: skip
    for cell in cells:
        assert any(cell in line for line in lines), (cell, text)
    # times in UTC, to the second: the load time of batch 12 was 07:00 at +01:00
    assert any(re.search(r"\b12\s+2026-03-05 06:00:00\s+succeeded\b", line) for line in lines), text
    assert "06:00:00.123456" not in text and "+01:00" not in text and "T06" not in text
    assert any("2026-03-05" in line for line in lines) and any("00:10:09" in line for line in lines), text


def test_status_shows_the_rows_per_table_and_labels_totals() -> None:
    text = _render(_report())
    # the per-table row estimates the README promises
    assert "rows per table" in text
    assert re.search(r"raw_vault\.hub_application\s+4,652", text), text
    assert re.search(rf"staging\.{LONG_SOURCE}_stage\s+12,199", text), text
    assert re.search(r"staging\.crm_accounts\s+not analysed", text), text
    # a source's total over all batches is labelled as such, beside its last extract's rows
    assert "rows (last): records the source's last extract read; rows (all): every extract's, over all" in " ".join(
        text.split()
    )
    assert re.search(rf"{LONG_SOURCE}\s+2026-03-05\s+59\s+12,199", text), text
    # each batch's quarantine: the stage step's and the feed parsers', named
    assert re.search(r"batch\s+read\s+staged\s+quarantined\s+unparsable\s+inserted", text), text
    assert re.search(r"12\s+1,724,000\s+1,723,998\s+2\s+6\s+1,568,123", text), text


def test_when_is_utc_to_the_second() -> None:
    assert when("2026-03-05T07:00:00.999999+01:00") == "2026-03-05 06:00:00"
    assert when(None) == ""


# --- one batch, three places: the demo's summary, dv status, dv batch ---------------------------------------


@pytest.mark.db
def test_quarantine_counts_agree_between_demo_status_and_batch(
    demo_marts: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines.demo.sample import day_line

    dsn = demo_marts.dsn
    assert main(["status", "--dsn", dsn, "--json"]) == 0
    status = {b["batch_id"]: b for b in json.loads(capsys.readouterr().out)["batches"]}
    assert main(["status", "--dsn", dsn]) == 0
    human_status = capsys.readouterr().out
    both = 0
    for day, summary in enumerate(demo_marts.run.batches, start=1):
        b = summary.batch_id
        assert main(["batch", str(b), "--dsn", dsn, "--json"]) == 0
        audit = json.loads(capsys.readouterr().out)
        stage = audit["totals"]["rows_quarantined"]  # dv batch: the stage step's (dv_meta.batch_source)
        unparsable = sum(s["quarantine_rows"]["extract"] for s in audit["sources"])  # the feed parsers'
        assert stage + unparsable == audit["quarantine"]["rows"]  # every row of dv_meta.quarantine, one of both
        # the demo's summary, dv status and dv batch say the same two numbers
        assert (summary.quarantined, summary.unparsable) == (stage, unparsable), day
        assert (status[b]["rows_quarantined"], status[b]["rows_unparsable"]) == (stage, unparsable), b
        line = day_line(day, summary)
        assert f"{summary.staged} staged, {stage} quarantined; " in line, line
        assert (f"{unparsable} unparsable feed record(s)" in line) == (unparsable > 0), line
        row = rf"\n\s*{b}\s+{status[b]['rows_read']:,}\s+{status[b]['rows_staged']:,}\s+{stage:,}\s+{unparsable:,}\s"
        assert re.search(row, human_status), human_status
        assert main(["batch", str(b), "--dsn", dsn]) == 0
        human_batch = " ".join(capsys.readouterr().out.split())
        assert (
            f"quarantine (dv_meta.quarantine): {stage + unparsable} row(s) = {stage} quarantined by the stage step"
            f" + {unparsable} unparsable" in human_batch
        ) == (stage + unparsable > 0), human_batch
        both += stage > 0 and unparsable > 0
    assert both, "the demo quarantines rows at both steps in some batch"
