"""Shared pieces of the `dv` commands: the consoles, timestamp arguments, a connection acting as a role."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from rich.console import Console

out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def timestamp(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an ISO 8601 timestamp (e.g. 2026-03-04T12:00:00Z)") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def connection(args: argparse.Namespace, role: str) -> Any:
    """A connection to the warehouse acting as one of its roles (pipelines/access.py); outside a project
    folder (no vault_sql/manifest.json), as the DSN's user."""
    from generator.generate import GENERATED_MARK
    from pipelines.access import connect_as
    from pipelines.db import connect
    from pipelines.project import Project

    if not (args.project / GENERATED_MARK / "manifest.json").is_file():
        return connect(args.dsn)
    return connect_as(args.dsn, Project.open(args.project).manifest, role)
