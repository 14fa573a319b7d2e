"""A plan's steps, grouped in the order they run, its refusals, and how steps run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeAlias

import psycopg2
import psycopg2.extensions

from generator.errors import DVError, WarehouseError
from generator.generate import GENERATED_MARK

Cursor: TypeAlias = psycopg2.extensions.cursor


# The groups of a plan, in the order they run.
GROUPS: dict[str, str] = {
    "roles": "roles (model/project.yml roles:; cluster-wide, NOLOGIN)",
    "meta": "metadata schema (dv_meta)",
    "schemas": "new schemas",
    "drop_views": "views dropped, to be created again below (views hold no data)",
    "drop_tables": "tables dropped: they hold no data (ghost records only)",
    "drop_columns": "stage hash columns dropped: no entity uses them any more (derived data, recomputable)",
    "tables": "new tables (the entity's create file; idempotent)",
    "columns": "new columns (nullable)",
    "relax": "columns that may be NULL now",
    "drop_indexes": "indexes dropped (the model no longer has them)",
    "indexes": "new indexes",
    "views": "views created (the entity's views file)",
    "comments": "comments",
    "owners": "owners (schemas and what dv apply creates: the owner role; business vault and marts: the loader)",
    "revoke": "privileges revoked (vault_sql/roles/grants.sql)",
    "grants": "privileges granted (vault_sql/roles/grants.sql)",
}


@dataclass(frozen=True)
class Step:
    group: str  # a key of GROUPS
    target: str  # the object it changes
    sql: str  # the statement; for a file step, the file's content
    file: str | None = None  # the vault_sql/ file it runs, if any


@dataclass(frozen=True)
class Refusal:
    target: str
    message: str
    hint: str

    def render(self) -> str:
        return f"{self.target}: {self.message}\n    hint: {self.hint}"


@dataclass
class Plan:
    fingerprint: str
    steps: list[Step] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    fresh: bool = False  # the warehouse holds no dv table yet
    hash_change: tuple[str, str] | None = None  # ("md5 spec v1", "sha256 spec v1") since the last apply

    @property
    def empty(self) -> bool:
        return not self.steps

    def add(self, group: str, target: str, sql: str, file: str | None = None) -> None:
        if file is not None and any(s.file == file and s.group == group for s in self.steps):
            return  # an entity's file runs once
        self.steps.append(Step(group, target, sql, file))

    def ordered(self) -> list[Step]:
        rank = {g: i for i, g in enumerate(GROUPS)}
        return sorted(self.steps, key=lambda s: rank[s.group])  # stable: order within a group kept

    def render(self) -> str:
        """The plan as the SQL it runs, grouped, with a comment heading each group."""
        out: list[str] = []
        for group, title in GROUPS.items():
            steps = [s for s in self.steps if s.group == group]
            if not steps:
                continue
            out.append(f"-- {title}: {len(steps)}")
            for s in steps:
                if s.file is not None:
                    out.append(f"-- {GENERATED_MARK}/{s.file} ({s.target})")
                out.append(s.sql.rstrip("\n"))
            out.append("")
        return "\n".join(out)


class PlanRefused(DVError):
    """The model asks for changes that would lose data or rewrite history; nothing was changed."""

    def __init__(self, plan: Plan, action: str = "dv apply") -> None:
        self.plan = plan
        lines = [f"{len(plan.refusals)} change(s) refused; {action} changed nothing:"]
        lines += [r.render() for r in plan.refusals]
        super().__init__("\n".join(lines))


def run_steps(cur: Cursor, steps: Iterable[Step]) -> None:
    for step in steps:
        what = f"{step.file or step.target} ({GROUPS[step.group]})"
        try:
            cur.execute(step.sql)
        except psycopg2.Error as exc:
            detail = (exc.pgerror or str(exc)).strip()
            raise WarehouseError(f"{what} failed: {detail}") from None


def lock(cur: Cursor) -> None:
    """The lock every apply and rehash holds for its whole transaction."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext('dv.apply'))")
