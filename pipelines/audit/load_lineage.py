"""The *loading-rule* edges of the column graph (``lineage_graph.py``) and the origins of source columns.

Raw-vault columns come from source columns by the rules the manifest records, the same rules the generated
loads follow: a satellite, reference table or NHL payload column comes from its ``source_column``; a hub's
business key from the key columns of every feed; a hash key (hub, link, role, parent key) and a hashdiff from
the parts the source's stage step hashes; ``applied_dts`` from the source's ``applied_ts``; ``applied_seq``
from its ``sequence``; a status-tracking satellite's ``status`` from the presence of the key in the full
extract. Load metadata (``load_dts``, ``load_seq``, ``batch_id``, ``record_source``) is set by the load: a
note, not an edge.

*Source columns* are the columns of a source's landing table (``staging.<source>.<column>``); each has its
origin: the source database's column (through the source's ``query`` when it has one, by sqlglot) or the
file feed (format, path, event type).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.kinds import KIND_BY_PREFIX
from generator.kinds.registry import LAYER_RAW_VAULT
from pipelines.audit.sql_lineage import query_lineage

if TYPE_CHECKING:
    from pipelines.audit.lineage_graph import ColumnGraph

META_NOTES = {
    "load_dts": "set by the load: the batch's load timestamp (dv_meta.batch.load_dts)",
    "load_seq": "set by the load: the order of the row among those of its key loaded by one batch",
    "batch_id": "set by the load: the batch that loaded the row (dv_meta.batch)",
    "dv_row_no": "set by landing: the row's position in the landed extract",
}


def loading_edges(cg: ColumnGraph, nodes: dict[str, dict[str, Any]]) -> None:
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
        cg.note(target, text)

    for entity_id, node in nodes.items():
        kind = node["kind"]
        facts = KIND_BY_PREFIX[kind]
        if facts.layer != LAYER_RAW_VAULT:
            continue
        table = f"{node['schema']}.{node['table']}"
        rel = cg.relations.get(table)
        if rel is None:
            continue
        col = {c: f"{table}.{c}" for c in rel.columns}
        for c in col.values():
            cg.graph.add_node(c)
        sources: list[str] = []
        if facts.family == "hub":
            for feed in node["feeds"]:
                sources.append(feed["source"])
                for bk, column in zip(node["business_keys"], feed["columns"], strict=False):
                    edge(feed["source"], column, col[bk["name"]], "business key")
                    edge(feed["source"], column, col[node["hash_key"]], "hashed into the hash key")
        elif facts.is_link:
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
        else:  # satellites and reference tables: one source
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
        if facts.is_link and "applied_dts" in col:
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


def source_origins(cg: ColumnGraph, nodes: dict[str, dict[str, Any]]) -> None:
    """Where each source column comes from: the source database's column, or the file feed."""
    for node in nodes.values():
        if node["kind"] != "source":
            continue
        table = f"{node['schema']}.{node.get('landing_table') or node['name']}"
        names = [c["name"] for c in node["columns"]]
        from_query = query_lineage(node["query"]) if node.get("query") else {}
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
                reached = from_query.get(name, [])
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
            cg.note(f"{table}.dv_row_no", META_NOTES["dv_row_no"])
