"""The expressions of one source's stage step, decided once for its template.

Each distinct standardized business-key value is computed once (``dv_k<n>``)
and reused by every hash key that needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.dialects.base import Dialect
from generator.resolve import KeyPart, Source


@dataclass(frozen=True)
class KeyValue:
    alias: str
    expr: str


@dataclass(frozen=True)
class HashColumn:
    column: str  # stage column
    key_string_alias: str
    key_string: str
    reject_reason: str | None  # message when the key is all NULL and NULL is not allowed


@dataclass
class StagePlan:
    key_values: list[KeyValue] = field(default_factory=list)
    hash_columns: list[HashColumn] = field(default_factory=list)
    hashdiffs: list[tuple[str, str]] = field(default_factory=list)  # (stage column, expression)

    row_checks: list[tuple[str, str]] = field(default_factory=list)  # (condition on alias h, reason)

    @property
    def reject_checks(self) -> list[tuple[str, str]]:
        """Why a typed row cannot be staged: a required key is empty, the sequence is missing."""
        keys = [(f"h.{h.key_string_alias} IS NULL", h.reject_reason) for h in self.hash_columns if h.reject_reason]
        return keys + self.row_checks


def build_stage_plan(source: Source, d: Dialect, algorithm: str) -> StagePlan:
    """Key values read the ``typed`` CTE (alias t), hashdiffs the ``verdict`` CTE (alias v)."""
    plan = StagePlan()
    aliases: dict[tuple[str, str, bool], str] = {}

    def value(part: KeyPart) -> str:
        key = (part.source_column, part.type.sql, part.case_sensitive)
        if key not in aliases:
            alias = f"dv_k{len(aliases) + 1}"
            aliases[key] = alias
            plan.key_values.append(KeyValue(alias, d.key_value(f"t.{part.source_column}", part)))
        return aliases[key]

    def add(column: str, parts: list[KeyPart], reason: str | None) -> None:
        string = d.key_string([value(p) for p in parts])
        plan.hash_columns.append(HashColumn(column, "dv_ks_" + column, string, reason))

    def cols(parts: list[KeyPart]) -> str:
        return ", ".join(p.source_column for p in parts)

    for m in source.hub_keys:
        reason = f"{m.label}: business key ({cols(m.parts)}) is empty" if m.on_null == "reject" else None
        add(m.stage_column, m.parts, reason)
    for lk in source.link_keys:
        for r in lk.roles:
            reason = None if r.nullable else f"link {lk.link}: role {r.role} has no key ({cols(r.parts)})"
            add(r.stage_column, r.parts, reason)
        add(lk.stage_column, lk.all_parts(), None)
    for rk in source.required_keys:
        # every part must be there (a reference table's code); standardized, so a blank text is empty too
        plan.row_checks.append(("(" + " OR ".join(f"h.{value(p)} IS NULL" for p in rk.parts) + ")", rk.reason))
    if source.sequence is not None:
        plan.row_checks.append(
            (f"h.{source.sequence} IS NULL", f"column {source.sequence}: the sequence column is empty")
        )
    for h in source.hashdiffs:
        exprs = [(f"v.{c.name}", c.type) for c in h.columns]
        plan.hashdiffs.append((h.stage_column, d.hashdiff(exprs, h.case_sensitive, algorithm)))
    return plan
