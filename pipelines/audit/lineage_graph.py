"""The column graph of ``dv lineage``: its relations, edges and notes, and how it is built.

One node per column, named ``schema.table.column``; an edge ``u -> v`` says that ``v`` is computed from
``u`` (the edge's ``how`` says by what: ``sql``, ``payload``, ``hashed into the hash key`` …). Each table
or view the graph knows is a :class:`Relation` (its layer, owner entity and columns). Columns set without
an edge (load metadata, a ``COUNT(*)``) carry notes; source columns carry their origins.

The edges come from two places: the generated SQL (``sql_lineage.py``) and the loading rules the
manifest records (``load_lineage.py``). The relations are the manifest's physical tables (not the typed
stage tables: lineage names the landing tables), its raw-vault views (their output columns: a ``SELECT s.*``
expanded) and the derived objects' declared columns. The graph is built once per process and project (about
three seconds for the repository's model); ``lineage.py`` follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from generator.kinds import KIND_BY_PREFIX
from generator.kinds.registry import LAYER_RAW_VAULT, LAYER_STAGING
from generator.manifest_model import SourceNode, StoredNode
from pipelines.audit.load_lineage import loading_edges, source_origins
from pipelines.audit.sql_lineage import (
    DIALECT,
    derived_relation,
    derived_select,
    output_columns,
    qualified_name,
    select_file,
    sql_edges,
    working_selects,
)
from pipelines.project import Project

OTHER = "other"  # the layer of a table or view outside the model
VIEW = "view"  # the kind of a raw-vault view (_hist, _current)
# the words shown for a layer and a kind, where they are not the registry's
LAYER_WORDS = {LAYER_STAGING: "sources (staging)", OTHER: "outside the model"}
KIND_WORDS = {"pit": "PIT", VIEW: "view"}


def layer_title(layer: str) -> str:
    """``raw_vault`` -> ``raw vault``; ``staging`` -> ``sources (staging)``."""
    return LAYER_WORDS.get(layer, layer.replace("_", " "))


def kind_title(kind: str) -> str:
    """A manifest kind (its id prefix) in words: ``msat`` -> ``multi-active satellite``; ``""`` for none."""
    if kind in KIND_WORDS:
        return KIND_WORDS[kind]
    facts = KIND_BY_PREFIX.get(kind)
    return facts.title if facts is not None else ""


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
    key: list[str] = field(default_factory=list)  # the columns that identify its rows (a COUNT(*) reads them)


@dataclass
class ColumnGraph:
    graph: nx.DiGraph
    relations: dict[str, Relation]
    notes: dict[str, list[str]] = field(default_factory=dict)  # column -> what sets it without an edge
    origins: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # source column -> its origins
    problems: list[str] = field(default_factory=list)  # SELECTs whose lineage sqlglot could not follow

    def relation_of(self, column: str) -> Relation | None:
        return self.relations.get(column.rsplit(".", 1)[0])

    def note(self, column: str, text: str) -> None:
        """What sets ``column`` without an edge (once per text)."""
        notes = self.notes.setdefault(column, [])
        if text not in notes:
            notes.append(text)

    def relation(self, qualified: str) -> Relation:
        """The table or view of that name; one outside the model when the model has none."""
        if qualified not in self.relations:
            self.relations[qualified] = Relation(qualified, OTHER, "", None, [])
        return self.relations[qualified]


_CACHE: dict[tuple[str, str], ColumnGraph] = {}


def column_graph(project: Project) -> ColumnGraph:
    """The column graph of a project, built once per process (keyed by folder and model fingerprint)."""
    key = (str(project.root.resolve()), project.manifest.model_fingerprint)
    if key not in _CACHE:
        _CACHE[key] = _build(project)
    return _CACHE[key]


def _build(project: Project) -> ColumnGraph:
    import sqlglot
    from sqlglot import exp

    manifest = project.manifest
    nodes = manifest.nodes
    relations: dict[str, Relation] = {}
    cg = ColumnGraph(nx.DiGraph(), relations)

    def entity_relation(
        qualified: str, entity: str | None, kind: str, layer: str, columns: list[str], key: list[str] | None = None
    ) -> None:
        node = nodes.get(entity or "")
        file, line = (node.file, node.line) if node is not None else ("", 0)
        relations[qualified] = Relation(qualified, layer, kind, entity, columns, file, line, list(key or []))

    stage_tables = {f"{n.schema_name}.{n.table}" for n in nodes.values() if isinstance(n, SourceNode)}
    for qualified, table in manifest.physical.tables.items():
        if qualified in stage_tables:
            continue  # the typed stage tables are the load's working tables; lineage names the landing tables
        owner = nodes.get(table.entity)
        layer = qualified.split(".", 1)[0]
        kind = owner.kind if owner is not None else ""
        entity_relation(qualified, table.entity, kind, layer, [c.name for c in table.columns], table.primary_key)
    # the tables a derived object's build fills besides its own (a PIT's storage, a working temporary table)
    working: dict[str, list[Any]] = {}
    for entity_id, any_node in nodes.items():
        if derived := derived_relation(any_node):
            qualified = f"{derived.schema_name}.{derived.table}"
            columns = [c.name for c in derived.columns]
            key = getattr(derived, "key", [])
            entity_relation(qualified, entity_id, derived.kind, derived.schema_name, columns, key)
            stores = set(getattr(derived, "stores", []))
            for work, names, select in working_selects(project, derived, qualified):
                if work not in relations or not relations[work].columns:
                    layer, kind = (derived.schema_name, derived.kind) if work in stores else (OTHER, "")
                    entity_relation(work, entity_id if work in stores else None, kind, layer, names)
                working.setdefault(work, []).append(select)

    # the runtime's own tables (dv_meta.batch …): in the schema, not relations (they are outside the model)
    outside: dict[str, Any] = {}
    meta = project.sql(manifest.meta_sql) if manifest.meta_sql else ""
    for text in re.findall(r"^CREATE TABLE .*?^\);", meta, flags=re.M | re.S):  # not its functions, DO blocks
        table_def = sqlglot.parse_one(text, read=DIALECT)
        if isinstance(table_def, exp.Create) and isinstance(table_def.this, exp.Schema):
            db, name = qualified_name(table_def.this).rpartition(".")[::2]
            columns = [c.name for c in table_def.this.expressions if isinstance(c, exp.ColumnDef)]
            outside.setdefault(db, {})[name] = {c: "unknown" for c in columns}

    def schema() -> Any:
        from sqlglot.schema import MappingSchema

        out: dict[str, Any] = {db: dict(tables) for db, tables in outside.items()}
        for rel in relations.values():  # the model's and the working tables (outside ones come later)
            if "." not in rel.qualified:
                out.setdefault("", {})[rel.qualified] = {c: "unknown" for c in rel.columns}
                continue
            db, name = rel.qualified.split(".", 1)
            out.setdefault(db, {})[name] = {c: "unknown" for c in rel.columns}
        return MappingSchema(out, dialect=DIALECT)  # normalized once, not by every lineage call

    # the raw-vault views: their output columns (a SELECT s.* expanded), then their lineage
    view_sql: dict[str, Any] = {}
    views = manifest.physical.views
    for file in sorted({v.sql for v in views.values()}):
        for statement in sqlglot.parse(project.sql(file), read=DIALECT):
            if isinstance(statement, exp.Create) and isinstance(statement.expression, exp.Query):
                qualified = qualified_name(statement.this)
                if qualified in views:
                    view_sql[qualified] = statement.expression
    pending = dict(view_sql)
    while pending:  # a view may read another view: resolve those whose inputs are known first
        progressed = False
        known, resolved = schema(), set[str]()
        for qualified, select in list(pending.items()):
            reads = {qualified_name(t) for t in select.find_all(exp.Table)} - {qualified}
            if reads & (set(pending) | resolved):
                continue
            columns = output_columns(select, known)
            owner = nodes.get(views[qualified].entity)
            stored = manifest.physical.tables.get(owner.qualified) if isinstance(owner, StoredNode) else None
            key = [c for c in stored.primary_key if c in columns] if stored is not None else []
            entity_relation(qualified, views[qualified].entity, VIEW, LAYER_RAW_VAULT, columns, key)
            del pending[qualified]
            resolved.add(qualified)
            progressed = True
        if not progressed:  # a cycle cannot happen in generated views; resolve what remains as is
            for qualified in pending:
                entity_relation(qualified, views[qualified].entity, VIEW, LAYER_RAW_VAULT, [])
            break

    sqlglot_schema = schema()
    for qualified, select in view_sql.items():
        sql_edges(cg, qualified, select, sqlglot_schema)
    for entity_id in manifest.load_order:
        derived = derived_relation(nodes[entity_id])
        if derived is None:
            continue
        qualified = f"{derived.schema_name}.{derived.table}"
        select = derived_select(project, derived, qualified)
        if select is None:
            cg.problems.append(f"{qualified}: no SELECT found in {select_file(derived)}")
            continue
        sql_edges(cg, qualified, select, sqlglot_schema)
    for work, selects in working.items():
        for select in selects:
            sql_edges(cg, work, select, sqlglot_schema)

    loading_edges(cg, manifest)
    source_origins(cg, manifest)
    cg.notes = {column: sorted(notes) for column, notes in sorted(cg.notes.items())}  # sqlglot's order follows
    # the hash seed: sorted, the same on every run
    cg.problems.sort()
    return cg
