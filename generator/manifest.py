"""The manifest: every entity with a stable id, its files, and the dependency graph.

The generator, the Luigi pipelines and the quality checks all read this one
structure, written to ``vault_sql/manifest.json``.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from generator import __version__
from generator.constants import HASH_SPEC_VERSION, SCHEMA_RAW_VAULT, SCHEMA_STAGING
from generator.errors import ModelError, Problem
from generator.model import Model
from generator.physical import Physical

MANIFEST_VERSION = 1
KIND_RANK = {"source": 0, "hub": 1, "link": 2, "sat": 3}


def build_graph(model: Model) -> nx.DiGraph:
    """Entities as nodes (``kind.name``), an edge from each entity to what depends on it."""
    graph: nx.DiGraph = nx.DiGraph()
    for src in model.sources.values():
        graph.add_node(src.id)
    for hub in model.hubs.values():
        graph.add_node(hub.id)
        for feed in hub.feeds:
            graph.add_edge(f"source.{feed.source}", hub.id)
    for link in model.links.values():
        graph.add_node(link.id)
        for ref in link.refs:
            graph.add_edge(f"hub.{ref.hub}", link.id)
        for lfeed in link.feeds:
            graph.add_edge(f"source.{lfeed.source}", link.id)
    for sat in model.satellites.values():
        graph.add_edge(f"{sat.parent_kind}.{sat.parent}", sat.id)
        graph.add_edge(f"source.{sat.source}", sat.id)
    cycles = list(nx.simple_cycles(graph))
    if cycles:
        files = model.entity_files()
        raise ModelError(
            [
                Problem(
                    files.get(c[0], ""),
                    0,
                    c[0],
                    "dependency cycle: " + " -> ".join([*c, c[0]]),
                    "an entity cannot depend on itself through others; remove one of the references",
                )
                for c in cycles
            ]
        )
    return graph


def load_order(graph: nx.DiGraph) -> list[str]:
    """Deterministic topological order: sources, hubs, links, satellites, each by name."""
    return list(nx.lexicographical_topological_sort(graph, key=lambda n: (KIND_RANK.get(n.split(".")[0], 9), n)))


def _files(kind: str, name: str) -> dict[str, str]:
    folder = {"source": "staging", "hub": "hubs", "link": "links", "sat": "satellites"}[kind]
    statements = {"source": ("create", "stage"), "sat": ("create", "load", "views")}.get(kind, ("create", "load"))
    return {s: f"{folder}/{name}.{s}.sql" for s in statements}


def build_manifest(model: Model, physical: Physical) -> dict[str, Any]:
    graph = build_graph(model)
    nodes: dict[str, dict[str, Any]] = {}

    def node(entity: Any, kind: str, schema: str, table: str, extra: dict[str, Any]) -> None:
        nodes[entity.id] = {
            "kind": kind,
            "name": entity.name,
            "file": entity.origin.file,
            "line": entity.origin.line,
            "description": entity.description,
            "schema": schema,
            "table": table,
            "depends_on": sorted(graph.predecessors(entity.id)),
            "sql": _files(kind, entity.name),
            **extra,
        }

    for s in model.sources.values():
        node(
            s,
            "source",
            SCHEMA_STAGING,
            s.stage_table,
            {
                "record_source": s.record_source,
                "landing_table": s.landing_table,
                "extract": s.extract,
                "columns": [{"name": c.name, "type": c.type.sql} for c in s.columns],
                "business_keys": s.business_keys,
                "applied_ts": s.applied_ts,
                "sequence": s.sequence,
            },
        )
    for h in model.hubs.values():
        node(
            h,
            "hub",
            SCHEMA_RAW_VAULT,
            h.table,
            {
                "hash_key": h.hash_key,
                "business_keys": [
                    {"name": k.name, "type": k.type.sql, "case_sensitive": k.case_sensitive} for k in h.business_keys
                ],
                "feeds": [
                    {"source": f.source, "stage_column": f.stage_column, "columns": [p.source_column for p in f.parts]}
                    for f in h.feeds
                ],
            },
        )
    for lk in model.links.values():
        node(
            lk,
            "link",
            SCHEMA_RAW_VAULT,
            lk.table,
            {
                "hash_key": lk.hash_key,
                "refs": [{"role": r.role, "hub": r.hub, "column": r.column} for r in lk.refs],
                "dependent_keys": [k.name for k in lk.dependent_keys],
                "feeds": [{"source": f.source, "role_columns": f.role_columns} for f in lk.feeds],
            },
        )
    for sat in model.satellites.values():
        node(
            sat,
            "sat",
            SCHEMA_RAW_VAULT,
            sat.table,
            {
                "satellite_kind": "standard",
                "parent": f"{sat.parent_kind}.{sat.parent}",
                "parent_key": sat.parent_key,
                "source": sat.source,
                "columns": [
                    {"name": c.name, "source_column": c.source_column, "type": c.type.sql} for c in sat.columns
                ],
                "late_data": sat.late_data,
                "version_order": sat.order_columns(stored=True),
            },
        )
    return {
        "manifest_version": MANIFEST_VERSION,
        "generator_version": __version__,
        "project": model.project.name,
        "model_fingerprint": model.fingerprint(),
        "hash": {"algorithm": model.algorithm, "spec_version": HASH_SPEC_VERSION},
        "meta_sql": "meta/create.sql",
        "load_order": load_order(graph),
        "nodes": dict(sorted(nodes.items())),
        "physical": physical.to_json(),
    }
