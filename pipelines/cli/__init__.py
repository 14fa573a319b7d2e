"""The ``dv`` command.

Works on the ``model/`` and ``vault_sql/`` of the folder it runs in (or
``--project``); reads the warehouse from ``--dsn`` or ``DV_DSN``. A user error
prints what is wrong and how to fix it, and exits 1, never with a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from pipelines.cli.parser import build_parser

__all__ = ["COMMANDS", "build_parser", "main"]

# each command's module, imported when the command runs: the parser alone answers `dv --help` and
# `dv COMMAND --help` (no pydantic, sqlglot, networkx, jinja2 or psycopg2 at start-up; tests/test_cli.py)
_AUDIT, _DEMO, _MODEL = "audit_commands", "demo_commands", "model_commands"
_QUALITY, _WAREHOUSE = "quality_commands", "warehouse_commands"
COMMANDS: dict[str, str] = {
    "docs": _AUDIT,
    "lineage": _AUDIT,
    "impact": _AUDIT,
    "marts": _WAREHOUSE,
    "gate": _WAREHOUSE,
    "export-feed": _WAREHOUSE,
    "trace": _AUDIT,
    "asof": _AUDIT,
    "validate": _MODEL,
    "generate": _MODEL,
    "plan": _WAREHOUSE,
    "apply": _WAREHOUSE,
    "rehash": _WAREHOUSE,
    "land": _WAREHOUSE,
    "land-feeds": _WAREHOUSE,
    "load": _WAREHOUSE,
    "demo": _DEMO,
    "demo-data": _DEMO,
    "run": _WAREHOUSE,
    "check": _QUALITY,
    "status": _AUDIT,
    "profile": _QUALITY,
    "batch": _AUDIT,
}


def command(name: str) -> Callable[[Any], int]:
    """The function of a command (``cmd_<name>`` of its module), its module imported now."""
    module = importlib.import_module(f"pipelines.cli.{COMMANDS[name]}")
    function: Callable[[Any], int] = getattr(module, "cmd_" + name.replace("-", "_"))
    return function


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from rich.markup import escape

    from generator.errors import DVError, ModelError
    from pipelines.cli.common import err

    try:
        from pipelines.db import remember_dsn, scrub_logs_and_tracebacks

        scrub_logs_and_tracebacks()  # no password in a log line or a traceback either
        if getattr(args, "dsn", None) or getattr(args, "source_dsn", None):
            remember_dsn(getattr(args, "dsn", None))  # their passwords never appear in a message (db.scrub)
            remember_dsn(getattr(args, "source_dsn", None))
        code = command(args.command)(args)
        sys.stdout.flush()  # a reader gone away (dv … | head) shows here, not as an error at exit
        return code
    except BrokenPipeError:  # the reader of the output went away: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # what is still buffered goes nowhere
        return 141  # 128 + SIGPIPE: what a shell reports of a tool stopped by a closed pipe
    except ModelError as exc:
        for problem in exc.problems:
            err.print(problem.render(), markup=False)
        err.print(f"[red]{len(exc.problems)} problem(s) in the model[/]")
        return 1
    except DVError as exc:  # the message is text, not markup; never a password it may quote
        from pipelines.db import scrub

        err.print(f"[red]error:[/] {escape(scrub(str(exc)))}", markup=True)
        return 1
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
