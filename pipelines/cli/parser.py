"""The argument parser of the `dv` command: every command and option."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def timestamp(text: str) -> dt.datetime:
    """An ISO 8601 argument (pipelines/cli/common.py reads it; imported only when an argument needs it)."""
    from pipelines.cli.common import timestamp as read

    return read(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dv", description="Data Vault 2.0 generator and loader for PostgreSQL.")
    parser.add_argument("--project", type=Path, default=Path("."), help="project folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("validate", help="check model/ and print every problem found")

    p = sub.add_parser("generate", help="write vault_sql/ from model/")
    p.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 and list the stale files if vault_sql/ is stale"
    )
    p.add_argument("--diff", action="store_true", help="with --check: show the whole diff, not one line per file")

    p = sub.add_parser("plan", help="show the SQL dv apply would run to bring the warehouse to vault_sql/")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")

    p = sub.add_parser("apply", help="run the plan: create and extend schemas, tables and views, in one transaction")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")

    p = sub.add_parser("rehash", help="recompute every hash key and hashdiff after a change of the hash settings")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")

    p = sub.add_parser(
        "land", help="land a CSV file (with a header row) into a source's landing table; bad records quarantined"
    )
    p.add_argument("source", help="source name, as in model/")
    p.add_argument("file", help="CSV file; columns are matched by the header's names")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")

    p = sub.add_parser("land-feeds", help="land the new files of every file-feed source (each file once) in a batch")
    p.add_argument("--landing", type=Path, default=Path("landing"), help="folder of the files (default: landing/)")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--batch", type=int, help="land into this batch (resume it) instead of opening a new one")

    p = sub.add_parser("load", help="stage the landing tables and load hubs, links and satellites in graph order")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--batch", type=int, help="resume (rerun) this batch instead of opening a new one")
    p.add_argument(
        "--reload",
        action="store_true",
        help="with --batch: run every load statement again, even those the batch logged as done",
    )
    p.add_argument("--load-dts", type=dt.datetime.fromisoformat, help="load timestamp of a new batch (default: now)")

    p = sub.add_parser("demo", help="create or reset a demo warehouse and run the pipeline over three simulated days")
    p.add_argument("--dsn", help="demo database (default: $DV_DSN, else jtld_demo on the local server)")

    p = sub.add_parser("demo-data", help="simulate the JTLD platform: its database (rebuilt) and its files")
    p.add_argument("--scale", type=float, default=0.01, help="size; 1 = 100k candidates, 1M applications")
    p.add_argument("--days", type=int, default=7, help="days simulated after the platform's history (files)")
    p.add_argument("--seed", type=int, default=1, help="random seed: the same arguments give identical output")
    p.add_argument("--landing", type=Path, default=Path("landing"), help="folder of the files (default: landing/)")
    p.add_argument("--source-dsn", help="platform database (default: $DV_SOURCE_DSN, else jtld_source, created)")
    p.add_argument("--defect-rate", type=float, default=0.005, help="share of malformed records (default 0.005)")

    p = sub.add_parser("run", help="run one batch through Luigi: extract, stage and load every source and entity")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--source-dsn", help="platform database (default: $DV_SOURCE_DSN, else jtld_source)")
    p.add_argument("--landing", default="landing", help="folder of the file feeds, in the project (default: landing)")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--date", type=dt.date.fromisoformat, help="load the feeds up to this day; load_dts is its end")
    when.add_argument(
        "--load-dts", type=timestamp, help="load timestamp of a new batch, ISO 8601 (UTC unless it has an offset)"
    )
    p.add_argument("--workers", type=int, default=1, help="tasks run in parallel (default 1)")
    p.add_argument("--batch", type=int, help="resume this batch (after a failure or a kill) instead of a new one")
    p.add_argument("--scheduler-host", help="central luigid host (default: Luigi's local scheduler)")
    p.add_argument("--scheduler-port", type=int, default=8082, help="central luigid port (default 8082)")

    p = sub.add_parser("check", help="verify the data contracts (checks/) with Soda, record the results, exit 0/1/2/3")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument(
        "--batch",
        type=int,
        help="check this batch and decide its quality gate (default: the whole warehouse, no gate)",
    )
    p.add_argument(
        "--contracts",
        action="append",
        metavar="GLOB",
        help="only these contract files (glob, relative to the project; repeatable); the gate is then left alone",
    )
    p.add_argument("--all", action="store_true", help="list every check, not only those that did not pass")
    p.add_argument(
        "--full",
        action="store_true",
        help="with --batch: the generated checks judge whole tables, not only the batch's rows (default: as the"
        " schedule says, DV_FULL_CHECKS_EVERY; without --batch always whole tables)",
    )

    p = sub.add_parser("profile", help="profile a batch's staged rows; warn where it departs from the batches before")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--batch", type=int, help="the batch to profile (default: the latest)")
    p.add_argument("--window", type=int, default=10, help="earlier batches compared with (default 10)")
    p.add_argument("--width", type=float, default=3.0, help="band: mean ± WIDTH standard deviations (default 3)")
    p.add_argument("--relative", type=float, help="band: mean ± RELATIVE × mean instead (e.g. 0.5)")
    p.add_argument("--min-history", type=int, default=3, help="judge only with this many earlier batches (default 3)")

    p = sub.add_parser("status", help="last runs, failures, per-source freshness and row counts")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--runs", type=int, default=10, help="how many recent batches (default 10)")

    p = sub.add_parser(
        "marts", help="refresh the business vault and the marts (PIT, bridges, facts, KPIs) in one transaction"
    )
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--batch", type=int, help="the batch the marts reflect (default: the latest succeeded one)")
    p.add_argument("--force", action="store_true", help="refresh even over batches whose quality gate failed")
    p.add_argument("--rebuild", action="store_true", help="build every table in full, not incrementally")

    p = sub.add_parser("trace", help="one business key through history: hub, every satellite version, links, erasures")
    p.add_argument("entity", help="a hub, e.g. candidate")
    p.add_argument("key", nargs="+", help="its business key (one value per part), e.g. 10042")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--personal", action="store_true", help="show personal data: act as the personal-data role")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("asof", help="a business key as the warehouse knew it at a moment (or, --applied, as it was)")
    p.add_argument("entity", help="a hub, e.g. candidate")
    p.add_argument("key", nargs="+", help="its business key (one value per part)")
    p.add_argument("--at", required=True, type=timestamp, help="the moment, ISO 8601 (UTC unless it has an offset)")
    p.add_argument("--applied", action="store_true", help="as it was at the source then, not as loaded by then")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--personal", action="store_true", help="show personal data: act as the personal-data role")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser(
        "export-feed", help="write the ML matching feed as a versioned Parquet snapshot with a schema file"
    )
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--out", type=Path, default=Path("exports"), help="folder of the snapshots (default: exports/)")
    p.add_argument("--version", help="name of the snapshot (default: batch-<the batch the feed reflects>)")

    p = sub.add_parser("gate", help="show a batch's quality gate, or accept its failures so the marts refresh over it")
    p.add_argument("action", choices=["show", "accept"], help="show the gate, or accept a failed one")
    p.add_argument("batch", type=int, help="the batch")
    p.add_argument("--reason", default="", help="accept: why the failures are acceptable (recorded)")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")

    p = sub.add_parser("batch", help="audit one batch: sources, files, loads, reconciliation, quarantine, gate, marts")
    p.add_argument("batch", type=int, help="the batch id")
    p.add_argument("--dsn", help="warehouse connection (default: $DV_DSN, else jtld_warehouse on 127.0.0.1:5432)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--quarantine-rows", type=int, default=5, metavar="N", help="example rows per quarantine reason (default 5)"
    )
    p = sub.add_parser("lineage", help="where a column comes from, down to the source columns, and what reads it")
    p.add_argument("column", help="TABLE.COLUMN, schema-qualified or not, e.g. kpi_jobs_summary.avg_time_to_fill_days")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--upstream-only", action="store_true", help="only where it comes from")
    p.add_argument("--downstream-only", action="store_true", help="only what reads it")

    p = sub.add_parser("impact", help="what a change of one model file touches: entities, generated files, marts")
    p.add_argument("file", help="a model file, e.g. model/satellites/job.yml")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("docs", help="write a static HTML documentation site of the warehouse (offline, searchable)")
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="folder of the site (default: site/ in the project folder; created, or refreshed)",
    )
    for choice in sub._choices_actions:  # `dv COMMAND --help` opens with the command's line of `dv --help`
        command = sub.choices[choice.dest]
        if command.description is None and choice.help:
            command.description = choice.help[0].upper() + choice.help[1:] + "."
    return parser
