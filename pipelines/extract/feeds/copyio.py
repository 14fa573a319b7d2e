"""Rows into COPY, parse failures into ``dv_meta.quarantine``: what the feed lander and ``dv land`` share.

Rows go to ``COPY … FROM STDIN`` in the text format (``copy_line``): every backslash is escaped, so no
value can spell the end-of-data marker ``\\.``; chunks are streamed from the parser (``ChunkReader``).
Quarantined records are spooled (in memory, then in a temporary file) and written once the rows are
landed (``QuarantineSpool``), each with a row number from the landing table's identity.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import TypeAlias

import psycopg2.extensions

from generator.constants import COL_ROW_NO, SCHEMA_META, SCHEMA_STAGING
from pipelines.extract.feeds.records import Bad, Break, Record, Row

Cursor: TypeAlias = psycopg2.extensions.cursor
CHUNK = 1 << 16  # bytes per COPY chunk
QUARANTINE_SPOOL = 8 << 20  # parse failures kept in memory up to this size, then in a temporary file

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_line(values: tuple[str | None, ...]) -> bytes:
    """One row in COPY's text format: tab-separated, backslash escapes, ``\\N`` for NULL."""
    return ("\t".join("\\N" if v is None else v.translate(_COPY_ESCAPES) for v in values) + "\n").encode("utf-8")


def copy_chunks(
    records: Iterable[Record],
    on_row: Callable[[], None],
    on_bad: Callable[[Bad], None],
    on_break: Callable[[Break], None],
) -> Iterator[bytes]:
    """The rows of ``records`` as chunks of COPY text (about ``CHUNK`` bytes each), streamed as they are parsed;
    each row, bad record and break is also handed to its callback (counts, the quarantine spool)."""
    buffer: list[bytes] = []
    buffered = 0
    for record in records:
        if isinstance(record, Row):
            line = copy_line(record.values)
            buffer.append(line)
            buffered += len(line)
            on_row()
            if buffered >= CHUNK:
                yield b"".join(buffer)
                buffer, buffered = [], 0
        elif isinstance(record, Bad):
            on_bad(record)
        elif isinstance(record, Break):
            on_break(record)
    if buffer:
        yield b"".join(buffer)


class ChunkReader:
    """A file-like object over an iterator of byte chunks, for ``copy_expert``: one chunk per read."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def read(self, size: int = -1) -> bytes:
        return next(self._chunks, b"")


class QuarantineSpool:
    """The parse failures of one file, kept until its rows are landed, then written in one statement."""

    def __init__(self) -> None:
        self.count = 0
        self._spool = tempfile.SpooledTemporaryFile(max_size=QUARANTINE_SPOOL)  # noqa: SIM115 (closed by __exit__)

    def __enter__(self) -> QuarantineSpool:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._spool.close()

    def add(self, bad: Bad) -> None:
        self.count += 1
        line = None if bad.line is None else str(bad.line)
        item = None if bad.item is None else str(bad.item)
        self._spool.write(copy_line((str(self.count), line, item, bad.reason, bad.raw)))

    def write(self, cur: Cursor, source: str, landing_table: str, rel: str, batch_id: int) -> None:
        """The failures of a source into dv_meta.quarantine, each with a row number from its landing table's
        identity (so the numbers of both levels never collide) and the raw text, file and line."""
        if not self.count:
            return
        self._spool.seek(0)
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS dv_feed_quarantine"
            " (n bigint NOT NULL, line bigint, item bigint, reason text NOT NULL, raw text NOT NULL) ON COMMIT DROP"
        )
        cur.execute("TRUNCATE dv_feed_quarantine")
        cur.copy_expert("COPY dv_feed_quarantine FROM STDIN", self._spool, size=CHUNK)
        cur.execute(
            f"INSERT INTO {SCHEMA_META}.quarantine (batch_id, source, {COL_ROW_NO}, reason, source_row)"
            f" SELECT %s, %s, nextval(pg_get_serial_sequence(%s, '{COL_ROW_NO}')), q.reason,"
            "        jsonb_build_object('raw', q.raw, 'file', %s::text, 'line', q.line)"
            "        || CASE WHEN q.item IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('item', q.item) END"
            " FROM (SELECT * FROM dv_feed_quarantine ORDER BY n) AS q",
            (batch_id, source, f"{SCHEMA_STAGING}.{landing_table}", rel),
        )
