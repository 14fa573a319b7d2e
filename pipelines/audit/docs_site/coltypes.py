"""The types of the columns of derived objects (PITs, bridges, computed satellites, dimensions, facts, KPIs, feeds,
business views), which the manifest does not record: inferred from their SQL by sqlglot's type annotation
(postgres dialect) over the physical column types of the tables they read, as the manifest declares them.

The raw-vault views (``_current``, ``_hist``) are typed first from their tables, then each derived object in
dependency order, so that one reading another (a KPI over a fact) sees its inferred types. What sqlglot cannot
infer (a function it does not know, a ``CASE`` of mixed types, a column of an unknown table) has no type: the
page shows "—" for it. Nothing here touches a database."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import networkx as nx

from generator.manifest_model import Manifest
from pipelines.audit.docs_site.data import build_graph
from pipelines.audit.sql_lineage import DIALECT, derived_relation, derived_select, qualified_name, working_selects
from pipelines.project import Project

UNKNOWN = "unknown"
# sqlglot's names of types -> the names the manifest (and PostgreSQL's catalog) writes
_NAMES = (
    (r"^decimal", "numeric"),
    (r"^double$", "double precision"),
    (r"^varchar$", "text"),
    (r"^int(\[\])?$", "integer\\1"),
    (r"^timestamp$", "timestamp"),
)


def _pg_name(datatype: Any) -> str:
    """The PostgreSQL name of a sqlglot data type, "" when it is not known."""
    from sqlglot import exp

    if datatype is None or datatype.this in (exp.DataType.Type.UNKNOWN, exp.DataType.Type.NULL):
        return ""
    text = str(datatype.sql(dialect=DIALECT)).lower().replace(", ", ",")
    for pattern, name in _NAMES:
        text = re.sub(pattern, name, text)
    return text


class _Schema:
    """The tables and views known so far: ``schema.table`` -> column -> type (``unknown`` when not known)."""

    def __init__(self, manifest: Manifest) -> None:
        self.tables: dict[str, dict[str, str]] = {
            name.lower(): {c.name: c.type for c in table.columns} for name, table in manifest.physical.tables.items()
        }
        self._schema: Any = None

    def mapping(self) -> Any:
        """The sqlglot schema of the tables known so far (built once, then added to: not rebuilt per SELECT)."""
        from sqlglot.schema import MappingSchema

        if self._schema is None:
            nested: dict[str, dict[str, dict[str, str]]] = {}
            for name, columns in self.tables.items():
                db, _, table = name.rpartition(".")
                nested.setdefault(db, {})[table] = dict(columns)
            plain: dict[str, object] = dict(nested)
            self._schema = MappingSchema(plain, dialect=DIALECT)
        return self._schema

    def add(self, name: str, select: Any, names: Iterable[str] | None = None) -> dict[str, str]:
        """Type the output columns of ``select`` and record them as ``name``'s; returns column -> type ("" when
        not inferred)."""
        typed = annotate(select, self.mapping())
        if names is not None and typed is not None and len(list(names)) != len(typed):
            typed = None
        found = dict(typed or {})
        if found:  # a SELECT that could not be typed: its columns stay unknown
            self.tables[name.lower()] = {c: t or UNKNOWN for c, t in found.items()}
            self.mapping().add_table(name.lower(), self.tables[name.lower()], dialect=DIALECT)
        return found


def annotate(select: Any, schema: Any) -> dict[str, str] | None:
    """Output column -> its PostgreSQL type ("" when sqlglot cannot infer it) of a SELECT; None when the
    SELECT cannot be qualified against the schema."""
    from sqlglot import exp
    from sqlglot.optimizer.annotate_types import annotate_types
    from sqlglot.optimizer.qualify import qualify

    select = select.copy()
    for literal in list(select.find_all(exp.Literal)):  # PostgreSQL reads 100.0 as numeric, sqlglot as a double
        if not literal.is_string and not literal.is_int and literal.parent is not None:
            literal.replace(exp.cast(literal.copy(), exp.DataType.build("decimal")))
    try:
        qualified = qualify(select, schema=schema, dialect=DIALECT, validate_qualify_columns=False)
        typed = annotate_types(qualified, schema=schema, dialect=DIALECT)
    except Exception:  # sqlglot raises many kinds of errors on SQL it does not follow: no types, not a failure
        return None
    return {e.alias_or_name: _pg_type(e.unalias()) for e in typed.selects}


def _pg_type(expression: Any) -> str:
    """The type PostgreSQL gives an annotated output expression, where sqlglot's rules differ from its own:
    sqlglot types arithmetic over numerics (a rounded percentage, an average) as double precision, where
    PostgreSQL computes numeric (left without a type here: which one depends on the arguments), keeps a
    numeric's precision through an aggregate or arithmetic (PostgreSQL drops it) and types ``sum(bigint)``
    as bigint (PostgreSQL: numeric), ``EXTRACT`` as an integer (PostgreSQL 14+: numeric) and a date minus a date as
    a date (PostgreSQL: integer)."""
    from sqlglot import exp

    text = _pg_name(expression.type)
    if text == "double precision":
        return ""
    direct = isinstance(expression, exp.Column | exp.Cast)
    if text.startswith("numeric(") and not direct:
        return "numeric"
    if isinstance(expression, exp.Sub) and all(e.is_type(exp.DataType.Type.DATE) for e in expression.flatten()):
        return "integer"
    if text in ("bigint", "integer", "smallint") and not direct and any(expression.find_all(exp.Extract)):
        return "numeric"
    if text == "bigint" and not direct:
        for total in expression.find_all(exp.Sum):
            if total.this is not None and total.this.is_type(exp.DataType.Type.BIGINT):
                return "numeric"
    return text


def _view_selects(project: Project) -> dict[str, Any]:
    """The SELECT of each raw-vault view of the manifest (``_current``, ``_hist``), by qualified name."""
    import sqlglot
    from sqlglot import exp

    views = project.manifest.physical.views
    found: dict[str, Any] = {}
    for file in sorted({v.sql for v in views.values()}):
        for statement in sqlglot.parse(project.sql(file), read=DIALECT):
            if isinstance(statement, exp.Create) and isinstance(statement.expression, exp.Query):
                name = qualified_name(statement.this)
                if name in views:
                    found[name] = statement.expression
    return found


def derived_column_types(project: Project) -> dict[str, dict[str, str]]:
    """Entity id -> column -> type inferred from its SQL ("" where it cannot be), for every derived object."""
    manifest = project.manifest
    schema = _Schema(manifest)
    pending = _view_selects(project)
    for _ in range(3):  # a view may read another (a _current view over a _hist one): typed once its inputs are
        for name, select in sorted(pending.items()):
            schema.add(name, select)
    types: dict[str, dict[str, str]] = {}
    for node_id in nx.lexicographical_topological_sort(build_graph(manifest.nodes)):
        derived = derived_relation(manifest.nodes[node_id])
        if derived is None:
            continue
        qualified = f"{derived.schema_name}.{derived.table}"
        for table, names, select in working_selects(project, derived, qualified):
            schema.add(table, select, names)
        select = derived_select(project, derived, qualified)
        types[node_id] = schema.add(qualified, select) if select is not None else {}
    return types
