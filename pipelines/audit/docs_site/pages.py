"""What each entity page shows: its settings as labelled facts, its columns, the mapping from the sources,
the checks on its table, its SQL, its neighbours and its lineage diagram, read from the manifest, the SQL
files and the contracts."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.errors import DVError
from pipelines.audit.docs_site.checks import Check, EntityCheck, checks_by_entity, load_checks
from pipelines.audit.docs_site.data import (
    Layer,
    MapRow,
    build_graph,
    is_derived,
    is_satellite,
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
    if "case_sensitive" in node and is_satellite(kind):
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
    if not is_derived(node["kind"]):
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
    for node_id in sorted(nodes, key=lambda i: (kind_rank(i), i)):
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
        project_name=str(manifest.get("project") or "warehouse"),
        fingerprint=str(manifest.get("model_fingerprint") or "")[:12],
        generator_version=str(manifest.get("generator_version") or ""),
        checks=checks,
        views_of=dict(views_of),
    )
    return pages, site
