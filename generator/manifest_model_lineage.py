"""The column lineage of each node of the manifest: which source columns feed which table column, and how.

Written from what the loads are rendered from: each source's stage hash recipes (``hash_columns``, the same
``KeyPart`` lists ``generator/stage_plan.py`` turns into SQL) and each raw-vault kind's feeds and columns. The
SQL-defined kinds have none: their lineage is parsed from their SELECT (``pipelines/audit``).
"""

from __future__ import annotations

from generator.constants import COL_APPLIED_DTS, COL_APPLIED_SEQ, COL_HASHDIFF
from generator.manifest_model import (
    BusinessKey,
    ColumnLineage,
    EsatNode,
    HashdiffHash,
    HubNode,
    KeyHash,
    LinkNode,
    MsatNode,
    NhlFeed,
    NhlNode,
    Node,
    RefNode,
    RtsNode,
    SatNode,
    SourceNode,
    StsNode,
)
from generator.manifest_model_physical import PhysicalSchema

RAW_VAULT = (HubNode, LinkNode, NhlNode, SatNode, MsatNode, RtsNode, StsNode, EsatNode, RefNode)


def _listing(columns: list[str]) -> str:
    return f"({', '.join(columns)})"


def _key_how(source: SourceNode, column: str, key: BusinessKey) -> str:
    """How a business-key column is stored: text standardized, another type cast (or copied)."""
    if key.type == "text":
        return (
            "business key (control characters removed, trimmed" + ("" if key.case_sensitive else ", upper-cased") + ")"
        )
    return _copy_how(source, column, key.type)


def _copy_how(source: SourceNode, column: str, target_type: str) -> str:
    typed = next((c.type for c in source.columns if c.name == column), None)
    return "copied" if typed in (None, target_type) else f"cast to {target_type}"


class _Lineage:
    def __init__(self, node: Node, nodes: dict[str, Node], physical: PhysicalSchema, algorithm: str) -> None:
        self.node = node
        self.nodes = nodes
        self.algorithm = algorithm
        self.table = f"{node.schema_name}.{getattr(node, 'table', '')}"
        phys = physical.tables.get(self.table)
        self.columns = {c.name for c in phys.columns} if phys else set()
        self.out: list[ColumnLineage] = []

    def source(self, name: str) -> SourceNode:
        node = self.nodes[f"source.{name}"]
        assert isinstance(node, SourceNode)
        return node

    def add(self, column: str, source: SourceNode, inputs: list[str], how: str, stage: str | None = None) -> None:
        if column not in self.columns:
            return
        entry = ColumnLineage(
            target_table=self.table,
            target_column=column,
            source=source.id,
            source_columns=inputs,
            stage_column=stage,
            transformation=how,
        )
        if entry not in self.out:
            self.out.append(entry)

    def key(self, column: str, source: SourceNode, recipe: KeyHash | HashdiffHash | None, what: str) -> None:
        if recipe is not None:
            inputs = [p.column for p in recipe.parts]
            how = f"{self.algorithm} {what}, of {_listing(inputs)}"
            self.add(column, source, inputs, how, recipe.column)

    def owned(self, source: SourceNode, owner: str, kind: str) -> KeyHash | HashdiffHash | None:
        return next((h for h in source.hash_columns if h.owner == owner and h.kind == kind), None)

    def applied(self, source: SourceNode) -> None:
        if source.applied_ts:
            self.add(COL_APPLIED_DTS, source, [source.applied_ts], "applied timestamp (when it happened at the source)")
        if source.sequence:
            self.add(COL_APPLIED_SEQ, source, [source.sequence], "source sequence (order of equal applied_dts)")

    def hashdiff(self, source: SourceNode) -> None:
        self.key(COL_HASHDIFF, source, self.owned(source, self.node.id, "hashdiff"), "hashdiff")


def _hub(lin: _Lineage, node: HubNode) -> None:
    for feed in node.feeds:
        source = lin.source(feed.source)
        for key, column in zip(node.business_keys, feed.columns, strict=False):
            lin.add(key.name, source, [column], _key_how(source, column, key))
        lin.key(node.hash_key, source, source.hash_column(feed.stage_column), "hash key")


def _link(lin: _Lineage, node: LinkNode | NhlNode) -> None:
    for feed in node.feeds:
        source = lin.source(feed.source)
        recipe = lin.owned(source, node.id, "key")
        lin.key(node.hash_key, source, recipe, "hash key")
        role_parts = 0
        for ref, stage_column in zip(node.refs, feed.role_columns, strict=False):
            role = source.hash_column(stage_column)
            role_parts += len(role.parts) if role else 0
            lin.key(ref.column, source, role, f"hash key of hub {ref.hub} as {ref.role}")
        if isinstance(node, LinkNode) and isinstance(recipe, KeyHash):  # the key's parts after the roles' ones
            for name, part in zip(node.dependent_keys, recipe.parts[role_parts:], strict=False):
                lin.add(name, source, [part.column], _copy_how(source, part.column, part.type))
        if isinstance(feed, NhlFeed) and isinstance(node, NhlNode):
            for key, column in zip(node.event_keys, feed.event_key_columns, strict=False):
                lin.add(key.name, source, [column], _key_how(source, column, key))
            for payload, column in zip(node.columns, feed.columns, strict=False):
                lin.add(payload.name, source, [column], _copy_how(source, column, payload.type))
        lin.applied(source)


def _satellite(lin: _Lineage, node: SatNode | MsatNode | RtsNode | StsNode | EsatNode | RefNode) -> None:
    source = lin.source(node.source)
    if not isinstance(node, RefNode):
        parent = source.hash_column(node.parent_key) or lin.owned(source, node.parent, "key")
        lin.key(node.parent_key, source, parent, f"hash key of {node.parent}")
    if isinstance(node, SatNode | MsatNode | RefNode):
        for column in node.columns:
            lin.add(column.name, source, [column.source_column], _copy_how(source, column.source_column, column.type))
        lin.hashdiff(source)
    if isinstance(node, MsatNode):
        for sub in node.sub_keys:
            lin.add(sub.name, source, [sub.name], _copy_how(source, sub.name, sub.type))
    if isinstance(node, RefNode):
        for code in node.code:
            lin.add(code.name, source, [code.name], _key_how(source, code.name, code))
    if isinstance(node, EsatNode):
        for ref in node.refs:
            recipe = source.hash_column(ref.column) or lin.owned(source, f"hub.{ref.hub}", "key")
            lin.key(ref.column, source, recipe, f"driving key: hash key of hub {ref.hub} as {ref.role}")
    if isinstance(node, StsNode):
        key = source.hash_column(node.parent_key)
        inputs = [p.column for p in key.parts] if key else []
        statuses = " or ".join(f"'{s}'" for s in node.statuses)
        lin.add(node.status_column, source, inputs, f"{statuses}: whether the key is in the full extract")
        for name in node.partition_by:
            lin.add(name, source, [name], "copied (the partition the extract covers)")
    lin.applied(source)


def _source(lin: _Lineage, node: SourceNode) -> None:
    for column in node.columns:
        how = "copied" if column.type == "text" else f"cast to {column.type}"
        lin.columns.add(column.name)
        lin.add(column.name, node, [column.name], how + " (from the landing table's text)")
    for recipe in node.hash_columns:
        lin.columns.add(recipe.column)
        inputs = [p.column for p in recipe.parts]
        what = "hash key" if recipe.kind == "key" else "hashdiff"
        lin.add(recipe.column, node, inputs, f"{lin.algorithm} {what} of {_listing(inputs)} for {recipe.owner}")


def column_lineage(node: Node, nodes: dict[str, Node], physical: PhysicalSchema, algorithm: str) -> list[ColumnLineage]:
    """The lineage entries of one node (empty for the kinds whose lineage is not the generator's to tell)."""
    lin = _Lineage(node, nodes, physical, algorithm)
    if isinstance(node, SourceNode):
        _source(lin, node)
    elif isinstance(node, HubNode):
        _hub(lin, node)
    elif isinstance(node, LinkNode | NhlNode):
        _link(lin, node)
    elif isinstance(node, SatNode | MsatNode | RtsNode | StsNode | EsatNode | RefNode):
        _satellite(lin, node)
    return lin.out
