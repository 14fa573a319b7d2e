"""The reconciliation of ``dv batch B`` (``batch_audit.py``): the totals of a batch and every count that must
agree with another, checked on the report itself (no query).

Per source, the stage step's rule (rows read = rows staged + rows quarantined); the quarantine table's count
of each step; the extract task's counts (rows landed = rows read by the stage, its read = landed +
quarantined); the feed files' counts (their read = landed + quarantined, their landed = the extract's).
"""

from __future__ import annotations

from typing import Any

RULE = "rows read = rows staged + rows quarantined"


def totals(report: dict[str, Any]) -> dict[str, Any]:
    """The batch's totals over its sources, targets and files."""
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


def reconcile(report: dict[str, Any]) -> dict[str, Any]:
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
