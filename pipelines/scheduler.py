"""The central Luigi scheduler (``luigid``): its configuration and task-history database, and resuming on it.

- ``python -m pipelines.scheduler --history DSN --config FILE --state FILE`` (``make scheduler``) writes
  luigid's configuration and makes sure its task-history database exists: it creates it when the server
  lets it, else it says in two lines what to do (an empty ``--history`` runs luigid without history).
- :func:`re_enable` (``dv run --scheduler-host``): a task that fails is not retried inside a run
  (``retry_count = 1``), so luigid marks it DISABLED, and a disabled task stays so for a day whatever a
  worker says. Before a run, the batch's disabled tasks are re-enabled through luigid's API
  (``re_enable_task``): resuming a batch on a central scheduler does what it does on the local one.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions

from generator.errors import WarehouseError
from pipelines.db import scrub

LUIGID_CONFIG = """\
# written by make scheduler (pipelines/scheduler.py): luigid's settings
[core]
autoload_range = false

[scheduler]
record_task_history = {record}
retry_count = 1
retry_delay = 1
state_path = {state}
{history}"""


def libpq_dsn(history_dsn: str) -> str:
    """The libpq form of a SQLAlchemy URL (``postgresql+psycopg2://…`` → ``postgresql://…``)."""
    scheme, sep, rest = history_dsn.partition("://")
    if not sep or scheme.split("+")[0] not in ("postgresql", "postgres"):
        raise WarehouseError(
            "the task-history DSN must be a PostgreSQL URL (postgresql+psycopg2://user@host:port/database)\n"
            "    hint: set LUIGI_HISTORY_DSN to one, or LUIGI_HISTORY_DSN= to run luigid without task history"
        )
    return f"postgresql://{rest}"


def ensure_history_database(history_dsn: str) -> bool:
    """Create the task-history database when it is missing (True when it was created)."""
    params = psycopg2.extensions.parse_dsn(libpq_dsn(history_dsn))
    name = params.get("dbname", "")
    try:
        psycopg2.connect(**params).close()
        return False
    except psycopg2.OperationalError as exc:
        if f'database "{name}" does not exist' not in str(exc):
            where = f"{params.get('host', 'localhost')}:{params.get('port', '5432')}"
            raise _history_error(
                name, exc, f"is PostgreSQL up at {where}, may this user connect? Else set LUIGI_HISTORY_DSN"
            ) from None
    try:
        admin = psycopg2.connect(**dict(params, dbname="postgres"))
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        admin.close()
    except psycopg2.Error as exc:
        raise _history_error(
            name, exc, f"createdb {name}, or set LUIGI_HISTORY_DSN to a database that exists"
        ) from None
    return True


def _history_error(name: str, exc: BaseException, hint: str) -> WarehouseError:
    first = scrub(str(exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return WarehouseError(
        f"luigid's task-history database {name!r} is not usable: {first}\n"
        f"    hint: {hint} (LUIGI_HISTORY_DSN= runs luigid without task history)"
    )


def write_config(path: Path, history_dsn: str, state_path: Path) -> None:
    """luigid's configuration: task history in ``history_dsn`` (none when empty), state in ``state_path``."""
    history = f"\n[task_history]\ndb_connection = {history_dsn}\n" if history_dsn else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        LUIGID_CONFIG.format(record="true" if history_dsn else "false", state=state_path, history=history),
        encoding="utf-8",
    )


def _api(url: str, method: str, **arguments: Any) -> Any:
    query = urllib.parse.urlencode({"data": json.dumps(arguments)})
    with urllib.request.urlopen(f"{url}/api/{method}?{query}", timeout=30) as answer:
        return json.loads(answer.read())["response"]


def re_enable(host: str, port: int, task_ids: Iterable[str]) -> list[str]:
    """Re-enable those of ``task_ids`` that luigid has disabled (the failed tasks of an earlier attempt of
    the batch); the ids re-enabled. luigid not answering is a user error with a hint."""
    url = f"http://{host}:{port}"
    try:
        disabled = _api(url, "task_list", status="DISABLED", upstream_status="", limit=False)
        again = [task_id for task_id in task_ids if task_id in disabled]
        for task_id in again:
            _api(url, "re_enable_task", task_id=task_id)
    except (OSError, ValueError, KeyError) as exc:
        reason = getattr(exc, "reason", exc)
        raise WarehouseError(
            f"the central scheduler at {url} does not answer: {reason}\n"
            "    hint: start it (make scheduler), or leave out --scheduler-host to use the local scheduler"
        ) from None
    return again


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.scheduler", description=__doc__.splitlines()[0])
    parser.add_argument("--history", default="", help="task-history database (SQLAlchemy URL); empty: none")
    parser.add_argument("--config", type=Path, required=True, help="luigid's configuration file to write")
    parser.add_argument("--state", type=Path, required=True, help="luigid's state file")
    args = parser.parse_args(argv)
    try:
        if args.history and ensure_history_database(args.history):
            print(f"created luigid's task-history database ({scrub(args.history)})")
        write_config(args.config, args.history, args.state)
    except WarehouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
