"""kind: record_tracking_satellite — which keys of a hub or link one source brought, batch by batch.

One row per batch and distinct parent key present in the source's staged rows of that batch:
(parent key, load_dts, record_source, batch_id). No payload, no hashdiff: the appearance itself
is the fact recorded, so a key that comes, goes and comes back leaves a gap between its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import model_validator

from generator.constants import (
    COL_BATCH_ID,
    COL_LOAD_DTS,
    COL_RECORD_SOURCE,
    HASH_KEY_PREFIX,
    RTS_PREFIX,
    SCHEMA_RAW_VAULT,
)
from generator.kinds.base import EntitySpec, Identifier, check_identifier
from generator.kinds.multi_active_satellite import resolve_parent
from generator.kinds.registry import LAYER_RAW_VAULT, KindDef
from generator.physical import Context, PhysColumn, PhysIndex, PhysTable
from generator.resolve import Origin, Reporter
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer

FOLDER = "record_tracking_satellites"  # under vault_sql/


class RecordTrackingSatelliteSpec(EntitySpec):
    kind: Literal["record_tracking_satellite"]
    hub: Identifier | None = None
    link: Identifier | None = None
    source: Identifier

    @model_validator(mode="after")
    def _one_parent(self) -> RecordTrackingSatelliteSpec:
        if (self.hub is None) == (self.link is None):
            raise ValueError("a record-tracking satellite needs exactly one parent: 'hub: <name>' or 'link: <name>'")
        return self


@dataclass
class RecordTrackingSatellite:
    id: str
    name: str
    description: str
    table: str
    parent_kind: str  # hub | link
    parent: str
    parent_key: str  # hash key column (same name in the satellite and its parent)
    source: str
    record_source: str
    stage_table: str
    stage_key_column: str
    origin: Origin

    @property
    def primary_key(self) -> list[str]:
        return [self.parent_key, COL_LOAD_DTS]


def resolve(
    spec: RecordTrackingSatelliteSpec, doc: Document, report: Reporter, model: Model
) -> RecordTrackingSatellite | None:
    found = resolve_parent(spec, report, model, "record-tracking satellite")
    if found is None:
        return None
    parent_kind, parent_name, source, stage_key = found
    table = RTS_PREFIX + spec.name
    before = len(report.problems)
    check_identifier(report, ("name",), table, "record-tracking satellite table")
    if len(report.problems) == before:  # the longest derived name; a table name too long says it all
        check_identifier(report, ("name",), table + "_batch", "index")
    return RecordTrackingSatellite(
        id=f"rts.{spec.name}",
        name=spec.name,
        description=spec.description,
        table=table,
        parent_kind=parent_kind,
        parent=parent_name,
        parent_key=HASH_KEY_PREFIX + parent_name,
        source=source.name,
        record_source=source.record_source,
        stage_table=source.stage_table,
        stage_key_column=stage_key,
        origin=Origin(doc.file, doc.start_line),
    )


def physical(rts: RecordTrackingSatellite, ctx: Context) -> list[PhysTable]:
    types = ctx.types
    return [
        PhysTable(
            SCHEMA_RAW_VAULT,
            rts.table,
            rts.id,
            [
                PhysColumn(rts.parent_key, ctx.hash_type, True, f"Hash key of {rts.parent_kind} {rts.parent}", "key"),
                PhysColumn(
                    COL_LOAD_DTS,
                    types.timestamp,
                    True,
                    f"Load timestamp of a batch in which {rts.source} had the key",
                    "key",
                ),
                PhysColumn(COL_RECORD_SOURCE, types.text, True, "Source that delivered the key", "meta"),
                PhysColumn(
                    COL_BATCH_ID, types.batch_id, True, "Batch in which the key appeared (dv_meta.batch)", "meta"
                ),
            ],
            primary_key=rts.primary_key,
            # which keys one batch brought, without reading every key's history
            indexes=[PhysIndex(f"{rts.table}_batch", [COL_LOAD_DTS])],
            comment=rts.description
            or f"Record-tracking satellite {rts.name}: the batches in which source {rts.source} "
            f"delivered each key of {rts.parent_kind} {rts.parent}",
        )
    ]


def render(rts: RecordTrackingSatellite, r: Renderer) -> dict[str, str]:
    files = [rts.origin.file]
    return {
        "create": r.sql("record_tracking_satellite/create.sql.j2", files, rts=rts, tables=physical(rts, r.ctx)),
        "load": r.sql("record_tracking_satellite/load.sql.j2", files, rts=rts),
    }


def manifest(rts: RecordTrackingSatellite) -> dict[str, Any]:
    return {
        "schema": SCHEMA_RAW_VAULT,
        "table": rts.table,
        "satellite_kind": "record_tracking",
        "parent": f"{rts.parent_kind}.{rts.parent}",
        "parent_key": rts.parent_key,
        "source": rts.source,
        "record_source": rts.record_source,
    }


KIND = KindDef(
    kind="record_tracking_satellite",
    id_prefix="rts",
    spec=RecordTrackingSatelliteSpec,
    tier=3,
    folder=FOLDER,
    resolve=resolve,
    physical=physical,
    render=render,
    depends_on=lambda rts: sorted({f"{rts.parent_kind}.{rts.parent}", f"source.{rts.source}"}),
    manifest=manifest,
    description="the batches in which a source delivered each key of a hub or link",
    layer=LAYER_RAW_VAULT,
    title="record-tracking satellite",
    plural="Record-tracking satellites",
    family="satellite",
)
