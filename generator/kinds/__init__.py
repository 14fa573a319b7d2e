"""One module per entity kind: its YAML schema (pydantic), its validation, the tables it
needs, and the statements it renders. :data:`KINDS` lists them in load-tier order."""

from generator.kinds import (
    bridge,
    business_view,
    computed_satellite,
    dimension,
    effectivity_satellite,
    fact,
    feed,
    function,
    hub,
    kpi,
    link,
    multi_active_satellite,
    nonhistorized_link,
    pit,
    record_tracking_satellite,
    reference_table,
    satellite,
    source,
    status_tracking_satellite,
)
from generator.kinds.base import EntitySpec
from generator.kinds.project import ProjectSpec
from generator.kinds.registry import KindDef

KINDS: list[KindDef] = sorted(
    [
        source.KIND,
        hub.KIND,
        link.KIND,
        satellite.KIND,
        multi_active_satellite.KIND,
        record_tracking_satellite.KIND,
        status_tracking_satellite.KIND,
        reference_table.KIND,
        nonhistorized_link.KIND,
        effectivity_satellite.KIND,
        pit.KIND,
        bridge.KIND,
        computed_satellite.KIND,
        dimension.KIND,
        fact.KIND,
        kpi.KIND,
        feed.KIND,
        function.KIND,
        business_view.KIND,
    ],
    key=lambda k: (k.tier, k.kind),
)

SPEC_BY_KIND: dict[str, type[EntitySpec]] = {"project": ProjectSpec, **{k.kind: k.spec for k in KINDS}}
# a manifest node's "kind" is its kind's id prefix (sat, msat, dim …)
KIND_BY_PREFIX: dict[str, KindDef] = {k.id_prefix: k for k in KINDS}

__all__ = ["KINDS", "KIND_BY_PREFIX", "SPEC_BY_KIND", "KindDef"]
