"""The extract step of one source for one batch, whatever kind of source it is.

- database sources (a ``table``/``query``): the landing table is emptied, then the rows of the
  watermark window are streamed in (:mod:`pipelines.extract.database`): for an incremental source,
  rows whose watermark is later than the previous batch's highest value less the look-back, and not
  later than this batch's ``load_dts``; a full extract reads everything up to ``load_dts``. The
  highest watermark landed is recorded in ``dv_meta.watermark``. Rows re-read by the look-back are
  no change for the vault (reruns and re-deliveries insert nothing), and late commits are not lost.
- file feeds (a ``feed``): the files not loaded yet, up to the batch's day, are parsed into the
  landing table (:mod:`pipelines.extract.files`); each file loads once (checksums in dv_meta.file_log).
- sources with neither: their rows are landed by hand (``dv land``); nothing to do.

Emptying the landing table first makes a retried database extract idempotent. A feed is not emptied:
a source's files land with their ``file_log`` rows in one transaction, so a retry goes on where it
stopped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.manifest_model import SourceNode
from pipelines.db import transaction
from pipelines.project import Project


@dataclass
class ExtractResult:
    rows_read: int
    rows_landed: int
    rows_quarantined: int


def extract_source(
    conn: Any,
    project: Project,
    node: SourceNode,
    *,
    batch_id: int,
    source_dsn: str | None,
    landing_dir: Path,
    look_back: dt.timedelta,
) -> ExtractResult:
    if node.feed is not None:
        return _extract_feed(conn, project, node, batch_id, landing_dir)
    if node.source_table or node.query:
        return _extract_database(conn, project, node, batch_id, source_dsn, look_back)
    return ExtractResult(0, 0, 0)


def _batch_load_dts(conn: Any, batch_id: int) -> dt.datetime:
    with transaction(conn) as cur:
        cur.execute("SELECT load_dts FROM dv_meta.batch WHERE batch_id = %s", (batch_id,))
        row = cur.fetchone()
    stamp: dt.datetime = row[0]
    return stamp


def _extract_database(
    conn: Any, project: Project, node: SourceNode, batch_id: int, source_dsn: str | None, look_back: dt.timedelta
) -> ExtractResult:
    from pipelines.extract.database import extract

    name = node.name
    watermark = node.watermark
    until = _batch_load_dts(conn, batch_id) if watermark else None  # a full extract without one reads all
    since = None
    if node.extract == "incremental" and watermark:
        with transaction(conn) as cur:
            cur.execute(
                "SELECT max(high_value) FROM dv_meta.watermark WHERE source = %s AND batch_id <> %s",
                (name, batch_id),
            )
            (previous,) = cur.fetchone()
        since = None if previous is None else previous - look_back
    with transaction(conn) as cur:
        cur.execute(f"TRUNCATE staging.{node.landing_table}")
    rows = extract(conn, project, name, dsn=source_dsn or None, since=since, until=until)
    with transaction(conn) as cur:
        high = None
        if watermark:
            cur.execute(f"SELECT max(NULLIF({watermark}, '')::timestamptz) FROM staging.{node.landing_table}")
            (high,) = cur.fetchone()
        cur.execute(
            "INSERT INTO dv_meta.watermark (source, batch_id, high_value, rows_read, read_from)"
            " VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (source, batch_id) DO UPDATE SET high_value = EXCLUDED.high_value,"
            " rows_read = EXCLUDED.rows_read, read_from = EXCLUDED.read_from, recorded_at = clock_timestamp()",
            (name, batch_id, high if high is not None else since, rows, since),
        )
    return ExtractResult(rows, rows, 0)


def _extract_feed(conn: Any, project: Project, node: SourceNode, batch_id: int, landing_dir: Path) -> ExtractResult:
    from pipelines.extract.files import land_feed

    until = _batch_load_dts(conn, batch_id).date()
    result = land_feed(conn, project, node.id, landing_dir, batch_id, until=until)
    return ExtractResult(result.rows_landed + result.rows_quarantined, result.rows_landed, result.rows_quarantined)
