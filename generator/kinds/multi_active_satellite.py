"""kind: multi_active_satellite — a satellite whose parent key has a group of rows at a time.

The rows of a group are told apart by sub-key columns (a candidate's languages by language
code, phone numbers by type). The group is versioned as a whole: its group hashdiff, computed
in the load from the sorted hashdiffs of its members, is compared with that of the key's
latest stored group, and a change of any member stores every member again as a new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from generator.constants import (
    COL_APPLIED_DTS,
    COL_APPLIED_SEQ,
    COL_BATCH_ID,
    COL_HASHDIFF,
    COL_LOAD_DTS,
    COL_LOAD_SEQ,
    COL_RECORD_SOURCE,
    HASH_KEY_PREFIX,
    HASHDIFF_PREFIX,
    MSAT_PREFIX,
    SCHEMA_RAW_VAULT,
)
from generator.kinds.base import EntitySpec, Identifier, check_identifier
from generator.kinds.hub import RESERVED_COLUMNS
from generator.kinds.registry import LAYER_RAW_VAULT, KindDef
from generator.kinds.satellite import SatColumnSpec
from generator.physical import Context, PhysColumn, PhysIndex, PhysTable, PhysView, applied_seq_column, history_views
from generator.resolve import (
    HashdiffMapping,
    Hub,
    KeyPart,
    Link,
    Origin,
    Reporter,
    RequiredKey,
    SatColumn,
    Source,
    hint_for,
)
from generator.types import DataType
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer

FOLDER = "multi_active_satellites"  # under vault_sql/
# Type families a sub-key may have: exact equality, and a ghost value for the ghost record's
# NOT NULL key columns (floats compare inexactly, json has no equality, the others have no ghost).
SUB_KEY_FAMILIES = ("text", "integer", "numeric", "date", "timestamp", "timestamptz")


class MultiActiveSatelliteSpec(EntitySpec):
    kind: Literal["multi_active_satellite"]
    hub: Identifier | None = None
    link: Identifier | None = None
    source: Identifier
    sub_keys: list[Identifier] = Field(min_length=1)
    columns: list[Identifier | SatColumnSpec] = Field(default_factory=list)
    case_sensitive: bool = True

    @model_validator(mode="after")
    def _one_parent(self) -> MultiActiveSatelliteSpec:
        if (self.hub is None) == (self.link is None):
            raise ValueError("a multi-active satellite needs exactly one parent: 'hub: <name>' or 'link: <name>'")
        return self

    def column_specs(self) -> list[SatColumnSpec]:
        return [SatColumnSpec(name=c) if isinstance(c, str) else c for c in self.columns]


@dataclass
class MultiActiveSatellite:
    id: str
    name: str
    description: str
    table: str
    parent_kind: str  # hub | link
    parent: str
    parent_key: str  # hash key column (same name in the satellite and its parent)
    source: str
    stage_table: str
    stage_key_column: str
    member_hashdiff_column: str  # stage column: hashdiff of one member (sub-keys, then payload)
    sub_keys: list[SatColumn]
    columns: list[SatColumn]
    case_sensitive: bool
    applied_from_source: bool
    sequence_column: str | None  # the source's sequence column, stored as applied_seq
    sequence_type: DataType | None
    origin: Origin

    @property
    def position_columns(self) -> list[str]:
        """Where a group stands on the source's timeline: applied_dts, then applied_seq if any."""
        return [COL_APPLIED_DTS, COL_APPLIED_SEQ] if self.sequence_column else [COL_APPLIED_DTS]

    def order_columns(self, stored: bool) -> list[str]:
        """Version order of stored groups (position, load_dts, load_seq); a batch's groups by position."""
        return [*self.position_columns, COL_LOAD_DTS, COL_LOAD_SEQ] if stored else list(self.position_columns)

    @property
    def version_key(self) -> list[str]:
        """What every member of one stored version shares and no other version has."""
        return [self.parent_key, COL_LOAD_DTS, COL_LOAD_SEQ]

    @property
    def primary_key(self) -> list[str]:
        return [self.parent_key, *(k.name for k in self.sub_keys), COL_LOAD_DTS, COL_LOAD_SEQ]


def resolve_parent(spec: Any, report: Reporter, model: Model, what: str) -> tuple[str, str, Source, str] | None:
    """The parent (``hub:`` or ``link:``) and the source of a satellite-like spec, and the stage column
    holding the parent's key: (parent kind, parent name, source, stage key column)."""
    parent_kind = "hub" if spec.hub is not None else "link"
    parent_name: str = spec.hub or spec.link or ""
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
    if parent_kind == "hub":
        stage_key = next((m.stage_column for m in source.hub_keys if m.hub == parent_name), None)
    else:
        stage_key = next((m.stage_column for m in source.link_keys if m.link == parent_name), None)
    if stage_key is None and model.is_invalid(parent_kind, parent_name):
        return None  # the parent's own problems (a broken entry for this source) explain the missing key
    if stage_key is None:
        report.error(
            ("source",),
            f"source '{source.name}' does not feed {parent_kind} '{parent_name}', so its rows have no key",
            f"add '- source: {source.name}' with its key columns to the sources of {parent_kind} '{parent_name}'"
            f" (a {what} records what that feed brings)",
        )
        return None
    return parent_kind, parent_name, source, stage_key


def resolve(
    spec: MultiActiveSatelliteSpec, doc: Document, report: Reporter, model: Model
) -> MultiActiveSatellite | None:
    found = resolve_parent(spec, report, model, "multi-active satellite")
    if found is None:
        return None
    parent_kind, parent_name, source, stage_key = found
    parent_key = HASH_KEY_PREFIX + parent_name
    table = MSAT_PREFIX + spec.name
    for suffix, what in (("_current", "current-row view"), ("_hist", "history view"), ("_ver", "index")):
        check_identifier(report, ("name",), table + suffix, what)
    taken = set(RESERVED_COLUMNS) | {parent_key}
    sub_keys: list[SatColumn] = []
    for i, name in enumerate(spec.sub_keys):
        loc = ("sub_keys", i)
        if name not in source.column_names():
            report.error(
                loc,
                f"sub-key '{name}' is not a column of source '{source.name}'",
                hint_for(name, source.column_names()),
            )
            continue
        if name in taken or name.startswith(HASH_KEY_PREFIX):
            what = "declared twice" if any(k.name == name for k in sub_keys) else "a metadata column"
            report.error(
                loc, f"sub-key '{name}' clashes with {what}", "list each sub-key once; rename the source column"
            )
            continue
        col = source.column(name)
        if col.type.family not in SUB_KEY_FAMILIES:
            report.error(
                loc,
                f"sub-key '{name}' is {col.type.sql}; a sub-key must be text, integer, numeric, date or timestamp",
                "declare the source column as text (or numeric for a float)",
            )
            continue
        taken.add(name)
        sub_keys.append(SatColumn(name, name, col.type, col.description or "Sub-key: tells the rows of a group apart"))
    columns: list[SatColumn] = []
    for i, spec_col in enumerate(spec.column_specs()):
        loc = ("columns", i)
        source_column = spec_col.source_column or spec_col.name
        if source_column not in source.column_names():
            report.error(
                loc,
                f"column '{source_column}' is not a column of source '{source.name}'",
                hint_for(source_column, source.column_names()),
            )
            continue
        if spec_col.name in taken or spec_col.name.startswith(HASH_KEY_PREFIX):
            if spec_col.name in spec.sub_keys:
                what = "a sub-key (sub-keys are stored and compared already)"
            elif any(c.name == spec_col.name for c in columns):
                what = "declared twice"
            else:
                what = "a metadata column"
            report.error(
                loc,
                f"payload column '{spec_col.name}' clashes with {what}",
                "remove it, or rename it with '{name: <new name>, source_column: " + source_column + "}'",
            )
            continue
        taken.add(spec_col.name)
        src_col = source.column(source_column)
        columns.append(
            SatColumn(spec_col.name, source_column, src_col.type, spec_col.description or src_col.description)
        )
    member_hashdiff_column = HASHDIFF_PREFIX + spec.name
    check_identifier(report, ("name",), member_hashdiff_column, "stage hashdiff column")
    if len(sub_keys) != len(spec.sub_keys) or report.problems:
        return None
    msat_id = f"msat.{spec.name}"
    source.hashdiffs.append(
        HashdiffMapping(
            spec.name,
            msat_id,
            member_hashdiff_column,
            [source.column(c.source_column) for c in [*sub_keys, *columns]],
            spec.case_sensitive,
            key_column=stage_key,  # late groups look up what earlier batches staged for the key
        )
    )
    # a row without a sub-key cannot be a member (sub-keys are part of the primary key): quarantined
    # when staged, like a row without its hub key; NULL and blank text alike
    source.required_keys.append(
        RequiredKey(
            msat_id,
            [KeyPart(k.name, k.name, k.type, True) for k in sub_keys],
            f"multi-active satellite {spec.name}: sub-key ({', '.join(k.name for k in sub_keys)}) is empty",
        )
    )
    return MultiActiveSatellite(
        id=msat_id,
        name=spec.name,
        description=spec.description,
        table=table,
        parent_kind=parent_kind,
        parent=parent_name,
        parent_key=parent_key,
        source=source.name,
        stage_table=source.stage_table,
        stage_key_column=stage_key,
        member_hashdiff_column=member_hashdiff_column,
        sub_keys=sub_keys,
        columns=columns,
        case_sensitive=spec.case_sensitive,
        applied_from_source=source.applied_ts is not None,
        sequence_column=source.sequence,
        sequence_type=source.column(source.sequence).type if source.sequence else None,
        origin=Origin(doc.file, doc.start_line),
    )


def physical(msat: MultiActiveSatellite, ctx: Context) -> list[PhysTable]:
    types = ctx.types
    seq = applied_seq_column(msat.sequence_column, msat.sequence_type, "part of the group's position, with applied_dts")
    applied = (
        f"When the group was current at the source ({msat.source})"
        if msat.applied_from_source
        else "No applied timestamp at the source: equals load_dts"
    )
    return [
        PhysTable(
            SCHEMA_RAW_VAULT,
            msat.table,
            msat.id,
            [
                PhysColumn(
                    msat.parent_key, ctx.hash_type, True, f"Hash key of {msat.parent_kind} {msat.parent}", "key"
                ),
                *(PhysColumn(k.name, k.type.sql, True, k.description, "key") for k in msat.sub_keys),
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
                PhysColumn(
                    COL_HASHDIFF,
                    ctx.hash_type,
                    True,
                    "Group hashdiff: hash of the sorted hashdiffs of every member of this version (same on each)",
                    "meta",
                ),
                PhysColumn(COL_RECORD_SOURCE, types.text, True, "Source that delivered this version", "meta"),
                PhysColumn(
                    COL_BATCH_ID, types.batch_id, True, "Batch that loaded this version (dv_meta.batch)", "meta"
                ),
                *(PhysColumn(c.name, c.type.sql, False, c.description) for c in msat.columns),
            ],
            primary_key=msat.primary_key,
            indexes=[
                PhysIndex(
                    f"{msat.table}_ver",
                    [msat.parent_key, *(f"{c} DESC" for c in msat.order_columns(stored=True))],
                    [COL_HASHDIFF],
                )
            ],
            comment=msat.description or f"Multi-active satellite {msat.name} of {msat.parent_kind} {msat.parent}",
        )
    ]


def views(msat: MultiActiveSatellite) -> list[PhysView]:
    return history_views(SCHEMA_RAW_VAULT, msat.table, msat.id, f"{FOLDER}/{msat.name}.views.sql")


def render(msat: MultiActiveSatellite, r: Renderer) -> dict[str, str]:
    files = [msat.origin.file]
    return {
        "create": r.sql("multi_active_satellite/create.sql.j2", files, msat=msat, tables=physical(msat, r.ctx)),
        "load": r.sql("multi_active_satellite/load.sql.j2", files, msat=msat),
        "views": r.views("multi_active_satellite/views.sql.j2", files, msat=msat),
    }


def manifest(msat: MultiActiveSatellite) -> dict[str, Any]:
    return {
        "schema": SCHEMA_RAW_VAULT,
        "table": msat.table,
        "satellite_kind": "multi_active",
        "parent": f"{msat.parent_kind}.{msat.parent}",
        "parent_key": msat.parent_key,
        "source": msat.source,
        "sub_keys": [{"name": k.name, "type": k.type.sql} for k in msat.sub_keys],
        "columns": [{"name": c.name, "source_column": c.source_column, "type": c.type.sql} for c in msat.columns],
        "case_sensitive": msat.case_sensitive,
        "version_key": msat.version_key,
        "version_order": msat.order_columns(stored=True),
    }


KIND = KindDef(
    kind="multi_active_satellite",
    id_prefix="msat",
    spec=MultiActiveSatelliteSpec,
    tier=3,
    folder=FOLDER,
    resolve=resolve,
    physical=physical,
    render=render,
    depends_on=lambda msat: sorted({f"{msat.parent_kind}.{msat.parent}", f"source.{msat.source}"}),
    manifest=manifest,
    views=views,
    description="a group of rows per key at a time (told apart by sub-keys), versioned as a whole",
    name_group="satellite",
    layer=LAYER_RAW_VAULT,
    title="multi-active satellite",
    plural="Multi-active satellites",
    family="satellite",
)
