"""``dv plan`` / ``dv apply``: what it takes to bring a warehouse to the generated model.

The plan compares three things:

- the model as generated: ``vault_sql/manifest.json`` (its ``physical`` section: every table with
  its columns, primary key and indexes, every view with the fingerprint of its definition);
- the live catalog of the warehouse (``pg_catalog``): schemas, tables, columns with their types and
  NOT NULL, primary keys, indexes by name, views and the ``[dv:<fingerprint>]`` in their comments;
- the manifest of the last ``dv apply`` (``dv_meta.model_version.manifest``): what the warehouse
  was built from, to see changes the catalog cannot show (a business key's case rule, the order
  of a satellite's hashdiff columns, the hash algorithm).

Additions are planned as SQL statements: new schemas, new tables (the entity's whole ``create``
file, which is idempotent), new nullable columns, new indexes, views that are missing or changed
(dropped and created again from the entity's ``views`` file: views hold no data), comments. A
change that would lose data or silently change history is *refused* (:class:`Refusal`), with
the reason and what to do instead; a refused plan applies nothing. A table that holds no data
(ghost records only) may change freely: it is dropped and created again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg2
import psycopg2.extensions

from generator.constants import (
    ALL_SCHEMAS,
    COL_HASHDIFF,
    COL_RECORD_SOURCE,
    GHOST_RECORD_SOURCE,
    HASH_KEY_PREFIX,
    HASHDIFF_PREFIX,
    SCHEMA_META,
)
from generator.dialects import get_dialect
from generator.errors import DVError, WarehouseError
from generator.generate import GENERATED_MARK
from generator.render import VIEW_TAG
from generator.types import parse_type
from pipelines.access import dependent_views, plan_access
from pipelines.db import transaction
from pipelines.project import Project

Cursor = psycopg2.extensions.cursor
Conn = psycopg2.extensions.connection

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


# --- the live catalog -------------------------------------------------------------------------


@dataclass
class LiveColumn:
    name: str
    type: str  # normalized (normalize_type)
    not_null: bool
    comment: str | None


@dataclass
class LiveTable:
    schema: str
    name: str
    columns: dict[str, LiveColumn]  # in column order
    primary_key: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)  # names, primary key index left out
    comment: str | None = None

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass
class LiveView:
    qualified: str
    comment: str | None

    @property
    def fingerprint(self) -> str | None:
        match = VIEW_TAG.search(self.comment or "")
        return match.group(1) if match else None


@dataclass
class Catalog:
    schemas: set[str]
    tables: dict[str, LiveTable]
    views: dict[str, LiveView]
    dependents: dict[str, set[str]]  # relation -> views (any schema) that read it

    def dependent_views(self, relation: str) -> set[str]:
        return self.dependents.get(relation, set())


_TYPE_NAMES = {
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
    "time without time zone": "time",
    "character varying": "varchar",
    "character": "char",
    "int": "integer",
    "int2": "smallint",
    "int4": "integer",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "bool": "boolean",
    "decimal": "numeric",
}


def normalize_type(text: str) -> str:
    """One spelling per type, for comparing the model's types with ``format_type``'s."""
    spelled = re.sub(r"\s+", " ", text.strip().lower())
    match = re.fullmatch(r"([a-z][a-z0-9 ]*?)\s*(\([0-9, ]*\))?", spelled)
    if match is None:
        return spelled
    base, modifier = match.group(1).strip(), (match.group(2) or "").replace(" ", "")
    return _TYPE_NAMES.get(base, base) + modifier


def read_catalog(cur: Cursor, schemas: Iterable[str]) -> Catalog:
    names = sorted(set(schemas))
    cur.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", (names,))
    live_schemas = {r[0] for r in cur.fetchall()}
    tables: dict[str, LiveTable] = {}
    views: dict[str, LiveView] = {}
    cur.execute(
        "SELECT n.nspname, c.relname, c.relkind, obj_description(c.oid, 'pg_class')"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'p', 'v', 'm')",
        (names,),
    )
    for schema, name, kind, comment in cur.fetchall():
        if kind in ("r", "p"):
            tables[f"{schema}.{name}"] = LiveTable(schema, name, {}, comment=comment)
        else:
            views[f"{schema}.{name}"] = LiveView(f"{schema}.{name}", comment)
    cur.execute(
        "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
        " col_description(c.oid, a.attnum)"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
        " ORDER BY n.nspname, c.relname, a.attnum",
        (names,),
    )
    for schema, table, column, type_, not_null, comment in cur.fetchall():
        tables[f"{schema}.{table}"].columns[column] = LiveColumn(column, normalize_type(type_), not_null, comment)
    cur.execute(
        "SELECT n.nspname, c.relname, array_agg(a.attname::text ORDER BY k.ord)"
        " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
        " WHERE con.contype = 'p' AND n.nspname = ANY(%s) GROUP BY n.nspname, c.relname",
        (names,),
    )
    for schema, table, columns in cur.fetchall():
        tables[f"{schema}.{table}"].primary_key = list(columns)
    cur.execute(
        "SELECT n.nspname, t.relname, i.relname FROM pg_index x"
        " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
        " JOIN pg_namespace n ON n.oid = t.relnamespace"
        " WHERE n.nspname = ANY(%s) AND NOT x.indisprimary ORDER BY i.relname",
        (names,),
    )
    for schema, table, index in cur.fetchall():
        if f"{schema}.{table}" in tables:
            tables[f"{schema}.{table}"].indexes.append(index)
    return Catalog(live_schemas, tables, views, dependent_views(cur, names))


# --- the last applied model -------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    fingerprint: str
    algorithm: str
    spec_version: int
    manifest: dict[str, Any] | None  # None for an apply recorded before manifests were kept

    @property
    def hash_label(self) -> str:
        return f"{self.algorithm} (hash spec v{self.spec_version})"


def applied_version(cur: Cursor) -> Applied | None:
    """The model version the last ``dv apply`` (or ``dv rehash``) recorded; ``None`` if there is none."""
    cur.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA_META}.model_version",))
    if not cur.fetchone()[0]:
        return None
    cur.execute(
        "SELECT EXISTS (SELECT 1 FROM information_schema.columns"
        " WHERE table_schema = %s AND table_name = 'model_version' AND column_name = 'manifest')",
        (SCHEMA_META,),
    )
    manifest_column = "manifest" if cur.fetchone()[0] else "NULL::jsonb"
    cur.execute(
        f"SELECT model_fingerprint, hash_algorithm, hash_spec_version, {manifest_column}"
        f" FROM {SCHEMA_META}.model_version ORDER BY applied_at DESC LIMIT 1"
    )
    row = cur.fetchone()
    if row is None:
        return None
    manifest = row[3] if isinstance(row[3], dict) or row[3] is None else json.loads(row[3])
    return Applied(row[0], row[1], int(row[2]), manifest)


def record_version(cur: Cursor, project: Project) -> None:
    m = project.manifest
    cur.execute(
        f"INSERT INTO {SCHEMA_META}.model_version"
        " (model_fingerprint, hash_spec_version, hash_algorithm, manifest) VALUES (%s, %s, %s, %s::jsonb)",
        (m["model_fingerprint"], m["hash"]["spec_version"], m["hash"]["algorithm"], json.dumps(m)),
    )


# --- planning ---------------------------------------------------------------------------------


def managed_schemas(*manifests: dict[str, Any] | None) -> set[str]:
    """Schemas dv owns: the standard ones and every schema a (current or applied) model names."""
    out = set(ALL_SCHEMAS)
    for m in manifests:
        if m is None:
            continue
        phys = m.get("physical", {})
        out |= {q.split(".", 1)[0] for q in [*phys.get("tables", {}), *phys.get("views", {})]}
    return out


def holds_data(cur: Cursor, table: LiveTable) -> bool:
    """True when a table holds rows other than ghost records."""
    where = f" WHERE {COL_RECORD_SOURCE} IS DISTINCT FROM {literal(GHOST_RECORD_SOURCE)}"
    cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table.qualified}{where if COL_RECORD_SOURCE in table.columns else ''})")
    return bool(cur.fetchone()[0])


def literal(value: str | None) -> str:
    return "NULL" if value is None else get_dialect().literal(value)


def index_sql(qualified: str, ix: dict[str, Any]) -> str:
    include = f" INCLUDE ({', '.join(ix['include'])})" if ix.get("include") else ""
    unique = "UNIQUE " if ix.get("unique") else ""
    method = f" USING {ix['method']}" if ix.get("method", "btree") != "btree" else ""
    columns = ", ".join(ix["columns"])
    return f"CREATE {unique}INDEX IF NOT EXISTS {ix['name']} ON {qualified}{method} ({columns}){include};"


class _Planner:
    def __init__(self, cur: Cursor, project: Project, applied: Applied | None, rehashing: bool) -> None:
        self.cur = cur
        self.project = project
        self.manifest = project.manifest
        self.phys_tables: dict[str, dict[str, Any]] = self.manifest["physical"]["tables"]
        self.phys_views: dict[str, dict[str, Any]] = self.manifest["physical"].get("views", {})
        self.applied = applied
        self.old = applied.manifest if applied else None
        self.rehashing = rehashing
        self.catalog = read_catalog(cur, managed_schemas(self.manifest, self.old))
        self.plan = Plan(self.manifest["model_fingerprint"])
        self.created: set[str] = set()  # entities whose create file runs
        self.altered: set[str] = set()  # entities whose tables change shape: their views are created again
        self.dropped_tables: list[str] = []
        self._data: dict[str, bool] = {}
        d = get_dialect()
        algorithm = self.manifest["hash"]["algorithm"]
        self.new_hash_type = normalize_type(d.hash_type(algorithm))
        self.old_hash_type = self.new_hash_type
        if applied is not None and (applied.algorithm, applied.spec_version) != (
            algorithm,
            self.manifest["hash"]["spec_version"],
        ):
            self.plan.hash_change = (
                applied.hash_label,
                f"{algorithm} (hash spec v{self.manifest['hash']['spec_version']})",
            )
            self.old_hash_type = normalize_type(d.hash_type(applied.algorithm))

    def has_data(self, qualified: str) -> bool:
        if qualified not in self._data:
            self._data[qualified] = holds_data(self.cur, self.catalog.tables[qualified])
        return self._data[qualified]

    def refuse(self, target: str, message: str, hint: str) -> None:
        self.plan.refusals.append(Refusal(target, message, hint))

    def entity_of(self, qualified: str) -> str:
        return str(self.phys_tables[qualified]["entity"])

    def node(self, entity: str) -> dict[str, Any]:
        node: dict[str, Any] = self.manifest["nodes"].get(entity, {})
        return node

    def create_file(self, entity: str) -> str | None:
        files: dict[str, str] = self.node(entity).get("sql", {})
        return files.get("create")

    # -- the whole plan --
    def build(self) -> Plan:
        cat = self.catalog
        ours = [t for q, t in cat.tables.items() if not q.startswith(SCHEMA_META + ".")]
        self.plan.fresh = not ours
        if SCHEMA_META not in cat.schemas:
            self.plan.add("meta", SCHEMA_META, self.project.sql(self.manifest["meta_sql"]), self.manifest["meta_sql"])
        if self.plan.hash_change is not None and not self.rehashing:
            old, new = self.plan.hash_change
            self.refuse(
                "hash",
                f"the hash settings changed from {old} to {new} since the last dv apply: every hash key and "
                "hashdiff of the warehouse would change",
                "run 'dv rehash' (it recomputes every key into new tables and swaps them in); or restore "
                "the previous 'hash:' in model/project.yml",
            )
        wanted = {q.split(".", 1)[0] for q in [*self.phys_tables, *self.phys_views]}
        already = set(cat.schemas) | (set(ALL_SCHEMAS) if SCHEMA_META not in cat.schemas else set())
        for schema in sorted(wanted - already):
            self.plan.add("schemas", schema, f"CREATE SCHEMA IF NOT EXISTS {schema};")
        self.semantic_changes()
        for qualified, table in self.phys_tables.items():
            live = cat.tables.get(qualified)
            if live is None:
                self.created.add(table["entity"])
            elif qualified not in self.dropped_tables:
                self.diff_table(qualified, table, live)
        self.removed_tables()
        self.views()
        for entity in self.project.manifest["load_order"]:
            if entity in self.created and self.create_file(entity):
                file = self.create_file(entity)
                assert file is not None
                self.plan.add("tables", entity, self.project.sql(file), file)
        self.plan.steps = self.plan.ordered()
        return self.plan

    # -- what the catalog cannot show: compared with the manifest of the last apply --
    def semantic_changes(self) -> None:
        if self.old is None:
            return
        for entity, node in self.manifest["nodes"].items():
            before = self.old.get("nodes", {}).get(entity)
            table = f"{node.get('schema')}.{node.get('table')}"
            if before is None or table not in self.catalog.tables:
                continue
            columns = self.phys_tables.get(table, {}).get("columns", [])
            hashed = any(c["name"] == COL_HASHDIFF for c in columns)
            for message, hint in _node_changes(before, node, hashed):
                if self.has_data(table):
                    self.refuse(entity, message, hint)
                else:
                    self.rebuild(table)
        self.recipe_changes()

    def recipe_changes(self) -> None:
        """Kinds without a check of their own: a stage hash recipe of theirs that changed (other than by
        appending hashdiff columns) changes the keys or hashdiffs of what they hold."""
        assert self.old is not None
        checked = {"hub", "link"}
        for source_id, node in self.manifest["nodes"].items():
            before = {r["column"]: r for r in self.old.get("nodes", {}).get(source_id, {}).get("hash_columns", [])}
            for recipe in node.get("hash_columns", []):
                old = before.get(recipe["column"])
                owner = self.node(recipe["owner"])
                if old is None or owner.get("kind") in checked or owner.get("satellite_kind") == "standard":
                    continue
                if any(r.target == recipe["owner"] for r in self.plan.refusals):
                    continue  # said already, by the entity's own check
                table = f"{owner.get('schema')}.{owner.get('table')}"
                message = _recipe_change(old, recipe)
                if message is None or table not in self.catalog.tables:
                    continue
                hint = "keep the entity's keys and hashdiff columns as they were; append new columns at the end"
                if self.has_data(table):
                    self.refuse(recipe["owner"], message, hint)
                else:
                    self.rebuild(table)

    def rebuild(self, qualified: str) -> None:
        """Drop a table that holds no data; its entity's create file makes it again."""
        if qualified in self.dropped_tables:
            return
        self.dropped_tables.append(qualified)
        self.plan.add("drop_tables", qualified, f"DROP TABLE {qualified};")
        entity = self.entity_of(qualified)
        self.created.add(entity)
        self.altered.add(entity)

    # -- one table the model and the warehouse both have --
    def diff_table(self, qualified: str, table: dict[str, Any], live: LiveTable) -> None:
        entity = table["entity"]
        kind = self.node(entity).get("kind")
        columns = {c["name"]: c for c in table["columns"]}
        problems: list[tuple[str, str]] = []
        adds: list[dict[str, Any]] = []
        relax: list[str] = []
        derived: list[str] = []
        for name, lc in live.columns.items():
            if name in columns:
                continue
            if kind == "source" and name.startswith((HASH_KEY_PREFIX, HASHDIFF_PREFIX)) and not lc.not_null:
                derived.append(name)  # a stage hash column of an entity the model no longer has
            else:
                problems.append(
                    (
                        f"column {name} is in the warehouse but no longer in the model: dropping it loses its data",
                        "keep the column in the model; or back the table up and drop the column by hand "
                        f"(ALTER TABLE {qualified} DROP COLUMN {name}), then run dv apply",
                    )
                )
        for c in table["columns"]:
            lc = live.columns.get(c["name"])
            if lc is None:
                if not c["not_null"] and not c.get("identity") and (c["role"] == "payload" or kind == "source"):
                    adds.append(c)
                else:
                    what = "NOT NULL" if c["not_null"] else f"a {c['role']} column"
                    problems.append(
                        (
                            f"new column {c['name']} is {what}, and the table holds rows that would have no value",
                            "add descriptive data as a nullable payload column appended at the end (a new "
                            "satellite column), or into a new entity; a key or metadata change needs a new "
                            "table (back up, drop by hand, dv apply, reload)",
                        )
                    )
                continue
            model_type = normalize_type(c["type"])
            if model_type != lc.type:
                rehash_pending = (
                    self.plan.hash_change is not None
                    and c["role"] in ("key", "meta")
                    and (lc.type, model_type) == (self.old_hash_type, self.new_hash_type)
                )
                if not rehash_pending:
                    problems.append(
                        (
                            f"column {c['name']} is {lc.type} in the warehouse and {model_type} in the model: "
                            "retyping may fail or change stored values (and their hashes)",
                            f"keep the type {lc.type}; or add a new column with the new type at the end and stop "
                            "filling the old one",
                        )
                    )
            if c["not_null"] and not lc.not_null:
                problems.append(
                    (
                        f"column {c['name']} is nullable in the warehouse and NOT NULL in the model",
                        "keep it nullable in the model, or fix the rows by hand and ALTER the column",
                    )
                )
            elif lc.not_null and not c["not_null"] and not c.get("identity"):
                relax.append(c["name"])
        if list(table["primary_key"]) != live.primary_key:
            problems.append(
                (
                    f"primary key ({', '.join(live.primary_key)}) in the warehouse, "
                    f"({', '.join(table['primary_key'])}) in the model",
                    "a new identity of the rows is a new table: keep the model's key as it was",
                )
            )
        if problems:
            if self.has_data(qualified):
                for message, hint in problems:
                    self.refuse(qualified, message, hint)
            else:
                self.rebuild(qualified)
            return
        for name in derived:
            self.plan.add("drop_columns", f"{qualified}.{name}", f"ALTER TABLE {qualified} DROP COLUMN {name};")
        for c in adds:
            self.plan.add(
                "columns",
                f"{qualified}.{c['name']}",
                f"ALTER TABLE {qualified} ADD COLUMN IF NOT EXISTS {c['name']} {c['type']};",
            )
        for name in relax:
            self.plan.add("relax", f"{qualified}.{name}", f"ALTER TABLE {qualified} ALTER COLUMN {name} DROP NOT NULL;")
        if adds or relax:
            self.altered.add(entity)
        wanted = {ix["name"]: ix for ix in table.get("indexes", [])}
        for name, ix in wanted.items():
            if name not in live.indexes:
                self.plan.add("indexes", f"{live.schema}.{name}", index_sql(qualified, ix))
        before = ((self.old or {}).get("physical", {}).get("tables", {})).get(qualified, {})
        ours = {ix["name"] for ix in before.get("indexes", [])}
        for name in live.indexes:
            if name not in wanted and name in ours:
                self.plan.add("drop_indexes", f"{live.schema}.{name}", f"DROP INDEX IF EXISTS {live.schema}.{name};")
        self.comments(qualified, table, live)

    def comments(self, qualified: str, table: dict[str, Any], live: LiveTable) -> None:
        if (table.get("comment") or None) != live.comment:
            self.plan.add(
                "comments", qualified, f"COMMENT ON TABLE {qualified} IS {literal(table.get('comment') or None)};"
            )
        for c in table["columns"]:
            lc = live.columns.get(c["name"])
            current = lc.comment if lc is not None else None
            if (c.get("comment") or None) != current:
                self.plan.add(
                    "comments",
                    f"{qualified}.{c['name']}",
                    f"COMMENT ON COLUMN {qualified}.{c['name']} IS {literal(c.get('comment') or None)};",
                )

    # -- tables the warehouse has and the model no longer has --
    def removed_tables(self) -> None:
        known = set(self.old["physical"]["tables"]) if self.old is not None else None
        for qualified, live in sorted(self.catalog.tables.items()):
            if qualified in self.phys_tables or live.schema == SCHEMA_META:
                continue
            if known is not None and qualified not in known:
                continue  # not made by dv (or by a dv apply before manifests were kept): left alone
            if self.has_data(qualified):
                self.refuse(
                    qualified,
                    "the table is in the warehouse but no longer in the model: dropping it loses its data",
                    "keep its entity in the model; or retire it explicitly: back the table up, drop it by hand "
                    f"(DROP TABLE {qualified}), then run dv apply",
                )
            else:
                self.dropped_tables.append(qualified)
                self.plan.add("drop_tables", qualified, f"DROP TABLE {qualified};")

    # -- views: missing, changed (fingerprint), over a changed table, or no longer in the model --
    def views(self) -> None:
        cat = self.catalog
        drop: set[str] = set()
        recreate: set[str] = set()  # model views whose file runs
        for qualified, view in self.phys_views.items():
            live = cat.views.get(qualified)
            if live is None:
                recreate.add(qualified)
            elif live.fingerprint != view["fingerprint"] or view["entity"] in self.altered:
                drop.add(qualified)
                recreate.add(qualified)
        built = {  # the views dv marts builds (refresh: view, a PIT's view, masked forms): not dv apply's
            name
            for node in self.manifest["nodes"].values()
            if "reads" in node
            for name in (f"{node['schema']}.{node['table']}", node.get("masked"))
            if name
        }
        for qualified, live in cat.views.items():
            if qualified not in self.phys_views and qualified not in built and live.fingerprint is not None:
                drop.add(qualified)  # made by dv, no longer in the model
        # whatever reads a dropped view or table must go first; dv's own views come back from their files
        queue = [*drop, *self.dropped_tables]
        while queue:
            relation = queue.pop()
            for dependent in sorted(cat.dependent_views(relation)):
                if dependent in drop:
                    continue
                if dependent in self.phys_views or (dependent in cat.views and cat.views[dependent].fingerprint):
                    drop.add(dependent)
                    if dependent in self.phys_views:
                        recreate.add(dependent)
                    queue.append(dependent)
                else:
                    self.refuse(
                        dependent,
                        f"this view (not made by dv) reads {relation}, which the plan drops and creates again",
                        f"drop {dependent} by hand, run dv apply, then create it again",
                    )
        for qualified in _dependents_first(drop, cat):
            self.plan.add("drop_views", qualified, f"DROP VIEW IF EXISTS {qualified};")
        files = {self.phys_views[q]["sql"]: self.phys_views[q]["entity"] for q in recreate}
        order = {e: i for i, e in enumerate(self.manifest["load_order"])}
        for file, entity in sorted(files.items(), key=lambda fe: (order.get(fe[1], len(order)), fe[0])):
            self.plan.add("views", entity, self.project.sql(file), file)


def _dependents_first(views: set[str], cat: Catalog) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()

    def visit(view: str) -> None:
        if view in seen:
            return
        seen.add(view)
        for dependent in sorted(cat.dependent_views(view)):
            if dependent in views:
                visit(dependent)
        out.append(view)

    for view in sorted(views):
        visit(view)
    return out


def _family(type_sql: str) -> str:
    parsed = parse_type(type_sql)
    return parsed.family if parsed is not None else type_sql


def _recipe_change(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """How a stage hash column's recipe changed in a way that changes stored hashes; None if it did not."""
    if old["kind"] != new["kind"]:
        return f"stage column {new['column']} changed from a {old['kind']} to a {new['kind']}"
    if new["kind"] == "key":
        shape = [[(_family(p["type"]), p["case_sensitive"]) for p in r["parts"]] for r in (old, new)]
        if shape[0] != shape[1]:
            return f"the key parts hashed into {new['column']} changed (their number, type or case rule)"
        return None
    parts = [[(p["column"], _family(p["type"])) for p in r["parts"]] for r in (old, new)]
    if old.get("case_sensitive") != new.get("case_sensitive") or parts[1][: len(parts[0])] != parts[0]:
        return (
            f"the columns hashed into {new['column']} changed other than by appending (or their case rule): "
            "every hashdiff would change"
        )
    return None


def _node_changes(before: dict[str, Any], after: dict[str, Any], hashed: bool) -> list[tuple[str, str]]:
    """Changes to an entity that would change the hash keys or hashdiffs of the rows it holds."""
    out: list[tuple[str, str]] = []
    kind = after.get("kind")
    if kind == "hub" and before.get("business_keys") != after.get("business_keys"):
        out.append(
            (
                f"the business key changed from {_keys(before.get('business_keys'))} to "
                f"{_keys(after.get('business_keys'))}: every hash key of the hub, and of its links and "
                "satellites, would change",
                "keep the business key (names, types, order, case_sensitive); model the new key as a new hub "
                "(with a same-as link to this one) and load it from the sources",
            )
        )
    if kind == "link" and (
        before.get("refs") != after.get("refs") or before.get("dependent_keys") != after.get("dependent_keys")
    ):
        out.append(
            (
                f"the hub references or dependent keys changed from {_refs(before)} to {_refs(after)}: every link key "
                "would change",
                "keep the link as it is and declare a new link for the new relationship",
            )
        )
    old_cols = [c.get("name") for c in before.get("columns", []) if isinstance(c, dict)]
    new_cols = [c.get("name") for c in after.get("columns", []) if isinstance(c, dict)]
    if hashed and old_cols and new_cols[: len(old_cols)] != old_cols:
        out.append(
            (
                f"the payload columns changed from ({', '.join(old_cols)}) to ({', '.join(new_cols)}): "
                "a removed or reordered column changes every hashdiff, so the next load would store a new "
                "version of every key",
                "keep the columns in their order and append new ones at the end (trailing NULLs do not change "
                "a hashdiff); a column no longer delivered can stay in the model",
            )
        )
    if hashed and "case_sensitive" in before and before.get("case_sensitive") != after.get("case_sensitive"):
        out.append(
            (
                f"case_sensitive changed from {before.get('case_sensitive')} to {after.get('case_sensitive')}: "
                "every hashdiff with letters would change (a new version of most keys on the next load)",
                "keep case_sensitive as it was; a satellite with the other rule is a new satellite",
            )
        )
    return out


def _keys(keys: Any) -> str:
    if not keys:
        return "()"
    parts = [f"{k['name']} {k['type']}{'' if not k.get('case_sensitive') else ' case-sensitive'}" for k in keys]
    return "(" + ", ".join(parts) + ")"


def _refs(node: dict[str, Any]) -> str:
    refs = [r["hub"] if r["role"] == r["hub"] else f"{r['hub']} as {r['role']}" for r in node.get("refs", [])]
    deps = node.get("dependent_keys") or []
    return "(" + ", ".join(refs + [f"dependent {d if isinstance(d, str) else d.get('name')}" for d in deps]) + ")"


def build_plan(cur: Cursor, project: Project, *, rehashing: bool = False) -> Plan:
    """What ``dv apply`` would run. ``rehashing``: a change of hash settings is not refused, and hash
    columns of the old hash type count as already retyped (``dv rehash`` rebuilds them)."""
    result = _Planner(cur, project, applied_version(cur), rehashing).build()
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
        meta = Step("meta", SCHEMA_META, project.sql(project.manifest["meta_sql"]), project.manifest["meta_sql"])
        run_steps(cur, [meta])
        result = build_plan(cur, project)
        if result.refusals:
            raise PlanRefused(result)
        run_steps(cur, result.steps)
        if fresh_meta:  # reported as dv plan showed it: the metadata schema was new
            result.steps.insert(0, meta)
        record_version(cur, project)
    return result
