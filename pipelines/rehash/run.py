"""``dv rehash`` run: the rest of the plan, the tables moved into backup schemas and created again, the
key maps built, the rows copied with their hash columns recomputed and verified, the views created again
and the model version recorded, all in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import psycopg2
import psycopg2.extensions

from generator.constants import COL_RECORD_SOURCE, GHOST_RECORD_SOURCE, SCHEMA_META
from generator.dialects import get_dialect
from generator.errors import WarehouseError
from pipelines.access import plan_access
from pipelines.db import transaction
from pipelines.plan import (
    Catalog,
    Plan,
    PlanRefused,
    Step,
    applied_version,
    build_plan,
    dependents_first,
    lock,
    managed_schemas,
    normalize_type,
    read_catalog,
    record_version,
    run_steps,
)
from pipelines.project import Project
from pipelines.rehash.rules import Job, RehashError, Rules, map_name, plan_jobs, tables_to_rebuild

Cursor: TypeAlias = psycopg2.extensions.cursor
Conn: TypeAlias = psycopg2.extensions.connection

BACKUP_INFIX = "__pre_rehash_"


@dataclass
class RehashResult:
    old: str
    new: str
    plan: Plan | None = None
    backup_schemas: list[str] = field(default_factory=list)
    tables: list[tuple[str, int]] = field(default_factory=list)  # rebuilt table, rows (ghosts included)

    @property
    def done(self) -> bool:
        return bool(self.tables)


# --- running it --------------------------------------------------------------------------------


def _exec(cur: Cursor, sql: str, what: str, params: tuple[Any, ...] = ()) -> None:
    try:
        cur.execute(sql, params or None)
    except psycopg2.Error as exc:
        detail = (exc.pgerror or str(exc)).strip()
        raise WarehouseError(f"dv rehash: {what} failed: {detail}") from None


def _count(cur: Cursor, sql: str, what: str) -> int:
    _exec(cur, sql, what)
    return int(cur.fetchone()[0])


def _ghost_counts(cur: Cursor, table: str, filtered: bool) -> tuple[int, int]:
    if not filtered:
        return 0, _count(cur, f"SELECT count(*) FROM {table}", f"counting {table}")
    _exec(
        cur,
        f"SELECT count(*) FILTER (WHERE {COL_RECORD_SOURCE} = %s), count(*) FILTER (WHERE {COL_RECORD_SOURCE}"
        f" IS DISTINCT FROM %s) FROM {table}",
        f"counting {table}",
        (GHOST_RECORD_SOURCE, GHOST_RECORD_SOURCE),
    )
    ghosts, rows = cur.fetchone()
    return int(ghosts), int(rows)


def rehash(conn: Conn, project: Project, now: dt.datetime | None = None) -> RehashResult:
    """Recompute every hash key and hashdiff for the model's hash settings, in one transaction."""
    manifest = project.manifest
    algorithm, spec = manifest.hash.algorithm, manifest.hash.spec_version
    new_label = f"{algorithm} (hash spec v{spec})"
    d = get_dialect()
    with transaction(conn) as cur:
        lock(cur)
        for node_id in sorted(manifest.nodes):  # no stage step or load runs meanwhile
            for prefix in ("dv.stage.", "dv.load."):
                cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (prefix + node_id,))
        applied = applied_version(cur)
        if applied is None:
            raise RehashError(
                "no dv apply is recorded in this warehouse: there is nothing to rehash\n"
                "    hint: run 'dv apply' to create the warehouse with the model's hash settings"
            )
        result = RehashResult(applied.hash_label, new_label)
        if (applied.algorithm, applied.spec_version) == (algorithm, spec):
            return result
        meta = manifest.meta_sql
        run_steps(cur, [Step("meta", SCHEMA_META, project.sql(meta), meta)])
        result.plan = build_plan(cur, project, rehashing=True)
        if result.plan.refusals:
            raise PlanRefused(result.plan, "dv rehash")
        run_steps(cur, result.plan.steps)

        old_type = normalize_type(d.hash_type(applied.algorithm))
        new_type = normalize_type(d.hash_type(algorithm))
        schemas = managed_schemas(manifest)
        catalog = read_catalog(cur, schemas)
        targets = tables_to_rebuild(manifest, catalog, old_type, new_type)
        live_columns = {t: list(catalog.tables[t].columns) for t in targets}
        rules = Rules(manifest, d, algorithm)
        jobs, uncovered = plan_jobs(manifest, targets, live_columns, rules)
        if uncovered:
            raise RehashError(
                f"dv rehash has no rule for {len(uncovered)} hash column(s); nothing was changed:\n"
                + "\n".join(f"  {u}" for u in uncovered)
                + "\n    hint: add a rule in pipelines/rehash/rules.py, or rebuild those tables from their sources"
            )
        _rebuild(cur, project, catalog, jobs, result, now or dt.datetime.now(dt.UTC))
        # the rebuilt tables and views belong to the DSN's user: to their owners, with their grants
        run_steps(
            cur,
            [Step(s.group, s.target, s.sql + ";") for s in plan_access(cur, manifest, schemas)],
        )
        record_version(cur, project)
    return result


def _rebuild(
    cur: Cursor, project: Project, catalog: Catalog, jobs: list[Job], result: RehashResult, now: dt.datetime
) -> None:
    manifest = project.manifest
    phys_views = manifest.physical.views
    entities = {j.entity for j in jobs}
    # views go first (they read the tables); dv's come back from their files, others are refused
    drop = {q for q, v in phys_views.items() if v.entity in entities and q in catalog.views}
    queue = [*drop, *(j.table for j in jobs)]
    while queue:
        relation = queue.pop()
        for dependent in catalog.dependent_views(relation):
            if dependent in drop:
                continue
            if dependent not in phys_views:
                raise RehashError(
                    f"view {dependent} (not made by dv) reads {relation}, which dv rehash rebuilds; "
                    "nothing was changed\n"
                    f"    hint: drop {dependent}, run dv rehash, then create it again"
                )
            drop.add(dependent)
            queue.append(dependent)
    for view in dependents_first(drop, catalog):
        _exec(cur, f"DROP VIEW {view}", f"dropping view {view}")

    stamp = now.strftime("%Y%m%d%H%M%S")
    backups: dict[str, str] = {}
    for job in jobs:
        schema, name = job.table.split(".", 1)
        if schema not in backups:
            backups[schema] = f"{schema[: 63 - len(BACKUP_INFIX) - len(stamp)]}{BACKUP_INFIX}{stamp}"
            _exec(cur, f"CREATE SCHEMA {backups[schema]}", f"creating schema {backups[schema]}")
        _exec(cur, f"ALTER TABLE {job.table} SET SCHEMA {backups[schema]}", f"moving {job.table}")
        job.backup = f"{backups[schema]}.{name}"
    result.backup_schemas = sorted(backups.values())
    moved = {j.table: j.backup for j in jobs}

    order = {e: i for i, e in enumerate(manifest.load_order)}
    for entity in sorted(entities, key=lambda e: order.get(e, len(order))):
        file = manifest.nodes[entity].sql.get("create")
        if file is None:
            raise RehashError(f"{entity} has no create file to make its tables again; nothing was changed")
        _exec(cur, project.sql(file), f"creating the tables of {entity} ({file})")

    def resolve(text: str) -> str:
        for table, backup in moved.items():
            text = text.replace(f"{{backup:{table}}}", backup)
        if "{backup:" in text:
            raise RehashError(f"dv rehash: a join needs a table that is not rebuilt: {text}")
        return text

    for job in jobs:  # the old -> new mapping of every entity's own key, before any row is copied
        if job.own_key is None:
            continue
        joins = " ".join(resolve(j) for j in job.own_key_joins)
        for condition, what in job.own_key_checks:
            broken = _count(cur, f"SELECT count(*) FROM {job.backup} AS o {joins} WHERE {condition}", job.table)
            if broken:
                raise RehashError(f"{job.table}: {broken} row(s): {what}; nothing was changed")
        name = map_name(job.entity)
        _exec(
            cur,
            f"CREATE TEMP TABLE {name} ON COMMIT DROP AS"
            f" SELECT o.{job.own_key} AS old_key, {job.own_key_expr} AS new_key FROM {job.backup} AS o {joins}",
            f"mapping the keys of {job.table}",
        )
        _exec(cur, f"ALTER TABLE {name} ADD PRIMARY KEY (old_key)", f"indexing the key map of {job.table}")
        _exec(cur, f"ANALYZE {name}", f"analyzing the key map of {job.table}")

    for job in jobs:
        copy_joins: list[str] = []
        exprs = dict(job.exprs)
        if job.own_key is not None:
            copy_joins.append(f"JOIN {map_name(job.entity)} AS k ON k.old_key = o.{job.own_key}")
            exprs[job.own_key] = "k.new_key"
        copy_joins += [resolve(j) for j in job.joins]
        source = f"{job.backup} AS o {' '.join(copy_joins)}"
        for condition, what in job.checks:
            broken = _count(cur, f"SELECT count(*) FROM {source} WHERE {condition}", job.table)
            if broken:
                raise RehashError(f"{job.table}: {broken} row(s): {what}; nothing was changed")
        ghost = get_dialect().literal(GHOST_RECORD_SOURCE)
        where = f" WHERE o.{COL_RECORD_SOURCE} IS DISTINCT FROM {ghost}" if job.ghost_filter else ""
        select = ", ".join(f"{exprs.get(c, 'o.' + c)} AS {c}" for c in job.columns)
        identity = any(c.identity for c in manifest.physical.tables[job.table].columns)
        overriding = " OVERRIDING SYSTEM VALUE" if identity else ""  # keep the numbers the rows had
        _exec(
            cur,
            f"INSERT INTO {job.table} ({', '.join(job.columns)}){overriding} SELECT {select} FROM {source}{where}",
            f"copying {job.table}",
        )
        _verify(cur, job)
        _exec(cur, f"ANALYZE {job.table}", f"analyzing {job.table}")
        result.tables.append((job.table, job.rows))

    files = {phys_views[q].sql: phys_views[q].entity for q in drop if q in phys_views}
    files |= {v.sql: v.entity for v in phys_views.values() if v.entity in entities}
    for file, entity in sorted(files.items(), key=lambda fe: (order.get(fe[1], len(order)), fe[0])):
        _exec(cur, project.sql(file), f"creating the views of {entity} ({file})")


def _verify(cur: Cursor, job: Job) -> None:
    old_ghosts, old_rows = _ghost_counts(cur, job.backup, job.ghost_filter)
    new_ghosts, new_rows = _ghost_counts(cur, job.table, job.ghost_filter)
    if new_rows != old_rows:
        raise RehashError(f"{job.table}: {new_rows} rows after the rehash, {old_rows} before; nothing was changed")
    if old_ghosts and new_ghosts != old_ghosts:  # a table that had lost its ghost gets it back
        raise RehashError(
            f"{job.table}: {new_ghosts} ghost record(s) after the rehash, {old_ghosts} before; nothing was changed"
        )
    for column in job.nullable_hashes:
        sql = "SELECT count(*) FROM {} WHERE " + column + " IS NULL"
        before = _count(cur, sql.format(job.backup), f"checking {job.table}.{column}")
        after = _count(cur, sql.format(job.table), f"checking {job.table}.{column}")
        if before != after:
            raise RehashError(
                f"{job.table}.{column}: NULL in {after} rows after the rehash, {before} before; nothing was changed"
            )
    job.rows = new_rows + new_ghosts
