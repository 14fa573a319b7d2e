"""What the site reads from the project, besides the contracts (``checks.py``) and the pages (``pages.py``): the
layers and kinds as the kind registry describes them, the tables each entity owns, the dependency graph, and
where each entity's columns come from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import networkx as nx

from generator.kinds import KIND_BY_PREFIX, KINDS, KindDef
from generator.kinds.registry import LAYERS as REGISTRY_LAYERS

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


def is_satellite(kind: str) -> bool:
    record = kind_def(kind)
    return record is not None and record.is_satellite


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


def table_owners(manifest: dict[str, Any]) -> dict[str, str]:
    """``schema.table`` (and view) -> the id of the entity that owns it."""
    owners: dict[str, str] = {}
    physical = manifest.get("physical") or {}
    for section in ("tables", "views"):
        for name, spec in sorted((physical.get(section) or {}).items()):
            owners[name.lower()] = spec["entity"]
    for node_id, node in sorted(manifest["nodes"].items()):
        if node.get("schema") and node.get("table"):
            owners.setdefault(f"{node['schema']}.{node['table']}".lower(), node_id)
    return owners


def build_graph(nodes: dict[str, dict[str, Any]]) -> nx.DiGraph:
    """An edge from each entity to each entity that depends on it (manifest ``depends_on``)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(nodes))
    for node_id in sorted(nodes):
        for dep in sorted(nodes[node_id].get("depends_on") or []):
            if dep in nodes:
                graph.add_edge(dep, node_id)
    return graph


@dataclass(frozen=True)
class MapRow:
    """A column of an entity and the source columns it is loaded from."""

    column: str
    source: str  # the source's node id
    source_columns: tuple[str, ...]
    how: str


def _hash_parts(source: dict[str, Any] | None, stage_column: str, owner: str | None = None) -> tuple[str, ...]:
    """The source columns a stage hash column is computed from."""
    for hc in (source or {}).get("hash_columns") or []:
        if hc["column"] == stage_column and (owner is None or hc.get("owner") == owner):
            return tuple(p["column"] for p in hc.get("parts") or [])
    return ()


def _owned_hashes(source: dict[str, Any] | None, owner: str, kind: str) -> list[dict[str, Any]]:
    return [hc for hc in (source or {}).get("hash_columns") or [] if hc.get("owner") == owner and hc["kind"] == kind]


def source_mapping(node_id: str, node: dict[str, Any], nodes: dict[str, dict[str, Any]]) -> list[MapRow]:
    """Where an entity's columns come from: hub business keys and hash keys, link roles, satellite
    attributes and hashdiffs, each from the columns of the source that feeds it."""
    rows: list[MapRow] = []
    kind = node["kind"]
    if kind == "hub":
        keys = [k["name"] for k in node.get("business_keys") or []]
        for feed in node.get("feeds") or []:
            src = f"source.{feed['source']}"
            for key, col in zip(keys, feed.get("columns") or [], strict=False):
                rows.append(MapRow(key, src, (col,), "business key"))
            rows.append(
                MapRow(
                    node.get("hash_key", ""),
                    src,
                    tuple(feed.get("columns") or []),
                    f"hash key of the business key (stage column {feed.get('stage_column')})",
                )
            )
    elif node.get("refs") is not None and node.get("feeds") is not None:  # links, non-historized links
        refs = node.get("refs") or []
        for feed in node.get("feeds") or []:
            src = f"source.{feed['source']}"
            source = nodes.get(src)
            for ref, stage_column in zip(refs, feed.get("role_columns") or [], strict=False):
                rows.append(
                    MapRow(
                        ref["column"],
                        src,
                        _hash_parts(source, stage_column),
                        f"hash key of hub {ref['hub']} as {ref['role']} (stage column {stage_column})",
                    )
                )
            for hc in _owned_hashes(source, node_id, "key"):
                parts = tuple(p["column"] for p in hc.get("parts") or [])
                rows.append(MapRow(node.get("hash_key", ""), src, parts, f"hash key (stage column {hc['column']})"))
            for key, col in zip(node.get("event_keys") or [], feed.get("event_key_columns") or [], strict=False):
                rows.append(MapRow(key["name"], src, (col,), "event key"))
            for column, col in zip(node.get("columns") or [], feed.get("columns") or [], strict=False):
                rows.append(MapRow(column["name"], src, (col,), "attribute"))
    elif isinstance(node.get("source"), str):  # satellites of every kind, reference tables
        src = f"source.{node['source']}"
        source = nodes.get(src)
        source_columns = {c["name"] for c in (source or {}).get("columns") or []}
        parent_key = node.get("parent_key")
        if parent_key:
            parts = _hash_parts(source, parent_key, node.get("parent")) or _hash_parts(source, parent_key)
            rows.append(MapRow(parent_key, src, parts, f"hash key of {node.get('parent')}"))
        for ref in node.get("refs") or []:  # effectivity satellites: the driving keys
            if ref["column"] != parent_key:
                parts = _hash_parts(source, ref["column"])
                rows.append(MapRow(ref["column"], src, parts, f"driving key: hash key of hub {ref['hub']}"))
        for key in [*(node.get("code") or []), *(node.get("sub_keys") or [])]:
            if key["name"] in source_columns:
                how = "code" if key in (node.get("code") or []) else "sub-key"
                rows.append(MapRow(key["name"], src, (key["name"],), how))
        for column in node.get("columns") or []:
            if column.get("source_column"):
                rows.append(MapRow(column["name"], src, (column["source_column"],), "attribute"))
        for hc in _owned_hashes(source, node_id, "hashdiff"):
            parts = tuple(p["column"] for p in hc.get("parts") or [])
            rows.append(MapRow("hashdiff", src, parts, f"hashdiff (stage column {hc['column']})"))
        if node.get("status_column"):
            statuses = ", ".join(node.get("statuses") or [])
            rows.append(MapRow(node["status_column"], src, (), f"{statuses}: whether the key is in the full extract"))
    unique: dict[MapRow, None] = dict.fromkeys(rows)
    return list(unique)
