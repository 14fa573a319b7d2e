"""kind: pit — a point-in-time table of a hub over a daily snapshot calendar (business vault).

For each snapshot date and each key of the hub known by then, the version of each listed satellite
(standard or multi-active) that was current as the warehouse knew it at the end of that day: its hash key,
load_dts and load_seq (the satellite's primary key), or the ghost record's when there was none yet, so a
mart joins every satellite with inner joins.

Stored only where something changed: ``<pit>_changes`` holds one row per key and day on which one of its
versions changed (``valid_from`` .. ``valid_to``, days, the end exclusive), ``<pit>_calendar`` the snapshot
days, and the view ``<pit>`` gives every (day, key) by a range join of the two. A version loaded at
``load_dts`` and superseded (as the warehouse knew it) at ``load_end_dts`` of the ``_hist`` views stands on
the days from ``load_dts``'s day up to, not including, ``load_end_dts``'s day (UTC): exactly the days whose
snapshot moment (midnight after the day, or the refreshed batch's load for its own day) lies in
``(load_dts, load_end_dts]``. Incremental: a refresh computes again only the keys whose hub or satellite
rows were loaded since the last refresh, and the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from generator.constants import SCHEMA_BUSINESS_VAULT, SCHEMA_RAW_VAULT
from generator.kinds.base import EntitySpec, Identifier, SqlName
from generator.kinds.derived import FOLDER_BUSINESS, PIT_STORAGE_SUFFIXES, TIER_GENERATED, definition_tag
from generator.kinds.registry import LAYER_BUSINESS_VAULT, KindDef
from generator.physical import Context, PhysTable
from generator.resolve import Origin, Reporter, hint_for
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer

PREFIX = "pit_"


class PitSpec(EntitySpec):
    kind: Literal["pit"]
    name: SqlName  # the view and its tables are named as the object
    hub: Identifier
    satellites: list[Identifier] = Field(min_length=1)
    calendar: Literal["daily"] = "daily"
    keep_days: int | None = Field(default=None, ge=1)


@dataclass(frozen=True)
class PitSatellite:
    name: str
    table: str  # raw_vault.<table>
    multi_active: bool

    @property
    def hist(self) -> str:
        return f"{SCHEMA_RAW_VAULT}.{self.table}_hist"


@dataclass
class Pit:
    id: str
    name: str
    description: str
    hub: str
    hub_table: str
    hash_key: str
    satellites: list[PitSatellite]
    origin: Origin
    keep_days: int | None = None  # retention: snapshots older than this many days before the latest are dropped

    @property
    def qualified(self) -> str:
        return f"{SCHEMA_BUSINESS_VAULT}.{self.name}"

    @property
    def changes_table(self) -> str:
        return self.qualified + PIT_STORAGE_SUFFIXES[0]

    @property
    def calendar_table(self) -> str:
        return self.qualified + PIT_STORAGE_SUFFIXES[1]

    def version_columns(self) -> list[tuple[str, str]]:
        """The satellite version columns (three per satellite), the same in the view and the changes table."""
        return self.columns()[3:]

    def columns(self) -> list[tuple[str, str]]:
        out = [
            ("snapshot_date", "The day of the snapshot (UTC)"),
            (
                "snapshot_dts",
                "The moment of the snapshot: the end of the day, or the refreshed batch's load for the last day",
            ),
            (self.hash_key, f"Hash key of hub {self.hub}"),
        ]
        for s in self.satellites:
            out += [
                (
                    f"{s.name}_hk",
                    f"Hash key of the version of {s.table} current then (the zero key: none yet, the ghost record)",
                ),
                (f"{s.name}_load_dts", f"load_dts of that version of {s.table}"),
                (f"{s.name}_load_seq", f"load_seq of that version of {s.table}"),
            ]
        return out


def resolve(spec: PitSpec, doc: Document, report: Reporter, model: Model) -> Pit | None:
    if not spec.name.startswith(PREFIX):
        report.error(("name",), f"a PIT table is named '{PREFIX}…'", f"rename it '{PREFIX}{spec.name}'")
    hub = model.hubs.get(spec.hub)
    if hub is None:
        if not model.is_invalid("hub", spec.hub):
            report.error(("hub",), f"unknown hub '{spec.hub}'", hint_for(spec.hub, model.hubs))
        return None
    sats: list[PitSatellite] = []
    candidates = {
        e.name: e
        for i, e in model.entities.items()
        if i.split(".", 1)[0] in ("sat", "msat") and getattr(e, "parent_kind", "") == "hub" and e.parent == hub.name
    }
    for i, name in enumerate(spec.satellites):
        sat = candidates.get(name)
        if sat is None:
            report.error(
                ("satellites", i),
                f"'{name}' is not a satellite or multi-active satellite of hub '{hub.name}'",
                hint_for(name, candidates),
            )
            continue
        sats.append(PitSatellite(name, sat.table, sat.id.startswith("msat.")))
    if report.problems:
        return None
    return Pit(
        id=f"pit.{spec.name}",
        name=spec.name,
        description=spec.description,
        hub=hub.name,
        hub_table=f"{SCHEMA_RAW_VAULT}.{hub.table}",
        hash_key=hub.hash_key,
        satellites=sats,
        origin=Origin(doc.file, doc.start_line),
        keep_days=spec.keep_days,
    )


def _tag(pit: Pit) -> str:
    # version 2: stored where something changed (<pit>_changes, <pit>_calendar) and read through the view
    return definition_tag("pit", pit.hub, [(s.name, s.table) for s in pit.satellites], pit.keep_days, 2)


def render(pit: Pit, r: Renderer) -> dict[str, str]:
    files = [pit.origin.file]
    tag = _tag(pit)
    return {
        "build": r.sql("pit/build.sql.j2", files, pit=pit, tag=tag, statement="build"),
        "refresh": r.sql("pit/build.sql.j2", files, pit=pit, tag=tag, statement="refresh"),
    }


def manifest(pit: Pit) -> dict[str, Any]:
    return {
        "schema": SCHEMA_BUSINESS_VAULT,
        "table": pit.name,
        "refresh": "incremental",
        "relkind": "view",
        "stores": [pit.changes_table, pit.calendar_table],
        "hub": pit.hub,
        "satellites": [s.name for s in pit.satellites],
        "keep_days": pit.keep_days,
        "key": ["snapshot_date", pit.hash_key],
        "columns": [{"name": n, "description": d} for n, d in pit.columns()],
        "reads": sorted({pit.hub_table, *(s.hist for s in pit.satellites)}),
        "fingerprint": _tag(pit),
    }


def depends_on(pit: Pit) -> list[str]:
    return sorted({f"hub.{pit.hub}", *((("msat." if s.multi_active else "sat.") + s.name) for s in pit.satellites)})


def no_tables(pit: Pit, ctx: Context) -> list[PhysTable]:
    return []  # built by dv marts


KIND = KindDef(
    kind="pit",
    id_prefix="pit",
    spec=PitSpec,
    tier=TIER_GENERATED,
    folder=FOLDER_BUSINESS,
    resolve=resolve,
    physical=no_tables,
    render=render,
    depends_on=depends_on,
    manifest=manifest,
    description="a point-in-time table of a hub over a daily snapshot calendar",
    name_group="business_vault",
    layer=LAYER_BUSINESS_VAULT,
    title="PIT table",
    plural="PIT tables",
    family="generated",
)
