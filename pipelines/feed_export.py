"""Export the matching feed (marts.feed_match_*) as a versioned Parquet snapshot for the ML matching system.

``export_feed(conn, out_dir)`` writes::

    <out_dir>/matching/<snapshot id>/applications.parquet   marts.feed_match_application, by application_id
                                     candidates.parquet     marts.feed_match_candidate, by candidate_id
                                     jobs.parquet           marts.feed_match_job, by job_id
                                     schema.json            feed schema version, columns (Arrow and PostgreSQL
                                                            types, descriptions from the manifest), row counts,
                                                            the batch and load_dts reflected, sha256 per file

The snapshot id is ``batch-<batch id, 6 digits>``: the batch the feed tables reflect (their latest refresh in
``dv_meta.mart_refresh``), unless ``version`` names it. Everything is read in ONE read-only repeatable-read
transaction (the three tables and the refresh record agree), streamed through a server-side cursor in chunks
into a ``pyarrow.parquet.ParquetWriter`` (a chunk at a time in memory), in the key order, so the same batch
gives the same rows in the same order. The snapshot is written into a temporary folder beside the target and
renamed into place when complete: a reader sees a whole snapshot or none. An existing snapshot is never
overwritten: exporting the same batch again returns the existing folder unchanged.

What it knows of the feed objects (description, key, columns and their descriptions) comes from the project's
manifest (``vault_sql/manifest.json``, the nodes ``feed.<name>`` the feed kind writes), never from ``model/``;
the column types are the built tables' (the catalog), checked against the manifest's column names.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import pyarrow as pa
import pyarrow.parquet as pq

from generator.errors import WarehouseError
from generator.manifest_model import SqlNode
from pipelines.project import Project

REPO = Path(__file__).resolve().parent.parent
FEED = "matching"
FEED_SCHEMA_VERSION = 1  # bump when a column is removed, renamed or changes meaning
SCHEMA_FILE = "schema.json"
CHUNK_ROWS = 50_000
COMPRESSION = "zstd"
MARTS = "marts"
# file name -> feed table (manifest node feed.<table>), in the order of schema.json
FILES: tuple[tuple[str, str], ...] = (
    ("applications", "feed_match_application"),
    ("candidates", "feed_match_candidate"),
    ("jobs", "feed_match_job"),
)
NODE_PREFIX = "feed."  # manifest id of a feed object: feed.<name>
_SNAPSHOT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

_SCALARS: dict[str, pa.DataType] = {
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "smallint": pa.int16(),
    "double precision": pa.float64(),
    "real": pa.float32(),
    "boolean": pa.bool_(),
    "text": pa.string(),
    "uuid": pa.string(),  # canonical text form (8-4-4-4-12), selected as ::text
    "date": pa.date32(),
    "timestamp with time zone": pa.timestamp("us", tz="UTC"),
    "timestamp without time zone": pa.timestamp("us"),
    "numeric": pa.float64(),  # unconstrained numeric: no fixed scale to keep
}


@dataclass(frozen=True)
class FeedColumn:
    name: str
    pg_type: str
    arrow_type: pa.DataType
    description: str


def arrow_type(pg_type: str) -> pa.DataType:
    """The Arrow type of a PostgreSQL column type (``format_type`` text)."""
    if pg_type.endswith("[]"):  # Parquet's standard list layout: the item field is named "element"
        return pa.list_(pa.field("element", arrow_type(pg_type[:-2])))
    m = re.fullmatch(r"numeric\((\d+),(\d+)\)", pg_type)
    if m:
        return pa.decimal128(int(m.group(1)), int(m.group(2)))
    if re.fullmatch(r"(character|character varying|bpchar|varchar)(\(\d+\))?", pg_type):
        return pa.string()
    try:
        return _SCALARS[pg_type]
    except KeyError:
        raise WarehouseError(f"the feed has a column of type {pg_type}, which the exporter cannot map") from None


def feed_specs(project: Project | None = None) -> dict[str, SqlNode]:
    """The feed objects as the manifest describes them (table name -> its node: description, key, columns with
    their descriptions): of the given project, else of this repository (its vault_sql/)."""
    project = project or Project.open(REPO)
    out = {}
    for _, table in FILES:
        node = project.manifest.nodes.get(NODE_PREFIX + table)
        if not isinstance(node, SqlNode):
            raise WarehouseError(f"{table} is not a feed of the project's manifest\n    hint: dv generate")
        out[table] = node
    return out


def export_feed(
    conn: psycopg2.extensions.connection,
    out_dir: Path,
    version: str | None = None,
    *,
    project: Project | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Path:
    """Write the snapshot of the matching feed; returns its folder ``<out_dir>/matching/<snapshot id>``.

    ``version`` names the snapshot (default ``batch-<batch id>``). When the folder exists already, nothing is
    written and it is returned unchanged, provided it reflects the same batch (else WarehouseError).
    A connection without an open transaction (the usual case) gets a read-only repeatable-read transaction of
    the export's own, ended before returning; inside a transaction of the caller's, the caller's snapshot
    rules apply and the transaction is left open. Errors a user can act on are WarehouseError (with a hint)."""
    if version is not None and not _SNAPSHOT_NAME.fullmatch(version):
        raise WarehouseError(
            f"snapshot name {version!r} is not allowed\n    hint: letters, digits, '.', '_', '-' (e.g. batch-000003)"
        )
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    specs = feed_specs(project)
    feed_dir = Path(out_dir) / FEED
    autocommit = conn.autocommit
    started_here = conn.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_IDLE
    if autocommit:
        conn.autocommit = False
    try:
        with conn.cursor() as cur:
            if started_here:  # one snapshot for the refresh record and the three tables
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SET LOCAL TimeZone = 'UTC'")
        batch_id, load_dts = _reflected_batch(conn)
        snapshot = version or f"batch-{batch_id:06d}"
        target = feed_dir / snapshot
        if target.exists():
            return _existing(target, batch_id)
        feed_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{snapshot}.", suffix=".tmp", dir=feed_dir))
        try:
            files = {}
            for file_name, table in FILES:
                files[file_name] = _write_table(conn, tmp, file_name, table, specs[table], batch_id, chunk_rows)
            manifest = {
                "feed": FEED,
                "feed_schema_version": FEED_SCHEMA_VERSION,
                "snapshot_id": snapshot,
                "batch_id": batch_id,
                "load_dts": load_dts.astimezone(dt.UTC).isoformat(),
                "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "format": {"type": "parquet", "compression": COMPRESSION, "arrow_version": pa.__version__},
                "columns_fingerprint": _fingerprint(files),
                "files": files,
            }
            (tmp / SCHEMA_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
            _fsync(tmp / SCHEMA_FILE)
            _fsync_dir(tmp)
            tmp.chmod(0o755)  # mkdtemp made it private; the snapshot is for other readers too
            try:
                os.rename(tmp, target)  # atomic; fails when another export got there first
            except OSError:
                if target.exists():
                    return _existing(target, batch_id)
                raise
            _fsync_dir(feed_dir)
            return target
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if started_here:
            conn.rollback()  # read only: nothing to keep
        if autocommit:
            conn.autocommit = True


def _reflected_batch(conn: psycopg2.extensions.connection) -> tuple[int, dt.datetime]:
    """The batch the feed tables reflect: their latest refresh, the same for the three."""
    objects = [NODE_PREFIX + t for _, t in FILES]
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('dv_meta.mart_refresh') IS NOT NULL")
        if not cur.fetchone()[0]:
            raise WarehouseError("dv_meta.mart_refresh not found: the marts were never built\n    hint: dv marts")
        cur.execute(
            "SELECT o.object, max(r.batch_id) FROM unnest(%s::text[]) AS o(object)"
            " LEFT JOIN dv_meta.mart_refresh AS r ON r.object = o.object GROUP BY o.object ORDER BY o.object",
            (objects,),
        )
        found = dict(cur.fetchall())
        never = [o for o, b in found.items() if b is None]
        if never:
            raise WarehouseError(f"the feed was never built ({', '.join(never)})\n    hint: dv marts")
        batches = set(found.values())
        if len(batches) != 1:
            detail = ", ".join(f"{o} batch {b}" for o, b in sorted(found.items()))
            raise WarehouseError(f"the feed tables reflect different batches ({detail})\n    hint: dv marts")
        batch_id = int(batches.pop())
        cur.execute("SELECT load_dts FROM dv_meta.batch WHERE batch_id = %s", (batch_id,))
        row = cur.fetchone()
        if row is None:
            raise WarehouseError(f"batch {batch_id} is not in dv_meta.batch")
        return batch_id, row[0]


def _existing(target: Path, batch_id: int) -> Path:
    """An existing snapshot is returned unchanged when it reflects the same batch; anything else is refused."""
    schema = target / SCHEMA_FILE
    try:
        found = json.loads(schema.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise WarehouseError(
            f"{target} exists but is not a feed snapshot (no readable {SCHEMA_FILE})\n"
            "    hint: move it away; snapshots are never overwritten"
        ) from None
    if found.get("batch_id") != batch_id:
        raise WarehouseError(
            f"snapshot {target} exists and reflects batch {found.get('batch_id')}, the feed now batch {batch_id}\n"
            "    hint: give the new snapshot another name (version); snapshots are never overwritten"
        )
    return target


def _columns(conn: psycopg2.extensions.connection, table: str, spec: SqlNode) -> list[FeedColumn]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute AS a"
            " WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            (f"{MARTS}.{table}",),
        )
        built = cur.fetchall()
    if not built:
        raise WarehouseError(f"{MARTS}.{table} not found\n    hint: dv marts")
    declared = {c.name: c.description for c in spec.columns}
    names = [n for n, _ in built]
    if names != list(declared):
        raise WarehouseError(
            f"the columns of {MARTS}.{table} differ from the manifest's (built: {', '.join(names)})\n    hint: dv marts"
        )
    return [FeedColumn(n, t, arrow_type(t), declared[n]) for n, t in built]


def _write_table(
    conn: psycopg2.extensions.connection,
    folder: Path,
    file_name: str,
    table: str,
    spec: SqlNode,
    batch_id: int,
    chunk_rows: int,
) -> dict[str, Any]:
    columns = _columns(conn, table, spec)
    key = list(spec.key)
    schema = pa.schema(
        [pa.field(c.name, c.arrow_type, nullable=True, metadata={"description": c.description}) for c in columns],
        metadata={
            "feed": FEED,
            "feed_schema_version": str(FEED_SCHEMA_VERSION),
            "table": f"{MARTS}.{table}",
            "batch_id": str(batch_id),
            "description": " ".join(spec.description.split()),
        },
    )
    select = ", ".join(f'"{c.name}"::text' if c.pg_type == "uuid" else f'"{c.name}"' for c in columns)
    order = ", ".join(f'"{k}"' for k in key)
    path = folder / f"{file_name}.parquet"
    rows = 0
    # a server-side cursor: PostgreSQL sends chunk_rows rows per round trip, Python holds one chunk
    with conn.cursor(name=f"dv_feed_{file_name}") as cur:
        cur.itersize = chunk_rows
        cur.execute(f"SELECT {select} FROM {MARTS}.{table} ORDER BY {order}")
        with pq.ParquetWriter(path, schema, compression=COMPRESSION) as writer:
            while True:
                chunk = cur.fetchmany(chunk_rows)
                if not chunk:
                    break
                arrays = [
                    pa.array(values, type=field.type)
                    for values, field in zip(zip(*chunk, strict=True), schema, strict=True)
                ]
                writer.write_batch(pa.record_batch(arrays, schema=schema))
                rows += len(chunk)
    _fsync(path)
    return {
        "file": path.name,
        "table": f"{MARTS}.{table}",
        "description": " ".join(spec.description.split()),
        "key": key,
        "order_by": key,
        "rows": rows,
        "bytes": path.stat().st_size,
        "sha256": _sha256(path),
        "columns": [
            {"name": c.name, "arrow_type": str(c.arrow_type), "postgres_type": c.pg_type, "description": c.description}
            for c in columns
        ],
    }


def _fingerprint(files: dict[str, dict[str, Any]]) -> str:
    """sha256 of every file's column names and Arrow types: equal across snapshots of one feed schema."""
    shape = {name: [(c["name"], c["arrow_type"]) for c in f["columns"]] for name, f in files.items()}
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot fsync a directory
        _fsync(path)
