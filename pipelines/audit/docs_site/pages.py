"""What each entity page shows: its settings as labelled facts, its columns, the mapping from the sources,
the checks on its table, its SQL, its neighbours and its lineage diagram, read from the manifest, the SQL
files and the contracts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator.constants import COL_HASHDIFF
from generator.errors import DVError
from generator.manifest_model import (
    BridgeNode,
    BusinessKey,
    BusinessViewNode,
    DerivedNode,
    EsatNode,
    HubNode,
    LinkNode,
    Manifest,
    MsatNode,
    NhlNode,
    Node,
    PitNode,
    RefNode,
    RtsNode,
    SatelliteNode,
    SatNode,
    SourceNode,
    SqlNode,
    StoredNode,
    StsNode,
)
from generator.manifest_model_physical import PhysicalTable
from pipelines.audit.docs_site.checks import Check, EntityCheck, checks_by_entity, load_checks
from pipelines.audit.docs_site.coltypes import derived_column_types
from pipelines.audit.docs_site.data import (
    Layer,
    MapRow,
    build_graph,
    is_derived,
    kind_rank,
    kind_titles,
    layer_of,
    page_name,
    source_mapping,
    table_owners,
)
from pipelines.audit.docs_site.diagram import Diagram, lineage_svg
from pipelines.project import Project


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
    node: Node
    kind_title: str
    kind_singular: str
    layer: Layer
    facts: list[tuple[str, list[Ref]]] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    extra_tables: list[tuple[str, list[Column]]] = field(default_factory=list)
    business_keys: list[BusinessKey] = field(default_factory=list)
    mapping: list[MapRow] = field(default_factory=list)
    used_downstream: list[tuple[str, list[tuple[str, list[str]]]]] = field(default_factory=list)
    checks: list[tuple[str, bool, list[EntityCheck]]] = field(default_factory=list)
    sql: list[tuple[str, str, str, bool]] = field(default_factory=list)  # statement, file, text, open
    upstream: list[str] = field(default_factory=list)
    downstream: list[str] = field(default_factory=list)
    diagram: Diagram | None = None

    @property
    def table(self) -> str:
        """``schema.table`` of the entity, or "" (a function has none)."""
        return self.node.qualified if isinstance(self.node, StoredNode) else ""


def _entity_ref(node_id: str, nodes: Mapping[str, Node]) -> Ref:
    return Ref(node_id, page_name(node_id) if node_id in nodes else None, code=True)


def _by_name(names: Iterable[str], candidates: Iterable[str], nodes: Mapping[str, Node]) -> list[Ref]:
    """Entity references by bare name, resolved among ``candidates`` (an entity's dependencies)."""
    refs = []
    candidates = sorted(candidates)
    for name in names:
        match = next((c for c in candidates if c in nodes and nodes[c].name == name), None)
        refs.append(_entity_ref(match, nodes) if match else Ref(name, code=True))
    return refs


def _codes(values: Iterable[str]) -> list[Ref]:
    return [Ref(v, code=True) for v in values]


def _tables(names: Iterable[str], nodes: Mapping[str, Node], owners: dict[str, str]) -> list[Ref]:
    """Qualified tables and views, each linked to the page of the entity that owns it."""
    refs = []
    for name in names:
        owner = owners.get(name.lower())
        refs.append(Ref(name, page_name(owner) if owner is not None and owner in nodes else None, code=True))
    return refs


def _source_facts(node: SourceNode) -> list[tuple[str, list[Ref]]]:
    """Where a source's rows come from and how they are extracted."""
    facts = [("landing table", [Ref(f"staging.{node.landing_table}", code=True)])] if node.landing_table else []
    if node.source_table:
        facts.append(("reads the database table", [Ref(node.source_table, code=True)]))
    if node.feed:
        text = f"{node.feed.format} files {node.feed.path}"
        if node.feed.event_type:
            text += f" (event type {node.feed.event_type})"
        facts.append(("reads the file feed", [Ref(text, code=True)]))
    if node.query:
        facts.append(("reads the query", [Ref("see below")]))
    settings: tuple[tuple[str, str | float | None], ...] = (
        ("record source", node.record_source),
        ("extract", node.extract),
        ("watermark", node.watermark),
        ("applied timestamp", node.applied_ts),
        ("sequence", node.sequence),
        ("freshness (hours)", node.freshness_hours),
    )
    facts += [(label, [Ref(str(value), code=True)]) for label, value in settings if value not in (None, "")]
    facts += [
        (label, _codes(values))
        for label, values in (("business key", node.business_keys), ("partitioned by", node.partition_by))
        if values
    ]
    return facts


def _facts(node: Node, nodes: Mapping[str, Node], owners: dict[str, str]) -> list[tuple[str, list[Ref]]]:
    """The settings of an entity, as labelled values (entities linked to their pages), in the order the page
    shows them."""
    facts: list[tuple[str, list[Ref]]] = []

    def add(label: str, refs: list[Ref]) -> None:
        if refs:
            facts.append((label, refs))

    if isinstance(node, StoredNode):
        add("table", [Ref(node.qualified, code=True)])
    add("defined in", [Ref(f"{node.file}:{node.line}", code=True)])
    add("YAML kind", [Ref(node.yaml_kind or node.kind, code=True)])
    if isinstance(node, SourceNode):
        facts += _source_facts(node)
    if isinstance(node, HubNode | LinkNode | NhlNode):
        add("hash key", [Ref(node.hash_key, code=True)])
    if isinstance(node, SatelliteNode):
        add("parent", [_entity_ref(node.parent, nodes)])
        add("parent key", [Ref(node.parent_key, code=True)])
    if isinstance(node, SatelliteNode | RefNode):
        add("source", [_entity_ref(f"source.{node.source}", nodes)])
    if isinstance(node, PitNode | BridgeNode):
        add("hub", [_entity_ref(f"hub.{node.hub}", nodes)])
    if isinstance(node, PitNode):
        add("satellites", _by_name(node.satellites, node.depends_on, nodes))
    if isinstance(node, LinkNode | NhlNode | EsatNode):
        for ref in node.refs:
            add(f"role {ref.role}", [_entity_ref(f"hub.{ref.hub}", nodes), Ref(ref.column, code=True)])
    if isinstance(node, LinkNode):
        add("dependent keys", _codes(node.dependent_keys))
    if isinstance(node, NhlNode):
        add("event keys", _codes(k.name for k in node.event_keys))
    if isinstance(node, MsatNode):
        add("sub-keys", _codes(k.name for k in node.sub_keys))
    if isinstance(node, RefNode):
        add("code", _codes(k.name for k in node.code))
    if isinstance(node, EsatNode):
        add("driving keys", _codes(node.driving_keys))
    if isinstance(node, StsNode):
        add("status", [Ref(node.status_column, code=True), *_codes(node.statuses)])
    if isinstance(node, SatNode | MsatNode | RtsNode | StsNode):
        add("satellite kind", [Ref(node.satellite_kind, code=True)])
    if isinstance(node, SatNode):
        add("late data", [Ref(node.late_data, code=True)])
    if isinstance(node, SatNode | MsatNode):
        add("hashdiff case-sensitive", [Ref(str(node.case_sensitive).lower(), code=True)])
    if isinstance(node, SatNode | MsatNode | EsatNode | RefNode):
        add("version order", _codes(node.version_order))
    if isinstance(node, NhlNode):
        add("conflicts", [Ref(node.conflicts.table, code=True), Ref(node.conflicts.reason)])
    if isinstance(node, DerivedNode):
        add("refresh", [Ref(node.refresh, code=True)])
        add("key", _codes(node.key))
    if isinstance(node, SqlNode) and node.incremental:
        add("incremental key", [Ref(node.incremental.key, code=True)])
        add("changes read from", _tables(node.incremental.changes, nodes, owners))
    if isinstance(node, DerivedNode | BusinessViewNode):
        add("reads", _tables(node.reads, nodes, owners))
    return facts


def _physical(table: PhysicalTable) -> list[Column]:
    return [Column(c.name, c.type, c.comment, c.role) for c in table.columns]


def _columns(
    node_id: str, node: Node, manifest: Manifest, types: Mapping[str, str]
) -> tuple[list[Column], list[tuple[str, list[Column]]]]:
    """The entity's columns, and further tables of columns (a source's stage table); a derived object's column
    types are those inferred from its SQL (``types``, "" where they cannot be)."""
    tables = dict(sorted(manifest.physical.tables.items()))
    own = [t for t in tables.values() if t.entity == node_id]
    extra: list[tuple[str, list[Column]]] = []
    if isinstance(node, SourceNode):
        landing = tables.get(f"staging.{node.landing_table}")
        comments = {c.name: c.comment for c in landing.columns} if landing else {}
        columns = [Column(c.name, c.type, comments.get(c.name, "")) for c in node.columns]
        if node.qualified in tables:
            extra.append((f"Stage table {node.qualified}", _physical(tables[node.qualified])))
        return columns, extra
    if own:
        return _physical(own[0]), extra
    # a view (a PIT, a SQL-defined object refreshed as a view, a business view): the columns its YAML describes
    key = set(node.key) if isinstance(node, DerivedNode) else set()
    described = node.columns if isinstance(node, DerivedNode | BusinessViewNode) else []
    return [
        Column(c.name, types.get(c.name, ""), c.description, "key" if c.name in key else "") for c in described
    ], extra


def _sql(project: Project, node: Node) -> list[tuple[str, str, str, bool]]:
    """The statements shown on the page: the SQL of derived objects (build open, the rest folded)."""
    if not is_derived(node.kind):
        return []
    shown = []
    for statement, relative in sorted(node.sql.items(), key=lambda kv: (kv[0] != "build", kv[0])):
        try:
            text = project.sql(relative)
        except OSError as exc:
            raise DVError(
                f"vault_sql/{relative} (the {statement} SQL of {node.id}) cannot be read: {exc}\n"
                "    hint: run 'dv generate'"
            ) from exc
        shown.append((statement, relative, text, statement == "build"))
    return shown


@dataclass(frozen=True)
class Site:
    """What every page shows of the whole project."""

    project_name: str
    fingerprint: str  # of the model, shortened
    generator_version: str
    checks: list[Check]
    views_of: dict[str, list[str]]  # entity id -> its views


def build_pages(project: Project) -> tuple[list[Page], Site]:
    """Every entity page's content, in kind and name order, and the site-wide context."""
    manifest = project.manifest
    nodes = manifest.nodes
    graph = build_graph(nodes)
    owners = table_owners(manifest)
    checks = load_checks(project.root)
    types = derived_column_types(project)
    by_entity = checks_by_entity(checks, owners)
    views_of: dict[str, list[str]] = defaultdict(list)
    for name, view in sorted(manifest.physical.views.items()):
        views_of[view.entity].append(name)

    mappings = {node_id: source_mapping(node) for node_id, node in sorted(nodes.items())}
    # source -> source column -> entity -> the entity's columns loaded from it
    used: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for node_id, rows in mappings.items():
        for row in rows:
            for col in row.source_columns:
                if row.column != COL_HASHDIFF and row.column not in used[row.source][col][node_id]:
                    used[row.source][col][node_id].append(row.column)

    pages = []
    for node_id in sorted(nodes, key=lambda i: (kind_rank(i), i)):
        node = nodes[node_id]
        title, singular = kind_titles(node.kind)
        columns, extra = _columns(node_id, node, manifest, types.get(node_id, {}))
        grouped: dict[tuple[str, bool], list[EntityCheck]] = defaultdict(list)
        for ec in by_entity.get(node_id, []):
            grouped[(ec.check.contract, ec.check.generated)].append(ec)
        source_cols = [c.name for c in node.columns] if isinstance(node, SourceNode) else []
        usage = used.get(node_id, {})
        pages.append(
            Page(
                id=node_id,
                node=node,
                kind_title=title,
                kind_singular=singular,
                layer=layer_of(node.kind),
                facts=_facts(node, nodes, owners),
                columns=columns,
                extra_tables=extra,
                business_keys=list(node.business_keys) if isinstance(node, HubNode) else [],
                mapping=mappings[node_id],
                used_downstream=[
                    (c, [(e, sorted(usage[c][e])) for e in sorted(usage[c], key=lambda i: (kind_rank(i), i))])
                    for c in source_cols
                    if c in usage
                ],
                checks=[
                    (c, g, items) for (c, g), items in sorted(grouped.items(), key=lambda kv: (not kv[0][1], kv[0][0]))
                ],
                sql=_sql(project, node),
                upstream=sorted(graph.predecessors(node_id), key=lambda i: (kind_rank(i), i)),
                downstream=sorted(graph.successors(node_id), key=lambda i: (kind_rank(i), i)),
                diagram=lineage_svg(graph, nodes, node_id),
            )
        )
    site = Site(
        project_name=manifest.project or "warehouse",
        fingerprint=manifest.model_fingerprint[:12],
        generator_version=manifest.generator_version,
        checks=checks,
        views_of=dict(views_of),
    )
    return pages, site
