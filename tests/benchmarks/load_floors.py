"""The floors a batch is measured against, on the rows that batch landed.

The landing tables are emptied by the stage step, so the landed rows are taken back from the stage
tables: each source's staged rows of the batch, its declared columns only, written by ``COPY ... TO``
to a file (PostgreSQL's text form of the typed values, which casts back to the same values). Rows the
stage step quarantined are not in the stage table, so they are missing from the floors (a handful: the
simulator's injected defects).

- copy floor: ``COPY ... FROM`` that file into an empty table shaped like the source's landing table
  (``LIKE staging.<landing> INCLUDING IDENTITY``: every column text, the landing order generated),
  committed; summed over the sources.
- hash floor: one ``CREATE TABLE AS`` per source over that copy, computing in one pass what the stage
  step writes: each column cast to its type, each hash key and hashdiff with the very expressions of
  the stage step (``generator.stage_plan.build_stage_plan`` with the PostgreSQL dialect, as
  ``staging/stage.sql.j2`` uses them), the batch columns and the applied timestamp; without the
  castability checks, the quarantine and the reconciliation. Summed over the sources.

Each floor is its own transaction on a warm cache, measured in the same run as the pipeline.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import constants as C
from generator.dialects import get_dialect
from generator.model import load_model
from generator.resolve import Source
from generator.stage_plan import build_stage_plan
from pipelines.project import Project

FLOOR_SCHEMA = "bench_floor"
TABLE, BATCH = "__floor_table__", "__floor_batch__"  # placeholders of the hash floor's SELECT


@dataclass
class FloorSource:
    name: str
    landing: str  # landing table in staging
    stage: str  # stage table in staging
    select: str  # the hash floor's SELECT, reading TABLE, for batch BATCH


@dataclass
class Floor:
    source: str
    rows: int
    copy_s: float
    hash_s: float


def floor_sources(project: Project) -> list[FloorSource]:
    """Every staged source of the project, with its one-pass hash SELECT built from the model."""
    model = load_model(project.root / "model", project.root)
    d = get_dialect("postgres")
    out = []
    for node in project.with_statement("stage"):
        source = model.sources[node.name]
        out.append(FloorSource(source.name, source.landing_table, source.stage_table, hash_select(source, d, model)))
    return out


def hash_select(source: Source, d: Any, model: Any) -> str:
    """The stage step's output row computed in one pass, with placeholders ``TABLE`` and ``BATCH``."""
    algorithm = model.algorithm
    plan = build_stage_plan(source, d, algorithm)
    typed = [f"c.{C.COL_ROW_NO}"] + [f"{d.cast('c.' + c.name, c.type)} AS {c.name}" for c in source.columns]
    keyed = ["t.*"] + [f"{kv.expr} AS {kv.alias}" for kv in plan.key_values]
    hashed = ["k.*"] + [f"{h.key_string} AS {h.key_string_alias}" for h in plan.hash_columns]
    applied = f"COALESCE(v.{source.applied_ts}::timestamptz, b.load_dts)" if source.applied_ts else "b.load_dts"
    row = [
        f"b.batch_id AS {C.COL_BATCH_ID}",
        f"b.load_dts AS {C.COL_LOAD_DTS}",
        f"{d.literal(source.record_source)} AS {C.COL_RECORD_SOURCE}",
        f"v.{C.COL_ROW_NO}",
        f"{applied} AS {C.COL_APPLIED_DTS}",
    ]
    row += [f"{d.hash_key('v.' + h.key_string_alias, algorithm)} AS {h.column}" for h in plan.hash_columns]
    row += [f"{expr} AS {column}" for column, expr in plan.hashdiffs]
    row += [f"v.{c}" for c in source.column_names()]
    sep = ",\n    "
    return (
        f"SELECT\n    {sep.join(row)}\n"
        f"FROM (SELECT {', '.join(hashed)} FROM (SELECT {', '.join(keyed)} FROM (SELECT {', '.join(typed)}"
        f" FROM {TABLE} AS c) AS t) AS k) AS v\n"
        f"CROSS JOIN (SELECT batch_id, load_dts FROM {C.SCHEMA_META}.batch WHERE batch_id = {BATCH}) AS b"
    )


def _columns(cur: Any, table: str) -> list[str]:
    cur.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped"
        " ORDER BY attnum",
        (f"{C.SCHEMA_STAGING}.{table}",),
    )
    return [str(a) for (a,) in cur.fetchall() if a != C.COL_ROW_NO]


def measure(conn: Any, sources: list[FloorSource], batch_id: int, folder: Path) -> list[Floor]:
    """Copy floor and hash floor of each source for the rows ``batch_id`` staged."""
    out = []
    with conn.cursor() as cur:
        cur.execute(f"CREATE SCHEMA IF NOT EXISTS {FLOOR_SCHEMA}")
    conn.commit()
    for src in sources:
        landed = f"{FLOOR_SCHEMA}.l{batch_id}_{src.landing}"
        hashed = f"{FLOOR_SCHEMA}.h{batch_id}_{src.landing}"
        path = folder / f"{batch_id}_{src.name}.copy"
        with conn.cursor() as cur:
            columns = ", ".join(_columns(cur, src.landing))
            with path.open("w", encoding="utf-8") as handle:
                cur.copy_expert(
                    f"COPY (SELECT {columns} FROM {C.SCHEMA_STAGING}.{src.stage} WHERE {C.COL_BATCH_ID} = {batch_id}"
                    f" ORDER BY {C.COL_ROW_NO}) TO STDOUT",
                    handle,
                )
            cur.execute(f"DROP TABLE IF EXISTS {landed}, {hashed}")
            cur.execute(f"CREATE TABLE {landed} (LIKE {C.SCHEMA_STAGING}.{src.landing} INCLUDING IDENTITY)")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cur, path.open(encoding="utf-8") as handle:
            cur.copy_expert(f"COPY {landed} ({columns}) FROM STDIN", handle)
            rows = int(cur.rowcount)
        conn.commit()
        copy_s = time.perf_counter() - started
        started = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute(f"CREATE TABLE {hashed} AS " + src.select.replace(TABLE, landed).replace(BATCH, str(batch_id)))
        conn.commit()
        out.append(Floor(src.name, rows, copy_s, time.perf_counter() - started))
        path.unlink()
    return out
