"""Land a source's file feed: each file once, streamed through COPY, its parse failures quarantined.

For one source (one transaction, under the lock its stage step takes): every file its ``feed.path`` matches under
the landing folder is checksummed (sha256) and compared with ``dv_meta.file_log``:

- a file recorded with the same checksum is skipped (a file loads once);
- a file recorded under the same path with another checksum is *changed*: it is not landed, it is
  recorded once with status ``changed`` (and the checksum it had), an alert is raised, and the result
  lists it (``dv land-feeds`` exits 1) until the file is put back or moved to a new name;
- any other file is parsed (``parsers.py``) into ``COPY staging.<landing> FROM STDIN``; the lines or
  records that cannot be parsed go to ``dv_meta.quarantine`` (reason ``extract: …``, source_row
  ``{"raw", "file", "line"}``); the file is recorded with its rows read, landed and quarantined, and
  status ``truncated`` (plus an alert) when the parser met a break, else ``loaded``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeAlias

import psycopg2
import psycopg2.extensions

from generator.constants import SCHEMA_META, SCHEMA_STAGING
from generator.errors import DVError, WarehouseError
from generator.manifest_model import SourceNode
from generator.types import parse_type
from pipelines.alerts import raise_alert
from pipelines.db import transaction
from pipelines.extract.feeds.copyio import CHUNK, ChunkReader, QuarantineSpool, copy_chunks
from pipelines.extract.feeds.feedfiles import Planned, plan_files
from pipelines.extract.feeds.parsers import PARSERS, Bad, Column, FeedFile
from pipelines.project import Project

Cursor: TypeAlias = psycopg2.extensions.cursor
LANDED = ("loaded", "truncated")  # statuses of a file whose rows were landed


@dataclass
class FileOutcome:
    path: str  # under the landing folder
    status: str  # loaded | truncated | skipped | changed
    size: int
    sha256: str
    rows_read: int = 0
    rows_landed: int = 0
    rows_quarantined: int = 0
    previous_sha256: str | None = None  # changed: the checksum the file had when it was landed
    problem: str | None = None


@dataclass
class FeedResult:
    source: str
    batch_id: int
    files: list[FileOutcome] = field(default_factory=list)

    def _sum(self, attr: str) -> int:
        return sum(int(getattr(f, attr)) for f in self.files)

    @property
    def files_read(self) -> int:
        return sum(1 for f in self.files if f.status in LANDED)

    @property
    def files_skipped(self) -> int:
        return sum(1 for f in self.files if f.status == "skipped")

    @property
    def rows_read(self) -> int:
        return self._sum("rows_read")

    @property
    def rows_landed(self) -> int:
        return self._sum("rows_landed")

    @property
    def rows_quarantined(self) -> int:
        return self._sum("rows_quarantined")

    @property
    def changed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "changed"]

    @property
    def truncated(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "truncated"]


def feed_sources(project: Project) -> list[SourceNode]:
    """The sources read from a file feed, in the manifest's load order."""
    return [n for n in project.of_type(SourceNode) if n.feed is not None]


def land_feed(
    conn: psycopg2.extensions.connection,
    project: Project,
    node_id: str,
    landing_dir: Path,
    batch_id: int,
    until: dt.date | None = None,
) -> FeedResult:
    """Land the new files of one source's feed into its landing table, in one transaction. With
    ``until``, a file whose path names a later day is left for a later batch."""
    node = project.nodes.get(node_id)
    if not isinstance(node, SourceNode):
        raise WarehouseError(f"'{node_id}' is not a source of the manifest")
    with transaction(conn) as cur:
        return land_files(cur, project, node, Path(landing_dir), batch_id, until)


def land_feeds(
    conn: psycopg2.extensions.connection,
    project: Project,
    landing_dir: Path,
    batch_id: int,
    errors: list[tuple[str, str]] | None = None,
    until: dt.date | None = None,
) -> list[FeedResult]:
    """Every feed source, each in a transaction of its own. With ``errors``, a source that fails (a file
    it cannot map, a file that changes while read) is rolled back and listed there as (source, message),
    and the others are landed all the same; without it, the error is raised."""
    results = []
    for node in feed_sources(project):
        try:
            results.append(land_feed(conn, project, node.id, landing_dir, batch_id, until))
        except DVError as exc:
            if errors is None:
                raise
            errors.append((node.name, str(exc)))
    return results


def land_files(
    cur: Cursor,
    project: Project,
    node: SourceNode,
    landing_dir: Path,
    batch_id: int,
    until: dt.date | None = None,
) -> FeedResult:
    """The work of ``land_feed`` inside the caller's transaction (a task commits its marker with it)."""
    feed = node.feed
    source = node.name
    if feed is None:
        raise WarehouseError(f"source '{source}' has no feed: it is not read from files")
    if not landing_dir.is_dir():
        raise WarehouseError(
            f"landing folder {landing_dir} not found\n    hint: pass --landing, or write the files first "
            "(dv demo-data --landing DIR)"
        )
    # the lock the stage step takes (warehouse.stage_source): landing and staging of a source never overlap,
    # so the stage's final TRUNCATE of the landing table cannot remove rows it did not stage
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"dv.stage.source.{source}",))
    cur.execute(f"SELECT 1 FROM {SCHEMA_META}.batch WHERE batch_id = %s", (batch_id,))
    if cur.fetchone() is None:
        raise WarehouseError(f"batch {batch_id} does not exist\n    hint: omit --batch to open a new one")
    checked: list[bool] = []

    def before_landing() -> None:  # once, and only when a file is to be landed
        if not checked:
            _check_batch(cur, node, batch_id)
            checked.append(True)

    result = FeedResult(source, batch_id)
    known = logged_files(cur, source)
    for planned in plan_files(landing_dir, feed, until):
        context = _context(project, node, planned)
        result.files.append(_one_file(cur, node, planned, context, batch_id, before_landing, known))
    return result


Logged = dict[str, list[tuple[str, str, int, int | None]]]  # path -> (sha256, status, size, mtime_ns) recorded


def logged_files(cur: Cursor, source: str) -> Logged:
    """What ``dv_meta.file_log`` recorded of a source's files, read once per run (not a query per file)."""
    cur.execute(
        f"SELECT path, sha256, status, size_bytes, mtime_ns FROM {SCHEMA_META}.file_log WHERE source = %s"
        " ORDER BY file_log_id",
        (source,),
    )
    known: Logged = defaultdict(list)
    for path, sha, status, size, mtime_ns in cur.fetchall():
        known[str(path)].append((str(sha), str(status), int(size), None if mtime_ns is None else int(mtime_ns)))
    return known


def _context(project: Project, node: SourceNode, planned: Planned) -> FeedFile:
    feed = node.feed
    assert feed is not None  # land_files checked it
    columns = []
    for c in node.columns:
        parsed = parse_type(c.type)
        columns.append(Column(c.name, parsed.family if parsed else "text"))
    event_type = feed.event_type if feed.format == "events_jsonl" else None
    claimed: frozenset[str] = frozenset()
    catch_all = True
    if event_type is not None:
        same_files = ("events_jsonl", feed.path)
        peers = [
            n
            for n in feed_sources(project)
            if n.feed is not None and (n.feed.format, n.feed.path) == same_files and n.feed.event_type
        ]
        claimed = frozenset(str(n.feed.event_type) for n in peers if n.feed is not None)
        catch_all = node.name == min(n.name for n in peers)
    return FeedFile(planned.rel, tuple(columns), event_type, claimed, catch_all, planned.chain_problem)


# -- checks -----------------------------------------------------------------------------------------


def _check_batch(cur: Cursor, node: SourceNode, batch_id: int) -> None:
    """Rows landed now are staged by this batch: it has not staged the source yet, and the landing
    table holds no rows of files landed in another batch that was never staged."""
    source = node.name
    cur.execute(f"SELECT 1 FROM {SCHEMA_META}.batch_source WHERE batch_id = %s AND source = %s", (batch_id, source))
    if cur.fetchone() is not None:
        raise WarehouseError(
            f"source '{source}' was staged in batch {batch_id} already: rows landed now would be staged by "
            "another batch\n    hint: land into a new batch (omit --batch)"
        )
    cur.execute(f"SELECT EXISTS (SELECT 1 FROM {SCHEMA_STAGING}.{node.landing_table})")
    if not cur.fetchone()[0]:
        return
    cur.execute(
        f"SELECT DISTINCT f.batch_id FROM {SCHEMA_META}.file_log AS f"
        " WHERE f.source = %s AND f.batch_id <> %s AND f.rows_landed > 0 AND f.status IN ('loaded', 'truncated')"
        f"   AND NOT EXISTS (SELECT 1 FROM {SCHEMA_META}.batch_source AS b"
        "                   WHERE b.batch_id = f.batch_id AND b.source = f.source)"
        " ORDER BY 1",
        (source, batch_id),
    )
    waiting = [int(r[0]) for r in cur.fetchall()]
    if waiting:
        raise WarehouseError(
            f"staging.{node.landing_table} still holds rows of files landed in batch "
            f"{', '.join(map(str, waiting))}, never staged: landing more now would stage them in batch {batch_id}"
            f" and break the reconciliation of both\n    hint: stage them in their batch first: "
            f"dv load --batch {waiting[-1]}"
        )


def file_digest(path: Path) -> tuple[int, str]:
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    return path.stat().st_size, digest.hexdigest()


# -- one file ---------------------------------------------------------------------------------------


def _one_file(
    cur: Cursor,
    node: SourceNode,
    planned: Planned,
    context: FeedFile,
    batch_id: int,
    before_landing: Callable[[], None],
    logged: Logged,
) -> FileOutcome:
    source = node.name
    try:
        stat = planned.path.stat()
        records = [r for r in logged.get(planned.rel, []) if r[1] in LANDED]
        # landed with this size and modification time: the same file, skipped without reading it again
        # (a rewrite changes the modification time; its checksum then tells a change from a copy)
        unchanged = [r for r in records if (r[2], r[3]) == (stat.st_size, stat.st_mtime_ns)]
        if unchanged:
            return FileOutcome(planned.rel, "skipped", stat.st_size, unchanged[-1][0])
        size, sha = file_digest(planned.path)
    except OSError as exc:
        raise WarehouseError(f"{planned.rel}: cannot read the file: {exc.strerror or exc}") from None
    landed = [r[0] for r in records]
    if sha in landed:
        cur.execute(  # the same content, touched: remembered with its new time, so it is not read again
            f"UPDATE {SCHEMA_META}.file_log SET mtime_ns = %s WHERE source = %s AND path = %s AND sha256 = %s",
            (stat.st_mtime_ns, source, planned.rel, sha),
        )
        return FileOutcome(planned.rel, "skipped", size, sha)
    if landed:
        previous = landed[-1]
        problem = (
            f"{planned.rel} changed after it was landed: sha256 {previous} then, {sha} now; not landed "
            "(put the landed file back, or deliver the new content under a new name)"
        )
        cur.execute(
            f"INSERT INTO {SCHEMA_META}.file_log (batch_id, source, path, size_bytes, sha256, status,"
            " previous_sha256, problem) VALUES (%s, %s, %s, %s, %s, 'changed', %s, %s)"
            " ON CONFLICT (source, path, sha256) DO NOTHING",
            (batch_id, source, planned.rel, size, sha, previous, problem),
        )
        if cur.rowcount:  # alerted once per new content
            raise_alert(cur, "file_changed", f"{source}: {planned.rel}", problem, batch_id)
        return FileOutcome(planned.rel, "changed", size, sha, previous_sha256=previous, problem=problem)
    before_landing()
    outcome = _land(cur, node, planned, context, batch_id, size, sha)
    cur.execute(
        f"INSERT INTO {SCHEMA_META}.file_log (batch_id, source, path, size_bytes, sha256, status, rows_read,"
        " rows_landed, rows_quarantined, problem, mtime_ns) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            batch_id,
            source,
            planned.rel,
            size,
            sha,
            outcome.status,
            outcome.rows_read,
            outcome.rows_landed,
            outcome.rows_quarantined,
            outcome.problem,
            stat.st_mtime_ns,
        ),
    )
    if outcome.status == "truncated":
        raise_alert(cur, "file_truncated", f"{source}: {planned.rel}", str(outcome.problem), batch_id)
    return outcome


class _HashingReader(io.RawIOBase):
    """The file's bytes as the parser reads them, hashed on the way (the landed bytes are the checksummed ones)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.handle.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.digest.update(data)
        self.size += n
        return n

    def drain(self) -> None:
        while data := self.handle.read(1 << 20):
            self.digest.update(data)
            self.size += len(data)


@dataclass
class _Tally:
    landed: int = 0
    quarantined: int = 0
    breaks: list[str] = field(default_factory=list)
    error: Exception | None = None  # what stopped the parser, if anything


def _land(
    cur: Cursor, node: SourceNode, planned: Planned, context: FeedFile, batch_id: int, size: int, sha: str
) -> FileOutcome:
    landing = f"{SCHEMA_STAGING}.{node.landing_table}"
    columns = ", ".join(c.name for c in context.columns)
    tally = _Tally()
    with open(planned.path, "rb") as handle, QuarantineSpool() as spool:
        raw = _HashingReader(handle)
        assert node.feed is not None
        records = PARSERS[node.feed.format](io.BufferedReader(raw, CHUNK), context)

        def chunks() -> Iterator[bytes]:
            try:
                yield from parse_into_chunks()
            except Exception as exc:  # psycopg2 reports it as a failed read: keep it to raise it as it was
                tally.error = exc
                raise

        def parse_into_chunks() -> Iterator[bytes]:
            def row() -> None:
                tally.landed += 1

            def bad(record: Bad) -> None:
                tally.quarantined += 1
                spool.add(record)

            return copy_chunks(records, row, bad, lambda record: tally.breaks.append(record.problem))

        try:
            cur.copy_expert(f"COPY {landing} ({columns}) FROM STDIN", ChunkReader(chunks()), size=CHUNK)
        except psycopg2.Error as exc:
            if isinstance(tally.error, DVError):
                raise tally.error from None
            if isinstance(tally.error, OSError):
                raise WarehouseError(f"{planned.rel}: cannot read the file: {tally.error}") from None
            detail = (exc.pgerror or str(exc)).strip()
            raise WarehouseError(f"landing {planned.rel} into {landing} failed: {detail}") from None
        raw.drain()
        if (raw.size, raw.digest.hexdigest()) != (size, sha):
            raise WarehouseError(
                f"{planned.rel} changed while it was read (sha256 {sha} before, {raw.digest.hexdigest()} after)\n"
                "    hint: land files once they are complete; rerun when the file is written"
            )
        spool.write(cur, node.name, node.landing_table, planned.rel, batch_id)
    problems = tally.breaks + ([planned.note] if planned.note else [])
    return FileOutcome(
        planned.rel,
        "truncated" if tally.breaks else "loaded",
        size,
        sha,
        tally.landed + tally.quarantined,
        tally.landed,
        tally.quarantined,
        problem="; ".join(problems) or None,
    )
