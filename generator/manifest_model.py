"""The manifest as typed models: what ``dv generate`` writes to ``vault_sql/manifest.json`` and the runtime reads.

One frozen pydantic model per node kind, chosen by the node's ``kind`` (its id prefix: ``hub``, ``sat``, ``dim`` …);
unknown fields are errors, so a manifest written by another generator version fails to load instead of being
half understood. ``Manifest.model_json_schema()`` is committed as ``vault_sql/manifest.schema.json``.

Bump :data:`MANIFEST_VERSION` whenever a field is added, removed or changes meaning; the runtime refuses a
manifest of another version (``run dv generate``).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from generator.manifest_model_physical import Access, Part, PhysicalSchema

MANIFEST_VERSION = 2
N = TypeVar("N", bound=BaseModel)


# --- small parts shared by several kinds --------------------------------------------------------------------


class TypedColumn(Part):
    name: str
    type: str  # the dialect's type name, e.g. ``text``, ``numeric(12,2)``


class BusinessKey(Part):
    """A business-key (or event-key, code) column of a hub, non-historized link or reference table."""

    name: str
    type: str
    case_sensitive: bool


class SourcedColumn(Part):
    """A payload column of a satellite or reference table and the source column it is loaded from."""

    name: str
    source_column: str
    type: str


class DescribedColumn(Part):
    name: str
    description: str


class HubRef(Part):
    """A link's (or effectivity satellite's) reference to a hub, in one role, stored in ``column``."""

    role: str
    hub: str
    column: str


class ColumnLineage(Part):
    """Where one column of a node's table gets its values, as the generated load computes them.

    Written by each kind's ``manifest`` function (raw vault, staging; PIT and bridge name the columns they copy);
    the SQL-defined kinds (cs, dim, fact, kpi, feed) have none here: their lineage is parsed from their SELECT.
    """

    target_table: str  # the table written, qualified (``raw_vault.hub_job``; a source's stage table)
    target_column: str  # its column
    # the node whose table holds the input: ``source.<name>`` for the loads (its landing table's columns;
    # the stage table's own columns for the hash columns it computes), a raw-vault node for PIT and bridge.
    # Empty when the load sets the value itself (``transformation`` says how, e.g. the batch's load_dts).
    source: str
    source_columns: list[str]  # the input columns, in hash order for a hash; empty for a value the load sets
    # the stage column that carries the computed value to the load (``hk_job``, ``hd_job_description``), if any
    stage_column: str | None = None
    # how, in words: ``copied``, ``cast to numeric``, ``business key (trimmed, upper-cased)``,
    # ``hash key of (a, b)``, ``hashdiff of (x, y)``, ``applied timestamp``, ``set by the load: …``
    transformation: str


# --- the node kinds -----------------------------------------------------------------------------------------


class NodeBase(Part):
    """Fields every node has, in this order."""

    kind: str  # the id prefix (``hub``, ``sat`` …): the node's id is ``<kind>.<name>``
    yaml_kind: str  # the YAML ``kind`` (``hub``, ``satellite`` …)
    name: str
    file: str  # the YAML file that declares it, relative to the project
    line: int
    description: str
    depends_on: list[str]  # ids of the nodes loaded (or built) before it
    sql: dict[str, str]  # statement (create, stage, load, views, build, refresh …) -> file under vault_sql/
    # the schema of its table or function (``schema`` in the JSON: the name would shadow BaseModel.schema)
    schema_name: str = Field(alias="schema")

    @property
    def id(self) -> str:
        return f"{self.kind}.{self.name}"

    @property
    def lineage_kind(self) -> bool:
        """Whether its column lineage is in the manifest (``lineage``): staging and raw vault, not the rest."""
        return "lineage" in type(self).model_fields


class StoredNode(NodeBase):
    """A node with a table (or view) of its own: every kind but the functions."""

    table: str  # its main table (a source's stage table; a PIT's view)

    @property
    def qualified(self) -> str:
        """``schema.table`` of its main table."""
        return f"{self.schema_name}.{self.table}"


class FileFeed(Part):
    """A source read from files under the landing folder instead of a database query."""

    format: str  # the parser (``crm_csv``, ``events_jsonl`` …)
    path: str  # glob under the feed folder
    event_type: str | None  # of an event stream: the events of this type


class KeyHashPart(Part):
    column: str
    type: str
    case_sensitive: bool


class HashdiffPart(Part):
    column: str
    type: str


class KeyHash(Part):
    """A hash-key column of the stage table: which typed columns it hashes, for which entity."""

    column: str
    kind: Literal["key"]
    owner: str  # the entity whose keys it holds (a link role column holds its hub's keys)
    parts: list[KeyHashPart]


class HashdiffHash(Part):
    column: str
    kind: Literal["hashdiff"]
    owner: str
    case_sensitive: bool
    parts: list[HashdiffPart]


HashColumn = Annotated[KeyHash | HashdiffHash, Field(discriminator="kind")]


class SourceNode(StoredNode):
    kind: Literal["source"]
    record_source: str
    landing_table: str
    extract: Literal["full", "incremental"]
    columns: list[TypedColumn]
    business_keys: list[str]
    applied_ts: str | None
    sequence: str | None
    partition_by: list[str]
    source_table: str | None
    query: str | None
    watermark: str | None
    feed: FileFeed | None
    freshness_hours: float | None
    hash_columns: list[HashColumn]
    lineage: list[ColumnLineage] = Field(default_factory=list)

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def hash_column(self, column: str, owner: str | None = None) -> KeyHash | HashdiffHash | None:
        return next((h for h in self.hash_columns if h.column == column and owner in (None, h.owner)), None)


class HubFeed(Part):
    source: str
    stage_column: str  # the stage column holding the hash key
    columns: list[str]  # the source columns of the business key, in the order of ``business_keys``


class HubNode(StoredNode):
    kind: Literal["hub"]
    hash_key: str
    business_keys: list[BusinessKey]
    feeds: list[HubFeed]
    lineage: list[ColumnLineage] = Field(default_factory=list)


class LinkFeed(Part):
    source: str
    role_columns: list[str]  # the stage hash columns of the roles, in the order of ``refs``


class LinkNode(StoredNode):
    kind: Literal["link"]
    hash_key: str
    refs: list[HubRef]
    dependent_keys: list[str]
    feeds: list[LinkFeed]
    lineage: list[ColumnLineage] = Field(default_factory=list)


class NhlFeed(Part):
    source: str
    role_columns: list[str]
    event_key_columns: list[str]  # source columns of ``event_keys``, in order
    columns: list[str]  # source columns of ``columns``, in order


class Conflicts(Part):
    table: str
    reason: str


class NhlNode(StoredNode):
    kind: Literal["nhl"]
    hash_key: str
    refs: list[HubRef]
    event_keys: list[BusinessKey]
    columns: list[TypedColumn]
    feeds: list[NhlFeed]
    conflicts: Conflicts
    lineage: list[ColumnLineage] = Field(default_factory=list)


class SatNode(StoredNode):
    kind: Literal["sat"]
    satellite_kind: Literal["standard"]
    parent: str  # id of the hub or link
    parent_key: str
    source: str
    columns: list[SourcedColumn]
    case_sensitive: bool
    late_data: Literal["insert", "reject"]
    version_order: list[str]
    personal: bool
    lineage: list[ColumnLineage] = Field(default_factory=list)


class MsatNode(StoredNode):
    kind: Literal["msat"]
    satellite_kind: Literal["multi_active"]
    parent: str
    parent_key: str
    source: str
    sub_keys: list[TypedColumn]
    columns: list[SourcedColumn]
    case_sensitive: bool
    version_key: list[str]
    version_order: list[str]
    lineage: list[ColumnLineage] = Field(default_factory=list)


class RtsNode(StoredNode):
    kind: Literal["rts"]
    satellite_kind: Literal["record_tracking"]
    parent: str
    parent_key: str
    source: str
    record_source: str
    lineage: list[ColumnLineage] = Field(default_factory=list)


class StsNode(StoredNode):
    kind: Literal["sts"]
    satellite_kind: Literal["status_tracking"]
    parent: str
    parent_key: str
    source: str
    partition_by: list[str]
    status_column: str
    statuses: list[str]
    lineage: list[ColumnLineage] = Field(default_factory=list)


class EsatNode(StoredNode):
    kind: Literal["esat"]
    parent: str  # the link's id
    parent_key: str
    source: str
    driving_keys: list[str]  # roles
    refs: list[HubRef]  # the driving roles' hub references, as stored in the effectivity satellite
    version_order: list[str]
    lineage: list[ColumnLineage] = Field(default_factory=list)


class RefNode(StoredNode):
    kind: Literal["ref"]
    source: str
    code: list[BusinessKey]
    columns: list[SourcedColumn]
    version_order: list[str]
    lineage: list[ColumnLineage] = Field(default_factory=list)


class PitNode(StoredNode):
    kind: Literal["pit"]
    refresh: Literal["incremental"]
    relkind: Literal["view"]
    stores: list[str]  # the tables behind the view, qualified
    hub: str
    satellites: list[str]
    keep_days: int | None
    key: list[str]
    columns: list[DescribedColumn]
    reads: list[str]
    fingerprint: str
    lineage: list[ColumnLineage] = Field(default_factory=list)


class BridgeNode(StoredNode):
    kind: Literal["bridge"]
    refresh: Literal["table"]
    hub: str
    key: list[str]
    columns: list[DescribedColumn]
    reads: list[str]
    fingerprint: str
    lineage: list[ColumnLineage] = Field(default_factory=list)


class Incremental(Part):
    key: str  # the column whose values a refresh rebuilds
    changes: list[str]  # the qualified tables whose new rows name those values


class SqlColumn(Part):
    name: str
    description: str
    mask: str | None = None  # written only when set

    @model_serializer(mode="wrap")
    def _omit_unset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("mask") is None:
            data.pop("mask", None)
        return data


class SqlNode(StoredNode):
    """The SQL-defined kinds: computed satellites, dimensions, facts, KPIs, feeds (their SELECT is in the YAML)."""

    kind: Literal["cs", "dim", "fact", "kpi", "feed"]
    volatile: bool = False  # its SQL calls a volatile function: never skipped as unchanged (written only when true)
    refresh: Literal["table", "incremental", "view"]
    key: list[str]
    incremental: Incremental | None
    columns: list[SqlColumn]
    masked: str | None = None  # its ``_masked`` view, qualified (written only when set)
    reads: list[str]
    sql_line: int  # YAML line where the SELECT starts
    fingerprint: str

    @model_serializer(mode="wrap")
    def _omit_unset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("volatile"):
            data.pop("volatile", None)
        if data.get("masked") is None:
            data.pop("masked", None)
        return data


class FunctionNode(NodeBase):
    """A SQL function of the business vault (standardization rules); dv apply creates it after its plan."""

    kind: Literal["fn"]
    function: str  # qualified, with its signature: ``business_vault.f(text)``
    returns: str
    volatility: Literal["immutable", "stable"]
    lookup: str | None = None  # the lookup table it reads, qualified (written only when set)

    @model_serializer(mode="wrap")
    def _omit_unset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("lookup") is None:
            data.pop("lookup", None)
        return data


class BusinessViewNode(StoredNode):
    """A view of the business vault written in the YAML; dv apply creates it after its plan."""

    kind: Literal["bv"]
    columns: list[SqlColumn]
    masked_view: str | None = None  # its ``_masked`` form, judged by dv apply (written only when set)
    reads: list[str]
    requires: list[str]  # the raw-vault tables among ``reads``: without any of them, the view is not made

    @model_serializer(mode="wrap")
    def _omit_unset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("masked_view") is None:
            data.pop("masked_view", None)
        return data


Node = Annotated[
    SourceNode
    | HubNode
    | LinkNode
    | NhlNode
    | SatNode
    | MsatNode
    | RtsNode
    | StsNode
    | EsatNode
    | RefNode
    | PitNode
    | BridgeNode
    | SqlNode
    | FunctionNode
    | BusinessViewNode,
    Field(discriminator="kind"),
]
RawVaultNode = HubNode | LinkNode | NhlNode | SatNode | MsatNode | RtsNode | StsNode | EsatNode | RefNode
SatelliteNode = SatNode | MsatNode | RtsNode | StsNode | EsatNode
DerivedNode = PitNode | BridgeNode | SqlNode  # built by dv marts


class _OneNode(Part):
    node: Node


def parse_node(data: dict[str, Any]) -> Node:
    """A node's fields (a kind's ``manifest`` function and the common ones) as its model, by ``kind``."""
    return _OneNode.model_validate({"node": data}).node


# --- the manifest -------------------------------------------------------------------------------------------


class HashSpec(Part):
    algorithm: Literal["md5", "sha256"]
    spec_version: int


class Manifest(Part):
    manifest_version: int
    generator_version: str
    project: str
    model_fingerprint: str
    hash: HashSpec
    meta_sql: str  # the metadata schema's create file under vault_sql/
    load_order: list[str]  # node ids, dependencies first
    nodes: dict[str, Node]  # by id, sorted
    physical: PhysicalSchema
    access: Access

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    def ordered(self, *kinds: str) -> list[Node]:
        """The nodes of the given kinds (``hub``, ``sat`` …), in load order; every node when none is given."""
        return [self.nodes[i] for i in self.load_order if not kinds or self.nodes[i].kind in kinds]

    def of_type(self, cls: type[N]) -> list[N]:
        """The nodes of one model class (``SatNode``, ``SqlNode`` …), in load order."""
        return [n for i in self.load_order if isinstance(n := self.nodes[i], cls)]

    def source(self, name: str) -> SourceNode:
        node = self.nodes[f"source.{name}"]
        assert isinstance(node, SourceNode)
        return node

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2) + "\n"


def schema_json() -> str:
    """``vault_sql/manifest.schema.json``: the JSON schema of the manifest."""
    return json.dumps(Manifest.model_json_schema(), indent=2) + "\n"
