"""The ``dv`` command.

Works on the ``model/`` and ``vault_sql/`` of the folder it runs in (or
``--project``); reads the warehouse from ``--dsn`` or ``DV_DSN``. A user error
prints what is wrong and how to fix it, and exits 1, never with a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from rich.markup import escape

from generator.errors import DVError, ModelError
from pipelines.cli.audit_commands import (
    cmd_asof,
    cmd_batch,
    cmd_docs,
    cmd_impact,
    cmd_lineage,
    cmd_status,
    cmd_trace,
)
from pipelines.cli.common import err
from pipelines.cli.demo_commands import cmd_demo, cmd_demo_data
from pipelines.cli.model_commands import cmd_generate, cmd_validate
from pipelines.cli.parser import build_parser
from pipelines.cli.quality_commands import cmd_check, cmd_profile
from pipelines.cli.warehouse_commands import (
    cmd_apply,
    cmd_export_feed,
    cmd_gate,
    cmd_land,
    cmd_land_feeds,
    cmd_load,
    cmd_marts,
    cmd_plan,
    cmd_rehash,
    cmd_run,
)

__all__ = ["COMMANDS", "build_parser", "main"]


COMMANDS = {
    "docs": cmd_docs,
    "lineage": cmd_lineage,
    "impact": cmd_impact,
    "marts": cmd_marts,
    "gate": cmd_gate,
    "export-feed": cmd_export_feed,
    "trace": cmd_trace,
    "asof": cmd_asof,
    "validate": cmd_validate,
    "generate": cmd_generate,
    "plan": cmd_plan,
    "apply": cmd_apply,
    "rehash": cmd_rehash,
    "land": cmd_land,
    "land-feeds": cmd_land_feeds,
    "load": cmd_load,
    "demo": cmd_demo,
    "demo-data": cmd_demo_data,
    "run": cmd_run,
    "check": cmd_check,
    "status": cmd_status,
    "profile": cmd_profile,
    "batch": cmd_batch,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        from pipelines.db import remember_dsn, scrub_logs_and_tracebacks

        scrub_logs_and_tracebacks()  # no password in a log line or a traceback either
        if getattr(args, "dsn", None) or getattr(args, "source_dsn", None):
            remember_dsn(getattr(args, "dsn", None))  # their passwords never appear in a message (db.scrub)
            remember_dsn(getattr(args, "source_dsn", None))
        code = COMMANDS[args.command](args)
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
