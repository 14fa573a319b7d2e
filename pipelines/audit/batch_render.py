"""``dv batch B`` for people: the audit of one batch (``batch_audit.py``) as tables, section by section.

What needs attention is in red or yellow: a source not staged, quarantined and late rows, a count that does
not reconcile, a task that failed, a quality gate that did not pass, anomalies and alerts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipelines.audit.batch_reconcile import RULE

PIPED_WIDTH = 120


def show_batch(report: dict[str, Any], out: Console, *, as_json: bool = False) -> None:
    """``dv batch``'s output: the report as JSON, or rendered for people."""
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    render(report, out)


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
        f = s["files"]
        unparsable = s["quarantine_rows"]["extract"]  # the parser's rows of dv_meta.quarantine (dv land's too)
        table.add_row(
            s["source"] if s["rows_read"] is not None else f"{s['source']} [red](not staged)[/]",
            _n(s["rows_read"]),
            _n(s["rows_staged"]),
            _warn(s["rows_quarantined"]),
            _warn(unparsable) if unparsable else "",
            "" if f is None else (_n(f["files"]) + (f" [red]({f['problems']} not loaded)[/]" if f["problems"] else "")),
        )
    table.add_section()
    unparsable = sum(s["quarantine_rows"]["extract"] for s in report["sources"])
    table.add_row(
        "total", _n(t["rows_read"]), _n(t["rows_staged"]), _warn(t["rows_quarantined"]), _warn(unparsable), ""
    )
    out.print(table)
    out.print(
        "  read: rows of the landing table the stage step read (read = staged + quarantined); quarantined: rows the"
        " stage step quarantined (a value that does not cast); unparsable: records a feed's parser quarantined"
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
    unparsable = sum(g["rows"] for g in q["groups"] if g["step"] == "extract")
    out.print(
        f"[bold]quarantine[/] (dv_meta.quarantine): {q['rows']} row(s) = {q['rows'] - unparsable} quarantined by the"
        f" stage step + {unparsable} unparsable, by source and reason"
    )
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
