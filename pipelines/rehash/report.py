"""What ``dv rehash`` prints: the tables rebuilt with their rows, and the backup schemas left to remove."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pipelines.rehash.run import RehashResult


def report_rehash(result: RehashResult, out: Console) -> int:
    """Nothing to rehash, or the rebuilt tables and the backup schemas to drop once checked; exit 0."""
    if not result.done:
        out.print(f"nothing to rehash: the warehouse already uses {result.new}")
        return 0
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in result.tables:
        table.add_row(name, str(rows))
    out.print(table)
    out.print(f"[green]rehashed[/] {len(result.tables)} tables from {result.old} to {result.new}")
    drops = "; ".join(f"DROP SCHEMA {s} CASCADE" for s in result.backup_schemas)
    out.print(f"the old tables are kept in {', '.join(result.backup_schemas)}; once checked, remove them: {drops}")
    return 0
