"""The plan built and run: ``dv plan`` (read-only, rolled back), ``dv apply`` (one transaction, the applied
model version recorded), ``secure`` (roles, owners and privileges only)."""

from __future__ import annotations

from typing import TypeAlias

import psycopg2.extensions

from generator.constants import SCHEMA_META
from pipelines.access import plan_access
from pipelines.db import transaction
from pipelines.plan.catalog import Cursor, applied_version, managed_schemas, record_version
from pipelines.plan.diff import Planner
from pipelines.plan.steps import Plan, PlanRefused, Step, lock, run_steps
from pipelines.project import Project

Conn: TypeAlias = psycopg2.extensions.connection


def build_plan(cur: Cursor, project: Project, *, rehashing: bool = False) -> Plan:
    """What ``dv apply`` would run. ``rehashing``: a change of hash settings is not refused, and hash
    columns of the old hash type count as already retyped (``dv rehash`` rebuilds them)."""
    result = Planner(cur, project, applied_version(cur), rehashing).build()
    recreated = {s.target for s in result.steps if s.group in ("drop_views", "drop_tables")}
    for step in plan_access(cur, project.manifest, managed_schemas(project.manifest), recreated):
        result.add(step.group, step.target, step.sql + ";")
    return result


def secure(conn: Conn, project: Project) -> list[Step]:
    """Roles, owners and privileges only (after objects made outside the plan: the standardization views)."""
    with transaction(conn) as cur:
        lock(cur)
        steps = [
            Step(s.group, s.target, s.sql + ";")
            for s in plan_access(cur, project.manifest, managed_schemas(project.manifest))
        ]
        run_steps(cur, steps)
    return steps


def plan(conn: Conn, project: Project) -> Plan:
    """The plan, read-only: nothing is changed (the transaction is rolled back)."""
    try:
        with conn.cursor() as cur:
            return build_plan(cur, project)
    finally:
        conn.rollback()


def apply(conn: Conn, project: Project) -> Plan:
    """Plan and run it in one transaction, then record the applied model version (with its manifest).

    The metadata schema (``dv_meta``) is brought up to date first, every time (its file is
    idempotent). A refused plan raises :class:`PlanRefused` and changes nothing.
    """
    with transaction(conn) as cur:
        lock(cur)
        cur.execute("SELECT to_regnamespace(%s) IS NULL", (SCHEMA_META,))
        fresh_meta = bool(cur.fetchone()[0])
        meta_sql = project.manifest.meta_sql
        meta = Step("meta", SCHEMA_META, project.sql(meta_sql), meta_sql)
        run_steps(cur, [meta])
        result = build_plan(cur, project)
        if result.refusals:
            raise PlanRefused(result)
        run_steps(cur, result.steps)
        if fresh_meta:  # reported as dv plan showed it: the metadata schema was new
            result.steps.insert(0, meta)
        record_version(cur, project)
    return result
