"""``dv docs``: a static HTML documentation site of the warehouse.

The site is generated from what the compiler wrote (``vault_sql/manifest.json`` and the SQL files) and
from the data contracts (``checks/generated/**/*.contract.yml`` and ``checks/rules/**/*.contract.yml``);
it never reads ``model/`` nor a database::

    build_site(project, out) -> SiteResult

writes ``out/index.html`` (the layers: sources, raw vault, business vault, marts, every kind with its
count and description) and one page per manifest node, ``out/<node id>.html``: description, YAML file
and line, columns (type where known, description), business keys, the mapping from source columns, the
quality checks on its table, the SQL of derived objects and their refresh, the upstream and downstream
entities and an inline SVG lineage diagram of its neighbourhood (a layered layout: networkx topological
generations are the columns). Every page carries a search box over a JSON index of every entity and
column, embedded in the page (``file://`` forbids fetching it), filtered by a few lines of vanilla JS.

The output works offline from the file system: no external script, style sheet, font or image. It is
deterministic (the same manifest, SQL and contracts give byte-identical files) and every text taken from
the project is HTML-escaped (Jinja autoescape; the SVG is escaped by hand).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import networkx as nx
import yaml
from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup

from generator.contracts import CONTRACTS_DIR
from generator.errors import DVError
from pipelines.project import Project

RULES_DIR = "checks/rules"  # as pipelines.quality.RULES_DIR (not imported: that module needs Soda and psycopg2)
MARKER = ".dv-docs"  # a folder holding this file was written by dv docs: its pages may be replaced
UPSTREAM_LEVELS = 3  # levels of the lineage diagram before the entity
DOWNSTREAM_LEVELS = 2  # and after it
MAX_DIAGRAM_NODES = 40  # fewer levels are shown beyond this many entities
INDEX_DESCRIPTION_CHARS = 220  # descriptions are cut to this length on the index page and in the search index

# --- the layers and kinds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    key: str
    title: str
    description: str
    kinds: tuple[str, ...]


LAYERS = (
    Layer(
        "sources",
        "Sources",
        "Tables of the platform's database and file feeds, landed as they are and staged with their hash "
        "keys and hashdiffs computed.",
        ("source",),
    ),
    Layer(
        "raw_vault",
        "Raw vault",
        "The history of the sources, integrated by business key: hubs (business keys), links "
        "(relationships), satellites (descriptive history) and the other raw-vault kinds. Insert-only.",
        ("hub", "link", "nhl", "sat", "msat", "esat", "sts", "rts", "ref"),
    ),
    Layer(
        "business_vault",
        "Business vault",
        "Derived from the raw vault for the marts: point-in-time and bridge tables, computed satellites "
        "(business rules per key).",
        ("pit", "bridge", "cs"),
    ),
    Layer(
        "marts",
        "Marts",
        "What the admin panel, the analysts and the ML matching system read: dimensions, facts, KPIs and the "
        "matching feed.",
        ("dim", "fact", "kpi", "feed"),
    ),
)
OTHER_LAYER = Layer("other", "Other", "Entities of kinds this site does not place in a layer.", ())

KIND_TITLES = {
    "source": ("Sources", "source"),
    "hub": ("Hubs", "hub"),
    "link": ("Links", "link"),
    "nhl": ("Non-historized links", "non-historized link"),
    "sat": ("Satellites", "satellite"),
    "msat": ("Multi-active satellites", "multi-active satellite"),
    "esat": ("Effectivity satellites", "effectivity satellite"),
    "sts": ("Status-tracking satellites", "status-tracking satellite"),
    "rts": ("Record-tracking satellites", "record-tracking satellite"),
    "ref": ("Reference tables", "reference table"),
    "pit": ("PIT tables", "PIT table"),
    "bridge": ("Bridges", "bridge"),
    "cs": ("Computed satellites", "computed satellite"),
    "dim": ("Dimensions", "dimension"),
    "fact": ("Facts", "fact"),
    "kpi": ("KPIs", "KPI"),
    "feed": ("Feeds", "feed"),
}
SATELLITE_KINDS = ("sat", "msat", "esat", "sts", "rts")
DERIVED_KINDS = ("cs", "dim", "fact", "kpi", "feed")  # SQL-defined: their SELECT is in the YAML
# fill colours of the diagram, by layer
COLOURS = {
    "sources": "#e9ecef",
    "hub": "#cfe2ff",
    "link": "#d1f0d6",
    "nhl": "#d1f0d6",
    "satellite": "#fff3c4",
    "ref": "#f3e3d3",
    "business_vault": "#e5dbff",
    "marts": "#ffd8c2",
    "other": "#ffffff",
}


def kind_titles(kind: str) -> tuple[str, str]:
    """(plural title, singular) of a manifest kind."""
    return KIND_TITLES.get(kind, (kind, kind))


def layer_of(kind: str) -> Layer:
    return next((layer for layer in LAYERS if kind in layer.kinds), OTHER_LAYER)


def _kind_descriptions() -> dict[str, str]:
    """The one-line description of every kind, from the kind registry (by manifest id prefix)."""
    from generator.kinds import KINDS

    return {k.id_prefix: k.description for k in KINDS}


def _colour(kind: str) -> str:
    if kind in SATELLITE_KINDS:
        return COLOURS["satellite"]
    if kind in COLOURS:
        return COLOURS[kind]
    return COLOURS.get(layer_of(kind).key, COLOURS["other"])


def page_name(node_id: str) -> str:
    """The file of an entity's page (flat: every page links to every other by its bare name)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", node_id) + ".html"


def shorten(text: str, limit: int = INDEX_DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + " …"


# --- the data contracts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One check of a data contract."""

    contract: str  # the contract file, relative to the project folder
    dataset: str  # schema.table (or view) of the contract
    name: str
    check_type: str  # Soda's type: missing, invalid, duplicate, schema, failed_rows, metric, ...
    column: str | None
    level: str  # fail | warn
    sql: str  # the check's query or expression ("" for declarative checks)
    generated: bool  # checks/generated/ (true) or hand-written checks/rules/


def _dataset(text: Any) -> str:
    """``warehouse/${var.database}/raw_vault/hub_job`` -> ``raw_vault.hub_job``."""
    parts = str(text or "").split("/")
    return ".".join(parts[-2:]).lower() if len(parts) >= 2 else str(text or "").lower()


def _contract_checks(items: Any, column: str | None, **common: Any) -> Iterable[Check]:
    for item in items or []:
        body: dict[str, Any] = {}
        if isinstance(item, str):
            check_type = item
        elif isinstance(item, dict) and len(item) == 1:
            check_type, value = next(iter(item.items()))
            body = value if isinstance(value, dict) else {}
        else:
            continue
        threshold = body.get("threshold")
        level = "warn" if isinstance(threshold, dict) and threshold.get("level") == "warn" else "fail"
        sql = "\n".join(str(body[k]) for k in ("query", "expression") if body.get(k))
        name = str(body.get("name") or body.get("qualifier") or (f"{check_type} {column}" if column else check_type))
        yield Check(name=name, check_type=str(check_type), column=column, level=level, sql=sql, **common)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when built with it: 10 times faster


def load_checks(root: Path) -> list[Check]:
    """Every check of the generated and hand-written contracts, in file order."""
    checks: list[Check] = []
    for folder, generated in ((CONTRACTS_DIR, True), (RULES_DIR, False)):
        for path in sorted((root / folder).glob("**/*.contract.yml")):
            relative = path.relative_to(root).as_posix()
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # a safe loader
            except yaml.YAMLError as exc:
                raise DVError(
                    f"{relative} is not valid YAML: {exc}\n    hint: fix the contract (dv check would refuse it too)"
                ) from exc
            if not isinstance(data, dict):
                continue
            common = {"contract": relative, "dataset": _dataset(data.get("dataset")), "generated": generated}
            for col in data.get("columns") or []:
                if isinstance(col, dict):
                    checks.extend(_contract_checks(col.get("checks"), str(col.get("name")), **common))
            checks.extend(_contract_checks(data.get("checks"), None, **common))
    return checks


_QUALIFIED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\b")


def mentioned_entities(sql: str, owners: dict[str, str]) -> set[str]:
    """The entities whose tables or views a SQL text names (schema-qualified)."""
    found = set()
    for schema, table in _QUALIFIED.findall(sql):
        owner = owners.get(f"{schema}.{table}".lower())
        if owner is not None:
            found.add(owner)
    return found


@dataclass(frozen=True)
class EntityCheck:
    check: Check
    via: str  # "dataset" (the contract's dataset is the entity's table or one of its views) or "SQL"


def checks_by_entity(checks: Sequence[Check], owners: dict[str, str]) -> dict[str, list[EntityCheck]]:
    """The checks on each entity's table: generated contracts by their dataset; hand-written rules by
    their dataset or by the tables their SQL names."""
    found: dict[str, list[EntityCheck]] = defaultdict(list)
    for check in checks:
        owner = owners.get(check.dataset)
        if check.generated:
            if owner is not None:
                found[owner].append(EntityCheck(check, "dataset"))
            continue
        if owner is not None:
            found[owner].append(EntityCheck(check, "dataset"))
        for entity in sorted(mentioned_entities(check.sql, owners) - {owner}):
            found[entity].append(EntityCheck(check, "SQL"))
    return dict(found)


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


# --- the lineage diagram -----------------------------------------------------------------------------

NODE_H, V_GAP, COL_GAP, PAD, CHAR_W = 22, 8, 64, 8, 6.7
MAX_LABEL = 34


def _within(graph: nx.DiGraph, focus: str, up: int, down: int) -> dict[str, int]:
    """The entities up to ``up`` levels before and ``down`` levels after ``focus``, with their distance."""
    distance = dict(nx.single_source_shortest_path_length(graph.reverse(copy=False), focus, cutoff=up))
    for node, d in nx.single_source_shortest_path_length(graph, focus, cutoff=down).items():
        distance[node] = min(d, distance.get(node, d))
    return distance


def neighbourhood(graph: nx.DiGraph, focus: str) -> tuple[set[str], int, int, int]:
    """The entities of an entity's lineage diagram: up to ``UPSTREAM_LEVELS`` levels before it and
    ``DOWNSTREAM_LEVELS`` after it, fewer levels while that is more than ``MAX_DIAGRAM_NODES`` entities
    (a source read by several hubs reaches most of the warehouse in two levels); at one level each way,
    the nearest ``MAX_DIAGRAM_NODES``. Returns the entities, the levels shown up and down, and how many
    entities were left out at those levels."""
    levels = [(UPSTREAM_LEVELS, DOWNSTREAM_LEVELS)]
    up, down = levels[0]
    while up > 1 or down > 1:  # one level less on the side with more (downstream on a tie)
        if up > down or down <= 1:
            up -= 1
        else:
            down -= 1
        levels.append((up, down))
    for up, down in levels:
        distance = _within(graph, focus, up, down)
        if len(distance) <= MAX_DIAGRAM_NODES:
            return set(distance), up, down, 0
    ranked = sorted(distance, key=lambda n: (distance[n], n))
    return set(ranked[:MAX_DIAGRAM_NODES]), up, down, len(ranked) - MAX_DIAGRAM_NODES


def _kind_rank(node_id: str) -> int:
    order = [k for layer in LAYERS for k in layer.kinds]
    prefix = node_id.split(".", 1)[0]
    return order.index(prefix) if prefix in order else len(order)


def _sweep(graph: nx.DiGraph, columns: list[list[str]], neighbours: Any) -> list[list[str]]:
    """Each column ordered by the mean position of its neighbours in the column before it (in sweep
    order); ties keep their order."""
    position = {n: (i + 0.5) / len(columns[0]) for i, n in enumerate(columns[0])}
    swept = [columns[0]]
    for column in columns[1:]:
        current = {n: i for i, n in enumerate(column)}

        def key(n: str, current: dict[str, int] = current, position: dict[str, float] = position) -> tuple[float, int]:
            near = [position[m] for m in neighbours(n) if m in position]
            return (round(sum(near) / len(near), 9) if near else 0.5, current[n])

        ordered = sorted(column, key=key)
        position = {n: (i + 0.5) / len(ordered) for i, n in enumerate(ordered)}
        swept.append(ordered)
    return swept


def layered_layout(graph: nx.DiGraph) -> list[list[str]]:
    """Columns of a DAG: its topological generations, each first ordered by kind and id, then by the
    barycentre heuristic (the mean position of the neighbours in the next column), two sweeps each
    way, to cross fewer edges."""
    columns = [sorted(g, key=lambda n: (_kind_rank(n), n)) for g in nx.topological_generations(graph)]
    for _ in range(2):
        columns = _sweep(graph, columns, graph.predecessors)
        columns = _sweep(graph, columns[::-1], graph.successors)[::-1]
    return columns


def _label(node_id: str) -> str:
    return node_id if len(node_id) <= MAX_LABEL else node_id[: MAX_LABEL - 1] + "…"


@dataclass(frozen=True)
class Diagram:
    svg: str  # escaped
    nodes: int
    up: int  # levels shown
    down: int
    left_out: int


def lineage_svg(graph: nx.DiGraph, nodes: dict[str, dict[str, Any]], focus: str) -> Diagram:
    """The inline SVG of an entity's neighbourhood (every text escaped)."""
    keep, up, down, left_out = neighbourhood(graph, focus)
    sub = graph.subgraph(sorted(keep))
    columns = layered_layout(sub)
    widths = [int(max(len(_label(n)) for n in col) * CHAR_W) + 2 * PAD for col in columns]
    heights = [len(col) * NODE_H + (len(col) - 1) * V_GAP for col in columns]
    total_h = max(heights) + 2 * PAD
    total_w = sum(widths) + COL_GAP * (len(columns) - 1) + 2 * PAD
    box: dict[str, tuple[int, int, int]] = {}  # node -> x, y, width
    x = PAD
    for col, width, height in zip(columns, widths, heights, strict=True):
        y = PAD + (total_h - 2 * PAD - height) // 2
        for n in col:
            box[n] = (x, y, width)
            y += NODE_H + V_GAP
        x += width + COL_GAP
    out = [
        f'<svg class="lineage" width="{total_w}" height="{total_h}" viewBox="0 0 {total_w} {total_h}" '
        f'role="img" aria-label="{escape("lineage of " + focus)}">',
        '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#6c757d"/></marker>'
        '<marker id="arrow-focus" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#1c3d6e"/></marker></defs>',
    ]
    for a, b in sorted(sub.edges()):
        ax, ay, aw = box[a]
        bx, by, _ = box[b]
        x1, y1, x2, y2 = ax + aw, ay + NODE_H // 2, bx - 1, by + NODE_H // 2
        dx = max(20, (x2 - x1) // 2)
        near = focus in (a, b)
        out.append(
            f'<path class="edge{" near" if near else ""}" d="M{x1},{y1} C{x1 + dx},{y1} {x2 - dx},{y2} {x2},{y2}" '
            f'marker-end="url(#{"arrow-focus" if near else "arrow"})"/>'
        )
    for n in sorted(box):
        nx_, ny, w = box[n]
        node = nodes.get(n, {})
        title = f"{n} ({kind_titles(node.get('kind', ''))[1]})"
        cls = "node focus" if n == focus else "node"
        out.append(
            f'<a href="{escape(page_name(n))}" class="{cls}"><title>{escape(title)}</title>'
            f'<rect x="{nx_}" y="{ny}" width="{w}" height="{NODE_H}" rx="4" fill="{_colour(node.get("kind", ""))}"/>'
            f'<text x="{nx_ + PAD}" y="{ny + NODE_H // 2 + 4}">{escape(_label(n))}</text></a>'
        )
    out.append("</svg>")
    return Diagram("".join(out), len(box), up, down, left_out)


# --- the pages -----------------------------------------------------------------------------------------


@dataclass
class Ref:
    """A piece of a value on a page: text, a link to an entity page, or code."""

    text: str
    href: str | None = None
    code: bool = False


@dataclass
class Column:
    name: str
    type: str
    description: str
    role: str = ""


@dataclass
class Page:
    id: str
    node: dict[str, Any]
    kind_title: str
    kind_singular: str
    layer: Layer
    facts: list[tuple[str, list[Ref]]] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    extra_tables: list[tuple[str, list[Column]]] = field(default_factory=list)
    business_keys: list[dict[str, Any]] = field(default_factory=list)
    mapping: list[MapRow] = field(default_factory=list)
    used_downstream: list[tuple[str, list[tuple[str, list[str]]]]] = field(default_factory=list)
    checks: list[tuple[str, bool, list[EntityCheck]]] = field(default_factory=list)
    sql: list[tuple[str, str, str, bool]] = field(default_factory=list)  # statement, file, text, open
    upstream: list[str] = field(default_factory=list)
    downstream: list[str] = field(default_factory=list)
    diagram: Diagram | None = None

    @property
    def table(self) -> str:
        """``schema.table`` of the entity, or ""."""
        if self.node.get("schema") and self.node.get("table"):
            return f"{self.node['schema']}.{self.node['table']}"
        return ""


def _entity_ref(node_id: str, nodes: dict[str, Any]) -> Ref:
    return Ref(node_id, page_name(node_id) if node_id in nodes else None, code=True)


def _by_name(names: Iterable[str], candidates: Iterable[str], nodes: dict[str, Any]) -> list[Ref]:
    """Entity references by bare name, resolved among ``candidates`` (an entity's dependencies)."""
    refs = []
    candidates = sorted(candidates)
    for name in names:
        match = next((c for c in candidates if nodes.get(c, {}).get("name") == name), None)
        refs.append(_entity_ref(match, nodes) if match else Ref(name, code=True))
    return refs


def _codes(values: Iterable[Any]) -> list[Ref]:
    return [Ref(v if isinstance(v, str) else json.dumps(v, sort_keys=True), code=True) for v in values]


def _tables(names: Iterable[str], nodes: dict[str, Any], owners: dict[str, str]) -> list[Ref]:
    """Qualified tables and views, each linked to the page of the entity that owns it."""
    refs = []
    for name in names:
        owner = owners.get(name.lower())
        refs.append(Ref(name, page_name(owner) if owner in nodes else None, code=True))
    return refs


def _facts(node: dict[str, Any], nodes: dict[str, Any], owners: dict[str, str]) -> list[tuple[str, list[Ref]]]:
    """The settings of an entity, as labelled values (entities linked to their pages)."""
    facts: list[tuple[str, list[Ref]]] = []

    def add(label: str, refs: list[Ref]) -> None:
        if refs:
            facts.append((label, refs))

    deps = node.get("depends_on") or []
    if node.get("schema") and node.get("table"):
        add("table", [Ref(f"{node['schema']}.{node['table']}", code=True)])
    add("defined in", [Ref(f"{node.get('file')}:{node.get('line')}", code=True)])
    add("YAML kind", [Ref(str(node.get("yaml_kind") or node.get("kind")), code=True)])
    kind = node["kind"]
    if kind == "source":
        if node.get("landing_table"):
            add("landing table", [Ref(f"staging.{node['landing_table']}", code=True)])
        if node.get("source_table"):
            add("reads the database table", [Ref(node["source_table"], code=True)])
        feed = node.get("feed")
        if feed:
            text = f"{feed.get('format')} files {feed.get('path')}"
            if feed.get("event_type"):
                text += f" (event type {feed['event_type']})"
            add("reads the file feed", [Ref(text, code=True)])
        if node.get("query"):
            add("reads the query", [Ref("see below")])
        for key, label in (
            ("record_source", "record source"),
            ("extract", "extract"),
            ("watermark", "watermark"),
            ("applied_ts", "applied timestamp"),
            ("sequence", "sequence"),
            ("freshness_hours", "freshness (hours)"),
        ):
            if node.get(key) not in (None, "", []):
                add(label, [Ref(str(node[key]), code=True)])
        add("business key", _codes(node.get("business_keys") or []))
        add("partitioned by", _codes(node.get("partition_by") or []))
    if node.get("hash_key"):
        add("hash key", [Ref(node["hash_key"], code=True)])
    if node.get("parent"):
        add("parent", [_entity_ref(node["parent"], nodes)])
    if node.get("parent_key"):
        add("parent key", [Ref(node["parent_key"], code=True)])
    if isinstance(node.get("source"), str):
        add("source", [_entity_ref(f"source.{node['source']}", nodes)])
    if node.get("hub"):
        add("hub", [_entity_ref(f"hub.{node['hub']}", nodes)])
    if node.get("satellites"):
        add("satellites", _by_name(node["satellites"], deps, nodes))
    for ref in node.get("refs") or []:
        add(f"role {ref['role']}", [_entity_ref(f"hub.{ref['hub']}", nodes), Ref(ref["column"], code=True)])
    add("dependent keys", _codes(node.get("dependent_keys") or []))
    add("event keys", _codes(k["name"] for k in node.get("event_keys") or []))
    add("sub-keys", _codes(k["name"] for k in node.get("sub_keys") or []))
    add("code", _codes(k["name"] for k in node.get("code") or []))
    add("driving keys", _codes(node.get("driving_keys") or []))
    if node.get("status_column"):
        add("status", [Ref(node["status_column"], code=True), *_codes(node.get("statuses") or [])])
    for key, label in (("satellite_kind", "satellite kind"), ("late_data", "late data")):
        if node.get(key):
            add(label, [Ref(str(node[key]), code=True)])
    if "case_sensitive" in node and kind in SATELLITE_KINDS:
        add("hashdiff case-sensitive", [Ref(str(node["case_sensitive"]).lower(), code=True)])
    add("version order", _codes(node.get("version_order") or []))
    if node.get("conflicts"):
        conflicts = node["conflicts"]
        add("conflicts", [Ref(str(conflicts.get("table")), code=True), Ref(str(conflicts.get("reason")))])
    if node.get("refresh"):
        add("refresh", [Ref(node["refresh"], code=True)])
    add("key", _codes(node.get("key") or []))
    incremental = node.get("incremental")
    if incremental:
        add("incremental key", [Ref(str(incremental.get("key")), code=True)])
        add("changes read from", _tables(incremental.get("changes") or [], nodes, owners))
    add("reads", _tables(node.get("reads") or [], nodes, owners))
    return facts


def _columns(
    node_id: str, node: dict[str, Any], manifest: dict[str, Any]
) -> tuple[list[Column], list[tuple[str, list[Column]]]]:
    """The entity's columns, and further tables of columns (a source's stage table)."""
    tables = dict(sorted((manifest.get("physical") or {}).get("tables", {}).items()))
    own = [(name, t) for name, t in tables.items() if t["entity"] == node_id]
    extra: list[tuple[str, list[Column]]] = []
    if node["kind"] == "source":
        landing = tables.get(f"staging.{node.get('landing_table')}", {"columns": []})
        comments = {c["name"]: c.get("comment") or "" for c in landing["columns"]}
        columns = [Column(c["name"], c.get("type") or "", comments.get(c["name"], "")) for c in node["columns"]]
        stage = f"{node.get('schema')}.{node.get('table')}"
        if stage in tables:
            extra.append(
                (
                    f"Stage table {stage}",
                    [
                        Column(c["name"], c["type"], c.get("comment") or "", c.get("role") or "")
                        for c in tables[stage]["columns"]
                    ],
                )
            )
        return columns, extra
    if own:
        _, table = own[0]
        return [
            Column(c["name"], c["type"], c.get("comment") or "", c.get("role") or "") for c in table["columns"]
        ], extra
    key = set(node.get("key") or [])
    return [
        Column(c["name"], c.get("type") or "", c.get("description") or "", "key" if c["name"] in key else "")
        for c in node.get("columns") or []
    ], extra


def _sql(project: Project, node: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """The statements shown on the page: the SQL of derived objects (build open, the rest folded)."""
    if node["kind"] not in (*DERIVED_KINDS, "pit", "bridge"):
        return []
    shown = []
    for statement, relative in sorted((node.get("sql") or {}).items(), key=lambda kv: (kv[0] != "build", kv[0])):
        try:
            text = project.sql(relative)
        except OSError as exc:
            raise DVError(
                f"vault_sql/{relative} (the {statement} SQL of {node['kind']}.{node['name']}) cannot be read: {exc}\n"
                "    hint: run 'dv generate'"
            ) from exc
        shown.append((statement, relative, text, statement == "build"))
    return shown


def _search_index(pages: Sequence[Page]) -> str:
    """The JSON index of every entity and its columns, safe inside a <script> element."""
    entries = [
        [
            p.id,
            p.kind_singular,
            p.table,
            shorten(p.node.get("description") or "", 160),
            page_name(p.id),
            [c.name for c in p.columns],
        ]
        for p in pages
    ]
    text = json.dumps({"entities": entries}, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- templates -------------------------------------------------------------------------------------------

CSS = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#212529;background:#fff}
header{display:flex;gap:1rem;align-items:center;padding:.5rem 1rem;background:#1c3d6e;color:#fff;
 position:sticky;top:0;z-index:2}
header a{color:#fff;text-decoration:none;font-weight:600}
.search{position:relative;flex:1;max-width:34rem}
.search input{width:100%;padding:.35rem .6rem;border:0;border-radius:4px;font:inherit}
#dv-results{position:absolute;left:0;right:0;top:2.1rem;background:#fff;color:#212529;list-style:none;margin:0;
 padding:0;max-height:70vh;overflow:auto;box-shadow:0 4px 14px rgba(0,0,0,.25);border-radius:4px}
#dv-results li a{display:block;padding:.3rem .6rem;color:#212529;font-weight:400;border-bottom:1px solid #eee}
#dv-results li a:hover,#dv-results li a.sel{background:#e7f0ff}
#dv-results small{color:#6c757d}
main,.wrap{max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem}
a{color:#1c5bb8}
h1{margin:.4rem 0 .2rem;font-size:1.6rem}
h2{margin:1.8rem 0 .5rem;font-size:1.2rem;border-bottom:1px solid #dee2e6;padding-bottom:.2rem}
h3{margin:1.2rem 0 .4rem;font-size:1.05rem}
.crumbs,.muted,footer{color:#6c757d;font-size:.9rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
pre{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;padding:.6rem .8rem;overflow:auto;max-height:36rem}
table{border-collapse:collapse;width:100%;margin:.3rem 0}
th,td{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid #e9ecef}
th{background:#f8f9fa;font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.6rem 0}
dl.facts dt{color:#6c757d}dl.facts dd{margin:0}
.badge{display:inline-block;padding:0 .4rem;border-radius:3px;background:#e9ecef;font-size:.8rem}
.badge.warn{background:#fff3c4}.badge.fail{background:#ffd8d2}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.diagram{overflow:auto;border:1px solid #e9ecef;border-radius:4px;padding:.3rem;background:#fcfcfd}
svg.lineage text{font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#212529}
svg.lineage rect{stroke:#adb5bd}
svg.lineage .focus rect{stroke:#1c3d6e;stroke-width:2.5}
svg.lineage .edge{fill:none;stroke:#adb5bd;stroke-width:1.2}
svg.lineage .edge.near{stroke:#1c3d6e;stroke-width:1.6}
svg.lineage a:hover rect{stroke:#1c5bb8;stroke-width:2}
footer{border-top:1px solid #dee2e6;margin-top:2rem}
""".strip()

JS = """
(function () {
  var data = JSON.parse(document.getElementById("dv-index").textContent).entities;
  var box = document.getElementById("dv-q"), list = document.getElementById("dv-results");
  function has(text, t) { return text.indexOf(t) >= 0; }
  function matches(q) {
    var terms = q.toLowerCase().split(/\\s+/).filter(Boolean), hits = [];
    if (!terms.length) return hits;
    data.forEach(function (e) {
      var hay = (e[0] + " " + e[2] + " " + e[1]).toLowerCase(), desc = e[3].toLowerCase();
      if (terms.every(function (t) { return has(hay, t) || has(desc, t); })) {
        var inName = terms.every(function (t) { return has(hay, t); });
        hits.push({rank: inName ? 0 : 2, label: e[0], note: e[1] + (e[2] ? " \\u00b7 " + e[2] : ""), href: e[4]});
      }
      e[5].forEach(function (c) {
        var lc = c.toLowerCase();
        if (terms.every(function (t) { return has(lc, t) || has(hay, t); }) &&
            terms.some(function (t) { return has(lc, t); })) {
          hits.push({rank: lc === terms.join(" ") ? 1 : 3, label: c, note: "column of " + e[0],
                     href: e[4] + "#col-" + encodeURIComponent(c)});
        }
      });
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
    });
    return hits.slice(0, 50);
  }
  function show() {
    list.textContent = "";
    matches(box.value).forEach(function (h, i) {
      var li = document.createElement("li"), a = document.createElement("a"), s = document.createElement("small");
      a.href = h.href; a.textContent = h.label + " "; s.textContent = h.note;
      if (i === 0) a.className = "sel";
      a.appendChild(s); li.appendChild(a); list.appendChild(li);
    });
  }
  box.addEventListener("input", show);
  box.addEventListener("keydown", function (ev) {
    var first = list.querySelector("a");
    if (ev.key === "Enter" && first) { window.location.href = first.getAttribute("href"); }
    if (ev.key === "Escape") { box.value = ""; show(); }
  });
})();
""".strip()

BASE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · {{ project_name }} warehouse</title>
<style>{{ css }}</style>
</head>
<body>
<header>
<a href="index.html">{{ project_name }} warehouse</a>
<div class="search">
<input id="dv-q" type="search" placeholder="Search entities and columns…" autocomplete="off" aria-label="search">
<ul id="dv-results"></ul>
</div>
</header>
<main>
{% block content %}{% endblock %}
</main>
<footer><div class="wrap">Generated by <code>dv docs</code> from <code>vault_sql/manifest.json</code>
(model {{ fingerprint }}, generator {{ generator_version }}) and the data contracts in <code>checks/</code>.
</div></footer>
<script type="application/json" id="dv-index">{{ index_json }}</script>
<script>{{ js }}</script>
</body>
</html>
"""

MACROS = """
{%- macro refs(items) -%}
{%- for r in items -%}
{%- if r.href %}<a href="{{ r.href }}">{% endif -%}
{%- if r.code %}<code>{{ r.text }}</code>{% else %}{{ r.text }}{% endif -%}
{%- if r.href %}</a>{% endif -%}
{%- if not loop.last %}, {% endif -%}
{%- endfor -%}
{%- endmacro -%}
{%- macro entity(id) -%}<a href="{{ id | page }}"><code>{{ id }}</code></a>{%- endmacro -%}
{%- macro codes(names) -%}
{%- for c in names %}<code>{{ c }}</code>{% if not loop.last %}, {% endif %}{% endfor -%}
{%- endmacro -%}
{%- macro column_table(columns, anchors) -%}
<table><thead><tr><th>column</th><th>type</th><th>description</th></tr></thead><tbody>
{%- for c in columns %}
<tr{% if anchors %} id="col-{{ c.name }}"{% endif %}>
<td><code>{{ c.name }}</code>{% if c.role %} <span class="badge">{{ c.role }}</span>{% endif %}</td>
<td><code>{{ c.type }}</code></td><td>{{ c.description }}</td></tr>
{%- endfor %}
</tbody></table>
{%- endmacro -%}
"""

INDEX = """{% extends "base" %}{% import "macros" as m %}
{% block content %}
<h1>{{ project_name }} warehouse</h1>
<p>{{ total }} entities in {{ layers | length }} layers, {{ column_total }} documented columns,
{{ check_total }} quality checks ({{ rule_total }} hand-written). Each entity has a page: its columns, where they
come from, the checks on its table, its SQL and its lineage.</p>
<p class="muted">Layers:
{% for layer, kinds in layers -%}
<a href="#{{ layer.key }}">{{ layer.title }}</a> ({{ kinds | sum(attribute="count") }})
{%- if not loop.last %} · {% endif %}
{% endfor -%}
</p>
{% for layer, kinds in layers %}
<h2 id="{{ layer.key }}">{{ layer.title }} <span class="muted">{{ kinds | sum(attribute="count") }}</span></h2>
<p>{{ layer.description }}</p>
{% for k in kinds %}
{% if kinds | length > 1 or k.title != layer.title -%}
<h3 id="kind-{{ k.kind }}">{{ k.title }} <span class="muted">{{ k.count }}</span></h3>
{%- else %}<span id="kind-{{ k.kind }}"></span>{% endif %}
{% if k.description %}<p class="muted">{{ k.description | capitalize_first }}.</p>{% endif %}
<table><thead><tr><th>name</th><th>table</th><th>columns</th><th>description</th></tr></thead><tbody>
{%- for p in k.pages %}
<tr><td><a href="{{ p.id | page }}">{{ p.node.name }}</a></td><td><code>{{ p.table }}</code></td>
<td>{{ p.columns | length }}</td><td>{{ p.node.description | shorten }}</td></tr>
{%- endfor %}
</tbody></table>
{% endfor %}
{% endfor %}
{% endblock %}
"""

ENTITY = """{% extends "base" %}{% import "macros" as m %}
{% block content %}
{%- set n = p.node %}
<div class="crumbs"><a href="index.html">index</a> › <a href="index.html#{{ p.layer.key }}">{{ p.layer.title }}</a>
› <a href="index.html#kind-{{ n.kind }}">{{ p.kind_title }}</a></div>
<h1>{{ n.name }}</h1>
<div class="muted">{{ p.kind_singular }} <code>{{ p.id }}</code></div>
<p>{{ n.description }}</p>
<dl class="facts">
{%- for label, items in p.facts %}
<dt>{{ label }}</dt><dd>{{ m.refs(items) }}</dd>
{%- endfor %}
</dl>

<h2 id="lineage">Lineage</h2>
{%- set d = p.diagram %}
<p class="muted">{{ d.nodes }} entities: up to {{ d.up }} level{{ "s" if d.up != 1 }} upstream and {{ d.down }}
downstream; an arrow goes from an entity to one that reads it.
{%- if d.left_out %} {{ d.left_out }} more distant entities are left out.{% endif %}</p>
<div class="diagram">{{ d.svg | safe }}</div>
<div class="cols">
<div><h3>Upstream <span class="muted">{{ p.upstream | length }}</span></h3>
{% if p.upstream %}<ul>{% for u in p.upstream %}<li>{{ m.entity(u) }}</li>{% endfor %}</ul>
{%- else %}<p class="muted">none: a source of the warehouse</p>{% endif %}</div>
<div><h3>Downstream <span class="muted">{{ p.downstream | length }}</span></h3>
{% if p.downstream %}<ul>{% for d in p.downstream %}<li>{{ m.entity(d) }}</li>{% endfor %}</ul>
{%- else %}<p class="muted">none</p>{% endif %}</div>
</div>

{% if p.business_keys %}
<h2 id="business-keys">Business keys</h2>
<table><thead><tr><th>business key</th><th>type</th><th>case-sensitive</th></tr></thead><tbody>
{%- for k in p.business_keys %}
<tr><td><code>{{ k.name }}</code></td><td><code>{{ k.type }}</code></td>
<td>{{ "yes" if k.case_sensitive else "no" }}</td></tr>
{%- endfor %}
</tbody></table>
{% if feeding %}<p>Fed by
{% for s in feeding %}{{ m.entity(s) }}{% if not loop.last %}, {% endif %}{% endfor %}.</p>{% endif %}
{% endif %}

<h2 id="columns">Columns <span class="muted">{{ p.columns | length }}</span></h2>
{% if p.columns %}{{ m.column_table(p.columns, true) }}{% else %}<p class="muted">no column documented</p>{% endif %}
{% for title, columns in p.extra_tables %}
<details><summary>{{ title }} ({{ columns | length }} columns)</summary>{{ m.column_table(columns, false) }}</details>
{% endfor %}

{% if p.mapping %}
<h2 id="mapping">Mapping from the sources</h2>
<table><thead><tr><th>column</th><th>source</th><th>source columns</th><th>how</th></tr></thead><tbody>
{%- for r in p.mapping %}
<tr><td><code>{{ r.column }}</code></td><td>{{ m.entity(r.source) }}</td>
<td>{% if r.source_columns %}{{ m.codes(r.source_columns) }}{% else %}<span class="muted">—</span>{% endif %}</td>
<td>{{ r.how }}</td></tr>
{%- endfor %}
</tbody></table>
{% endif %}
{% if n.kind == "source" %}
<h2 id="origin">Where the rows come from</h2>
<p>
{%- if n.query %}A query on the source database (below)
{%- elif n.source_table %}The database table <code>{{ n.source_table }}</code>
{%- elif n.feed %}The file feed <code>{{ n.feed.path }}</code> (format <code>{{ n.feed.format }}</code>)
{%- else %}Files landed by hand with <code>dv land</code>{% endif %}
{%- if n.watermark %} (extracted incrementally by watermark <code>{{ n.watermark }}</code>){% endif %},
landed into <code>staging.{{ n.landing_table }}</code> and staged into <code>{{ p.table }}</code>
with the record source <code>{{ n.record_source }}</code>.</p>
{% if n.query %}<pre><code>{{ n.query }}</code></pre>{% endif %}
{% if p.used_downstream %}
<h3>Columns loaded into the vault</h3>
<table><thead><tr><th>source column</th><th>loaded into</th></tr></thead><tbody>
{%- for col, targets in p.used_downstream %}
<tr><td><code>{{ col }}</code></td>
<td>{% for e, cols in targets %}{{ m.entity(e) }} ({{ m.codes(cols) }}){% if not loop.last %}; {% endif %}
{%- endfor %}</td>
</tr>
{%- endfor %}
</tbody></table>
{% endif %}
{% endif %}

<h2 id="checks">Quality checks <span class="muted">{{ check_count }}</span></h2>
{% for contract, generated, items in p.checks %}
<h3><code>{{ contract }}</code> <span class="muted">{{ "generated" if generated else "hand-written" }}</span></h3>
<table><thead><tr><th>check</th><th>type</th><th>column</th><th>level</th>
{%- if not generated %}<th>on this table by</th>{% endif %}</tr></thead><tbody>
{%- for ec in items %}
{%- set c = ec.check %}
<tr><td>{{ c.name }}</td><td><code>{{ c.check_type }}</code></td>
<td>{% if c.column %}<code>{{ c.column }}</code>{% endif %}</td>
<td><span class="badge {{ c.level }}">{{ c.level }}</span></td>
{%- if not generated %}
<td>{% if ec.via == "dataset" %}its dataset <code>{{ c.dataset }}</code>{% else %}its SQL{% endif %}</td>
{%- endif %}</tr>
{%- endfor %}
</tbody></table>
{% else %}<p class="muted">no data contract checks this table</p>
{% endfor %}

{% if p.sql %}
<h2 id="sql">SQL <span class="muted">refresh: {{ n.refresh }}</span></h2>
{% for statement, file, text, open in p.sql %}
<details{% if open %} open{% endif %}><summary>{{ statement }}: <code>vault_sql/{{ file }}</code></summary>
<pre><code>{{ text }}</code></pre></details>
{% endfor %}
{% elif n.sql %}
<h2 id="sql">SQL files</h2>
<ul>
{%- for statement, file in n.sql | dictsort %}<li>{{ statement }}: <code>vault_sql/{{ file }}</code></li>{% endfor -%}
</ul>
{% endif %}
{% if views %}
<h2 id="views">Views</h2>
<ul>{% for v in views %}<li><code>{{ v }}</code></li>{% endfor %}</ul>
{% endif %}
{% endblock %}
"""


def _environment() -> Environment:
    env = Environment(
        loader=DictLoader({"base": BASE, "macros": MACROS, "index": INDEX, "entity": ENTITY}),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["page"] = page_name
    env.filters["shorten"] = shorten
    env.filters["capitalize_first"] = lambda s: s[:1].upper() + s[1:]
    return env


# --- the site ---------------------------------------------------------------------------------------------


@dataclass
class SiteResult:
    out: Path
    pages: int  # entity pages (plus the index)
    entities: int
    columns: int
    checks: int
    files: list[Path]


def _prepare_out(out: Path) -> None:
    """Refuse to write into a folder dv docs did not write (it would mix or remove someone's files)."""
    if out.exists() and not out.is_dir():
        raise DVError(f"{out} is a file, not a folder\n    hint: choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise DVError(
            f"{out} holds files dv docs did not write\n    hint: choose an empty or new folder with --out, or remove it"
        )
    out.mkdir(parents=True, exist_ok=True)


def build_pages(project: Project) -> tuple[list[Page], dict[str, Any]]:
    """Every entity page's content, in kind and name order, and the site-wide context."""
    manifest = project.manifest
    nodes = project.nodes
    graph = build_graph(nodes)
    owners = table_owners(manifest)
    checks = load_checks(project.root)
    by_entity = checks_by_entity(checks, owners)
    views_of: dict[str, list[str]] = defaultdict(list)
    for name, spec in sorted(((manifest.get("physical") or {}).get("views") or {}).items()):
        views_of[spec["entity"]].append(name)

    mappings = {node_id: source_mapping(node_id, node, nodes) for node_id, node in sorted(nodes.items())}
    # source -> source column -> entity -> the entity's columns loaded from it
    used: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for node_id, rows in mappings.items():
        for row in rows:
            for col in row.source_columns:
                if row.column != "hashdiff" and row.column not in used[row.source][col][node_id]:
                    used[row.source][col][node_id].append(row.column)

    pages = []
    for node_id in sorted(nodes, key=lambda i: (_kind_rank(i), i)):
        node = nodes[node_id]
        title, singular = kind_titles(node["kind"])
        columns, extra = _columns(node_id, node, manifest)
        grouped: dict[tuple[str, bool], list[EntityCheck]] = defaultdict(list)
        for ec in by_entity.get(node_id, []):
            grouped[(ec.check.contract, ec.check.generated)].append(ec)
        source_cols = [c["name"] for c in node.get("columns") or []] if node["kind"] == "source" else []
        usage = used.get(node_id, {})
        pages.append(
            Page(
                id=node_id,
                node=node,
                kind_title=title,
                kind_singular=singular,
                layer=layer_of(node["kind"]),
                facts=_facts(node, nodes, owners),
                columns=columns,
                extra_tables=extra,
                business_keys=list(node.get("business_keys") or []) if node["kind"] == "hub" else [],
                mapping=mappings[node_id],
                used_downstream=[
                    (c, [(e, sorted(usage[c][e])) for e in sorted(usage[c], key=lambda i: (_kind_rank(i), i))])
                    for c in source_cols
                    if c in usage
                ],
                checks=[
                    (c, g, items) for (c, g), items in sorted(grouped.items(), key=lambda kv: (not kv[0][1], kv[0][0]))
                ],
                sql=_sql(project, node),
                upstream=sorted(graph.predecessors(node_id), key=lambda i: (_kind_rank(i), i)),
                downstream=sorted(graph.successors(node_id), key=lambda i: (_kind_rank(i), i)),
                diagram=lineage_svg(graph, nodes, node_id),
            )
        )
    site = {
        "project_name": str(manifest.get("project") or "warehouse"),
        "fingerprint": str(manifest.get("model_fingerprint") or "")[:12],
        "generator_version": str(manifest.get("generator_version") or ""),
        "checks": checks,
        "views_of": views_of,
    }
    return pages, site


def build_site(project: Project, out: Path) -> SiteResult:
    """Write the documentation site of ``project`` into ``out`` (created; a folder dv docs wrote before
    is refreshed: its pages are rewritten and those of entities that are gone removed)."""
    _prepare_out(out)
    # build every page in memory first: an error leaves the folder as it was
    pages, site = build_pages(project)
    env = _environment()
    descriptions = _kind_descriptions()
    common = {
        "css": Markup(CSS),
        "js": Markup(JS),
        "index_json": Markup(_search_index(pages)),
        "project_name": site["project_name"],
        "fingerprint": site["fingerprint"],
        "generator_version": site["generator_version"],
    }
    files: dict[str, str] = {}
    layers = []
    for layer in (*LAYERS, OTHER_LAYER):
        kinds_in = list(layer.kinds) if layer.kinds else sorted({p.node["kind"] for p in pages if p.layer is layer})
        kinds = []
        for kind in kinds_in:
            of_kind = [p for p in pages if p.node["kind"] == kind]
            if of_kind:
                kinds.append(
                    {
                        "kind": kind,
                        "title": kind_titles(kind)[0],
                        "description": descriptions.get(kind, ""),
                        "count": len(of_kind),
                        "pages": sorted(of_kind, key=lambda p: p.node["name"]),
                    }
                )
        if kinds:
            layers.append((layer, kinds))
    checks: list[Check] = site["checks"]
    files["index.html"] = env.get_template("index").render(
        title="index",
        layers=layers,
        total=len(pages),
        column_total=sum(len(p.columns) for p in pages),
        check_total=len(checks),
        rule_total=sum(1 for c in checks if not c.generated),
        **common,
    )
    entity = env.get_template("entity")
    for p in pages:
        feeding = sorted({f"source.{f['source']}" for f in p.node.get("feeds") or []}) if p.business_keys else []
        files[page_name(p.id)] = entity.render(
            title=p.node["name"],
            p=p,
            feeding=feeding,
            check_count=sum(len(items) for _, _, items in p.checks),
            views=site["views_of"].get(p.id, []),
            **common,
        )
    written = []
    for name, text in sorted(files.items()):
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    (out / MARKER).write_text("written by dv docs: its .html files are replaced on every run\n", encoding="utf-8")
    for stale in sorted(out.glob("*.html")):
        if stale.name not in files:
            stale.unlink()
    return SiteResult(
        out=out,
        pages=len(files),
        entities=len(pages),
        columns=sum(len(p.columns) for p in pages),
        checks=len(checks),
        files=written,
    )
