"""kind: satellite — descriptive history of a hub or a link from one source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from generator.constants import (
    COL_APPLIED_DTS,
    COL_BATCH_ID,
    COL_HASHDIFF,
    COL_LOAD_DTS,
    COL_LOAD_SEQ,
    COL_RECORD_SOURCE,
    HASH_KEY_PREFIX,
    HASHDIFF_PREFIX,
    SAT_PREFIX,
    SCHEMA_RAW_VAULT,
)
from generator.kinds.base import EntitySpec, Identifier, SqlName, Strict, check_identifier
from generator.kinds.hub import RESERVED_COLUMNS
from generator.kinds.registry import LAYER_RAW_VAULT, KindDef
from generator.physical import Context, PhysColumn, PhysIndex, PhysTable, PhysView, applied_seq_column, history_views
from generator.resolve import (
    HashdiffMapping,
    Hub,
    Link,
    Origin,
    Reporter,
    SatColumn,
    Satellite,
    Source,
    hint_for,
)
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer


class SatColumnSpec(Strict):
    name: SqlName
    source_column: Identifier | None = None
    description: str = ""


class SatelliteSpec(EntitySpec):
    kind: Literal["satellite"]
    hub: Identifier | None = None
    link: Identifier | None = None
    source: Identifier
    columns: list[Identifier | SatColumnSpec] = Field(min_length=1)
    case_sensitive: bool = True
    late_data: Literal["insert", "reject"] = "insert"
    personal: bool = False

    @model_validator(mode="after")
    def _one_parent(self) -> SatelliteSpec:
        if (self.hub is None) == (self.link is None):
            raise ValueError("a satellite needs exactly one parent: 'hub: <name>' or 'link: <name>'")
        return self

    def column_specs(self) -> list[SatColumnSpec]:
        return [SatColumnSpec(name=c) if isinstance(c, str) else c for c in self.columns]


def resolve(spec: SatelliteSpec, doc: Document, report: Reporter, model: Model) -> Satellite | None:
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
    parent_key = HASH_KEY_PREFIX + parent_name
    stage_key = _stage_key(parent_kind, parent_name, source)
    if stage_key is None and model.is_invalid(parent_kind, parent_name):
        return None  # the parent's own problems (a broken entry for this source) explain the missing key
    if stage_key is None:
        report.error(
            ("source",),
            f"source '{source.name}' does not feed {parent_kind} '{parent_name}', so its rows have no key",
            f"add '- source: {source.name}' with its key columns to the sources of {parent_kind} '{parent_name}'",
        )
        return None
    table = SAT_PREFIX + spec.name
    for suffix, what in (("_current", "current-row view"), ("_hist", "history view"), ("_ver", "index")):
        check_identifier(report, ("name",), table + suffix, what)
    columns: list[SatColumn] = []
    taken = set(RESERVED_COLUMNS) | {parent_key}
    for i, col in enumerate(spec.column_specs()):
        loc = ("columns", i)
        source_column = col.source_column or col.name
        if source_column not in source.column_names():
            report.error(
                loc,
                f"column '{source_column}' is not a column of source '{source.name}'",
                hint_for(source_column, source.column_names()),
            )
            continue
        if col.name in taken or col.name.startswith(HASH_KEY_PREFIX):
            what = "declared twice" if any(c.name == col.name for c in columns) else "a metadata column"
            report.error(
                loc,
                f"payload column '{col.name}' clashes with {what}",
                "rename it with '{name: <new name>, source_column: " + source_column + "}'",
            )
            continue
        taken.add(col.name)
        src_col = source.column(source_column)
        columns.append(SatColumn(col.name, source_column, src_col.type, col.description or src_col.description))
    hashdiff_column = HASHDIFF_PREFIX + spec.name
    check_identifier(report, ("name",), hashdiff_column, "stage hashdiff column")
    source.hashdiffs.append(
        HashdiffMapping(
            spec.name,
            f"sat.{spec.name}",
            hashdiff_column,
            [source.column(c.source_column) for c in columns],
            spec.case_sensitive,
            key_column=stage_key,
        )
    )
    return Satellite(
        id=f"sat.{spec.name}",
        name=spec.name,
        description=spec.description,
        table=table,
        parent_kind=parent_kind,
        parent=parent_name,
        parent_key=parent_key,
        source=source.name,
        stage_table=source.stage_table,
        stage_key_column=stage_key,
        hashdiff_column=hashdiff_column,
        columns=columns,
        case_sensitive=spec.case_sensitive,
        late_data=spec.late_data,
        applied_from_source=source.applied_ts is not None,
        sequence_column=source.sequence,
        sequence_type=source.column(source.sequence).type if source.sequence else None,
        origin=Origin(doc.file, doc.start_line),
        personal=spec.personal,
    )


def _stage_key(parent_kind: str, parent: str, source: Source) -> str | None:
    if parent_kind == "hub":
        return next((m.stage_column for m in source.hub_keys if m.hub == parent), None)
    return next((m.stage_column for m in source.link_keys if m.link == parent), None)


def physical(sat: Satellite, ctx: Context) -> list[PhysTable]:
    types = ctx.types
    seq = applied_seq_column(sat.sequence_column, sat.sequence_type)
    applied = (
        f"When the change happened at the source ({sat.source})"
        if sat.applied_from_source
        else "No applied timestamp at the source: equals load_dts"
    )
    order = sat.order_columns(stored=True)
    return [
        PhysTable(
            SCHEMA_RAW_VAULT,
            sat.table,
            sat.id,
            [
                PhysColumn(sat.parent_key, ctx.hash_type, True, f"Hash key of {sat.parent_kind} {sat.parent}", "key"),
                PhysColumn(
                    COL_LOAD_DTS, types.timestamp, True, "Load timestamp of the batch that loaded this version", "key"
                ),
                PhysColumn(
                    COL_LOAD_SEQ,
                    types.load_seq,
                    True,
                    "Order of this version among the versions of its key loaded in the same batch (1 = first)",
                    "key",
                ),
                PhysColumn(COL_APPLIED_DTS, types.timestamp, True, applied, "meta"),
                *seq,
                PhysColumn(COL_HASHDIFF, ctx.hash_type, True, "Hash of the payload columns, in declared order", "meta"),
                PhysColumn(COL_RECORD_SOURCE, types.text, True, "Source that delivered this version", "meta"),
                PhysColumn(
                    COL_BATCH_ID, types.batch_id, True, "Batch that loaded this version (dv_meta.batch)", "meta"
                ),
                *(PhysColumn(c.name, c.type.sql, False, c.description) for c in sat.columns),
            ],
            primary_key=[sat.parent_key, COL_LOAD_DTS, COL_LOAD_SEQ],
            indexes=[PhysIndex(f"{sat.table}_ver", [sat.parent_key, *(f"{c} DESC" for c in order)], [COL_HASHDIFF])],
            comment=sat.description or f"Satellite {sat.name} of {sat.parent_kind} {sat.parent}",
        )
    ]


def views(sat: Satellite) -> list[PhysView]:
    file = f"satellites/{sat.name}.views.sql"
    masked = [PhysView(SCHEMA_RAW_VAULT, f"{sat.table}_masked", sat.id, file)] if sat.personal else []
    return history_views(SCHEMA_RAW_VAULT, sat.table, sat.id, file) + masked


def render(sat: Satellite, r: Renderer) -> dict[str, str]:
    files = [sat.origin.file]
    return {
        "create": r.sql("satellite/create.sql.j2", files, sat=sat, tables=physical(sat, r.ctx)),
        "load": r.sql("satellite/load.sql.j2", files, sat=sat),
        "views": r.views("satellite/views.sql.j2", files, sat=sat),
    }


def manifest(sat: Satellite) -> dict[str, Any]:
    return {
        "schema": SCHEMA_RAW_VAULT,
        "table": sat.table,
        "satellite_kind": "standard",
        "parent": f"{sat.parent_kind}.{sat.parent}",
        "parent_key": sat.parent_key,
        "source": sat.source,
        "columns": [{"name": c.name, "source_column": c.source_column, "type": c.type.sql} for c in sat.columns],
        "case_sensitive": sat.case_sensitive,
        "late_data": sat.late_data,
        "version_order": sat.order_columns(stored=True),
        "personal": sat.personal,
    }


KIND = KindDef(
    kind="satellite",
    id_prefix="sat",
    spec=SatelliteSpec,
    tier=3,
    folder="satellites",
    resolve=resolve,
    physical=physical,
    render=render,
    depends_on=lambda sat: sorted({f"{sat.parent_kind}.{sat.parent}", f"source.{sat.source}"}),
    manifest=manifest,
    views=views,
    description="descriptive history of a hub or a link",
    name_group="satellite",
    layer=LAYER_RAW_VAULT,
    title="satellite",
    plural="Satellites",
    family="satellite",
)
