"""``dv land SOURCE FILE``: a CSV file with a header row into a source's landing table.

The file is read by Python's ``csv`` module (``feeds/csvread.py``, as the CRM feed is), never by
``COPY … CSV``, and its rows are streamed to ``COPY … FROM STDIN`` in the text format, where every
backslash is escaped: a line ``\\.`` (``COPY``'s end-of-data marker) is a value like any other. It is
still one set-based ``COPY``, in one transaction, under the lock the stage step of the source takes
(``pg_advisory_xact_lock(hashtext('dv.stage.source.<source>'))``), so a ``dv load`` that is staging the
source never truncates rows landed while it ran.

Header names are matched to the source's columns lower-cased, spaces as underscores (as the CRM feed
matches them); a header naming an unknown column, or a column twice, is refused, and so are a missing
file, a folder, an empty file. A record that cannot be a row (not valid CSV, too many or too few fields,
a cut last line, a NUL, text that is not UTF-8, a field over the CSV field-size limit) is quarantined in
``dv_meta.quarantine`` (reason ``extract: …``, source_row ``{"raw", "file", "line"}``) and the others are
landed: rows read = rows landed + rows quarantined. No batch exists yet when a file is landed by hand:
its quarantined rows wait under batch id 0 (``PENDING_BATCH``) until the next stage step of the source
takes them into its batch, with the rows landed beside them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import psycopg2
import psycopg2.extensions

from generator.constants import SCHEMA_STAGING
from generator.errors import DVError, WarehouseError
from generator.manifest_model import SourceNode
from pipelines.db import transaction
from pipelines.extract.feeds.copyio import CHUNK, ChunkReader, QuarantineSpool, copy_chunks
from pipelines.extract.feeds.csvread import CsvReader, CsvRecord, duplicated, header_name, shown
from pipelines.extract.feeds.records import Bad, FeedFormatError, Record, Row, cap, printable, unstorable

PENDING_BATCH = 0  # dv_meta.quarantine.batch_id of rows quarantined by dv land, until a stage step adopts them
ADOPT_SQL = f"UPDATE dv_meta.quarantine SET batch_id = %s WHERE batch_id = {PENDING_BATCH} AND source = %s"


@dataclass
class CsvLanded:
    """What ``dv land`` did with one file: rows read = rows landed + rows quarantined."""

    source: str
    path: str
    table: str  # the landing table, schema-qualified
    rows_landed: int = 0
    rows_quarantined: int = 0
    breaks: list[str] = field(default_factory=list)  # where the file ends inside a record
    examples: list[Bad] = field(default_factory=list)  # the first quarantined records, for the message

    @property
    def rows_read(self) -> int:
        return self.rows_landed + self.rows_quarantined


_QUOTED_OR_PLAIN = re.compile(r'"(?:[^"]|"")*"|[^,"]+|,|"')


def quoted_empty(raw: str, width: int) -> set[int]:
    """The fields written ``""`` in a record's raw text (an empty string; an empty field without quotes is
    NULL, as ``COPY … CSV`` has it). Found only when the text has ``""``; empty when the text cannot be
    split into ``width`` fields the way the csv module split it (then every empty field is NULL)."""
    if '""' not in raw:
        return set()
    fields: list[list[str]] = [[]]
    for token in _QUOTED_OR_PLAIN.findall(raw.rstrip("\r\n")):
        if token == ",":
            fields.append([])
        else:
            fields[-1].append(token)
    if len(fields) != width:
        return set()
    return {i for i, tokens in enumerate(fields) if tokens == ['""']}


class CsvFile:
    """One CSV text mapped onto a source's columns: ``columns`` (in header order), then ``records()``."""

    def __init__(self, text: IO[str], rel: str, declared: list[str]) -> None:
        self.rel = rel
        self.reader = CsvReader(text, rel)
        header = self.reader.header()
        if header is None:
            raise FeedFormatError(
                f"{rel}: the file is empty: no header row, nothing landed\n"
                "    hint: dv land reads a CSV file whose first line names the columns"
            )
        names = [header_name(h) for h in header]
        unknown = [shown(h) if h.strip() else f"(field {i} is empty)" for i, (h, n) in
                   enumerate(zip(header, names, strict=True), start=1) if n not in declared]  # fmt: skip
        if unknown:
            raise FeedFormatError(
                f"{rel}: the header names {len(unknown)} column(s) the source does not have: "
                f"{', '.join(unknown[:10])}{', …' if len(unknown) > 10 else ''}\n"
                f"    hint: its columns are {', '.join(sorted(declared))} (matched lower-cased, spaces as"
                " underscores); is it a CSV file with a header row?"
            )
        twice = duplicated(header)
        if twice:
            raise FeedFormatError(f"{rel}: {twice}\n    hint: name each column once")
        self.columns = names

    def records(self) -> Iterator[Record]:
        width = len(self.columns)
        for item in self.reader.records(width):
            if not isinstance(item, CsvRecord):
                yield item
                continue
            empty = quoted_empty(item.raw, width) if "" in item.fields else set()
            values = tuple(v if v != "" or i in empty else None for i, v in enumerate(item.fields))
            problem = unstorable(values)
            yield Bad(f"extract: {problem}", cap(printable(item.raw)), item.line) if problem else Row(values)


def land_csv_file(conn: psycopg2.extensions.connection, node: SourceNode, path: str) -> CsvLanded:
    """Land one CSV file into the source's landing table, in one transaction (see the module)."""
    source = node.name
    table = f"{SCHEMA_STAGING}.{node.landing_table}"
    file = Path(path)
    if not file.exists():
        raise WarehouseError(f"{path}: no such file\n    hint: give the path of a CSV file")
    if not file.is_file():
        raise WarehouseError(f"{path}: not a file (a folder?)\n    hint: give the path of a CSV file")
    try:
        handle = open(file, "rb")  # noqa: SIM115 (closed below, after the transaction)
    except OSError as exc:
        raise WarehouseError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    result = CsvLanded(source, path, table)
    try:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
        parsed = CsvFile(text, path, node.column_names())
        with transaction(conn) as cur, QuarantineSpool() as spool:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"dv.stage.source.{source}",))
            errors: list[Exception] = []

            def chunks() -> Iterator[bytes]:
                try:
                    yield from _chunks(parsed.records(), result, spool)
                except Exception as exc:  # psycopg2 reports it as a failed read: keep it to raise it as it was
                    errors.append(exc)
                    raise

            try:
                cur.copy_expert(f"COPY {table} ({', '.join(parsed.columns)}) FROM STDIN", ChunkReader(chunks()),
                                size=CHUNK)  # fmt: skip
            except psycopg2.Error as exc:
                if errors and isinstance(errors[0], DVError):
                    raise errors[0] from None
                if errors and isinstance(errors[0], OSError):
                    raise WarehouseError(f"{path}: cannot read the file: {errors[0]}") from None
                detail = (exc.pgerror or str(exc)).strip()
                raise WarehouseError(f"landing {path} into {table} failed: {detail}") from None
            spool.write(cur, source, node.landing_table, path, PENDING_BATCH)
    except OSError as exc:
        raise WarehouseError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    finally:
        handle.close()
    return result


def _chunks(records: Iterator[Record], result: CsvLanded, spool: QuarantineSpool) -> Iterator[bytes]:
    def row() -> None:
        result.rows_landed += 1

    def bad(record: Bad) -> None:
        result.rows_quarantined += 1
        spool.add(record)
        if len(result.examples) < 5:
            result.examples.append(record)

    return copy_chunks(records, row, bad, lambda record: result.breaks.append(record.problem))
