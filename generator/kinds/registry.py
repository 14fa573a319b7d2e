"""What the generator knows of an entity kind, in one record per kind.

The model loader, the manifest, the renderer and ``dv plan`` iterate over
:data:`KINDS`; adding a kind is one module under ``generator/kinds/`` that
defines a :class:`KindDef`, plus one line in ``generator/kinds/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.kinds.base import EntitySpec
from generator.physical import Context, PhysTable, PhysView

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer
    from generator.resolve import Reporter
    from generator.yaml_loader import Document


LAYER_STAGING = "staging"
LAYER_RAW_VAULT = "raw_vault"
LAYER_BUSINESS_VAULT = "business_vault"
LAYER_MARTS = "marts"
LAYERS = (LAYER_STAGING, LAYER_RAW_VAULT, LAYER_BUSINESS_VAULT, LAYER_MARTS)  # in the order data flows
FAMILIES = ("source", "hub", "link", "satellite", "reference", "generated", "sql")


def _no_views(entity: Any) -> list[PhysView]:
    return []


@dataclass(frozen=True)
class KindDef:
    kind: str  # the YAML ``kind``
    id_prefix: str  # manifest ids are ``<id_prefix>.<name>``
    spec: type[EntitySpec]
    # Resolution and load tier: sources 0, hubs 1, links 2, satellites 3. An entity may refer only to
    # entities of lower tiers; within a tier, entities resolve and load by name.
    tier: int
    folder: str  # folder under vault_sql/
    resolve: Callable[[Any, Document, Reporter, Model], Any]
    physical: Callable[[Any, Context], list[PhysTable]]
    render: Callable[[Any, Renderer], dict[str, str]]  # statement -> SQL text
    depends_on: Callable[[Any], list[str]]  # manifest ids this entity needs loaded first
    manifest: Callable[[Any], dict[str, Any]]  # kind-specific fields of the manifest node
    views: Callable[[Any], list[PhysView]] = field(default=_no_views)
    description: str = ""
    # kinds whose names share one namespace (a hash-key column, a stage hashdiff column, the tables of one
    # schema) have the same group; two entities of one group may not share a name. Empty: the kind itself.
    name_group: str = ""
    # -- facts the runtime's tools read (docs site, lineage, trace, batch audit, the load-case tests) --
    layer: str = ""  # one of LAYERS: where the kind's tables live
    title: str = ""  # singular, lower case ("multi-active satellite")
    plural: str = ""  # the heading of a list of them ("Multi-active satellites")
    # what kind of thing it is: "source", "hub", "link" (keyed by its own hash key, referencing hubs),
    # "satellite" (keyed by its parent's hash key), "reference", "generated" (business-vault tables whose SQL
    # the generator writes from the hub and links they name) or "sql" (the SELECT is in the YAML)
    family: str = ""

    @property
    def names(self) -> str:
        return self.name_group or self.kind

    @property
    def is_satellite(self) -> bool:
        return self.family == "satellite"

    @property
    def is_link(self) -> bool:
        return self.family == "link"

    @property
    def is_sql_defined(self) -> bool:
        """Its SELECT is written in the YAML (computed satellites, dimensions, facts, KPIs, feeds)."""
        return self.family == "sql"

    @property
    def is_derived(self) -> bool:
        """Built by `dv marts` from the raw vault, not loaded from a source (business vault and marts)."""
        return self.layer in (LAYER_BUSINESS_VAULT, LAYER_MARTS)
