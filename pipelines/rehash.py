"""``dv rehash``: recompute every hash key and hashdiff after a change of the hash settings.

A change of ``hash.algorithm`` (md5 ↔ sha256) or of the hash spec version changes every key of
the warehouse. ``dv apply`` refuses it; ``dv rehash`` does it, in one transaction:

1. the rest of the plan (additions made together with the hash change) runs first;
2. every table with a hash column of the old settings is moved, with its indexes and constraints,
   into a backup schema ``<schema>__pre_rehash_<UTC timestamp>`` and created again from its
   entity's ``create`` file (new column types, new ghost record);
3. the rows are copied back with every hash column recomputed, by a rule chosen from the
   manifest's description of the table (:func:`plan_jobs`):

   - an entity's own hash key: from the business key the table stores (a hub: its key columns;
     a link: its hubs' key columns, joined through the old keys, then its dependent keys), with
     the generator's dialect expressions (``key_value``, ``key_string``, ``hash_key``), so the new
     keys are the bytes the stage step computes for the same business key;
   - a column holding another entity's key (a satellite's parent key, a link's hub references,
     any ``hk_<hub or link>``): mapped old → new through that entity's mapping;
   - a satellite's ``hashdiff``: recomputed from its payload columns (``hashdiff``), by the rule
     of its kind (:data:`HASHDIFF_RULES`);
   - a stage table's hash columns: keys mapped through their entity's mapping (so staged history
     matches what the vault holds), else recomputed from the staged typed columns; hashdiffs
     recomputed; NULL stays NULL (a column added after earlier batches were staged);

4. verified: every table has as many rows as before, no key is unmapped, ghost records are there,
   stage hash columns are NULL exactly where they were; then views are created again and the new
   model version is recorded. Any failure rolls everything back.

A hash column no rule covers (a new kind's hashdiff, a key the stage step hashes from parts the
table does not hold) is reported, and nothing is changed: add a rule to :data:`HASHDIFF_RULES`
(or :func:`_column_rule`) for it. Hubs, links, non-historized links, standard and multi-active
satellites and reference tables have theirs; every other kind's references to hubs and links
follow from the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg2
import psycopg2.extensions

from generator.constants import COL_HASHDIFF, COL_RECORD_SOURCE, GHOST_RECORD_SOURCE, HASH_KEY_PREFIX, SCHEMA_META
from generator.dialects import get_dialect
from generator.dialects.base import Dialect
from generator.errors import DVError, WarehouseError
from generator.resolve import KeyPart
from generator.types import DataType, parse_type
from pipelines.access import plan_access
from pipelines.db import transaction
from pipelines.plan import (
    Catalog,
    Plan,
    PlanRefused,
    Step,
    _dependents_first,
    applied_version,
    build_plan,
    lock,
    managed_schemas,
    normalize_type,
    read_catalog,
    record_version,
    run_steps,
)
from pipelines.project import Project

Cursor = psycopg2.extensions.cursor
Conn = psycopg2.extensions.connection

BACKUP_INFIX = "__pre_rehash_"


class RehashError(DVError):
    """dv rehash cannot (or did not) complete; nothing was changed."""


@dataclass
class Rules:
    """What a rule needs: the manifest, the dialect and the algorithm to hash with."""

    manifest: dict[str, Any]
    d: Dialect
    algorithm: str

    def node(self, entity: str) -> dict[str, Any]:
        node: dict[str, Any] = self.manifest["nodes"].get(entity, {})
        return node

    def hash_key(self, parts: list[tuple[str, str, bool]]) -> str:
        """Hash key of (expression, type, case_sensitive) parts, as the stage step computes it."""
        values = [self.d.key_value(expr, KeyPart(expr, expr, _dtype(t), cs)) for expr, t, cs in parts]
        return self.d.hash_key(self.d.key_string(values), self.algorithm)

    def hashdiff(self, parts: list[tuple[str, str]], case_sensitive: bool) -> str:
        return self.d.hashdiff([(expr, _dtype(t)) for expr, t in parts], case_sensitive, self.algorithm)

    def stage_recipe(self, owner: str, kind: str) -> dict[str, Any] | None:
        """A stage hash-column recipe of ``owner`` (any source that feeds it)."""
        for node in self.manifest["nodes"].values():
            for recipe in node.get("hash_columns", []):
                if recipe["owner"] == owner and recipe["kind"] == kind:
                    found: dict[str, Any] = recipe
                    return found
        return None

    def stage_recipes(self, owner: str, kind: str) -> list[dict[str, Any]]:
        """Every stage hash-column recipe of ``owner``."""
        return [
            r
            for node in self.manifest["nodes"].values()
            for r in node.get("hash_columns", [])
            if r["owner"] == owner and r["kind"] == kind
        ]


def _may_round(stored: str, source: str) -> bool:
    """Whether a key part stored as ``stored`` can lose digits of a ``source`` value (the stage step
    hashes the source value): a narrower numeric, a real from a double precision."""
    st, so = _dtype(stored), _dtype(source)
    if st.family == "float" and so.family in ("float", "numeric", "integer"):
        return st.sql == "real" and so.sql != "real"
    if st.family != "numeric" or so.family not in ("numeric", "float"):
        return False
    if so.family == "float":
        return "(" in st.sql
    scale = [
        tuple(int(x) for x in t.sql[t.sql.index("(") + 1 : -1].split(",")) if "(" in t.sql else None for t in (st, so)
    ]
    if scale[0] is None:
        return False  # unconstrained numeric holds any value exactly
    if scale[1] is None:
        return True
    (p1, *s1), (p2, *s2) = scale[0], scale[1]
    d1, d2 = (s1 or [0])[0], (s2 or [0])[0]
    return d1 < d2 or p1 - d1 < p2 - d2


def _dtype(type_sql: str) -> DataType:
    parsed = parse_type(type_sql)
    if parsed is None:
        raise RehashError(f"type {type_sql!r} has no hash rendering")
    return parsed


def _standard_hashdiff(rules: Rules, node: dict[str, Any], job: Job) -> str | None:
    """A satellite: the hashdiff of its payload columns in declared order."""
    if "case_sensitive" not in node:
        return None
    return rules.hashdiff([(f"o.{c['name']}", c["type"]) for c in node["columns"]], bool(node["case_sensitive"]))


def _staged_hashdiff(rules: Rules, node: dict[str, Any], job: Job) -> str | None:
    """A kind that stores the stage step's hashdiff of its columns as it is (a reference table): the
    columns rendered by the stage recipe's types, with its case rule."""
    recipe = rules.stage_recipe(f"{node['kind']}.{node['name']}", "hashdiff")
    columns = [c["name"] for c in node.get("columns", [])]
    if recipe is None or len(recipe["parts"]) != len(columns):
        return None
    return rules.hashdiff(
        [(f"o.{name}", p["type"]) for name, p in zip(columns, recipe["parts"], strict=True)], recipe["case_sensitive"]
    )


def _multi_active_hashdiff(rules: Rules, node: dict[str, Any], job: Job) -> str | None:
    """A multi-active satellite: every row of a version carries the group hashdiff, the hash of its
    members' hashdiffs (sub-keys, then payload, rendered by the stage recipe's types) in byte order."""
    recipe = rules.stage_recipe(f"{node['kind']}.{node['name']}", "hashdiff")
    stored = [k["name"] for k in node.get("sub_keys", [])] + [c["name"] for c in node.get("columns", [])]
    key = node.get("version_key") or []
    if recipe is None or not key or len(recipe["parts"]) != len(stored):
        return None
    member = rules.hashdiff(
        [(f"g.{name}", p["type"]) for name, p in zip(stored, recipe["parts"], strict=True)], recipe["case_sensitive"]
    )
    ghost = rules.d.literal(GHOST_RECORD_SOURCE)
    group = rules.d.group_hashdiff("v.dv_member", rules.algorithm)
    alias = f"g{len(job.joins)}"
    job.joins.append(
        f"LEFT JOIN (SELECT {', '.join('v.' + k for k in key)}, {group} AS dv_group FROM ("
        f"SELECT {', '.join('g.' + k for k in key)}, {member} AS dv_member FROM {{backup:{job.table}}} AS g"
        f" WHERE g.{COL_RECORD_SOURCE} IS DISTINCT FROM {ghost}) AS v GROUP BY {', '.join('v.' + k for k in key)})"
        f" AS {alias} ON " + " AND ".join(f"{alias}.{k} = o.{k}" for k in key)
    )
    job.checks.append(
        (
            f"o.{COL_RECORD_SOURCE} IS DISTINCT FROM {ghost} AND {alias}.dv_group IS NULL",
            "a row whose version group was not found",
        )
    )
    return f"{alias}.dv_group"


# How the ``hashdiff`` column of each satellite kind is recomputed from the old row (alias ``o``),
# by ``<manifest kind>/<satellite_kind>``. A rule returns the expression (it may add joins to the
# job, naming old tables ``{backup:<schema.table>}``), or None when the manifest lacks what it needs.
# A kind not listed here is reported as not covered by dv rehash.
HASHDIFF_RULES: dict[str, Callable[[Rules, dict[str, Any], Job], str | None]] = {
    "sat/standard": _standard_hashdiff,
    "msat/multi_active": _multi_active_hashdiff,
    "ref/": _staged_hashdiff,
}


@dataclass
class Job:
    """One table to rebuild: the old rows (alias ``o``) copied with their hash columns recomputed."""

    table: str  # schema.table
    entity: str
    backup: str = ""  # schema.table in the backup schema, once moved
    columns: list[str] = field(default_factory=list)  # columns copied into the new table
    exprs: dict[str, str] = field(default_factory=dict)  # column -> expression replacing o.<column>
    joins: list[str] = field(default_factory=list)  # joins the expressions need (maps of other entities)
    checks: list[tuple[str, str]] = field(default_factory=list)  # (condition on a broken row, what is wrong)
    own_key: str | None = None  # the entity's own hash key: its old -> new mapping is built first
    own_key_expr: str = ""
    own_key_joins: list[str] = field(default_factory=list)  # joins the own key needs (placeholders for backups)
    own_key_checks: list[tuple[str, str]] = field(default_factory=list)
    nullable_hashes: list[str] = field(default_factory=list)  # stage hash columns: NULL where they were
    ghost_filter: bool = False
    rows: int = 0


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


def _map_name(entity: str) -> str:
    """The temporary old -> new key table of an entity (readable, unique, within 63 bytes)."""
    return f"dv_rehash_{entity.replace('.', '_')[:30]}_{hashlib.sha256(entity.encode()).hexdigest()[:8]}"


def tables_to_rebuild(manifest: dict[str, Any], catalog: Catalog, old_type: str, new_type: str) -> dict[str, list[str]]:
    """Model tables holding hash columns of the old settings: table -> those columns."""
    out: dict[str, list[str]] = {}
    for qualified, table in manifest["physical"]["tables"].items():
        live = catalog.tables.get(qualified)
        if live is None:
            continue
        cols = [
            c["name"]
            for c in table["columns"]
            if c["role"] in ("key", "meta")
            and normalize_type(c["type"]) == new_type
            and c["name"] in live.columns
            and live.columns[c["name"]].type == old_type
        ]
        if cols:
            out[qualified] = cols
    return out


def plan_jobs(
    manifest: dict[str, Any], targets: dict[str, list[str]], live_columns: dict[str, list[str]], rules: Rules
) -> tuple[list[Job], list[str]]:
    """A job per table to rebuild, and what no rule covers (``table.column: why``)."""
    phys = manifest["physical"]["tables"]
    jobs: list[Job] = []
    uncovered: list[str] = []
    owners = {t: phys[t]["entity"] for t in targets}
    mapped = {e for t, e in owners.items() if rules.node(e).get("hash_key") in targets[t]}
    order = {e: i for i, e in enumerate(manifest["load_order"])}
    for qualified in sorted(targets, key=lambda t: (order.get(owners[t], len(order)), t)):
        entity = owners[qualified]
        node = rules.node(entity)
        table = phys[qualified]
        job = Job(
            qualified, entity, columns=[c["name"] for c in table["columns"] if c["name"] in live_columns[qualified]]
        )
        job.ghost_filter = COL_RECORD_SOURCE in job.columns
        for column in targets[qualified]:
            why = _column_rule(rules, job, node, column, mapped)
            if why:
                uncovered.append(f"{qualified}.{column} ({node.get('yaml_kind', node.get('kind', '?'))}): {why}")
        jobs.append(job)
    return jobs, uncovered


def _column_rule(rules: Rules, job: Job, node: dict[str, Any], column: str, mapped: set[str]) -> str:
    """Fill the job's expression for one hash column; the reason when no rule covers it."""
    if node.get("kind") == "source":
        return _stage_rule(rules, job, node, column, mapped)
    if column == node.get("hash_key"):
        return _own_key_rule(rules, job, node, column)
    if column == COL_HASHDIFF:
        rule = HASHDIFF_RULES.get(f"{node.get('kind')}/{node.get('satellite_kind', '')}")
        expr = rule(rules, node, job) if rule is not None else None
        if expr is None:
            return "no rule recomputes this kind's hashdiff (pipelines/rehash.py HASHDIFF_RULES)"
        job.exprs[column] = expr
        return ""
    referenced = _referenced_entity(rules, node, column)
    if referenced is None:
        return "not a key of a hub or link dv rehash knows; no rule recomputes it"
    if referenced not in mapped:
        return f"holds keys of {referenced}, which is not rehashed"
    alias = f"m{len(job.joins)}"
    job.joins.append(f"LEFT JOIN {_map_name(referenced)} AS {alias} ON {alias}.old_key = o.{column}")
    job.exprs[column] = f"{alias}.new_key"
    job.checks.append(
        (f"o.{column} IS NOT NULL AND {alias}.old_key IS NULL", f"{column} holds keys {referenced} does not hold")
    )
    return ""


def _referenced_entity(rules: Rules, node: dict[str, Any], column: str) -> str | None:
    """The hub or link whose keys a column holds: a link's role column, a parent key, ``hk_<name>``."""
    for ref in node.get("refs", []):
        if ref.get("column") == column:
            return f"hub.{ref['hub']}"
    if column == node.get("parent_key") and node.get("parent"):
        return str(node["parent"])
    if column.startswith(HASH_KEY_PREFIX):
        name = column.removeprefix(HASH_KEY_PREFIX)
        for kind in ("hub", "link"):
            if rules.node(f"{kind}.{name}").get("hash_key") == column:
                return f"{kind}.{name}"
    return None


def _own_key_rule(rules: Rules, job: Job, node: dict[str, Any], column: str) -> str:
    """A hub's key from its stored business key; a link-like key from its hubs' business keys (joined
    through the old keys) and the key columns it stores itself (dependent keys, event keys). The number
    of parts must be what the stage step hashes (the source's recipe), else the kind is not covered."""
    job.own_key = column
    entity = f"{node['kind']}.{node['name']}"
    parts: list[tuple[str, str, bool]] = []
    if "business_keys" in node:
        for recipe in rules.stage_recipes(entity, "key"):
            for k, p in zip(node["business_keys"], recipe["parts"], strict=False):
                if _may_round(k["type"], p["type"]):
                    return (
                        f"key part {k['name']} is stored as {k['type']}, which rounds the {p['type']} values of "
                        f"{p['column']} the stage step hashes: the keys cannot be recomputed from the table"
                    )
        parts = [(f"o.{k['name']}", k["type"], k["case_sensitive"]) for k in node["business_keys"]]
    elif "refs" in node:
        for i, ref in enumerate(node["refs"]):
            hub = rules.node(f"hub.{ref['hub']}")
            if not hub:
                return f"references hub {ref['hub']}, which the model does not have"
            alias = f"r{i}"
            hub_table = f"{hub['schema']}.{hub['table']}"
            job.own_key_joins.append(
                f"LEFT JOIN {{backup:{hub_table}}} AS {alias} ON {alias}.{hub['hash_key']} = o.{ref['column']}"
            )
            job.own_key_checks.append(
                (
                    f"o.{ref['column']} IS NOT NULL AND {alias}.{hub['hash_key']} IS NULL",
                    f"{ref['column']} holds keys hub {ref['hub']} does not hold",
                )
            )
            parts += [(f"{alias}.{k['name']}", k["type"], k["case_sensitive"]) for k in hub["business_keys"]]
        own = [
            k if isinstance(k, str) else k["name"] for f in ("dependent_keys", "event_keys") for k in node.get(f, [])
        ]
        if own:
            recipe = rules.stage_recipe(entity, "key")
            if recipe is None:
                return "no stage recipe tells how the key columns it stores are hashed"
            cases = [p["case_sensitive"] for p in recipe["parts"][-len(own) :]]
            types = {c["name"]: c["type"] for c in rules.manifest["physical"]["tables"][job.table]["columns"]}
            parts += [(f"o.{name}", types[name], cs) for name, cs in zip(own, cases, strict=True)]
    else:
        return "an own hash key with neither business keys nor hub references: no rule recomputes it"
    recipe = rules.stage_recipe(entity, "key")
    if recipe is not None and len(recipe["parts"]) != len(parts):
        return (
            f"the stage step hashes {len(recipe['parts'])} key part(s), the table gives {len(parts)}: "
            "no rule recomputes this kind's key"
        )
    job.own_key_expr = rules.hash_key(parts)
    return ""


def _stage_rule(rules: Rules, job: Job, node: dict[str, Any], column: str, mapped: set[str]) -> str:
    recipe = next((r for r in node.get("hash_columns", []) if r["column"] == column), None)
    if recipe is None:
        return "the source's manifest has no recipe for this stage column"
    job.nullable_hashes.append(column)
    if recipe["kind"] == "hashdiff":
        fresh = rules.hashdiff([(f"o.{p['column']}", p["type"]) for p in recipe["parts"]], recipe["case_sensitive"])
    elif recipe["kind"] == "key":
        fresh = rules.hash_key([(f"o.{p['column']}", p["type"], p["case_sensitive"]) for p in recipe["parts"]])
        if recipe["owner"] in mapped:
            alias = f"m{len(job.joins)}"
            job.joins.append(f"LEFT JOIN {_map_name(recipe['owner'])} AS {alias} ON {alias}.old_key = o.{column}")
            fresh = f"COALESCE({alias}.new_key, {fresh})"
    else:
        return f"unknown recipe kind {recipe['kind']!r}"
    job.exprs[column] = f"CASE WHEN o.{column} IS NULL THEN NULL ELSE {fresh} END"
    return ""


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
    algorithm, spec = manifest["hash"]["algorithm"], manifest["hash"]["spec_version"]
    new_label = f"{algorithm} (hash spec v{spec})"
    d = get_dialect()
    with transaction(conn) as cur:
        lock(cur)
        for node_id in sorted(manifest["nodes"]):  # no stage step or load runs meanwhile
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
        meta = manifest["meta_sql"]
        run_steps(cur, [Step("meta", SCHEMA_META, project.sql(meta), meta)])
        result.plan = build_plan(cur, project, rehashing=True)
        if result.plan.refusals:
            raise PlanRefused(result.plan, "dv rehash")
        run_steps(cur, result.plan.steps)

        old_type = normalize_type(d.hash_type(applied.algorithm))
        new_type = normalize_type(d.hash_type(algorithm))
        catalog = read_catalog(cur, managed_schemas(manifest))
        targets = tables_to_rebuild(manifest, catalog, old_type, new_type)
        live_columns = {t: list(catalog.tables[t].columns) for t in targets}
        rules = Rules(manifest, d, algorithm)
        jobs, uncovered = plan_jobs(manifest, targets, live_columns, rules)
        if uncovered:
            raise RehashError(
                f"dv rehash has no rule for {len(uncovered)} hash column(s); nothing was changed:\n"
                + "\n".join(f"  {u}" for u in uncovered)
                + "\n    hint: add a rule in pipelines/rehash.py, or rebuild those tables from their sources"
            )
        _rebuild(cur, project, catalog, jobs, result, now or dt.datetime.now(dt.UTC))
        # the rebuilt tables and views belong to the DSN's user: to their owners, with their grants
        run_steps(
            cur, [Step(s.group, s.target, s.sql + ";") for s in plan_access(cur, manifest, managed_schemas(manifest))]
        )
        record_version(cur, project)
    return result


def _rebuild(
    cur: Cursor, project: Project, catalog: Catalog, jobs: list[Job], result: RehashResult, now: dt.datetime
) -> None:
    manifest = project.manifest
    phys_views: dict[str, dict[str, Any]] = manifest["physical"].get("views", {})
    entities = {j.entity for j in jobs}
    # views go first (they read the tables); dv's come back from their files, others are refused
    drop = {q for q, v in phys_views.items() if v["entity"] in entities and q in catalog.views}
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
    for view in _dependents_first(drop, catalog):
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

    order = {e: i for i, e in enumerate(manifest["load_order"])}
    for entity in sorted(entities, key=lambda e: order.get(e, len(order))):
        file = manifest["nodes"][entity].get("sql", {}).get("create")
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
        name = _map_name(job.entity)
        _exec(
            cur,
            f"CREATE TEMP TABLE {name} ON COMMIT DROP AS"
            f" SELECT o.{job.own_key} AS old_key, {job.own_key_expr} AS new_key FROM {job.backup} AS o {joins}",
            f"mapping the keys of {job.table}",
        )
        _exec(cur, f"ALTER TABLE {name} ADD PRIMARY KEY (old_key)", f"indexing the key map of {job.table}")
        _exec(cur, f"ANALYZE {name}", f"analyzing the key map of {job.table}")

    for job in jobs:
        joins = []
        exprs = dict(job.exprs)
        if job.own_key is not None:
            joins.append(f"JOIN {_map_name(job.entity)} AS k ON k.old_key = o.{job.own_key}")
            exprs[job.own_key] = "k.new_key"
        joins += [resolve(j) for j in job.joins]
        source = f"{job.backup} AS o {' '.join(joins)}"
        for condition, what in job.checks:
            broken = _count(cur, f"SELECT count(*) FROM {source} WHERE {condition}", job.table)
            if broken:
                raise RehashError(f"{job.table}: {broken} row(s): {what}; nothing was changed")
        ghost = get_dialect().literal(GHOST_RECORD_SOURCE)
        where = f" WHERE o.{COL_RECORD_SOURCE} IS DISTINCT FROM {ghost}" if job.ghost_filter else ""
        select = ", ".join(f"{exprs.get(c, 'o.' + c)} AS {c}" for c in job.columns)
        identity = any(c.get("identity") for c in manifest["physical"]["tables"][job.table]["columns"])
        overriding = " OVERRIDING SYSTEM VALUE" if identity else ""  # keep the numbers the rows had
        _exec(
            cur,
            f"INSERT INTO {job.table} ({', '.join(job.columns)}){overriding} SELECT {select} FROM {source}{where}",
            f"copying {job.table}",
        )
        _verify(cur, job)
        _exec(cur, f"ANALYZE {job.table}", f"analyzing {job.table}")
        result.tables.append((job.table, job.rows))

    files = {phys_views[q]["sql"]: phys_views[q]["entity"] for q in drop if q in phys_views}
    files |= {v["sql"]: v["entity"] for v in phys_views.values() if v["entity"] in entities}
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
