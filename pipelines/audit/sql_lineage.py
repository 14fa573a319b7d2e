"""Column lineage through SQL, by sqlglot: the *SQL* edges of the column graph (``lineage_graph.py``).

Each derived object (PIT, bridge, computed satellite, dimension, fact, KPI, feed) and each raw-vault view
(``_hist``, ``_current``) is one SELECT in its generated file; sqlglot's column lineage
(``sqlglot.lineage.lineage``, postgres dialect) follows each output column through CTEs and subqueries to the
columns of the tables and views it reads. ``*`` and unqualified columns resolve against a schema built from
the manifest (``lineage_graph.py``). PIT and bridge tables are ``INSERT INTO … SELECT`` without column names: their
projections are named by position from the declared columns. A projection that reads no column
(``COUNT(*)``, a constant) is kept as a note. Lineage is of values: columns read only by a ``WHERE``, a join
condition or a ``GROUP BY`` are not edges.

A source's extraction ``query`` is followed the same way, without a schema, to the source database's columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.kinds import KIND_BY_PREFIX
from generator.manifest_model import BridgeNode, BusinessViewNode, Node, PitNode, SqlNode

if TYPE_CHECKING:
    from pipelines.audit.lineage_graph import ColumnGraph
    from pipelines.project import Project

DIALECT = "postgres"
DerivedRelation = PitNode | BridgeNode | SqlNode | BusinessViewNode  # the nodes of the derived kinds with a table
OUTSIDE_NOTES = {
    "dv_snapshots": "the PIT's snapshot calendar, a temporary table of its build: one row per day from the first "
    "batch to the refreshed one (dv_meta.batch)",
}


def qualified_name(table: Any) -> str:
    """``schema.table`` (lower case) of a sqlglot table or schema expression; ``table`` without a schema."""
    from sqlglot import exp

    if isinstance(table, exp.Schema):
        table = table.this
    db = getattr(table, "db", "") or ""
    name = getattr(table, "name", "") or ""
    return f"{db}.{name}".lower() if db else name.lower()


def output_columns(select: Any, schema: Any) -> list[str]:
    """The output column names of a SELECT, ``*`` expanded against the schema."""
    from sqlglot.optimizer.qualify import qualify

    try:
        qualified = qualify(select.copy(), schema=schema, dialect=DIALECT, validate_qualify_columns=False)
        return [str(c) for c in qualified.named_selects]
    except Exception:  # fall back to the names written in the SELECT
        return [str(c) for c in select.named_selects if c != "*"]


def derived_relation(node: Node) -> DerivedRelation | None:
    """The node if it is a table or view of the business vault or the marts computed by a SELECT (the registry's
    derived kinds, not a function); else None."""
    if KIND_BY_PREFIX[node.kind].is_derived and isinstance(node, PitNode | BridgeNode | SqlNode | BusinessViewNode):
        return node
    return None


def select_file(node: DerivedRelation) -> str:
    """The generated file with a derived object's SELECT: its build, else the one dv apply runs (a view)."""
    return node.sql.get("build") or node.sql.get("apply") or ""


def derived_select(project: Project, node: DerivedRelation, qualified: str) -> Any:
    """The SELECT of a derived object in its build file, its projections named like the declared columns."""
    import sqlglot
    from sqlglot import exp

    found = None
    for statement in sqlglot.parse(project.sql(select_file(node)), read=DIALECT):
        if (
            isinstance(statement, exp.Create | exp.Insert)
            and isinstance(statement.expression, exp.Query)
            and qualified_name(statement.this) == qualified
        ):
            found = statement.expression
    if found is None:
        return None
    if KIND_BY_PREFIX[node.kind].family == "generated":  # PIT, bridge: INSERT INTO t SELECT …, by position
        names = [c.name for c in node.columns]
        if isinstance(found, exp.Select) and len(found.expressions) == len(names):
            found = found.copy()
            found.set(
                "expressions",
                [
                    exp.alias_(e.this if isinstance(e, exp.Alias) else e, name)
                    for e, name in zip(found.expressions, names, strict=True)
                ],
            )
    return found


def sql_edges(cg: ColumnGraph, qualified: str, select: Any, schema: Any) -> None:
    """Edges from the columns the SELECT of ``qualified`` reads to each of its output columns."""
    from sqlglot import exp
    from sqlglot.lineage import lineage

    try:
        result = lineage(None, select, schema=schema, dialect=DIALECT, trim_selects=False)
    except Exception as exc:  # one object sqlglot cannot follow must not hide the others
        cg.problems.append(f"{qualified}: {exc}")
        return
    assert isinstance(result, dict)
    ctes = {cte.alias_or_name: cte.this for cte in select.find_all(exp.CTE)}
    for column, root in result.items():
        target = f"{qualified}.{column}"
        cg.graph.add_node(target)
        _leaves(cg, target, root, schema, ctes, None, depth=0)


def _leaves(
    cg: ColumnGraph, target: str, node: Any, schema: Any, ctes: dict[str, Any], parent: Any, depth: int
) -> None:
    """Edges from the columns a lineage node reaches to ``target``; notes for what reads no column."""
    from sqlglot import exp
    from sqlglot.lineage import lineage

    source = node.source
    if isinstance(source, exp.Lateral) and depth < 5:
        # sqlglot does not follow a LATERAL subquery: follow its projection with a lineage of its own
        # (correlated references to the outer query are join conditions, not values)
        inner = source.this.this if isinstance(source.this, exp.Subquery) else None
        if isinstance(inner, exp.Query):
            name = node.name.rsplit(".", 1)[-1]
            used = {t.name for t in inner.find_all(exp.Table)}
            sources = {k: v for k, v in ctes.items() if k in used}  # the enclosing query's CTEs it reads
            try:
                sub = lineage(name, inner, schema=schema, sources=sources, dialect=DIALECT, trim_selects=False)
            except Exception:  # fall through to a note
                sub = None
            if sub is not None:
                _leaves(cg, target, sub, schema, ctes, node, depth + 1)
                return
        text = " ".join(source.this.sql(dialect=DIALECT).split())
        cg.note(target, f"computed from {text[:100]}")
        return
    if node.downstream:
        for child in node.downstream:
            _leaves(cg, target, child, schema, ctes, node, depth)
        return
    if isinstance(source, exp.Table) and qualified_name(source):
        table = qualified_name(source)
        name = node.expression.name if isinstance(node.expression, exp.Column) else node.name
        name = name.rsplit(".", 1)[-1]
        relation = cg.relation(table)
        if name not in relation.columns:
            relation.columns.append(name)
            cg.note(f"{table}.{name}", OUTSIDE_NOTES.get(table, f"{table} is not a table or view of the model"))
        cg.graph.add_edge(f"{table}.{name}", target, how="sql")
        return
    if isinstance(source, exp.Table):  # a table function: generate_series(…) AS g(day)
        text = " ".join(source.this.sql(dialect=DIALECT).split())
        cg.note(target, f"computed from {text[:100]}")
        return
    if isinstance(node.expression, exp.Placeholder):  # a column of a LATERAL function: … AS d
        name = node.name.rsplit(".", 1)[-1]
        scope = parent.source if parent is not None else None
        for lateral in scope.find_all(exp.Lateral) if isinstance(scope, exp.Expression) else []:
            if lateral.alias_or_name == name or name in lateral.alias_column_names:
                text = " ".join(lateral.this.sql(dialect=DIALECT).split())
                cg.note(target, f"computed from {text[:100]}")
                return
        cg.note(target, f"computed from '{name}', which sqlglot does not follow")
        return
    # a projection that reads no column: COUNT(*), a constant, now()
    expression = node.expression.this if isinstance(node.expression, exp.Alias) else node.expression
    text = " ".join(expression.sql(dialect=DIALECT).split())
    cg.note(target, f"computed without reading a column: {text[:100]}")


def query_lineage(query: str) -> dict[str, list[str]]:
    """Output column -> source-database columns of a source's extraction query (no schema: qualified refs)."""
    from sqlglot import exp
    from sqlglot.lineage import lineage

    try:
        result = lineage(None, query, schema={}, dialect=DIALECT)
    except Exception:  # an unparsable query leaves the origin at the table level
        return {}
    assert isinstance(result, dict)
    out: dict[str, list[str]] = {}
    for name, root in result.items():
        reached: list[str] = []
        for node in root.walk():
            if not node.downstream and isinstance(node.source, exp.Table):
                column = node.expression.name if isinstance(node.expression, exp.Column) else node.name
                ref = f"{qualified_name(node.source)}.{column.rsplit('.', 1)[-1]}"
                if ref not in reached:
                    reached.append(ref)
        out[name] = sorted(reached)
    return out
