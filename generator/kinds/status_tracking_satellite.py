"""kind: status_tracking_satellite — deletion detection for a full-extract source.

Each load compares the keys of a full extract with the keys the vault holds as
present: a key missing from the extract gets a ``deleted`` row, a new or
reappearing key a ``present`` row. Scoped to the partitions an extract covers
(the source's ``partition_by``), and never run on an empty or partly
quarantined extract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import model_validator

from generator.constants import (
    COL_BATCH_ID,
    COL_LOAD_DTS,
    COL_RECORD_SOURCE,
    COL_STATUS,
    HASH_KEY_PREFIX,
    SCHEMA_RAW_VAULT,
    STATUS_DELETED,
    STATUS_PRESENT,
    STS_PREFIX,
)
from generator.kinds.base import EntitySpec, Identifier, check_identifier
from generator.kinds.registry import LAYER_RAW_VAULT, KindDef
from generator.physical import Context, PhysColumn, PhysIndex, PhysTable, PhysView, history_views
from generator.resolve import Column, Hub, Link, Origin, Reporter, Source, hint_for
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer


class StatusTrackingSatelliteSpec(EntitySpec):
    kind: Literal["status_tracking_satellite"]
    hub: Identifier | None = None
    link: Identifier | None = None
    source: Identifier

    @model_validator(mode="after")
    def _one_parent(self) -> StatusTrackingSatelliteSpec:
        if (self.hub is None) == (self.link is None):
            raise ValueError("a status-tracking satellite needs exactly one parent: 'hub: <name>' or 'link: <name>'")
        return self


@dataclass
class StatusTrackingSatellite:
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
    partition_by: list[Column]  # source columns, stored on every status row
    origin: Origin

    @property
    def partition_names(self) -> list[str]:
        return [c.name for c in self.partition_by]


def resolve(
    spec: StatusTrackingSatelliteSpec, doc: Document, report: Reporter, model: Model
) -> StatusTrackingSatellite | None:
    entity_id = f"{KIND_PREFIX}.{spec.name}"
    if entity_id in model.entities:  # a second one of that name: reported by the name check (model._check_names)
        return None
    parent_kind = "hub" if spec.hub is not None else "link"
    parent_name = spec.hub or spec.link or ""
    parents: dict[str, Hub] | dict[str, Link] = model.hubs if parent_kind == "hub" else model.links
    if parent_name not in parents and model.is_invalid(parent_kind, parent_name):
        return None
    if parent_name not in parents:
        report.error((parent_kind,), f"unknown {parent_kind} '{parent_name}'", hint_for(parent_name, parents))
        return None
    source = model.sources.get(spec.source)
    if source is None and model.is_invalid("source", spec.source):
        return None
    if source is None:
        report.error(("source",), f"unknown source '{spec.source}'", hint_for(spec.source, model.sources))
        return None
    if source.extract != "full":
        report.error(
            ("source",),
            f"source '{source.name}' is an {source.extract} extract; a status-tracking satellite needs a full one",
            "deletion detection reads a key missing from the extract as deleted, and an incremental extract "
            f"leaves out every unchanged key; set 'extract: full' on source '{source.name}' if each extract "
            "delivers every key (of its partitions)",
        )
        return None
    stage_key = _stage_key(parent_kind, parent_name, source)
    if stage_key is None and model.is_invalid(parent_kind, parent_name):
        return None
    if stage_key is None:
        report.error(
            ("source",),
            f"source '{source.name}' does not feed {parent_kind} '{parent_name}', so its rows have no key",
            f"add '- source: {source.name}' with its key columns to the sources of {parent_kind} '{parent_name}'",
        )
        return None
    table = STS_PREFIX + spec.name
    for suffix, what in (("_current", "current-row view"), ("_hist", "history view"), ("_status", "index")):
        check_identifier(report, ("name",), table + suffix, what)
    parent_key = HASH_KEY_PREFIX + parent_name
    taken = {parent_key, COL_LOAD_DTS, COL_STATUS, COL_RECORD_SOURCE, COL_BATCH_ID}
    clashes = [c for c in source.partition_by if c in taken]
    if clashes:
        report.error(
            ("source",),
            f"partition_by column '{clashes[0]}' of source '{source.name}' clashes with a column of "
            f"status-tracking satellite table {table}",
            f"the table has the columns {', '.join(sorted(taken))}; partition the source by another column",
        )
        return None
    return StatusTrackingSatellite(
        id=entity_id,
        name=spec.name,
        description=spec.description,
        table=table,
        parent_kind=parent_kind,
        parent=parent_name,
        parent_key=parent_key,
        source=source.name,
        record_source=source.record_source,
        stage_table=source.stage_table,
        stage_key_column=stage_key,
        partition_by=[source.column(c) for c in source.partition_by],
        origin=Origin(doc.file, doc.start_line),
    )


def _stage_key(parent_kind: str, parent: str, source: Source) -> str | None:
    if parent_kind == "hub":
        return next((m.stage_column for m in source.hub_keys if m.hub == parent), None)
    return next((m.stage_column for m in source.link_keys if m.link == parent), None)


def physical(sts: StatusTrackingSatellite, ctx: Context) -> list[PhysTable]:
    types = ctx.types
    return [
        PhysTable(
            SCHEMA_RAW_VAULT,
            sts.table,
            sts.id,
            [
                PhysColumn(sts.parent_key, ctx.hash_type, True, f"Hash key of {sts.parent_kind} {sts.parent}", "key"),
                PhysColumn(
                    COL_LOAD_DTS, types.timestamp, True, "Load timestamp of the batch that saw the change", "key"
                ),
                PhysColumn(
                    COL_STATUS,
                    types.text,
                    False,
                    f"'{STATUS_PRESENT}': in the full extract of this batch (new, reappearing or moved partition); "
                    f"'{STATUS_DELETED}': missing from it. NULL only in the ghost record",
                    "meta",
                ),
                PhysColumn(COL_RECORD_SOURCE, types.text, True, "Source whose extract showed the change", "meta"),
                PhysColumn(COL_BATCH_ID, types.batch_id, True, "Batch that loaded this row (dv_meta.batch)", "meta"),
                *(
                    PhysColumn(
                        c.name,
                        c.type.sql,
                        False,
                        f"Partition of the key at this status (source column {c.name}"
                        + (f": {c.description}" if c.description else "")
                        + ")",
                    )
                    for c in sts.partition_by
                ),
            ],
            primary_key=[sts.parent_key, COL_LOAD_DTS],
            # the loads find the keys present in a partition here; the current row of a key is found
            # on the primary key (parent key, load_dts)
            indexes=[
                PhysIndex(f"{sts.table}_status", [*sts.partition_names, COL_STATUS], [sts.parent_key, COL_LOAD_DTS])
            ],
            comment=sts.description
            or f"Status tracking (deletion detection) of {sts.parent_kind} {sts.parent} in source {sts.source}",
        )
    ]


def views(sts: StatusTrackingSatellite) -> list[PhysView]:
    return history_views(SCHEMA_RAW_VAULT, sts.table, sts.id, f"{FOLDER}/{sts.name}.views.sql")


def render(sts: StatusTrackingSatellite, r: Renderer) -> dict[str, str]:
    files = [sts.origin.file]
    return {
        "create": r.sql("status_tracking_satellite/create.sql.j2", files, sts=sts, tables=physical(sts, r.ctx)),
        "load": r.sql("status_tracking_satellite/load.sql.j2", files, sts=sts),
        "views": r.views("status_tracking_satellite/views.sql.j2", files, sts=sts),
    }


def manifest(sts: StatusTrackingSatellite) -> dict[str, Any]:
    return {
        "schema": SCHEMA_RAW_VAULT,
        "table": sts.table,
        "satellite_kind": "status_tracking",
        "parent": f"{sts.parent_kind}.{sts.parent}",
        "parent_key": sts.parent_key,
        "source": sts.source,
        "partition_by": sts.partition_names,
        "status_column": COL_STATUS,
        "statuses": [STATUS_PRESENT, STATUS_DELETED],
    }


KIND_PREFIX = "sts"
FOLDER = "status_tracking_satellites"

KIND = KindDef(
    kind="status_tracking_satellite",
    id_prefix=KIND_PREFIX,
    spec=StatusTrackingSatelliteSpec,
    tier=3,
    folder=FOLDER,
    resolve=resolve,
    physical=physical,
    render=render,
    depends_on=lambda sts: sorted({f"{sts.parent_kind}.{sts.parent}", f"source.{sts.source}"}),
    manifest=manifest,
    views=views,
    description="deletion detection for a full-extract source: present and deleted keys",
    layer=LAYER_RAW_VAULT,
    title="status-tracking satellite",
    plural="Status-tracking satellites",
    family="satellite",
)
