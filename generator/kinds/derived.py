"""What the SQL-defined kinds of the business vault and the marts share.

A computed satellite, a dimension, a fact, a KPI and a feed are each one SELECT written by a modeler in
YAML, with a refresh mode:

- ``view``: a view, recreated on every build (cheap objects, always current);
- ``table``: a table rebuilt in full on every build (in the build's transaction: readers see the old rows
  or the new ones, never a mix);
- ``incremental``: a table whose rows for the keys touched by newer batches are deleted and selected again;
  the keys come from the ``changes`` tables (each carries the key column and ``batch_id``). A changed
  definition (fingerprint) rebuilds it in full.

The generator parses the SELECT with sqlglot: its schema-qualified references become the object's
dependencies (so build order follows), and a reference to nothing the model declares is an error at the
YAML line of the reference. Each kind module (``computed_satellite``, ``dimension``, ``fact``, ``kpi``,
``feed``) is one :func:`sql_kind` call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, create_model, model_validator

from generator.constants import COL_BATCH_ID, SCHEMA_BUSINESS_VAULT, SCHEMA_MARTS, SCHEMA_RAW_VAULT
from generator.derived_select import MARKS
from generator.errors import Problem
from generator.kinds.base import EntitySpec, Identifier, SqlName, Strict
from generator.kinds.registry import LAYER_BUSINESS_VAULT, LAYER_MARTS, KindDef
from generator.physical import Context, PhysTable, PhysView, fingerprint
from generator.resolve import Origin, Reporter, hint_for
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer

# tiers after the raw vault: generated business-vault tables (PIT, bridge) 5, SQL-defined objects 6
TIER_GENERATED = 5
TIER_SQL = 6
FOLDER_BUSINESS = "business_vault"
FOLDER_MARTS = "marts"
READABLE_SCHEMAS = (SCHEMA_RAW_VAULT, SCHEMA_BUSINESS_VAULT, SCHEMA_MARTS)
# a PIT stores a row per key and day its versions changed (<pit>_changes) and its snapshot days
# (<pit>_calendar); the view <pit> gives every (day, key). Marts may read all three.
PIT_STORAGE_SUFFIXES = ("_changes", "_calendar")
Refresh = Literal["view", "table", "incremental"]


Mask = Literal["email", "initials", "hidden", "hash"]


class DerivedColumnSpec(Strict):
    name: SqlName
    description: str = Field(min_length=1)
    # a personal value: the object gets a masked form, <name>_masked, showing it through dv_meta.mask_<mask>
    mask: Mask | None = None


class IncrementalSpec(Strict):
    key: Identifier
    changes: list[str] = Field(min_length=1)


class SqlObjectSpec(EntitySpec):
    name: SqlName  # the table or view is named as the object
    refresh: Refresh
    key: list[Identifier] = Field(default_factory=list)
    incremental: IncrementalSpec | None = None
    columns: list[DerivedColumnSpec] = Field(min_length=1)
    sql: str = Field(min_length=1)

    @model_validator(mode="after")
    def _refresh_fields(self) -> SqlObjectSpec:
        if self.refresh == "incremental" and self.incremental is None:
            raise ValueError("refresh: incremental needs 'incremental: {key: <column>, changes: [<tables>]}'")
        if self.refresh != "incremental" and self.incremental is not None:
            raise ValueError("'incremental' applies only to refresh: incremental")
        if self.refresh != "view" and not self.key:
            raise ValueError(f"refresh: {self.refresh} needs 'key: [<columns>]', the grain (unique per row)")
        return self


@dataclass
class SqlObject:
    id: str
    name: str
    kind: str  # the YAML kind
    description: str
    schema: str
    refresh: str
    key: list[str]
    incremental_key: str | None
    changes: list[str]  # qualified tables
    columns: list[tuple[str, str]]  # name, description
    sql: str
    refs: list[str]  # qualified objects the SELECT reads
    depends: list[str]  # manifest ids of the declared entities it reads
    origin: Origin
    sql_line: int = 0  # YAML line where the SELECT starts
    extra: dict[str, Any] = field(default_factory=dict)
    change_targets: list[str] = field(default_factory=list)  # manifest id of each changes table (dv_meta.load_log)
    masks: dict[str, str] = field(default_factory=dict)  # column -> mask (docs/security.md)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass
class Catalog:
    """What a derived object may read: every raw-vault table and view (qualified name -> manifest id of its
    owner, and a table's columns) and every declared derived object."""

    owners: dict[str, str]
    columns: dict[str, set[str]]


def catalog(model: Model) -> Catalog:
    """The catalog of the resolved raw vault, computed once per model: the SQL-defined kinds resolve last
    (tier 6), when every table and view they may read is known."""
    if model.catalog is None:
        from generator.dialects import get_dialect
        from generator.kinds import KINDS

        ctx = Context(get_dialect(), model.algorithm)
        owners: dict[str, str] = {}
        columns: dict[str, set[str]] = {}
        for kind_def in KINDS:
            for entity in model.of_kind(kind_def):
                for table in kind_def.physical(entity, ctx):
                    columns[table.qualified] = {c.name for c in table.columns}
                    if table.schema != "staging":
                        owners[table.qualified] = entity.id
                for view in kind_def.views(entity):
                    owners[view.qualified] = entity.id
        for qualified, owner in model.derived_names.items():
            owners.setdefault(qualified, owner)
            if owner.startswith("pit."):
                for suffix in PIT_STORAGE_SUFFIXES:
                    owners.setdefault(qualified + suffix, owner)
        model.catalog = Catalog(owners, columns)
    assert isinstance(model.catalog, Catalog)
    return model.catalog


def sql_references(sql: str) -> tuple[list[str], str | None]:
    """Schema-qualified tables the SELECT reads (sqlglot), or a parse error message."""
    import sqlglot
    from sqlglot import exp

    try:
        trees = sqlglot.parse(sql, read="postgres")
    except sqlglot.errors.ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        return [], f"the SQL does not parse (line {first.get('line', '?')}): {first.get('description', exc)}"
    statements = [t for t in trees if t is not None]
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        return [], "the SQL must be exactly one SELECT (WITH … SELECT is fine), without a trailing ';'"
    refs = {f"{t.db}.{t.name}".lower() for t in statements[0].find_all(exp.Table) if t.db}
    return sorted(refs), None


VOLATILE_NAMES = {"clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday", "current_setting"}


def sql_volatile(sql: str) -> bool:
    """Whether the SELECT's rows depend on more than the tables it reads (the clock, randomness, settings): such an
    object is refreshed every time, never skipped as unchanged."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="postgres")
    fixed = (exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime, exp.Localtimestamp, exp.Localtime, exp.Rand)
    for node in tree.find_all(exp.Func):
        if isinstance(node, fixed):
            return True
        if isinstance(node, exp.Anonymous) and str(node.name).lower() in VOLATILE_NAMES:
            return True
    return False


def sql_kind(
    kind: str, id_prefix: str, schema: str, name_prefix: str, description: str, title: str, plural: str
) -> KindDef:
    """The kind definition of one SQL-defined kind (``kind: fact`` …)."""

    spec_cls = create_model(
        f"{kind.title().replace('_', '')}Spec",
        __base__=SqlObjectSpec,
        __module__=__name__,
        kind=(Literal[kind], ...),  # type: ignore[arg-type]
    )
    folder = FOLDER_BUSINESS if schema == SCHEMA_BUSINESS_VAULT else FOLDER_MARTS

    def resolve(spec: SqlObjectSpec, doc: Document, report: Reporter, model: Model) -> SqlObject | None:
        if not spec.name.startswith(name_prefix):
            report.error(("name",), f"a {kind} is named '{name_prefix}…'", f"rename it '{name_prefix}{spec.name}'")
        sql = spec.sql.strip().rstrip(";").strip()
        sql_line = report.line(("sql",)) + (1 if "\n" in spec.sql else 0)  # a block starts below 'sql: |'
        refs, error = sql_references(sql)
        if error:
            report.error(("sql",), error, "test the SELECT with psql first")
            return None
        known = catalog(model).owners
        depends: set[str] = set()
        for ref in refs:
            if ref.split(".", 1)[0] not in READABLE_SCHEMAS:
                _error_at(report, sql, sql_line, ref, f"'{ref}' is not in {', '.join(READABLE_SCHEMAS)}", "")
                continue
            owner = known.get(ref)
            if owner is None:
                _error_at(
                    report,
                    sql,
                    sql_line,
                    ref,
                    f"'{ref}' is not a table or view the model declares",
                    hint_for(ref, known),
                )
                continue
            depends.add(owner)
        qualified = f"{schema}.{spec.name}"
        if qualified in refs:
            report.error(("sql",), f"'{qualified}' reads itself", "a derived object cannot read its own rows")
        names = [c.name for c in spec.columns]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            report.error(("columns",), f"column(s) {', '.join(duplicates)} declared twice", "")
        for i, k in enumerate(spec.key):
            if k not in names:
                report.error(("key", i), f"key column '{k}' is not among the columns", hint_for(k, names))
        changes: list[str] = []
        change_targets: list[str] = []
        if spec.incremental is not None:
            if spec.incremental.key not in names:
                report.error(
                    ("incremental", "key"),
                    f"incremental key '{spec.incremental.key}' is not among the columns",
                    hint_for(spec.incremental.key, names),
                )
            tables = catalog(model).columns
            for i, table in enumerate(spec.incremental.changes):
                cols = tables.get(table)
                if cols is None:
                    report.error(
                        ("incremental", "changes", i),
                        f"'{table}' is not a raw-vault table",
                        hint_for(table, tables),
                    )
                elif spec.incremental.key not in cols or COL_BATCH_ID not in cols:
                    report.error(
                        ("incremental", "changes", i),
                        f"'{table}' lacks '{spec.incremental.key}' or batch_id, so it cannot name changed keys",
                        "list tables that carry the incremental key",
                    )
                else:
                    changes.append(table)
                    change_targets.append(known[table])
                    depends.add(known[table])
        return SqlObject(
            id=f"{id_prefix}.{spec.name}",
            name=spec.name,
            kind=kind,
            description=spec.description,
            schema=schema,
            refresh=spec.refresh,
            key=list(spec.key),
            incremental_key=spec.incremental.key if spec.incremental else None,
            changes=changes,
            columns=[(c.name, c.description) for c in spec.columns],
            sql=sql,
            refs=refs,
            depends=sorted(depends),
            origin=Origin(doc.file, doc.start_line),
            sql_line=sql_line,
            change_targets=change_targets,
            masks={c.name: c.mask for c in spec.columns if c.mask},
        )

    def render(obj: SqlObject, r: Renderer) -> dict[str, str]:
        files = [obj.origin.file]
        tag = definition_tag(obj.refresh, obj.key, obj.incremental_key, obj.changes, obj.columns, obj.sql)
        template = f"derived/{obj.refresh}.sql.j2"
        # the SELECT stands in the build only; the refresh marks where it goes (generator/derived_select.py)
        out = {"build": r.sql(template, files, obj=obj, tag=tag, marks=MARKS, statement="build")}
        if obj.refresh != "view":
            out["refresh"] = r.sql(template, files, obj=obj, tag=tag, marks=MARKS, statement="refresh")
        if obj.masks:
            out["masked"] = r.sql("derived/masked.sql.j2", files, obj=obj)
        return out

    def manifest(obj: SqlObject) -> dict[str, Any]:
        volatile = {"volatile": True} if sql_volatile(obj.sql) else {}  # never skipped as unchanged
        return {
            **volatile,
            "schema": obj.schema,
            "table": obj.name,
            "refresh": obj.refresh,
            "key": obj.key,
            "incremental": {"key": obj.incremental_key, "changes": obj.changes} if obj.incremental_key else None,
            "columns": [
                {"name": n, "description": d, **({"mask": obj.masks[n]} if n in obj.masks else {})}
                for n, d in obj.columns
            ],
            **({"masked": f"{obj.qualified}_masked"} if obj.masks else {}),
            "reads": obj.refs,
            "sql_line": obj.sql_line,
            "fingerprint": definition_tag(obj.refresh, obj.key, obj.incremental_key, obj.changes, obj.columns, obj.sql),
        }

    def no_tables(obj: SqlObject, ctx: Context) -> list[PhysTable]:
        return []  # derived objects are (re)built by dv marts, not by dv apply

    def no_views(obj: SqlObject) -> list[PhysView]:
        return []

    return KindDef(
        kind=kind,
        id_prefix=id_prefix,
        spec=spec_cls,
        tier=TIER_SQL,
        folder=folder,
        resolve=resolve,
        physical=no_tables,
        render=render,
        depends_on=lambda obj: obj.depends,
        manifest=manifest,
        views=no_views,
        description=description,
        name_group=folder,  # the tables and views of one schema: business_vault or marts
        layer=LAYER_BUSINESS_VAULT if schema == SCHEMA_BUSINESS_VAULT else LAYER_MARTS,
        title=title,
        plural=plural,
        family="sql",
    )


def definition_tag(*parts: Any) -> str:
    """The fingerprint of a derived object's definition, kept in its comment: a change rebuilds it."""
    return fingerprint(repr(parts))


def _error_at(report: Reporter, sql: str, sql_line: int, ref: str, message: str, hint: str) -> None:
    """An error at the line of the SELECT that names ``ref``."""
    schema, _, name = ref.partition(".")
    offset = 0
    for i, line in enumerate(sql.splitlines()):
        if re.search(rf"\b{schema}\s*\.\s*{name}\b", line, re.IGNORECASE):
            offset = i
            break
    report.problems.append(Problem(report.file, sql_line + offset, report.entity, message, hint))


def derived_name(kind: str, name: str) -> tuple[str, str] | None:
    """Qualified name and manifest id of a declared derived object (before it resolves)."""
    from generator.kinds import KINDS

    for kind_def in KINDS:
        if kind_def.kind == kind and kind_def.tier >= TIER_GENERATED:
            schema = SCHEMA_MARTS if kind_def.folder == FOLDER_MARTS else SCHEMA_BUSINESS_VAULT
            return f"{schema}.{name}", f"{kind_def.id_prefix}.{name}"
    return None
