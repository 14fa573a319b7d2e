"""CSV records with their line numbers and raw text, shared by the CRM feed and ``dv land`` (no database).

A record is read by Python's ``csv`` module (a C reader), never by ``COPY … CSV``: ``COPY`` would take a
line ``\\.`` for the end of the data and drop every row after it. Each record comes out as a
``CsvRecord`` (the right number of fields) or, when it cannot be a row, as a ``Bad`` with the reason —
not valid CSV, a field longer than ``FIELD_LIMIT`` characters, too many or too few fields, an open
quote — plus a ``Break`` when the file ends inside it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from pipelines.extract.feeds.records import Bad, Break, FeedFormatError, cap, printable

FIELD_LIMIT = csv.field_size_limit()  # characters a field may have: 131,072 (128 kB of ASCII)


def header_name(field: str) -> str:
    """``Platform Employer ID`` → ``platform_employer_id``: header names are matched lower-cased."""
    return re.sub(r"[^0-9a-z]+", "_", field.strip().lower()).strip("_")


def shown(name: str, limit: int = 40) -> str:
    """A header field as a message shows it: control characters escaped, cut after ``limit`` characters."""
    name = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in name)
    return name if len(name) <= limit else name[:limit] + "…"


def duplicated(header: list[str]) -> str | None:
    """Why the header cannot be mapped by name: a field naming a column another field names already."""
    seen: dict[str, int] = {}
    for i, field in enumerate(header, start=1):
        name = header_name(field)
        if name in seen:
            return f"fields {seen[name]} and {i} of the header both name column {name!r}"
        seen[name] = i
    return None


@dataclass(frozen=True)
class CsvRecord:
    line: int  # where the record starts (1 = the file's first line)
    fields: list[str]
    raw: str  # its text as read, line ends included


class _Lines:
    """The text lines a CSV reader consumes, kept until the record they make is taken (its raw text)."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text
        self.taken: list[str] = []
        self.ended = False  # the reader asked for a line past the end (it was inside a quoted field)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.text.readline()
        if not line:
            self.ended = True
            raise StopIteration
        self.taken.append(line)
        return line

    def take(self) -> str:
        raw, self.taken = "".join(self.taken), []
        return raw


def _reason(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {FIELD_LIMIT} characters (the CSV field-size limit)"
    return f"not valid CSV ({exc})"


class CsvReader:
    """One CSV text: ``header()`` (the first record that is not empty), then ``records(width)``."""

    def __init__(self, text: IO[str], rel: str) -> None:
        self.rel = rel
        self.lines = _Lines(text)
        self.reader = csv.reader(self.lines, strict=False)

    def header(self) -> list[str] | None:
        """The header row; ``None`` when the file has no record at all."""
        while True:
            try:
                record = next(self.reader)
            except StopIteration:
                return None
            except csv.Error as exc:
                raise FeedFormatError(
                    f"{self.rel}: line {self.reader.line_num}: the header row cannot be read: {_reason(exc)}\n"
                    "    hint: the first line must name the columns (a CSV file, UTF-8)"
                ) from None
            self.lines.take()
            if record:
                return record

    def records(self, width: int) -> Iterator[CsvRecord | Bad | Break]:
        """Every record after the header in file order; empty lines are skipped."""
        while True:
            start = self.reader.line_num + 1
            try:
                record = next(self.reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Bad(f"extract: {_reason(exc)}", cap(printable(self.lines.take())), start)
                continue
            raw = self.lines.take()
            if not record:
                continue
            cut = self.lines.ended or not raw.endswith("\n")  # the file ends inside it, or without a line end
            open_quote = cut and raw.count('"') % 2 == 1
            if len(record) != width or open_quote:
                why = "the file ends inside a quoted field" if open_quote else ""
                why = why or f"{len(record)} fields, the header has {width}"
                if cut:
                    yield Break(f"line {start} is cut: the file ends inside a record ({why})")
                    why = "truncated file: it ends inside its last record: " + why
                yield Bad(f"extract: {why}", cap(printable(raw)), start)
                continue
            yield CsvRecord(start, record, raw)
