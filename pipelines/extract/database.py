"""Extract database sources: ``COPY (<query>) TO STDOUT`` on the source database, streamed through a
pipe into ``COPY staging.<landing> (<columns>) FROM STDIN`` on the warehouse.

A source is a *database source* when its manifest node has no ``feed``: it names a ``source_table``
(``platform.users``) and may give a ``query`` (a join, a rename, a group dated by its parent). The
rows never pass through Python objects: a thread copies the source's COPY text into one end of an
``os.pipe``, the warehouse's COPY reads the other end in chunks, so memory stays flat whatever the
table's size. Both sides speak PostgreSQL's COPY text format (tab-separated, ``\\N`` for NULL, the
same escapes), and every landing column is ``text``: values arrive exactly as the source printed
them (the source session is set to UTC and ISO dates, so the stage step casts them back unchanged).

The warehouse side is one transaction: it commits only when both COPYs finished and agree on the
number of rows, so a failure on either side lands nothing. A source failure would otherwise look like
the end of the data to the warehouse's COPY; it is checked after the copy, before the commit.

Watermarks: ``since``/``until`` restrict an incremental source to rows whose ``watermark`` column is
later than ``since`` and not later than ``until`` (both optional). Without them every row is
extracted. The bookkeeping of watermarks between runs (and the look-back) belongs to the scheduler.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

from generator.errors import WarehouseError
from generator.manifest_model import SourceNode
from generator.resolve import hint_for
from pipelines.db import transaction
from pipelines.project import Project

Conn: TypeAlias = psycopg2.extensions.connection

DEFAULT_SOURCE_DSN = "postgresql://postgres@127.0.0.1:5432/jtld_source"
CHUNK = 1 << 16  # bytes per read from the pipe (a pipe buffers 64 KiB)


def source_dsn(dsn: str | None = None) -> str:
    """``dsn``, else ``DV_SOURCE_DSN``, else the local ``jtld_source`` database."""
    return dsn or os.environ.get("DV_SOURCE_DSN") or DEFAULT_SOURCE_DSN


@dataclass
class Extracted:
    source: str
    rows: int
    seconds: float


def database_sources(project: Project) -> list[str]:
    """Names of the sources read from a database (no file ``feed``), in the manifest's order."""
    return [node.name for node in project.of_type(SourceNode) if node.feed is None]


def _node(project: Project, source: str) -> SourceNode:
    node = project.manifest.nodes.get(f"source.{source}")
    if not isinstance(node, SourceNode):
        names = [n.name for n in project.of_type(SourceNode)]
        raise WarehouseError(f"unknown source '{source}'\n    hint: {hint_for(source, names)}")
    if node.feed is not None:
        raise WarehouseError(
            f"source '{source}' is a file feed ({node.feed.format}), not a database source\n"
            "    hint: file feeds are parsed by their own extract step"
        )
    if not node.query and not node.source_table:
        raise WarehouseError(
            f"source '{source}' names no table and no query\n    hint: add 'table: <schema>.<table>' or 'query:'"
        )
    return node


def extract_query(
    node: SourceNode,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> sql.Composed:
    """The SELECT whose result is landed: the source's declared columns, in the landing COPY's order,
    from its ``query`` (as a subquery) or its table, restricted to the watermark window."""
    columns = node.column_names()
    if node.query:
        body = node.query.strip().rstrip(";").strip()
        origin: sql.Composable = sql.SQL("(\n{}\n) AS q").format(sql.SQL(body))
    else:
        origin = sql.SQL("{} AS q").format(sql.Identifier(*str(node.source_table).split(".")))
    query = sql.SQL("SELECT {} FROM {}").format(
        sql.SQL(", ").join(sql.SQL("q.{}").format(sql.Identifier(c)) for c in columns), origin
    )
    if since is None and until is None:
        return query
    watermark = node.watermark
    if not watermark:
        raise WarehouseError(
            f"source '{node.name}' has no watermark column, so it cannot be extracted since a point in time\n"
            "    hint: extract it whole (it is a full extract), or give it 'watermark:' (an incremental source)"
        )
    bounds: list[sql.Composable] = []
    if since is not None:
        bounds.append(sql.SQL("q.{} > {}").format(sql.Identifier(watermark), sql.Literal(since)))
    if until is not None:
        bounds.append(sql.SQL("q.{} <= {}").format(sql.Identifier(watermark), sql.Literal(until)))
    return sql.SQL("{} WHERE {}").format(query, sql.SQL(" AND ").join(bounds))


def connect_source(dsn: str | None = None) -> Conn:
    """A read-only session on the source database, in UTC with ISO dates (the COPY text the stage step
    casts back)."""
    target = source_dsn(dsn)
    try:
        conn = psycopg2.connect(target, application_name="dv extract")
    except psycopg2.OperationalError as exc:
        first = (str(exc).strip().splitlines() or ["no answer"])[0]
        params = psycopg2.extensions.parse_dsn(target)
        raise WarehouseError(
            f"cannot connect to the source database (database {params.get('dbname', '?')} on "
            f"{params.get('host', 'localhost')}:{params.get('port', '5432')}): {first}\n"
            f"    hint: pass the source DSN or set DV_SOURCE_DSN, e.g. {DEFAULT_SOURCE_DSN}"
        ) from None
    conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
    with conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601';"
                    " SET extra_float_digits = 3")  # fmt: skip
    conn.commit()
    return conn


class _Pump(threading.Thread):
    """Runs the source's ``COPY ... TO STDOUT`` into the write end of the pipe, then closes it (the
    reader sees the end of the data)."""

    def __init__(self, conn: Conn, statement: str, fd: int) -> None:
        super().__init__(name="dv-extract-source", daemon=True)
        self.conn, self.statement = conn, statement
        # buffered: a raw write to a pipe may take only part of a chunk, and psycopg2 does not retry
        self.sink = os.fdopen(fd, "wb", buffering=CHUNK)
        self.rows = -1
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self.conn.cursor() as cur:
                cur.copy_expert(self.statement, self.sink, size=CHUNK)
                self.rows = cur.rowcount
        except BaseException as exc:  # reported by the caller once the warehouse side has stopped
            self.error = exc
        finally:
            try:
                self.sink.close()
            except OSError as exc:  # the reader is gone (EPIPE on the last flush)
                self.error = self.error or exc


def extract(
    warehouse: Conn,
    project: Project,
    source: str,
    *,
    dsn: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    source_conn: Conn | None = None,
) -> int:
    """Copy a database source's rows (all of them, or those of the watermark window ``since`` <
    watermark <= ``until``) into its landing table, in one warehouse transaction; returns the rows
    copied. ``source_conn`` reuses an open connection of :func:`connect_source` and its snapshot (its
    transaction stays open for the next source; after a failure the connection is unusable: close it);
    otherwise one is opened on ``dsn`` (else ``DV_SOURCE_DSN``) and closed."""
    node = _node(project, source)
    columns = node.column_names()
    conn = source_conn if source_conn is not None else connect_source(dsn)
    try:
        statement = sql.SQL("COPY ({}) TO STDOUT").format(extract_query(node, since, until)).as_string(conn)
        landing = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier("staging", node.landing_table),
            sql.SQL(", ").join(sql.Identifier(c) for c in columns),
        )
        read_fd, write_fd = os.pipe()
        pipe = os.fdopen(read_fd, "rb", buffering=0)
        pump = _Pump(conn, statement, write_fd)
        pump.start()
        try:
            with transaction(warehouse) as cur:
                try:
                    cur.copy_expert(landing.as_string(warehouse), pipe, size=CHUNK)
                except psycopg2.Error as exc:
                    raise WarehouseError(
                        f"landing source '{source}' failed: {(exc.pgerror or str(exc)).strip()}"
                    ) from None
                landed = cur.rowcount
                pump.join()  # the end of the data was read: the source side is finishing
                if pump.error is not None:
                    raise _source_error(source, pump.error)
                if landed != pump.rows:
                    raise WarehouseError(
                        f"extracting source '{source}': the source sent {pump.rows} rows, "
                        f"the landing table received {landed}; nothing landed"
                    )
        finally:
            pipe.close()  # a source still writing gets EPIPE and stops
            if pump.is_alive():
                conn.cancel()  # a source still computing its query stops too
                pump.join()
        return int(landed)
    finally:
        if source_conn is None:
            conn.close()


def _source_error(source: str, exc: BaseException) -> WarehouseError:
    if isinstance(exc, psycopg2.Error):
        detail = (exc.pgerror or str(exc)).strip()
        return WarehouseError(
            f"extracting source '{source}' failed on the source database: {detail}\n"
            "    hint: check the source's 'query:' and 'table:' in model/ against the source database"
        )
    return WarehouseError(f"extracting source '{source}' failed: {exc!r}")


def extract_all(
    warehouse: Conn,
    project: Project,
    *,
    dsn: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    sources: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Extracted]:
    """Extract every database source (or ``sources``) in the manifest's order, from one snapshot of
    the source database (one read-only repeatable-read transaction: a consistent cut, so a job and
    the applications to it are read as of the same moment); each source lands in a warehouse
    transaction of its own."""
    names = database_sources(project) if sources is None else sources
    conn = connect_source(dsn)
    out: list[Extracted] = []
    try:
        for name in names:
            if progress is not None:
                progress(name)
            started = time.perf_counter()
            rows = extract(warehouse, project, name, since=since, until=until, source_conn=conn)
            out.append(Extracted(name, rows, time.perf_counter() - started))
    finally:
        conn.close()
    return out
