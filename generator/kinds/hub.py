"""kind: hub — a business concept identified by its business key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from generator.constants import (
    COL_APPLIED_DTS,
    COL_APPLIED_SEQ,
    COL_BATCH_ID,
    COL_HASHDIFF,
    COL_LOAD_DTS,
    COL_LOAD_SEQ,
    COL_RECORD_SOURCE,
    HASH_KEY_PREFIX,
    HASH_SPEC_VERSION,
    HUB_PREFIX,
    SCHEMA_RAW_VAULT,
)
from generator.dialects.base import SqlTypes
from generator.kinds.base import EntitySpec, Identifier, SqlName, Strict, TypeName, check_identifier
from generator.kinds.registry import LAYER_RAW_VAULT, KindDef
from generator.physical import Context, PhysColumn, PhysTable
from generator.resolve import (
    Hub,
    HubFeed,
    HubKeyMapping,
    KeyPart,
    Origin,
    Reporter,
    Source,
    hint_for,
    must_type,
)
from generator.yaml_loader import Document, Loc

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer

RESERVED_COLUMNS = (
    COL_APPLIED_DTS,
    COL_APPLIED_SEQ,
    COL_BATCH_ID,
    COL_HASHDIFF,
    COL_LOAD_DTS,
    COL_LOAD_SEQ,
    COL_RECORD_SOURCE,
    # added by the satellites' _hist and _current views
    "applied_end_dts",
    "load_end_dts",
    "is_current",
)


class BusinessKeySpec(Strict):
    name: SqlName
    type: TypeName = "text"
    case_sensitive: bool = False
    description: str = ""


class HubSourceSpec(Strict):
    source: Identifier
    columns: list[Identifier] = Field(min_length=1)
    on_null: Literal["reject", "zero_key"] = "reject"


class HubSpec(EntitySpec):
    kind: Literal["hub"]
    business_keys: list[BusinessKeySpec] = Field(min_length=1)
    sources: list[HubSourceSpec] = Field(min_length=1)


def key_parts(
    report: Reporter,
    loc: Loc,
    source: Source,
    columns: list[str],
    keys: list[KeyPart],
    what: str,
) -> list[KeyPart] | None:
    """Pair a source's columns with the business-key parts they feed, checking both sides."""
    ok = True
    for i, col in enumerate(columns):
        if col not in source.column_names():
            report.error(
                (*loc, i),
                f"column '{col}' is not a column of source '{source.name}'",
                hint_for(col, source.column_names()),
            )
            ok = False
    if len(columns) != len(keys):
        report.error(
            loc,
            f"{len(columns)} column(s) given for {what}, which has {len(keys)} key part(s) "
            f"({', '.join(k.name for k in keys)})",
            "list one source column per key part, in the key's order",
        )
        ok = False
    if not ok:
        return None
    parts = []
    for i, (col, key) in enumerate(zip(columns, keys, strict=True)):
        src_type = source.column(col).type
        if key.type.family not in ("text", src_type.family):
            report.error(
                (*loc, i),
                f"column '{col}' is {src_type.sql} but key part '{key.name}' of {what} is {key.type.sql}",
                "declare the key part as text (any source type then renders as text), "
                "or give the source column the key's type",
            )
            ok = False
        # hashing renders the value by the source column's type, so every source renders alike
        parts.append(KeyPart(col, key.name, src_type, key.case_sensitive))
    return parts if ok else None


def resolve(spec: HubSpec, doc: Document, report: Reporter, model: Model) -> Hub | None:
    hub = Hub(
        id=f"hub.{spec.name}",
        name=spec.name,
        description=spec.description,
        table=HUB_PREFIX + spec.name,
        hash_key=HASH_KEY_PREFIX + spec.name,
        business_keys=[
            KeyPart(k.name, k.name, must_type(k.type), k.case_sensitive, k.description) for k in spec.business_keys
        ],
        origin=Origin(doc.file, doc.start_line),
    )
    check_identifier(report, ("name",), hub.table, "hub table")
    names = [k.name for k in spec.business_keys]
    for i, key in enumerate(spec.business_keys):
        if key.name in RESERVED_COLUMNS or key.name.startswith(HASH_KEY_PREFIX):
            report.error(
                ("business_keys", i, "name"),
                f"business key '{key.name}' clashes with a metadata column",
                "rename the business key",
            )
        if names.count(key.name) > 1:
            report.error(("business_keys", i, "name"), f"business key '{key.name}' is declared twice")
    seen: set[str] = set()
    for i, feed in enumerate(spec.sources):
        loc: Loc = ("sources", i)
        source = model.sources.get(feed.source)
        if source is None and model.is_invalid("source", feed.source):
            continue
        if source is None:
            report.error((*loc, "source"), f"unknown source '{feed.source}'", hint_for(feed.source, model.sources))
            continue
        if feed.source in seen:
            report.error(
                (*loc, "source"),
                f"source '{feed.source}' feeds this hub twice",
                "a second key of the same hub in one row is a link with role names",
            )
            continue
        seen.add(feed.source)
        parts = key_parts(report, (*loc, "columns"), source, feed.columns, hub.business_keys, f"hub '{spec.name}'")
        if parts is None:
            continue
        stage_column = HASH_KEY_PREFIX + spec.name
        source.hub_keys.append(HubKeyMapping(spec.name, stage_column, parts, feed.on_null, f"hub {spec.name}"))
        hub.feeds.append(HubFeed(source.name, source.stage_table, stage_column, parts))
    return hub


def physical(hub: Hub, ctx: Context) -> list[PhysTable]:
    algorithm = ctx.algorithm
    return [
        PhysTable(
            SCHEMA_RAW_VAULT,
            hub.table,
            hub.id,
            [
                PhysColumn(
                    hub.hash_key,
                    ctx.hash_type,
                    True,
                    f"Hash key ({algorithm}, hash spec v{HASH_SPEC_VERSION}) of the business key",
                    "key",
                ),
                *(
                    PhysColumn(
                        k.name,
                        k.type.sql,
                        False,
                        f"{k.description or 'Business key part'} (standardized as hashed)",
                        "key",
                    )
                    for k in hub.business_keys
                ),
                *meta_columns(ctx.types),
            ],
            primary_key=[hub.hash_key],
            comment=hub.description or f"Hub {hub.name}",
        )
    ]


def meta_columns(types: SqlTypes) -> list[PhysColumn]:
    """load_dts, record_source, batch_id: every hub and link row has them."""
    return [
        PhysColumn(COL_LOAD_DTS, types.timestamp, True, "When the warehouse first loaded this row (its batch)", "meta"),
        PhysColumn(COL_RECORD_SOURCE, types.text, True, "Source that first delivered this row", "meta"),
        PhysColumn(COL_BATCH_ID, types.batch_id, True, "Batch that loaded this row (dv_meta.batch)", "meta"),
    ]


def render(hub: Hub, r: Renderer) -> dict[str, str]:
    files = [hub.origin.file]
    return {
        "create": r.sql("hub/create.sql.j2", files, hub=hub, tables=physical(hub, r.ctx)),
        "load": r.sql("hub/load.sql.j2", files, hub=hub),
    }


def manifest(hub: Hub) -> dict[str, Any]:
    return {
        "schema": SCHEMA_RAW_VAULT,
        "table": hub.table,
        "hash_key": hub.hash_key,
        "business_keys": [
            {"name": k.name, "type": k.type.sql, "case_sensitive": k.case_sensitive} for k in hub.business_keys
        ],
        "feeds": [
            {"source": f.source, "stage_column": f.stage_column, "columns": [p.source_column for p in f.parts]}
            for f in hub.feeds
        ],
    }


KIND = KindDef(
    kind="hub",
    id_prefix="hub",
    spec=HubSpec,
    tier=1,
    folder="hubs",
    resolve=resolve,
    physical=physical,
    render=render,
    depends_on=lambda hub: sorted({f"source.{f.source}" for f in hub.feeds}),
    manifest=manifest,
    description="a business concept identified by its business key",
    name_group="hub/link",
    layer=LAYER_RAW_VAULT,
    title="hub",
    plural="Hubs",
    family="hub",
)
