"""The reconciliation of a batch's feed files, and what ``dv land-feeds`` prints.

Per feed source of a batch: records read from its files = rows staged + quarantined at the stage step +
quarantined by the parser (``docs/platform.md``, File feeds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg2
import psycopg2.extensions
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from generator.constants import SCHEMA_META
from pipelines.db import transaction
from pipelines.extract.feeds.land import Cursor, FeedResult

# -- reconciliation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reconciliation:
    source: str
    files: int
    rows_read: int  # records read from the batch's files
    rows_landed: int
    quarantined_at_extract: int
    read_at_stage: int | None  # dv_meta.batch_source (None: not staged yet)
    staged: int | None
    quarantined_at_stage: int | None

    @property
    def balanced(self) -> bool:
        """Every record read from the files is staged or quarantined, at one level or the other."""
        return self.read_at_stage == self.rows_landed and self.rows_read == (
            (self.staged or 0) + (self.quarantined_at_stage or 0) + self.quarantined_at_extract
        )


RECONCILE_SQL = f"""
WITH files AS (
    SELECT f.batch_id, f.source, count(*) AS files, sum(f.rows_read) AS rows_read,
           sum(f.rows_landed) AS rows_landed, sum(f.rows_quarantined) AS quarantined_at_extract
    FROM {SCHEMA_META}.file_log AS f
    WHERE f.batch_id = %s AND f.status IN ('loaded', 'truncated')
    GROUP BY f.batch_id, f.source
)
SELECT f.source, f.files, f.rows_read, f.rows_landed, f.quarantined_at_extract,
       b.rows_read AS read_at_stage, b.rows_staged AS staged, b.rows_quarantined AS quarantined_at_stage
FROM files AS f
LEFT JOIN {SCHEMA_META}.batch_source AS b ON b.batch_id = f.batch_id AND b.source = f.source
ORDER BY f.source
"""


def reconcile(cur: Cursor, batch_id: int) -> list[Reconciliation]:
    """Per feed source of a batch: records read from files = staged + quarantined at the stage step +
    quarantined by the parser (``docs/platform.md``, File feeds)."""
    cur.execute(RECONCILE_SQL, (batch_id,))

    def count(value: Any) -> int | None:
        return None if value is None else int(value)

    return [
        Reconciliation(
            source=str(r[0]),
            files=int(r[1]),
            rows_read=int(r[2]),
            rows_landed=int(r[3]),
            quarantined_at_extract=int(r[4]),
            read_at_stage=count(r[5]),
            staged=count(r[6]),
            quarantined_at_stage=count(r[7]),
        )
        for r in cur.fetchall()
    ]


# -- the dv land-feeds report -----------------------------------------------------------------------


def close_if_empty(conn: psycopg2.extensions.connection, batch_id: int, results: list[FeedResult]) -> bool:
    """Mark a batch that ``dv land-feeds`` opened and landed nothing into as done: nothing to stage."""
    if any(r.files_read for r in results):
        return False
    with transaction(conn) as cur:
        cur.execute(
            f"UPDATE {SCHEMA_META}.batch SET status = 'succeeded', finished_at = clock_timestamp(),"
            " note = concat_ws('; ', note, 'no new file') WHERE batch_id = %s AND status = 'running'",
            (batch_id,),
        )
    return True


def report(results: list[FeedResult], errors: list[tuple[str, str]], out: Console, err: Console) -> int:
    """The table ``dv land-feeds`` prints, then each break (warning), each changed file and each source
    that failed (errors); the exit code: 1 when a file changed or a source failed, else 0."""
    table = Table()
    table.add_column("source", no_wrap=True)
    for name in ("files", "skipped", "landed", "quarantined"):  # rows read = landed + quarantined
        table.add_column(name, justify="right")
    for r in results:
        table.add_row(r.source, str(r.files_read), str(r.files_skipped), str(r.rows_landed), str(r.rows_quarantined))
    out.print(table)
    for r in results:
        for f in r.truncated:
            err.print(f"[yellow]warning:[/] {escape(r.source)}: {escape(f.path)}: {escape(str(f.problem))}")
    changed = [(r.source, f) for r in results for f in r.changed]
    for source, f in changed:
        err.print(f"[red]error:[/] {escape(source)}: {escape(str(f.problem))}")
    if changed:
        err.print(
            f"[red]{len(changed)} file(s) changed after they were landed[/]: not landed again (see dv_meta.file_log)"
        )
    for source, message in errors:
        err.print(f"[red]error:[/] {escape(source)}: nothing landed: {escape(message)}")
    return 1 if changed or errors else 0
