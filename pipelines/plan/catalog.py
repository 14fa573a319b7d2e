"""What the plan compares the model with: the live catalog of the warehouse (``pg_catalog``) and the model
version the last ``dv apply`` recorded (``dv_meta.model_version``, with its manifest)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import psycopg2.extensions

from generator.constants import ALL_SCHEMAS, SCHEMA_META
from generator.manifest_model import Manifest
from generator.render import VIEW_TAG
from pipelines.access import dependent_views
from pipelines.project import Project

Cursor: TypeAlias = psycopg2.extensions.cursor

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


def dependents_first(views: set[str], cat: Catalog) -> list[str]:
    """Views in the order they can be dropped: each after the views (of the set) that read it."""
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
        (m.model_fingerprint, m.hash.spec_version, m.hash.algorithm, m.to_json()),
    )


# --- planning ---------------------------------------------------------------------------------


def managed_schemas(manifest: Manifest, applied: dict[str, Any] | None = None) -> set[str]:
    """Schemas dv owns: the standard ones and every schema the model names, or the applied model (its
    manifest as stored: JSON, possibly of an older manifest version) named."""
    out = set(ALL_SCHEMAS) | {q.split(".", 1)[0] for q in [*manifest.physical.tables, *manifest.physical.views]}
    if applied is not None:
        phys = applied.get("physical", {})
        out |= {q.split(".", 1)[0] for q in [*phys.get("tables", {}), *phys.get("views", {})]}
    return out
