"""`dv validate` and `dv generate`: the model and its generated SQL (no database)."""

from __future__ import annotations

import argparse

from rich.markup import escape

from generator.generate import generate
from generator.kinds import KINDS
from generator.model import Model, load_model
from pipelines.cli.common import err, out


def cmd_validate(args: argparse.Namespace) -> int:
    model = load_model(args.project / "model", args.project)
    out.print(f"[green]model OK[/]: {escape(count_kinds(model))}")
    return 0


def count_kinds(model: Model) -> str:
    """Every kind the model has, counted in the registry's order: "23 sources, 13 hubs, …, 1 KPI"."""
    counts = []
    for kind in KINDS:
        n = len(model.of_kind(kind))
        if n:
            plural = kind.plural if kind.plural[1:2].isupper() else kind.plural[:1].lower() + kind.plural[1:]
            counts.append(f"{n} {kind.title if n == 1 else plural}")
    return ", ".join(counts) or "no entity"


def cmd_generate(args: argparse.Namespace) -> int:
    _, drift = generate(args.project, check=args.check)
    for path in drift.foreign:
        err.print(
            f"[yellow]warning:[/] {escape(path)} was not written by dv generate (no generated header): left alone, "
            "and never run by dv apply or dv load\n    hint: move hand-written SQL out of the generated folders"
        )
    if args.check:
        if drift.stale:
            folders = " and ".join(drift.folders)
            if args.diff:
                err.print(drift.diff, markup=False, end="")
            else:  # one line per file: a diff of a whole model is thousands of lines
                err.print("\n".join(drift.summary()), markup=False)
            err.print(
                f"[red]{folders} {'is' if len(drift.folders) == 1 else 'are'} stale[/]: {len(drift.added)} missing, "
                f"{len(drift.changed)} changed, {len(drift.removed)} not generated any more\n"
                f"    hint: run 'dv generate' and commit {folders}"
                + ("" if args.diff else " ('dv generate --check --diff' shows the diff)")
            )
            return 1
        out.print("[green]vault_sql/ and checks/generated/ are up to date[/]")
        return 0
    total = len(drift.added) + len(drift.changed) + len(drift.removed)
    out.print(
        f"{' and '.join(drift.folders)}: {len(drift.added)} added, {len(drift.changed)} changed, "
        f"{len(drift.removed)} removed"
        if total
        else "vault_sql/ and checks/generated/ were up to date"
    )
    return 0
