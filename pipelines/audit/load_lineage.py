"""The *loading-rule* edges of the column graph (``lineage_graph.py``) and the origins of source columns.

Raw-vault columns come from source columns as the manifest's column lineage says (each raw-vault node's
``lineage``, written by the generator from what it renders the loads from): a payload column from its source
column, a business key from the key columns of every feed, a hash key or hashdiff from the parts the source's
stage step hashes, ``applied_dts`` from the source's ``applied_ts`` … Each edge's ``how`` is the
transformation in the generator's words (``copied``, ``md5 hash key, of (job_id)``). Load metadata
(``load_dts``, ``load_seq``, ``batch_id``, ``record_source``) is set by the load: a note, not an edge.

*Source columns* are the columns of a source's landing table (``staging.<source>.<column>``); each has its
origin: the source database's column (through the source's ``query`` when it has one, by sqlglot) or the
file feed (format, path, event type).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.manifest_model import (
    EsatNode,
    HubNode,
    LinkNode,
    Manifest,
    NhlNode,
    Node,
    RawVaultNode,
    SourceNode,
    StsNode,
)
from pipelines.audit.sql_lineage import query_lineage

if TYPE_CHECKING:
    from pipelines.audit.lineage_graph import ColumnGraph

META_NOTES = {
    "load_dts": "set by the load: the batch's load timestamp (dv_meta.batch.load_dts)",
    "load_seq": "set by the load: the order of the row among those of its key loaded by one batch",
    "batch_id": "set by the load: the batch that loaded the row (dv_meta.batch)",
    "dv_row_no": "set by landing: the row's position in the landed extract",
}


def loading_edges(cg: ColumnGraph, manifest: Manifest) -> None:
    """Raw-vault columns from source columns, by the manifest's column lineage; notes for what the load sets."""
    nodes = manifest.nodes
    for node in nodes.values():
        if not isinstance(node, RawVaultNode):
            continue
        table = f"{node.schema_name}.{node.table}"
        rel = cg.relations.get(table)
        if rel is None:
            continue
        col = {c: f"{table}.{c}" for c in rel.columns}
        for c in col.values():
            cg.graph.add_node(c)
        for entry in node.lineage:
            target = cg.relations.get(entry.target_table)
            source = nodes.get(entry.source)
            if target is None or entry.target_column not in target.columns or not isinstance(source, SourceNode):
                continue  # a value the load sets: a note below
            landing = f"{source.schema_name}.{source.landing_table or source.name}"
            landed = {c.name for c in source.columns}
            for column in entry.source_columns:
                if column in landed:
                    cg.graph.add_edge(
                        f"{landing}.{column}", f"{entry.target_table}.{entry.target_column}", how=entry.transformation
                    )
        sources = [_source(nodes, name) for name in _feeds(node)]
        if isinstance(node, EsatNode) and "is_active" in col:
            cg.note(col["is_active"], "set by the load: the relationship starts (true) or ends (false) here")
        if isinstance(node, StsNode) and node.status_column in col:
            cg.note(col[node.status_column], "set by the load: 'present' or 'deleted' (deletion detection)")
        if "applied_dts" in col and not isinstance(node, HubNode | LinkNode | NhlNode) and not sources[0].applied_ts:
            cg.note(col["applied_dts"], "set by the load: the batch's load_dts (the source has no applied_ts)")
        for name, text in META_NOTES.items():
            if name in col:
                cg.note(col[name], text)
        if "record_source" in col:
            record_sources = sorted({s.record_source for s in sources})
            cg.note(
                col["record_source"], "set by the load: the record source of the source, " + ", ".join(record_sources)
            )


def _feeds(node: RawVaultNode) -> list[str]:
    """The names of the sources a raw-vault node is loaded from."""
    if isinstance(node, HubNode | LinkNode | NhlNode):
        return [feed.source for feed in node.feeds]
    return [node.source]


def _source(nodes: dict[str, Node], name: str) -> SourceNode:
    node = nodes[f"source.{name}"]
    assert isinstance(node, SourceNode)
    return node


def source_origins(cg: ColumnGraph, manifest: Manifest) -> None:
    """Where each source column comes from: the source database's column, or the file feed."""
    for node in manifest.nodes.values():
        if not isinstance(node, SourceNode):
            continue
        table = f"{node.schema_name}.{node.landing_table or node.name}"
        from_query = query_lineage(node.query) if node.query else {}
        for column_def in node.columns:
            name = column_def.name
            column = f"{table}.{name}"
            cg.graph.add_node(column)
            origins: list[dict[str, Any]] = []
            if node.feed:
                feed = node.feed
                origins.append(
                    {"kind": "file", "format": feed.format, "path": feed.path, "event_type": feed.event_type}
                )
            elif node.query:
                reached = from_query.get(name, [])
                if reached:
                    origins.extend({"kind": "database", "column": c, "via": "the source's query"} for c in reached)
                else:
                    origins.append(
                        {
                            "kind": "database",
                            "column": None,
                            "via": f"the source's query ({node.source_table or 'no table'})",
                        }
                    )
            elif node.source_table:
                origins.append({"kind": "database", "column": f"{node.source_table}.{name}", "via": "extract"})
            else:
                origins.append({"kind": "manual", "column": None, "via": "landed by hand (dv land)"})
            cg.origins[column] = origins
        if table in cg.relations and "dv_row_no" in cg.relations[table].columns:
            cg.note(f"{table}.dv_row_no", META_NOTES["dv_row_no"])
