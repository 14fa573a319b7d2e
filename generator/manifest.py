"""The manifest: every entity with a stable id, its files, and the dependency graph.

The generator, the pipelines, ``dv plan`` and the quality checks all read this
one structure, written to ``vault_sql/manifest.json``.
"""

from __future__ import annotations

import networkx as nx

from generator import __version__
from generator.constants import HASH_SPEC_VERSION
from generator.errors import ModelError, Problem
from generator.grants import access_section
from generator.kinds import KINDS
from generator.manifest_model import MANIFEST_VERSION, HashSpec, Manifest, Node, parse_node
from generator.manifest_model_lineage import column_lineage
from generator.manifest_model_physical import PhysicalSchema
from generator.model import Model
from generator.physical import Physical

__all__ = ["MANIFEST_VERSION", "build_graph", "build_manifest", "load_order"]


def build_graph(model: Model) -> nx.DiGraph:
    """Entities as nodes (``<id_prefix>.<name>``), an edge from each entity to what depends on it."""
    graph: nx.DiGraph = nx.DiGraph()
    for kind_def in KINDS:
        for entity in model.of_kind(kind_def):
            graph.add_node(entity.id, tier=kind_def.tier)
            for upstream in kind_def.depends_on(entity):
                graph.add_edge(upstream, entity.id)
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
    """Deterministic topological order: by tier (sources, hubs, links, satellites), then by id."""
    return list(nx.lexicographical_topological_sort(graph, key=lambda n: (graph.nodes[n].get("tier", 9), n)))


def build_manifest(model: Model, physical: Physical, statements: dict[str, dict[str, str]]) -> Manifest:
    """The manifest of the model: each kind's ``manifest`` function gives the fields of its nodes, checked here
    against their model (``generator/manifest_model.py``); then the roles and grants of what it lists."""
    graph = build_graph(model)
    nodes: dict[str, Node] = {}
    for kind_def in KINDS:
        for entity in model.of_kind(kind_def):
            nodes[entity.id] = parse_node(
                {
                    "kind": kind_def.id_prefix,
                    "yaml_kind": kind_def.kind,
                    "name": entity.name,
                    "file": entity.origin.file,
                    "line": entity.origin.line,
                    "description": entity.description,
                    "depends_on": sorted(graph.predecessors(entity.id)),
                    "sql": statements.get(entity.id, {}),
                    **kind_def.manifest(entity),
                }
            )
    phys = PhysicalSchema.model_validate(physical.to_json())
    # each node's column lineage, from the sources' stage hash recipes and its own feeds and columns
    nodes = {
        i: n.model_copy(update={"lineage": column_lineage(n, nodes, phys, model.algorithm)}) if n.lineage_kind else n
        for i, n in sorted(nodes.items())
    }
    return Manifest(
        manifest_version=MANIFEST_VERSION,
        generator_version=__version__,
        project=model.project.name,
        model_fingerprint=model.fingerprint(),
        hash=HashSpec.model_validate({"algorithm": model.algorithm, "spec_version": HASH_SPEC_VERSION}),
        meta_sql="meta/create.sql",
        load_order=load_order(graph),
        nodes=nodes,
        physical=phys,
        access=access_section(nodes, phys, model.project.roles),
    )
