"""The platform's own PostgreSQL database: created if missing, its schemas rebuilt, filled with COPY."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import numpy as np
import psycopg2
import psycopg2.extensions

from generator.constants import ALL_SCHEMAS
from generator.errors import WarehouseError
from pipelines.demo.platform.clock import Config, date_of
from pipelines.demo.platform.schema import SCHEMA, SIM_SCHEMA, TABLES, TableDef
from pipelines.demo.platform.store import DefectLog
from pipelines.demo.platform.tables import FORMATTERS, Builder, copy_chunks
from pipelines.demo.platform.text import NULL, copy_escape, int_text
from pipelines.demo.platform.world import World

DEFAULT_SOURCE_DSN = "postgresql://postgres@127.0.0.1:5432/jtld_source"


def source_dsn(dsn: str | None) -> str:
    """``--source-dsn``, else ``DV_SOURCE_DSN``, else the local ``jtld_source`` database."""
    return dsn or os.environ.get("DV_SOURCE_DSN") or DEFAULT_SOURCE_DSN


def _connect(dsn: str) -> psycopg2.extensions.connection:
    _parse(dsn)
    try:
        conn = psycopg2.connect(dsn, application_name="dv demo-data")
    except psycopg2.OperationalError as exc:
        first = (str(exc).strip().splitlines() or ["no answer"])[0]
        raise WarehouseError(
            f"cannot connect to the platform database ({where(dsn)}): {first}\n"
            "    hint: pass --source-dsn or set DV_SOURCE_DSN, e.g. " + DEFAULT_SOURCE_DSN
        ) from None
    with conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
    conn.commit()
    return conn


def _parse(dsn: str) -> dict[str, str]:
    try:
        params: dict[str, str] = psycopg2.extensions.parse_dsn(dsn)
        return params
    except psycopg2.ProgrammingError:  # libpq's message may quote a piece of it (a password): not shown
        raise WarehouseError(
            "cannot connect to the platform database: the DSN is not a connection string libpq can read\n"
            "    hint: pass --source-dsn or set DV_SOURCE_DSN, e.g. " + DEFAULT_SOURCE_DSN
        ) from None


def where(dsn: str) -> str:
    p = _parse(dsn)
    return f"database {p.get('dbname', '?')} on {p.get('host', 'localhost')}:{p.get('port', '5432')}"


def ensure_database(dsn: str) -> str:
    """Create the database the DSN names if it does not exist; returns 'created' or 'existing'."""
    params = _parse(dsn)
    name = params.get("dbname")
    if not name:
        raise WarehouseError(f"the source DSN names no database: {where(dsn)}\n    hint: e.g. {DEFAULT_SOURCE_DSN}")
    admin = _connect(psycopg2.extensions.make_dsn(**{**params, "dbname": "postgres"}))
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone() is not None:
                return "existing"
            cur.execute(f'CREATE DATABASE "{name}"')
            return "created"
    finally:
        admin.close()


class ChunkReader:
    """A file-like object over an iterator of byte chunks, for ``copy_expert``: one chunk per read."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def read(self, size: int = -1) -> bytes:
        return next(self._chunks, b"")


def copy_table(cur: psycopg2.extensions.cursor, table: TableDef, chunks: Iterator[bytes]) -> None:
    cols = ", ".join(table.column_names)
    cur.copy_expert(f"COPY {table.qualified} ({cols}) FROM STDIN", ChunkReader(chunks), size=1 << 20)


def refuse_warehouse(cur: psycopg2.extensions.cursor, dsn: str) -> None:
    cur.execute("SELECT array_agg(nspname::text ORDER BY nspname) FROM pg_namespace WHERE nspname = ANY(%s)",
                (list(ALL_SCHEMAS),))  # fmt: skip
    present = cur.fetchone()[0]
    if present:
        raise WarehouseError(
            f"{where(dsn)} holds a warehouse ({', '.join(present)}); the platform needs a database of its own\n"
            f"    hint: point --source-dsn or DV_SOURCE_DSN elsewhere, e.g. {DEFAULT_SOURCE_DSN}"
        )


def check_database(dsn: str) -> None:
    """Refuse, before any work, a database that holds a warehouse."""
    conn = _connect(dsn)
    try:
        with conn.cursor() as cur:
            refuse_warehouse(cur, dsn)
    finally:
        conn.close()


def load(dsn: str, w: World, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Drop and rebuild both schemas and COPY every table, in one transaction; returns rows per table."""
    conn = _connect(dsn)
    counts: dict[str, int] = {}
    try:
        with conn.cursor() as cur:
            refuse_warehouse(cur, dsn)
            for schema in (SCHEMA, SIM_SCHEMA):
                cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                cur.execute(f"CREATE SCHEMA {schema}")
            cur.execute(f"COMMENT ON SCHEMA {SIM_SCHEMA} IS 'truth of the simulation (dv demo-data), not the platform'")
            for table in TABLES:
                if progress is not None:
                    progress(table.qualified)
                cur.execute(table.ddl())
                rows, build = rows_of(table.name, w)
                copy_table(cur, table, copy_chunks(rows, build))
                counts[table.qualified] = len(rows)
                for statement in table.constraints():
                    cur.execute(statement)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
    return counts


def rows_of(name: str, w: World) -> tuple[np.ndarray, Builder]:
    if name == "defects":
        return defect_rows(w.defects)
    if name == "run":
        return run_rows(w.cfg)
    return FORMATTERS[name](w)


def defect_rows(log: DefectLog) -> tuple[np.ndarray, Builder]:
    items = log.items

    def build(i: np.ndarray) -> list[list[str]]:
        picked = [items[k] for k in i.tolist()]
        return [
            int_text(i + 1), [d.feed for d in picked], [d.location for d in picked],
            copy_escape([d.key for d in picked]), [d.kind for d in picked], [str(d.day) for d in picked],
            [copy_escape([d.detail])[0] or NULL for d in picked],
        ]  # fmt: skip

    return np.arange(len(items)), build


def run_rows(cfg: Config) -> tuple[np.ndarray, Builder]:
    def build(i: np.ndarray) -> list[list[str]]:
        return [[str(cfg.seed)], [repr(cfg.scale)], [str(cfg.days)], [repr(cfg.defect_rate)], [str(date_of(1))]]

    return np.arange(1), build
