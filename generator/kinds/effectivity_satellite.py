"""kind: effectivity_satellite — when the relationships of a link start and end, per driving key.

A link records that a relationship was seen; it never says it is over. The effectivity satellite
does, for links where some roles (the driving key) have one partner at a time: a job has one
employer at a time, so when the source says job J now belongs to employer B, the relationship J-A
ends and J-B starts, at the row's applied time.

Insert-only rows, one per change of a relationship's status: ``is_active`` true when it starts,
false when it ends. End dates are virtual: the ``_hist`` view pairs each start with the next row
of the same relationship; ``_current`` lists the open relationships.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from generator.constants import (
    COL_APPLIED_DTS,
    COL_APPLIED_SEQ,
    COL_BATCH_ID,
    COL_IS_ACTIVE,
    COL_LOAD_DTS,
    COL_LOAD_SEQ,
    COL_RECORD_SOURCE,
    COL_ROW_NO,
    ESAT_PREFIX,
    SCHEMA_RAW_VAULT,
)
from generator.kinds.base import EntitySpec, Identifier, check_identifier
from generator.kinds.registry import LAYER_RAW_VAULT, KindDef
from generator.physical import Context, PhysColumn, PhysIndex, PhysTable, PhysView, applied_seq_column
from generator.resolve import LinkRef, Origin, Reporter, did_you_mean, hint_for
from generator.types import DataType
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer

KIND_PREFIX = "esat"  # manifest ids: esat.<name>
FOLDER = "effectivity_satellites"  # under vault_sql/
VIEW_SUFFIXES = ("_hist", "_current")


class EffectivitySatelliteSpec(EntitySpec):
    kind: Literal["effectivity_satellite"]
    link: Identifier
    driving_keys: list[Identifier] = Field(min_length=1)
    source: Identifier


@dataclass(frozen=True)
class DrivingRole:
    role: str
    hub: str
    column: str  # hk_<role>: in the link, and copied into the effectivity satellite
    stage_column: str  # hk_<link>__<role> in the source's stage table


@dataclass
class EffectivitySatellite:
    id: str
    name: str
    description: str
    table: str
    link: str
    link_table: str
    link_key: str  # hk_<link>: the parent key
    driving: list[DrivingRole]
    partners: list[LinkRef]  # the link's other roles (shown by the views)
    source: str
    stage_table: str
    stage_key_column: str
    applied_from_source: bool
    sequence_column: str | None  # the source's sequence column, stored as applied_seq
    sequence_type: DataType | None
    origin: Origin

    @property
    def driving_columns(self) -> list[str]:
        return [r.column for r in self.driving]

    @property
    def position_columns(self) -> list[str]:
        """Where a row stands on the source's timeline: applied_dts, then applied_seq if any."""
        return [COL_APPLIED_DTS, COL_APPLIED_SEQ] if self.sequence_column else [COL_APPLIED_DTS]

    def order_columns(self, stored: bool) -> list[str]:
        """Row order of a driving key: the position, then load order (stored rows) or landing order (a batch)."""
        tail = [COL_LOAD_DTS, COL_LOAD_SEQ] if stored else [COL_ROW_NO]
        return [*self.position_columns, *tail]


def resolve(
    spec: EffectivitySatelliteSpec, doc: Document, report: Reporter, model: Model
) -> EffectivitySatellite | None:
    link = model.links.get(spec.link)
    if link is None and model.is_invalid("link", spec.link):
        return None
    if link is None:
        report.error(("link",), f"unknown link '{spec.link}'", hint_for(spec.link, model.links))
        return None
    table = ESAT_PREFIX + spec.name
    check_identifier(report, ("name",), table, "effectivity satellite table")
    for suffix, what in (*((s, "view") for s in VIEW_SUFFIXES), ("_ver", "index"), ("_drv", "index")):
        check_identifier(report, ("name",), table + suffix, what)
    roles = [r.role for r in link.refs]
    chosen: list[str] = []
    for i, role in enumerate(spec.driving_keys):
        if role not in roles:
            report.error(("driving_keys", i), f"'{role}' is not a role of link '{link.name}'", hint_for(role, roles))
        elif role in chosen:
            report.error(("driving_keys", i), f"driving key '{role}' is listed twice", "list each role once")
        else:
            chosen.append(role)
    if len(chosen) == len(roles):
        report.error(
            ("driving_keys",),
            f"every role of link '{link.name}' is a driving key, so no role is left to change partner",
            f"list the roles that have one partner at a time (e.g. [{roles[0]}]); the others are their partners",
        )
    source = model.sources.get(spec.source)
    if source is None and model.is_invalid("source", spec.source):
        return None
    if source is None:
        report.error(("source",), f"unknown source '{spec.source}'", hint_for(spec.source, model.sources))
        return None
    feed = next((f for f in link.feeds if f.source == source.name), None)
    mapping = next((m for m in source.link_keys if m.owner == link.id), None)
    if (feed is None or mapping is None) and model.is_invalid("link", link.name):
        return None  # the link's own problems (a broken entry for this source) explain it
    if feed is None or mapping is None:
        fed_by = sorted(f.source for f in link.feeds)
        report.error(
            ("source",),
            f"source '{source.name}' does not feed link '{link.name}', so its rows have no relationship",
            (did_you_mean(source.name, fed_by) or f"link '{link.name}' is fed by {', '.join(fed_by)}")
            + f"; or add '- source: {source.name}' with its keys to the sources of link '{link.name}'",
        )
        return None
    nullable = [m.role for m in mapping.roles if m.role in chosen and m.nullable]
    if nullable:
        report.error(
            ("driving_keys",),
            f"driving key role(s) {', '.join(nullable)} may have no key in source '{source.name}' "
            "(nullable_roles of the link), and a row without its driving key cannot end or start anything",
            f"remove {', '.join(nullable)} from the nullable_roles of link '{link.name}' for this source, "
            "or choose other driving keys",
        )
    if report.problems:
        return None
    stage_columns = dict(zip([r.role for r in link.refs], feed.role_columns, strict=True))
    # late rows look up what earlier batches staged for the driving key: an index on its first column
    source.lookup_keys.append(stage_columns[next(r.role for r in link.refs if r.role in chosen)])
    return EffectivitySatellite(
        id=f"{KIND_PREFIX}.{spec.name}",
        name=spec.name,
        description=spec.description,
        table=table,
        link=link.name,
        link_table=link.table,
        link_key=link.hash_key,
        driving=[DrivingRole(r.role, r.hub, r.column, stage_columns[r.role]) for r in link.refs if r.role in chosen],
        partners=[r for r in link.refs if r.role not in chosen],
        source=source.name,
        stage_table=source.stage_table,
        stage_key_column=feed.stage_column,
        applied_from_source=source.applied_ts is not None,
        sequence_column=source.sequence,
        sequence_type=source.column(source.sequence).type if source.sequence else None,
        origin=Origin(doc.file, doc.start_line),
    )


def physical(esat: EffectivitySatellite, ctx: Context) -> list[PhysTable]:
    types = ctx.types
    seq = applied_seq_column(esat.sequence_column, esat.sequence_type)
    applied = (
        f"When the relationship started or ended at the source ({esat.source})"
        if esat.applied_from_source
        else "No applied timestamp at the source: the load_dts of the batch that saw the change"
    )
    position = [f"{c} DESC" for c in esat.order_columns(stored=True)]
    return [
        PhysTable(
            SCHEMA_RAW_VAULT,
            esat.table,
            esat.id,
            [
                PhysColumn(
                    esat.link_key, ctx.hash_type, True, f"Hash key of link {esat.link}: the relationship", "key"
                ),
                PhysColumn(
                    COL_LOAD_DTS, types.timestamp, True, "Load timestamp of the batch that saw the change", "key"
                ),
                PhysColumn(
                    COL_LOAD_SEQ,
                    types.load_seq,
                    True,
                    "Order of this row among the rows of its driving key loaded in the same batch (1 = first)",
                    "key",
                ),
                *(
                    PhysColumn(
                        r.column, ctx.hash_type, True, f"Driving key: hash key of hub {r.hub} as {r.role}", "meta"
                    )
                    for r in esat.driving
                ),
                PhysColumn(COL_APPLIED_DTS, types.timestamp, True, applied, "meta"),
                *seq,
                PhysColumn(
                    COL_IS_ACTIVE,
                    types.boolean,
                    True,
                    "true: the relationship starts at applied_dts; false: it ends there",
                    "meta",
                ),
                PhysColumn(COL_RECORD_SOURCE, types.text, True, "Source whose row caused the change", "meta"),
                PhysColumn(COL_BATCH_ID, types.batch_id, True, "Batch that loaded this row (dv_meta.batch)", "meta"),
            ],
            primary_key=[esat.link_key, COL_LOAD_DTS, COL_LOAD_SEQ],
            indexes=[
                # rows of one relationship in order: re-delivery check, the views' next row
                PhysIndex(f"{esat.table}_ver", [esat.link_key, *position], [COL_IS_ACTIVE]),
                # rows of one driving key in order: its state at a position, its next start
                PhysIndex(f"{esat.table}_drv", [*esat.driving_columns, *position], [esat.link_key, COL_IS_ACTIVE]),
            ],
            comment=esat.description
            or f"Effectivity of link {esat.link} per driving key ({', '.join(r.role for r in esat.driving)})",
        )
    ]


def views(esat: EffectivitySatellite) -> list[PhysView]:
    return [
        PhysView(SCHEMA_RAW_VAULT, f"{esat.table}{suffix}", esat.id, f"{FOLDER}/{esat.name}.views.sql")
        for suffix in VIEW_SUFFIXES
    ]


def render(esat: EffectivitySatellite, r: Renderer) -> dict[str, str]:
    files = [esat.origin.file]
    return {
        "create": r.sql("effectivity_satellite/create.sql.j2", files, esat=esat, tables=physical(esat, r.ctx)),
        "load": r.sql("effectivity_satellite/load.sql.j2", files, esat=esat),
        "views": r.views("effectivity_satellite/views.sql.j2", files, esat=esat),
    }


def manifest(esat: EffectivitySatellite) -> dict[str, Any]:
    return {
        "schema": SCHEMA_RAW_VAULT,
        "table": esat.table,
        "parent": f"link.{esat.link}",
        "parent_key": esat.link_key,
        "source": esat.source,
        "driving_keys": [r.role for r in esat.driving],
        # the driving roles' hub references, as stored in the effectivity satellite
        "refs": [{"role": r.role, "hub": r.hub, "column": r.column} for r in esat.driving],
        "version_order": esat.order_columns(stored=True),
    }


KIND = KindDef(
    kind="effectivity_satellite",
    id_prefix=KIND_PREFIX,
    spec=EffectivitySatelliteSpec,
    tier=3,
    folder=FOLDER,
    resolve=resolve,
    physical=physical,
    render=render,
    depends_on=lambda esat: sorted({f"link.{esat.link}", f"source.{esat.source}"}),
    manifest=manifest,
    views=views,
    description="when the relationships of a link start and end, per driving key",
    layer=LAYER_RAW_VAULT,
    title="effectivity satellite",
    plural="Effectivity satellites",
    family="satellite",
)
