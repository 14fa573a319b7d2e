"""What ``dv plan`` and ``dv apply`` print: the plan as SQL or its refusals, the steps applied by group."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from pipelines.plan.steps import GROUPS, Plan


def report_plan(result: Plan, out: Console, err: Console) -> int:
    """The refusals (exit 1), or that there is nothing to do, or the plan as the SQL it runs (exit 0)."""
    model = f"model {result.fingerprint[:12]}"
    if result.refusals:
        for refusal in result.refusals:
            err.print(f"[red]refused:[/] {escape(refusal.render())}")
        waiting = ""
        if result.steps and not result.hash_change:
            waiting = f" ({len(result.steps)} other step(s) wait for them)"
        err.print(f"[red]{len(result.refusals)} change(s) refused[/]: dv apply would change nothing{waiting}")
        return 1
    if result.empty:
        out.print(f"nothing to do: the warehouse matches vault_sql/ ({model})")
        return 0
    out.print(result.render(), markup=False, highlight=False)
    what = "the warehouse is empty: the plan creates everything; " if result.fresh else ""
    out.print(f"{what}{len(result.steps)} step(s) ({model}); run 'dv apply' to make them, in one transaction")
    return 0


def report_apply(result: Plan, standardized: list[str], out: Console) -> int:
    """The standardization views made, then the steps applied: targets by group (privileges counted)."""
    if standardized:
        out.print(
            f"business_vault: standardization functions and {len(standardized)} view(s) ({', '.join(standardized)})"
        )
    model = f"model {result.fingerprint[:12]}"
    if result.empty:
        out.print(f"nothing to do: the warehouse matched vault_sql/ ({model}, recorded in dv_meta.model_version)")
        return 0
    out.print(f"[green]applied[/] {len(result.steps)} step(s) of the plan ({model}):")
    for group, title in GROUPS.items():
        targets = [s.target for s in result.steps if s.group == group]
        if targets and group in ("owners", "revoke", "grants"):
            out.print(f"  {title}: {len(targets)} statement(s) on {len(set(targets))} object(s)")
        elif targets:
            out.print(f"  {title}: {escape(', '.join(targets))}")
    return 0
