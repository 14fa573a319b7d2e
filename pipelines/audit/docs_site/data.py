"""What the site reads from the project, besides the contracts (``checks.py``) and the pages (``pages.py``): the
layers and kinds as the kind registry describes them, the tables each entity owns, the dependency graph, and
where each entity's columns come from."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from generator.kinds import KIND_BY_PREFIX, KINDS, KindDef
from generator.kinds.registry import LAYERS as REGISTRY_LAYERS
from generator.manifest_model import BridgeNode, Manifest, Node, PitNode, RawVaultNode, SourceNode, StoredNode

INDEX_DESCRIPTION_CHARS = 220  # descriptions are cut to this length on the index page and in the search index

# --- the layers and kinds, from the kind registry ---------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    key: str  # the registry's layer (generator.kinds.registry.LAYERS), or "other"
    anchor: str  # its section on the index page
    title: str
    description: str
    kinds: tuple[str, ...]  # manifest kinds (id prefixes) of the layer, in the site's order


# the site's words for each layer of the registry: (anchor, title, description)
LAYER_TEXTS = {
    "staging": (
        "sources",
        "Sources",
        "Tables of the platform's database and file feeds, landed as they are and staged with their hash "
        "keys and hashdiffs computed.",
    ),
    "raw_vault": (
        "raw_vault",
        "Raw vault",
        "The history of the sources, integrated by business key: hubs (business keys), links "
        "(relationships), satellites (descriptive history) and the other raw-vault kinds. Insert-only.",
    ),
    "business_vault": (
        "business_vault",
        "Business vault",
        "Derived from the raw vault for the marts: point-in-time and bridge tables, computed satellites "
        "(business rules per key).",
    ),
    "marts": (
        "marts",
        "Marts",
        "What the admin panel, the analysts and the ML matching system read: dimensions, facts, KPIs and the "
        "matching feed.",
    ),
}
# The order the site lists the kinds of a layer in (index sections, pages, each diagram column): the plain
# kind of a family before its variants. Only an order: which kinds exist, in which layer, is the registry's;
# a kind not named here follows those of its layer that are, in the registry's order.
SITE_ORDER = (
    *("source", "hub", "link", "nhl", "sat", "msat", "esat", "sts", "rts", "ref"),
    *("pit", "bridge", "cs", "dim", "fact", "kpi", "feed"),
)
# fill colours of the diagram: the raw vault's by family, the derived layers' by layer
FAMILY_COLOURS = {
    "source": "#e9ecef",
    "hub": "#cfe2ff",
    "link": "#d1f0d6",
    "satellite": "#fff3c4",
    "reference": "#f3e3d3",
}
LAYER_COLOURS = {"business_vault": "#e5dbff", "marts": "#ffd8c2"}
OTHER_COLOUR = "#ffffff"


def _site_rank(kind: KindDef) -> tuple[int, int]:
    named = kind.id_prefix in SITE_ORDER
    return (0 if named else 1, SITE_ORDER.index(kind.id_prefix) if named else KINDS.index(kind))


def _layer(key: str) -> Layer:
    anchor, title, description = LAYER_TEXTS.get(key, (key, key.replace("_", " ").capitalize(), ""))
    kinds = sorted((k for k in KINDS if k.layer == key), key=_site_rank)
    return Layer(key, anchor, title, description, tuple(k.id_prefix for k in kinds))


LAYERS = tuple(_layer(key) for key in REGISTRY_LAYERS)
OTHER_LAYER = Layer("other", "other", "Other", "Entities of kinds this site does not place in a layer.", ())
_KIND_ORDER = [kind for layer in LAYERS for kind in layer.kinds]


def kind_def(kind: str) -> KindDef | None:
    """The registry record of a manifest kind (its id prefix), None for a kind the registry does not know."""
    return KIND_BY_PREFIX.get(kind)


def kind_titles(kind: str) -> tuple[str, str]:
    """(plural title, singular) of a manifest kind."""
    record = kind_def(kind)
    return (record.plural, record.title) if record else (kind, kind)


def kind_description(kind: str) -> str:
    record = kind_def(kind)
    return record.description if record else ""


def layer_of(kind: str) -> Layer:
    return next((layer for layer in LAYERS if kind in layer.kinds), OTHER_LAYER)


def kind_rank(node_id: str) -> int:
    """The place of an entity's kind in the site's order (by the id prefix; unknown kinds last)."""
    prefix = node_id.split(".", 1)[0]
    return _KIND_ORDER.index(prefix) if prefix in _KIND_ORDER else len(_KIND_ORDER)


def colour(kind: str) -> str:
    """The fill colour of an entity of this kind in the lineage diagram."""
    record = kind_def(kind)
    if record is None:
        return OTHER_COLOUR
    return FAMILY_COLOURS.get(record.family) or LAYER_COLOURS.get(record.layer) or OTHER_COLOUR


def is_derived(kind: str) -> bool:
    """Built by ``dv marts`` (business vault and marts): its page shows its SQL."""
    record = kind_def(kind)
    return record is not None and record.is_derived


def page_name(node_id: str) -> str:
    """The file of an entity's page (flat: every page links to every other by its bare name)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", node_id) + ".html"


def shorten(text: str, limit: int = INDEX_DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + " …"


# --- the manifest: tables, graph, mappings -------------------------------------------------------------


def table_owners(manifest: Manifest) -> dict[str, str]:
    """``schema.table`` (and view) -> the id of the entity that owns it."""
    owners: dict[str, str] = {}
    for name, spec in sorted(manifest.physical.tables.items()):
        owners[name.lower()] = spec.entity
    for name, view in sorted(manifest.physical.views.items()):
        owners[name.lower()] = view.entity
    for node_id, node in sorted(manifest.nodes.items()):
        if isinstance(node, StoredNode):
            owners.setdefault(node.qualified.lower(), node_id)
    return owners


def build_graph(nodes: Mapping[str, Node]) -> nx.DiGraph:
    """An edge from each entity to each entity that depends on it (manifest ``depends_on``)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(nodes))
    for node_id in sorted(nodes):
        for dep in sorted(nodes[node_id].depends_on):
            if dep in nodes:
                graph.add_edge(dep, node_id)
    return graph


@dataclass(frozen=True)
class MapRow:
    """A column of an entity and the source columns it is loaded from (an entry of the manifest's lineage)."""

    column: str
    source: str  # the source's node id
    source_columns: tuple[str, ...]
    how: str  # the transformation, in words
    stage_column: str | None = None  # the stage column that carries a computed value to the load


def source_mapping(node: Node) -> list[MapRow]:
    """Where an entity's columns come from, as the manifest's column lineage says (hub business keys and hash
    keys, link roles, satellite attributes and hashdiffs … from the columns of the sources that feed them).
    A source's own lineage (landing table to stage table) is its stage table's business, not shown here."""
    if isinstance(node, SourceNode) or not isinstance(node, RawVaultNode | PitNode | BridgeNode):
        return []
    rows = [
        MapRow(entry.target_column, entry.source, tuple(entry.source_columns), entry.transformation, entry.stage_column)
        for entry in node.lineage
        if entry.source and entry.target_table == node.qualified
    ]
    return list(dict.fromkeys(rows))
