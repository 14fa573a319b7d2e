"""Column lineage (``dv lineage``) and change impact (``dv impact``), from the manifest and the generated SQL.

Nothing here reads the database: the lineage of a column is what the generated SQL and the manifest say
about it, so it holds for any warehouse built from this ``vault_sql/``.

**The column graph.** One node per column, named ``schema.table.column``; an edge ``u -> v`` says that
``v`` is computed from ``u``. Three kinds of edges:

- *SQL*: each derived object (PIT, bridge, computed satellite, dimension, fact, KPI, feed) and each raw-vault
  view (``_hist``, ``_current``) is one SELECT in its generated file; sqlglot's column lineage
  (``sqlglot.lineage.lineage``, postgres dialect) follows each output column through CTEs and subqueries to
  the columns of the tables and views it reads. ``*`` and unqualified columns resolve against a schema built
  from the manifest: physical tables' columns, the views' output columns (their SELECTs expanded the same
  way) and the derived objects' declared columns. PIT and bridge tables are ``INSERT INTO … SELECT``
  without column names: their projections are named by position from the declared columns. A projection
  that reads no column (``COUNT(*)``, a constant) is kept as a note. Lineage is of values: columns read
  only by a ``WHERE``, a join condition or a ``GROUP BY`` are not edges.
- *Loading rules* (from the manifest, the same rules the generated loads follow): a satellite, reference
  table or NHL payload column comes from its ``source_column``; a hub's business key from the key columns
  of every feed; a hash key (hub, link, role, parent key) and a hashdiff from the parts the source's stage
  step hashes; ``applied_dts`` from the source's ``applied_ts``; ``applied_seq`` from its ``sequence``; a
  status-tracking satellite's ``status`` from the presence of the key in the full extract. Load metadata
  (``load_dts``, ``load_seq``, ``batch_id``, ``record_source``) is set by the load: a note, not an edge.
- *Source columns* are the columns of a source's landing table (``staging.<source>.<column>``); each has
  its origin: the source database's column (through the source's ``query`` when it has one, by sqlglot
  again) or the file feed (format, path, event type).

The graph is built once per process and project (about three seconds for the repository's model).

**Impact** is coarser, by entity: the entities a model file declares, the generated files whose header
names that file (``-- generated from …``), their data contracts, the hand-written rules that read them, and
every entity that depends on them transitively (the manifest's ``depends_on`` graph).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from generator.errors import WarehouseError
from generator.generate import GENERATED_MARK
from generator.resolve import did_you_mean, hint_for
from pipelines.project import Project

DIALECT = "postgres"
DERIVED_KINDS = ("pit", "bridge", "cs", "dim", "fact", "kpi", "feed")
RAW_VAULT_KINDS = ("hub", "link", "sat", "msat", "esat", "nhl", "sts", "ref")
LAYERS = ("staging", "raw_vault", "business_vault", "marts")
LAYER_TITLES = {
    "staging": "sources (staging)",
    "raw_vault": "raw vault",
    "business_vault": "business vault",
    "marts": "marts",
    "other": "outside the model",
}
KIND_TITLES = {
    "source": "source",
    "hub": "hub",
    "link": "link",
    "sat": "satellite",
    "msat": "multi-active satellite",
    "esat": "effectivity satellite",
    "nhl": "non-historized link",
    "sts": "status-tracking satellite",
    "ref": "reference table",
    "pit": "PIT",
    "bridge": "bridge",
    "cs": "computed satellite",
    "dim": "dimension",
    "fact": "fact",
    "kpi": "KPI",
    "feed": "feed",
    "view": "view",
}
META_NOTES = {
    "load_dts": "set by the load: the batch's load timestamp (dv_meta.batch.load_dts)",
    "load_seq": "set by the load: the order of the row among those of its key loaded by one batch",
    "batch_id": "set by the load: the batch that loaded the row (dv_meta.batch)",
    "dv_row_no": "set by landing: the row's position in the landed extract",
}
OUTSIDE_NOTES = {
    "dv_snapshots": "the PIT's snapshot calendar, a temporary table of its build: one row per day from the first "
    "batch to the refreshed one (dv_meta.batch)",
}
CONTRACTS = Path("checks") / "generated"
RULES = Path("checks") / "rules"
_HEADER = re.compile(r"^-- generated from (.+?) by dv generate", re.M)
_CONTRACT_HEADER = re.compile(r"^# generated from (.+?) by dv generate", re.M)
_DATASET = re.compile(r"^dataset:\s*\S*?/([a-z_][a-z0-9_]*)/([a-z_][a-z0-9_]*)\s*$", re.M)


# ---------------------------------------------------------------------------------------------------------
# the column graph


@dataclass
class Relation:
    """A table or view lineage knows: its layer, owner entity and columns."""

    qualified: str
    layer: str  # staging, raw_vault, business_vault, marts, other
    kind: str  # the owner's manifest kind (source, sat, …, kpi), "view" for raw-vault views, "" outside the model
    entity: str | None  # manifest id of the owner
    columns: list[str]
    file: str = ""
    line: int = 0


@dataclass
class ColumnGraph:
    graph: nx.DiGraph
    relations: dict[str, Relation]
    notes: dict[str, list[str]] = field(default_factory=dict)  # column -> what sets it without an edge
    origins: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # source column -> its origins
    problems: list[str] = field(default_factory=list)  # SELECTs whose lineage sqlglot could not follow

    def relation_of(self, column: str) -> Relation | None:
        return self.relations.get(column.rsplit(".", 1)[0])


_CACHE: dict[tuple[str, str], ColumnGraph] = {}


def column_graph(project: Project) -> ColumnGraph:
    """The column graph of a project, built once per process (keyed by folder and model fingerprint)."""
    key = (str(project.root.resolve()), str(project.manifest.get("model_fingerprint", "")))
    if key not in _CACHE:
        _CACHE[key] = _build(project)
    return _CACHE[key]


def _build(project: Project) -> ColumnGraph:
    import sqlglot
    from sqlglot import exp

    manifest = project.manifest
    nodes: dict[str, dict[str, Any]] = manifest["nodes"]
    physical = manifest.get("physical", {})
    relations: dict[str, Relation] = {}
    cg = ColumnGraph(nx.DiGraph(), relations)

    def entity_relation(qualified: str, entity: str | None, kind: str, layer: str, columns: list[str]) -> None:
        node = nodes.get(entity or "", {})
        relations[qualified] = Relation(
            qualified, layer, kind, entity, columns, node.get("file", ""), int(node.get("line") or 0)
        )

    stage_tables = {f"{n['schema']}.{n['table']}" for n in nodes.values() if n["kind"] == "source"}
    for qualified, table in physical.get("tables", {}).items():
        if qualified in stage_tables:
            continue  # the typed stage tables are the load's working tables; lineage names the landing tables
        entity = table.get("entity")
        kind = str(nodes.get(entity or "", {}).get("kind", ""))
        layer = qualified.split(".", 1)[0]
        entity_relation(qualified, entity, kind, layer, [c["name"] for c in table["columns"]])
    for entity_id, node in nodes.items():
        if node["kind"] in DERIVED_KINDS:
            qualified = f"{node['schema']}.{node['table']}"
            entity_relation(qualified, entity_id, node["kind"], node["schema"], [c["name"] for c in node["columns"]])

    def schema() -> Any:
        from sqlglot.schema import MappingSchema

        out: dict[str, Any] = {}
        for rel in relations.values():
            if rel.layer == "other":
                continue
            db, name = rel.qualified.split(".", 1)
            out.setdefault(db, {})[name] = {c: "unknown" for c in rel.columns}
        return MappingSchema(out, dialect=DIALECT)  # normalized once, not by every lineage call

    # the raw-vault views: their output columns (a SELECT s.* expanded), then their lineage
    view_sql: dict[str, Any] = {}
    views: dict[str, dict[str, Any]] = physical.get("views", {})
    for file in sorted({v["sql"] for v in views.values()}):
        for statement in sqlglot.parse(project.sql(file), read=DIALECT):
            if isinstance(statement, exp.Create) and isinstance(statement.expression, exp.Query):
                qualified = _qualified(statement.this)
                if qualified in views:
                    view_sql[qualified] = statement.expression
    pending = dict(view_sql)
    while pending:  # a view may read another view: resolve those whose inputs are known first
        progressed = False
        known, resolved = schema(), set[str]()
        for qualified, select in list(pending.items()):
            reads = {_qualified(t) for t in select.find_all(exp.Table)} - {qualified}
            if reads & (set(pending) | resolved):
                continue
            columns = _output_columns(select, known)
            entity = views[qualified]["entity"]
            entity_relation(qualified, entity, "view", "raw_vault", columns)
            del pending[qualified]
            resolved.add(qualified)
            progressed = True
        if not progressed:  # a cycle cannot happen in generated views; resolve what remains as is
            for qualified in pending:
                entity_relation(qualified, views[qualified]["entity"], "view", "raw_vault", [])
            break

    sqlglot_schema = schema()
    for qualified, select in view_sql.items():
        _sql_edges(cg, qualified, select, sqlglot_schema)
    for entity_id in manifest["load_order"]:
        node = nodes[entity_id]
        if node["kind"] not in DERIVED_KINDS:
            continue
        qualified = f"{node['schema']}.{node['table']}"
        select = _derived_select(project, node, qualified)
        if select is None:
            cg.problems.append(f"{qualified}: no SELECT found in {node['sql'].get('build')}")
            continue
        _sql_edges(cg, qualified, select, sqlglot_schema)

    _loading_edges(cg, nodes)
    _source_origins(cg, nodes)
    return cg


def _qualified(table: Any) -> str:
    from sqlglot import exp

    if isinstance(table, exp.Schema):
        table = table.this
    db = getattr(table, "db", "") or ""
    name = getattr(table, "name", "") or ""
    return f"{db}.{name}".lower() if db else name.lower()


def _output_columns(select: Any, schema: Any) -> list[str]:
    from sqlglot.optimizer.qualify import qualify

    try:
        qualified = qualify(select.copy(), schema=schema, dialect=DIALECT, validate_qualify_columns=False)
        return [str(c) for c in qualified.named_selects]
    except Exception:  # fall back to the names written in the SELECT
        return [str(c) for c in select.named_selects if c != "*"]


def _derived_select(project: Project, node: dict[str, Any], qualified: str) -> Any:
    """The SELECT of a derived object in its build file, its projections named like the declared columns."""
    import sqlglot
    from sqlglot import exp

    found = None
    for statement in sqlglot.parse(project.sql(node["sql"]["build"]), read=DIALECT):
        if (
            isinstance(statement, exp.Create | exp.Insert)
            and isinstance(statement.expression, exp.Query)
            and _qualified(statement.this) == qualified
        ):
            found = statement.expression
    if found is None:
        return None
    if node["kind"] in ("pit", "bridge"):  # INSERT INTO t SELECT …: the columns are by position
        names = [c["name"] for c in node["columns"]]
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


def _sql_edges(cg: ColumnGraph, qualified: str, select: Any, schema: Any) -> None:
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
        _note(cg, target, f"computed from {text[:100]}")
        return
    if node.downstream:
        for child in node.downstream:
            _leaves(cg, target, child, schema, ctes, node, depth)
        return
    if isinstance(source, exp.Table) and _qualified(source):
        table = _qualified(source)
        name = node.expression.name if isinstance(node.expression, exp.Column) else node.name
        name = name.rsplit(".", 1)[-1]
        if table not in cg.relations:
            cg.relations[table] = Relation(table, "other", "", None, [])
        if name not in cg.relations[table].columns:
            cg.relations[table].columns.append(name)
            _note(cg, f"{table}.{name}", OUTSIDE_NOTES.get(table, f"{table} is not a table or view of the model"))
        cg.graph.add_edge(f"{table}.{name}", target, how="sql")
        return
    if isinstance(source, exp.Table):  # a table function: generate_series(…) AS g(day)
        text = " ".join(source.this.sql(dialect=DIALECT).split())
        _note(cg, target, f"computed from {text[:100]}")
        return
    if isinstance(node.expression, exp.Placeholder):  # a column of a LATERAL function: … AS d
        name = node.name.rsplit(".", 1)[-1]
        scope = parent.source if parent is not None else None
        for lateral in scope.find_all(exp.Lateral) if isinstance(scope, exp.Expression) else []:
            if lateral.alias_or_name == name or name in lateral.alias_column_names:
                text = " ".join(lateral.this.sql(dialect=DIALECT).split())
                _note(cg, target, f"computed from {text[:100]}")
                return
        _note(cg, target, f"computed from '{name}', which sqlglot does not follow")
        return
    # a projection that reads no column: COUNT(*), a constant, now()
    expression = node.expression.this if isinstance(node.expression, exp.Alias) else node.expression
    text = " ".join(expression.sql(dialect=DIALECT).split())
    _note(cg, target, f"computed without reading a column: {text[:100]}")


def _note(cg: ColumnGraph, column: str, text: str) -> None:
    notes = cg.notes.setdefault(column, [])
    if text not in notes:
        notes.append(text)


def _loading_edges(cg: ColumnGraph, nodes: dict[str, dict[str, Any]]) -> None:
    """Raw-vault columns from source columns, by the loading rules the manifest records."""

    def landing(source: str) -> tuple[dict[str, Any], str]:
        node = nodes[f"source.{source}"]
        return node, f"{node['schema']}.{node.get('landing_table') or source}"

    def parts(source_node: dict[str, Any], stage_column: str) -> list[str]:
        for h in source_node.get("hash_columns", []):
            if h["column"] == stage_column:
                return [p["column"] for p in h["parts"]]
        return []

    def owned_parts(source_node: dict[str, Any], owner: str, kind: str) -> list[str]:
        for h in source_node.get("hash_columns", []):
            if h["owner"] == owner and h["kind"] == kind:
                return [p["column"] for p in h["parts"]]
        return []

    def edge(source: str, column: str, target: str, how: str) -> None:
        src = nodes[f"source.{source}"]
        if column not in {c["name"] for c in src["columns"]}:
            return
        _, table = landing(source)
        cg.graph.add_edge(f"{table}.{column}", target, how=how)

    def note(target: str, text: str) -> None:
        _note(cg, target, text)

    for entity_id, node in nodes.items():
        kind = node["kind"]
        if kind not in RAW_VAULT_KINDS:
            continue
        table = f"{node['schema']}.{node['table']}"
        rel = cg.relations.get(table)
        if rel is None:
            continue
        col = {c: f"{table}.{c}" for c in rel.columns}
        for c in col.values():
            cg.graph.add_node(c)
        sources: list[str] = []
        if kind == "hub":
            for feed in node["feeds"]:
                sources.append(feed["source"])
                for bk, column in zip(node["business_keys"], feed["columns"], strict=False):
                    edge(feed["source"], column, col[bk["name"]], "business key")
                    edge(feed["source"], column, col[node["hash_key"]], "hashed into the hash key")
        elif kind in ("link", "nhl"):
            for feed in node["feeds"]:
                source_node, _ = landing(feed["source"])
                sources.append(feed["source"])
                key_parts = parts(source_node, node["hash_key"]) or owned_parts(source_node, entity_id, "key")
                for part in key_parts:
                    edge(feed["source"], part, col[node["hash_key"]], "hashed into the hash key")
                for ref, stage_column in zip(node["refs"], feed["role_columns"], strict=False):
                    for part in parts(source_node, stage_column):
                        edge(feed["source"], part, col[ref["column"]], f"hashed: hub {ref['hub']} as {ref['role']}")
                for key, column in zip(node.get("event_keys", []), feed.get("event_key_columns", []), strict=False):
                    edge(feed["source"], column, col[key["name"]], "event key")
                for payload, column in zip(node.get("columns", []), feed.get("columns", []), strict=False):
                    edge(feed["source"], column, col[payload["name"]], "payload")
                for dk in node.get("dependent_keys", []):
                    name = dk["name"] if isinstance(dk, dict) else str(dk)
                    if name in col:
                        edge(feed["source"], name, col[name], "dependent key")
        else:  # sat, msat, sts, esat, ref: one source
            source = node["source"]
            sources.append(source)
            source_node, _ = landing(source)
            parent_key = node.get("parent_key")
            if parent_key and parent_key in col:
                key_parts = parts(source_node, parent_key) or owned_parts(source_node, node.get("parent", ""), "key")
                for part in key_parts:
                    edge(source, part, col[parent_key], f"hashed: key of {node.get('parent', '')}")
            for payload in node.get("columns", []):
                if payload["name"] in col:
                    edge(source, payload.get("source_column", payload["name"]), col[payload["name"]], "payload")
            for sub in node.get("sub_keys", []):
                if sub["name"] in col:
                    edge(source, sub.get("source_column", sub["name"]), col[sub["name"]], "sub key")
            for code in node.get("code", []):
                if code["name"] in col:
                    edge(source, code.get("source_column", code["name"]), col[code["name"]], "code")
            for part in owned_parts(source_node, entity_id, "hashdiff"):
                if "hashdiff" in col:
                    edge(source, part, col["hashdiff"], "hashed into the hashdiff")
            if kind == "esat":
                link = nodes.get(node["parent"], {})
                roles = [r["role"] for r in link.get("refs", [])]
                for feed in link.get("feeds", []):
                    if feed["source"] != source:
                        continue
                    for ref in node.get("refs", []):
                        if ref["role"] in roles and ref["column"] in col:
                            stage_column = feed["role_columns"][roles.index(ref["role"])]
                            for part in parts(source_node, stage_column):
                                edge(source, part, col[ref["column"]], f"hashed: driving key {ref['role']}")
                if "is_active" in col:
                    note(col["is_active"], "set by the load: the relationship starts (true) or ends (false) here")
            if kind == "sts":
                status = node.get("status_column", "status")
                if status in col:
                    for part in parts(source_node, parent_key or ""):
                        edge(source, part, col[status], "presence of the key in the full extract")
                    note(col[status], "set by the load: 'present' or 'deleted' (deletion detection)")
                for column in node.get("partition_by", []):
                    if column in col:
                        edge(source, column, col[column], "partition")
            applied = source_node.get("applied_ts")
            if "applied_dts" in col:
                if applied:
                    edge(source, applied, col["applied_dts"], "applied_ts")
                else:
                    note(col["applied_dts"], "set by the load: the batch's load_dts (the source has no applied_ts)")
            if "applied_seq" in col and source_node.get("sequence"):
                edge(source, source_node["sequence"], col["applied_seq"], "sequence")
        if kind in ("link", "nhl") and "applied_dts" in col:
            for source in sources:
                applied = nodes[f"source.{source}"].get("applied_ts")
                if applied:
                    edge(source, applied, col["applied_dts"], "applied_ts")
        for name, text in META_NOTES.items():
            if name in col:
                note(col[name], text)
        if "record_source" in col:
            record_sources = sorted({nodes[f"source.{s}"]["record_source"] for s in sources})
            note(col["record_source"], "set by the load: the record source of the source, " + ", ".join(record_sources))


def _source_origins(cg: ColumnGraph, nodes: dict[str, dict[str, Any]]) -> None:
    """Where each source column comes from: the source database's column, or the file feed."""
    for node in nodes.values():
        if node["kind"] != "source":
            continue
        table = f"{node['schema']}.{node.get('landing_table') or node['name']}"
        names = [c["name"] for c in node["columns"]]
        query_lineage = _query_lineage(node["query"]) if node.get("query") else {}
        for name in names:
            column = f"{table}.{name}"
            cg.graph.add_node(column)
            origins: list[dict[str, Any]] = []
            if node.get("feed"):
                feed = node["feed"]
                origins.append(
                    {
                        "kind": "file",
                        "format": feed.get("format"),
                        "path": feed.get("path"),
                        "event_type": feed.get("event_type"),
                    }
                )
            elif node.get("query"):
                reached = query_lineage.get(name, [])
                if reached:
                    origins.extend({"kind": "database", "column": c, "via": "the source's query"} for c in reached)
                else:
                    origins.append(
                        {
                            "kind": "database",
                            "column": None,
                            "via": f"the source's query ({node['source_table'] or 'no table'})",
                        }
                    )
            elif node.get("source_table"):
                origins.append({"kind": "database", "column": f"{node['source_table']}.{name}", "via": "extract"})
            else:
                origins.append({"kind": "manual", "column": None, "via": "landed by hand (dv land)"})
            cg.origins[column] = origins
        if table in cg.relations and "dv_row_no" in cg.relations[table].columns:
            _note(cg, f"{table}.dv_row_no", META_NOTES["dv_row_no"])


def _query_lineage(query: str) -> dict[str, list[str]]:
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
                ref = f"{_qualified(node.source)}.{column.rsplit('.', 1)[-1]}"
                if ref not in reached:
                    reached.append(ref)
        out[name] = sorted(reached)
    return out


# ---------------------------------------------------------------------------------------------------------
# dv lineage


def resolve_column(cg: ColumnGraph, ref: str) -> str:
    """``[schema.]table.column`` -> the graph's node name; a WarehouseError with a did-you-mean otherwise."""
    parts = ref.strip().lower().split(".")
    if len(parts) not in (2, 3) or not all(parts):
        raise WarehouseError(
            f"'{ref}' is not TABLE.COLUMN\n    hint: e.g. kpi_jobs_summary.avg_time_to_fill_days or "
            "raw_vault.sat_job_status.posted_at"
        )
    *table_parts, column = parts
    known = {q: r for q, r in cg.relations.items() if r.layer != "other"}
    if len(table_parts) == 2:
        qualified = ".".join(table_parts)
        candidates = [qualified] if qualified in known else []
        choices: Iterable[str] = known
        word = qualified
    else:
        (name,) = table_parts
        candidates = sorted(q for q in known if q.split(".", 1)[1] == name)
        choices = {q.split(".", 1)[1] for q in known}
        word = name
    if not candidates:
        hint = did_you_mean(word, choices) or (
            "a table or view of raw_vault, business_vault or marts, or a source's landing table (staging.<source>)"
        )
        raise WarehouseError(f"unknown table '{word}'\n    hint: {hint}")
    if len(candidates) > 1:
        raise WarehouseError(f"'{word}' names {len(candidates)} tables\n    hint: qualify it: " + ", ".join(candidates))
    relation = known[candidates[0]]
    if column not in relation.columns:
        raise WarehouseError(
            f"{relation.qualified} has no column '{column}'\n    hint: {hint_for(column, relation.columns)}"
        )
    return f"{relation.qualified}.{column}"


def _describe(cg: ColumnGraph, column: str) -> dict[str, Any]:
    rel = cg.relation_of(column)
    out: dict[str, Any] = {"column": column}
    if rel is not None:
        out.update(layer=rel.layer, kind=rel.kind, entity=rel.entity)
        if rel.file:
            out["defined_in"] = f"{rel.file}:{rel.line}" if rel.line else rel.file
    if column in cg.notes:
        out["notes"] = list(cg.notes[column])
    if column in cg.origins:
        out["origins"] = cg.origins[column]
    return out


def upstream(cg: ColumnGraph, column: str) -> dict[str, Any]:
    """The tree of what ``column`` is computed from, down to source columns and their origins."""
    seen: set[str] = set()

    def walk(node: str, how: str | None) -> dict[str, Any]:
        item = _describe(cg, node)
        if how is not None:
            item["how"] = how
        preds = sorted(cg.graph.predecessors(node)) if node in cg.graph else []
        if preds and node in seen:
            item["repeated"] = True  # its upstream is shown where it first appears
            return item
        seen.add(node)
        item["upstream"] = [walk(p, cg.graph.edges[p, node].get("how")) for p in preds]
        return item

    tree = walk(column, None)
    reached = nx.ancestors(cg.graph, column) if column in cg.graph else set()
    raw = sorted(c for c in reached | {column} if getattr(cg.relation_of(c), "layer", "") == "raw_vault")
    raw_tables = [c for c in raw if getattr(cg.relation_of(c), "kind", "") != "view"]
    sources = []
    for c in sorted(c for c in reached | {column} if c in cg.origins):
        rel = cg.relation_of(c)
        assert rel is not None
        sources.append(
            {
                "column": c,
                "source": (rel.entity or "").removeprefix("source."),
                "source_column": c.rsplit(".", 1)[1],
                "origins": cg.origins[c],
            }
        )
    other = sorted(c for c in reached if getattr(cg.relation_of(c), "layer", "other") == "other")
    return {"tree": tree, "raw_vault": raw_tables, "sources": sources, "outside_model": other}


def downstream(cg: ColumnGraph, column: str) -> list[dict[str, Any]]:
    """Every table and view (with its columns) whose lineage reaches ``column``, in layer order."""
    reached = nx.descendants(cg.graph, column) if column in cg.graph else set()
    by_relation: dict[str, list[str]] = {}
    for c in reached:
        table, name = c.rsplit(".", 1)
        by_relation.setdefault(table, []).append(name)
    out: list[dict[str, Any]] = []
    for table, names in by_relation.items():
        rel = cg.relations.get(table)
        assert rel is not None
        order = {n: i for i, n in enumerate(rel.columns)}
        out.append(
            {
                "relation": table,
                "layer": rel.layer,
                "kind": rel.kind,
                "entity": rel.entity,
                "defined_in": f"{rel.file}:{rel.line}" if rel.line else rel.file,
                "columns": sorted(names, key=lambda n: (order.get(n, len(order)), n)),
            }
        )
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    out.sort(key=lambda r: (rank.get(r["layer"], len(rank)), r["kind"] == "view", r["relation"]))
    return out


def lineage_report(project: Project, ref: str, *, up: bool = True, down: bool = True) -> dict[str, Any]:
    """``dv lineage``: the column, its upstream tree and source columns, and what reads it downstream."""
    cg = column_graph(project)
    column = resolve_column(cg, ref)
    report: dict[str, Any] = _describe(cg, column)
    if up:
        report["upstream"] = upstream(cg, column)
    if down:
        report["downstream"] = downstream(cg, column)
    if cg.problems:
        report["lineage_problems"] = list(cg.problems)
    return report


# ---------------------------------------------------------------------------------------------------------
# dv impact


def entity_graph(project: Project) -> nx.DiGraph:
    """Manifest ids, an edge from each entity to every entity that depends on it."""
    graph = nx.DiGraph()
    for entity_id, node in project.nodes.items():
        graph.add_node(entity_id)
        for dep in node.get("depends_on", []):
            graph.add_edge(dep, entity_id)
    return graph


def _model_file(project: Project, file: str) -> str:
    """The manifest's spelling of a model file (relative to the project, POSIX), given as the user wrote it:
    relative to the project, relative to the current folder, or absolute."""
    root = project.root.resolve()
    path = Path(file.strip())
    candidates = []
    for candidate in [path] if path.is_absolute() else [root / path, Path.cwd() / path]:
        try:
            candidates.append(candidate.resolve().relative_to(root).as_posix())
        except ValueError:
            continue
    files = {str(n.get("file")) for n in project.nodes.values()}
    for relative in candidates:
        if relative in files or (root / relative).is_file():
            return relative
    return candidates[0] if candidates else path.as_posix()


def _headers(folder: Path, pattern: re.Pattern[str], glob: str) -> Iterator[tuple[Path, list[str]]]:
    for path in sorted(folder.rglob(glob)):
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            head = "".join(handle.readline() for _ in range(3))
        match = pattern.search(head)
        if match:
            yield path, [f.strip() for f in match.group(1).split(",")]


def _layer(node: dict[str, Any]) -> str:
    if node["kind"] == "source":
        return "staging"
    return str(node.get("schema") or "raw_vault")


def impact_report(project: Project, file: str) -> dict[str, Any]:
    """``dv impact``: what a change of one model file touches, from the manifest and the generated files."""
    nodes = project.nodes
    relative = _model_file(project, file)
    declared = sorted(i for i, n in nodes.items() if n.get("file") == relative)
    root = project.root
    generated = [
        p.relative_to(root).as_posix()
        for p, files in _headers(root / GENERATED_MARK, _HEADER, "*.sql")
        if relative in files
    ]
    if not declared and not generated and not (root / relative).is_file():
        model_files = sorted({str(n["file"]) for n in nodes.values() if n.get("file")})
        raise WarehouseError(
            f"no entity and no generated file comes from '{file}'\n    hint: {hint_for(relative, model_files)}"
        )
    contracts = [
        p.relative_to(root).as_posix()
        for p, files in _headers(root / CONTRACTS, _CONTRACT_HEADER, "*.yml")
        if relative in files
    ]
    graph = entity_graph(project)
    downstream_ids: set[str] = set()
    for entity_id in declared:
        downstream_ids |= nx.descendants(graph, entity_id)
    downstream_ids -= set(declared)
    affected = set(declared) | downstream_ids

    owners: dict[str, str] = {}  # qualified table or view -> entity
    for qualified, table in project.manifest.get("physical", {}).get("tables", {}).items():
        owners[qualified] = table.get("entity", "")
    for qualified, view in project.manifest.get("physical", {}).get("views", {}).items():
        owners[qualified] = view.get("entity", "")
    for entity_id, node in nodes.items():
        if node.get("schema") and node.get("table"):
            owners.setdefault(f"{node['schema']}.{node['table']}", entity_id)
    rules = []
    for path in sorted((root / RULES).rglob("*.yml")) if (root / RULES).is_dir() else []:
        match = _DATASET.search(path.read_text(encoding="utf-8"))
        if match and owners.get(f"{match.group(1)}.{match.group(2)}") in affected:
            rules.append({"file": path.relative_to(root).as_posix(), "dataset": f"{match.group(1)}.{match.group(2)}"})

    def entry(entity_id: str) -> dict[str, Any]:
        node = nodes[entity_id]
        return {
            "id": entity_id,
            "kind": node["kind"],
            "name": node["name"],
            "table": f"{node['schema']}.{node['table']}" if node.get("table") else None,
            "defined_in": f"{node['file']}:{node['line']}",
        }

    order = {entity_id: i for i, entity_id in enumerate(project.manifest["load_order"])}
    by_layer: dict[str, list[dict[str, Any]]] = {layer: [] for layer in LAYERS}
    for entity_id in sorted(downstream_ids, key=lambda i: (order.get(i, len(order)), i)):
        by_layer.setdefault(_layer(nodes[entity_id]), []).append(entry(entity_id))
    touched = sorted(
        (i for i in affected if nodes[i]["kind"] in ("dim", "fact", "kpi", "feed")),
        key=lambda i: (order.get(i, len(order)), i),
    )
    note = ""
    if not declared:
        note = "declares no entity"
        if re.search(r"^kind:\s*project\b", (root / relative).read_text(encoding="utf-8"), re.M):
            note += (
                " (the project settings: a change of hash.algorithm or hash.spec_version changes every hash column "
                "and the header of every generated file; see dv rehash)"
            )
    return {
        "file": relative,
        "note": note,
        "entities": [entry(i) for i in sorted(declared, key=lambda i: (order.get(i, len(order)), i))],
        "generated": generated,
        "contracts": contracts,
        "manifest": f"{GENERATED_MARK}/manifest.json",
        "rules": rules,
        "downstream": {layer: items for layer, items in by_layer.items() if items},
        "marts": [f"{nodes[i]['schema']}.{nodes[i]['table']}" for i in touched if nodes[i]["kind"] != "kpi"],
        "kpis": [f"{nodes[i]['schema']}.{nodes[i]['table']}" for i in touched if nodes[i]["kind"] == "kpi"],
    }
