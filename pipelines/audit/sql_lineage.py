"""Column lineage through SQL, by sqlglot: the *SQL* edges of the column graph (``lineage_graph.py``).

Each derived object (PIT, bridge, computed satellite, dimension, fact, KPI, feed) and each raw-vault view
(``_hist``, ``_current``) is one SELECT in its generated file; sqlglot's column lineage
(``sqlglot.lineage.lineage``, postgres dialect) follows each output column through CTEs and subqueries to the
columns of the tables and views it reads. ``*`` and unqualified columns resolve against a schema built from
the manifest (``lineage_graph.py``). PIT and bridge tables are ``INSERT INTO … SELECT`` without column names: their
projections are named by position from the declared columns; the other tables their build fills (a PIT's
storage, a temporary working table) are followed the same way. A ``COUNT(*)`` reads the rows of what it counts
over: an edge from the key of each table behind its FROM (through CTEs, subqueries and set operations), and
its ``FILTER (WHERE …)`` columns are edges as sqlglot finds them. A column of ``LATERAL (VALUES …) AS s(a, b)``
reads the expressions at its position in each row; one of a table function (``generate_series(b.x, b.y, …)``)
the columns its arguments read. What reads no column is a note saying why (a constant, the time it is
computed, a series of constants); notes are sorted (sqlglot's traversal order follows the hash seed) and cut
only after a whole word. Lineage is of values: columns read only by a ``WHERE``, a join condition or a
``GROUP BY`` are not edges.

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
    "dv_meta.batch": "the warehouse's batch log (dv_meta.batch): when each batch loaded and how it ended",
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


def working_selects(project: Project, node: DerivedRelation, qualified: str) -> list[tuple[str, list[str], Any]]:
    """The other tables a derived object's build fills by a SELECT (a PIT's storage, a temporary working table):
    ``(table, its columns, the SELECT with its projections named like them)``."""
    import sqlglot
    from sqlglot import exp

    declared: dict[str, list[str]] = {}
    out: list[tuple[str, list[str], Any]] = []
    for statement in sqlglot.parse(project.sql(select_file(node)), read=DIALECT):
        if not isinstance(statement, exp.Create | exp.Insert):
            continue
        target = statement.this
        table = qualified_name(target)
        if table == qualified or not table:
            continue
        names = [c.name for c in target.expressions] if isinstance(target, exp.Schema) else []
        if isinstance(statement, exp.Create) and names and statement.expression is None:
            declared[table] = names  # CREATE TABLE t (a type, …)
            continue
        select = statement.expression
        if not isinstance(select, exp.Query):
            continue
        names = names or declared.get(table, [])
        if names and isinstance(select, exp.Select) and len(select.expressions) == len(names):
            select = select.copy()
            select.set(
                "expressions",
                [
                    exp.alias_(e.this if isinstance(e, exp.Alias) else e, name)
                    for e, name in zip(select.expressions, names, strict=True)
                ],
            )
        else:
            names = [str(c) for c in select.named_selects]
        out.append((table, names, select))
    return out


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
    if _counts_rows(node.expression) and isinstance(source, exp.Query):
        _row_edges(cg, target, source, ctes)  # COUNT(*): the rows of what it counts over
    if isinstance(source, exp.Lateral) and depth < 5:
        values = source.this.this if isinstance(source.this, exp.Subquery) else source.this
        if isinstance(values, exp.Values):
            _values_column(cg, target, node, source, values, schema, ctes, parent, depth)
            return
        # sqlglot does not follow a LATERAL subquery: follow its projection with a lineage of its own
        # (correlated references to the outer query are join conditions, not values)
        inner = values
        if isinstance(inner, exp.Query):
            name = node.name.rsplit(".", 1)[-1]
            sources = _ctes_read(inner, ctes)  # the enclosing query's CTEs it reads
            try:
                sub = lineage(name, inner, schema=schema, sources=sources, dialect=DIALECT, trim_selects=False)
            except Exception:  # fall through to a note
                sub = None
            if sub is not None:
                _leaves(cg, target, sub, schema, ctes, node, depth + 1)
                return
        cg.note(target, f"computed from {short(source.this.sql(dialect=DIALECT))}")
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
        _function_columns(cg, target, source.this, parent, schema, ctes, depth)
        return
    if isinstance(node.expression, exp.Placeholder):  # a column of a LATERAL function: … AS d
        name = node.name.rsplit(".", 1)[-1]
        scope = parent.source if parent is not None else None
        for lateral in scope.find_all(exp.Lateral) if isinstance(scope, exp.Expression) else []:
            if lateral.alias_or_name == name or name in lateral.alias_column_names:
                _function_columns(cg, target, lateral.this, parent, schema, ctes, depth)
                return
        cg.note(target, f"computed from '{name}', which sqlglot does not follow")
        return
    # a projection that reads no column: COUNT(*) (its rows are edges), a constant, now()
    expression = node.expression.this if isinstance(node.expression, exp.Alias) else node.expression
    if _counts_rows(expression) and isinstance(source, exp.Query):
        return
    if parent is not None and _aggregates(parent.expression) and isinstance(parent.source, exp.Query):
        _row_edges(cg, target, parent.source, ctes)  # SUM(1), COUNT(1): a value per row counted
    cg.note(target, why_no_column(expression))


def short(text: str, limit: int = 160) -> str:
    """SQL on one line, cut after a whole word (``…``) when longer than ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text.split(" ", 1)[0]
    return cut.rstrip(", (") + " …"


def why_no_column(expression: Any) -> str:
    """The note of a value that reads no column: a constant, the time of the build, or another expression."""
    from sqlglot import exp

    text = short(expression.sql(dialect=DIALECT))
    if isinstance(expression, exp.Literal | exp.Boolean | exp.Null) or (
        isinstance(expression, exp.Neg | exp.Cast) and isinstance(expression.this, exp.Literal)
    ):
        return f"a constant: {text}"
    clocks = (exp.CurrentDate, exp.CurrentTimestamp, exp.CurrentTime)
    if any(isinstance(e, clocks) for e in expression.walk()) or any(
        isinstance(e, exp.Anonymous) and e.name.lower() in ("now", "clock_timestamp") for e in expression.walk()
    ):
        return f"the time it is computed: {text}"
    return f"computed without reading a column: {text}"


def _walk_scope(expression: Any) -> Any:
    """The nodes of an expression, not those of its subqueries (another scope)."""
    from sqlglot import exp

    return expression.walk(prune=lambda e: isinstance(e, exp.Subquery) and e is not expression)


def _counts_rows(expression: Any) -> bool:
    """Whether the expression counts rows: ``COUNT(*)`` in its own scope."""
    from sqlglot import exp

    return any(isinstance(e, exp.Count) and isinstance(e.this, exp.Star) for e in _walk_scope(expression))


def _aggregates(expression: Any) -> bool:
    from sqlglot import exp

    return any(isinstance(e, exp.AggFunc) for e in _walk_scope(expression))


def row_tables(select: Any, ctes: dict[str, Any], depth: int = 0) -> list[str]:
    """The tables and views whose rows a SELECT's FROM and joins read, through CTEs, subqueries, set
    operations and LATERAL subqueries (a table function or VALUES reads no table)."""
    from sqlglot import exp

    if depth > 10:
        return []
    if isinstance(select, exp.Subquery):
        return row_tables(select.this, ctes, depth + 1)
    if isinstance(select, exp.SetOperation):
        return _unique(row_tables(select.left, ctes, depth + 1) + row_tables(select.right, ctes, depth + 1))
    if not isinstance(select, exp.Select):
        return []
    local = {**ctes, **{c.alias_or_name: c.this for c in select.ctes}}
    out: list[str] = []
    from_ = select.args.get("from_") or select.args.get("from")
    for item in [from_, *(select.args.get("joins") or [])]:
        this = getattr(item, "this", None)
        if isinstance(this, exp.Lateral):
            this = this.this
        if isinstance(this, exp.Table) and not isinstance(this.this, exp.Func):
            if not this.db and this.name in local:
                out += row_tables(local[this.name], ctes, depth + 1)
            else:
                out.append(qualified_name(this))
        elif isinstance(this, exp.Subquery):
            out += row_tables(this.this, local, depth + 1)
    return _unique(out)


def _ctes_read(select: Any, ctes: dict[str, Any]) -> dict[str, Any]:
    """The CTEs of the enclosing query a SELECT reads, and those they read."""
    from sqlglot import exp

    out: dict[str, Any] = {}
    todo = [select]
    while todo:
        for table in todo.pop().find_all(exp.Table):
            if not table.db and table.name in ctes and table.name not in out:
                out[table.name] = ctes[table.name]
                todo.append(ctes[table.name])
    return out


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


ROWS_HOW = "rows counted (by the table's key)"


def _row_edges(cg: ColumnGraph, target: str, scope: Any, ctes: dict[str, Any]) -> None:
    """Edges to ``target`` from the key of each table whose rows ``scope`` counts; a note when it reads none."""
    tables = row_tables(scope, ctes)
    for table in tables:
        relation = cg.relations.get(table)
        if relation is None or not relation.columns:
            cg.note(target, f"counts the rows of {table}, " + OUTSIDE_NOTES.get(table, "not a table of the model"))
            continue
        for column in relation.key or relation.columns:
            if not cg.graph.has_edge(f"{table}.{column}", target):
                cg.graph.add_edge(f"{table}.{column}", target, how=ROWS_HOW)
    if not tables:
        cg.note(target, "counts rows that read no table (VALUES or a table function)")


def _values_column(
    cg: ColumnGraph,
    target: str,
    node: Any,
    lateral: Any,
    values: Any,
    schema: Any,
    ctes: dict[str, Any],
    parent: Any,
    depth: int,
) -> None:
    """A column of ``LATERAL (VALUES …) AS s(a, b)``: the expressions at its position in each row."""
    from sqlglot import exp

    name = node.name.rsplit(".", 1)[-1]
    names = lateral.alias_column_names or values.alias_column_names
    if name not in names:  # sqlglot's own answer: every column any row reads
        for child in node.downstream:
            _leaves(cg, target, child, schema, ctes, node, depth)
        return
    index = names.index(name)
    picked = [
        row.expressions[index]
        for row in values.expressions
        if isinstance(row, exp.Tuple) and len(row.expressions) > index
    ]
    read = {f"{c.table}.{c.name}" if c.table else c.name for e in picked for c in e.find_all(exp.Column)}
    for child in node.downstream:
        if child.name in read:
            _leaves(cg, target, child, schema, ctes, node, depth)
    constants = [e for e in picked if not any(True for _ in e.find_all(exp.Column))]
    if constants:
        listed = ", ".join(e.sql(dialect=DIALECT) for e in constants)
        cg.note(target, short(f"a constant in each row of LATERAL (VALUES …) AS {lateral.alias_or_name}: {listed}"))
        if parent is not None and _aggregates(parent.expression) and isinstance(parent.source, exp.Query):
            _row_edges(cg, target, parent.source, ctes)  # SUM(v.w) over constants: per row of the FROM


def _function_columns(
    cg: ColumnGraph, target: str, function: Any, parent: Any, schema: Any, ctes: dict[str, Any], depth: int
) -> None:
    """A column of a table function (``generate_series(b.first_date, b.last_date, …) AS d``): the columns of
    the enclosing query its arguments read; a note when they read none."""
    from sqlglot import exp
    from sqlglot.lineage import lineage

    text = short(function.sql(dialect=DIALECT))
    arguments = [c for c in function.find_all(exp.Column)]
    scope = parent.source if parent is not None else None
    from_ = (scope.args.get("from_") or scope.args.get("from")) if isinstance(scope, exp.Select) else None
    if not arguments or from_ is None or depth >= 5:
        cg.note(target, f"computed from a series of constants: {text}" if not arguments else f"computed from {text}")
        return
    probe = exp.select(*[c.copy().as_(f"dv_arg_{i}") for i, c in enumerate(arguments)])
    probe.set("from_", from_.copy())
    probe.set("joins", [j.copy() for j in from_.parent.args.get("joins") or []])
    sources = _ctes_read(probe, ctes)
    for i in range(len(arguments)):
        try:
            sub = lineage(f"dv_arg_{i}", probe, schema=schema, sources=sources, dialect=DIALECT, trim_selects=False)
        except Exception:
            cg.note(target, f"computed from {text}")
            return
        _leaves(cg, target, sub, schema, ctes, None, depth + 1)


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
