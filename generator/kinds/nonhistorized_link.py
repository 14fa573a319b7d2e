"""kind: nonhistorized_link — events and transactions (a job view, a timesheet line).

Like a link, it ties hub references (with roles) together, and its hash key covers the hubs' keys
plus the event's own key (``event_keys``, in the place of a link's dependent keys). Unlike a link,
the event's facts (``columns``) are stored in the link row itself: an event happens once and is
never changed, so there is no satellite and no history. A row is inserted once per event key; a
re-delivery inserts nothing, and a re-delivery with a different payload keeps the first delivery
and is recorded in ``dv_meta.late_data`` (a conflict, counted as rejected in ``dv_meta.load_log``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from generator.constants import (
    COL_APPLIED_DTS,
    HASH_KEY_PREFIX,
    NHL_PREFIX,
    SCHEMA_RAW_VAULT,
)
from generator.kinds.base import EntitySpec, Identifier, SqlName, Strict, TypeName, check_identifier
from generator.kinds.hub import RESERVED_COLUMNS, BusinessKeySpec, meta_columns
from generator.kinds.link import LinkHubSpec, resolve_feed, resolve_refs
from generator.kinds.registry import LAYER_RAW_VAULT, KindDef
from generator.physical import Context, PhysColumn, PhysIndex, PhysTable
from generator.resolve import Column, KeyPart, Link, Origin, Reporter, RequiredKey, hint_for, must_type
from generator.types import DataType
from generator.yaml_loader import Document, Loc

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer

KIND_PREFIX = "nhl"  # manifest ids: nhl.<name>
FOLDER = "nonhistorized_links"  # under vault_sql/
CONFLICT_REASON = "event delivered again with a different payload; the first delivery is kept"


class NhlColumnSpec(Strict):
    name: SqlName
    type: TypeName | None = None
    description: str = ""


class NhlSourceSpec(Strict):
    source: Identifier
    keys: dict[Identifier, list[Identifier]]
    event_keys: list[Identifier] = Field(min_length=1)
    nullable_roles: list[Identifier] = Field(default_factory=list)
    columns: dict[SqlName, Identifier] = Field(default_factory=dict)


class NonHistorizedLinkSpec(EntitySpec):
    kind: Literal["nonhistorized_link"]
    hubs: list[LinkHubSpec] = Field(min_length=1)
    event_keys: list[BusinessKeySpec] = Field(min_length=1)
    columns: list[SqlName | NhlColumnSpec] = Field(default_factory=list)
    sources: list[NhlSourceSpec] = Field(min_length=1)

    def column_specs(self) -> list[NhlColumnSpec]:
        return [NhlColumnSpec(name=c) if isinstance(c, str) else c for c in self.columns]


@dataclass(frozen=True)
class NhlColumn:
    name: str
    type: DataType
    description: str


@dataclass
class NonHistorizedLink(Link):
    """A link whose dependent keys are the event keys, with the event's payload in the row."""

    columns: list[NhlColumn] = field(default_factory=list)
    # per feeding source: the source column of each payload column, in the order of ``columns``
    payload: dict[str, list[Column]] = field(default_factory=dict)

    @property
    def event_keys(self) -> list[KeyPart]:
        return self.dependent_keys


def resolve(spec: NonHistorizedLinkSpec, doc: Document, report: Reporter, model: Model) -> NonHistorizedLink | None:
    refs, complete = resolve_refs(spec.hubs, report, model)
    nhl = NonHistorizedLink(
        id=f"{KIND_PREFIX}.{spec.name}",
        name=spec.name,
        description=spec.description,
        table=NHL_PREFIX + spec.name,
        hash_key=HASH_KEY_PREFIX + spec.name,
        refs=refs,
        dependent_keys=[
            KeyPart(k.name, k.name, must_type(k.type), k.case_sensitive, k.description) for k in spec.event_keys
        ],
        origin=Origin(doc.file, doc.start_line),
    )
    check_identifier(report, ("name",), nhl.table, "non-historized link table")
    taken = set(RESERVED_COLUMNS) | {r.column for r in nhl.refs} | {nhl.hash_key}
    for i, key in enumerate(spec.event_keys):
        if key.name in taken or key.name.startswith(HASH_KEY_PREFIX):
            what = "another event key" if any(k.name == key.name for k in spec.event_keys[:i]) else "a link column"
            report.error(("event_keys", i, "name"), f"event key '{key.name}' clashes with {what}", "rename it")
        taken.add(key.name)
    column_specs = spec.column_specs()
    for i, col in enumerate(column_specs):
        if col.name in taken or col.name.startswith(HASH_KEY_PREFIX):
            what = "another column" if any(c.name == col.name for c in column_specs[:i]) else "a key or metadata column"
            report.error(
                ("columns", i),
                f"payload column '{col.name}' clashes with {what}",
                "rename it, and map it to its source column under sources[].columns",
            )
        taken.add(col.name)
    if not complete or report.problems:
        return None
    seen: set[str] = set()
    fed: list[tuple[Loc, NhlSourceSpec]] = []
    for i, feed in enumerate(spec.sources):
        loc: Loc = ("sources", i)
        mapping = resolve_feed(
            nhl,
            feed.source,
            feed.keys,
            feed.nullable_roles,
            feed.event_keys,
            loc,
            report,
            model,
            seen,
            dependent_field="event_keys",
            dependent_what="the event keys",
        )
        if mapping is None:
            continue
        fed.append((loc, feed))
        model.sources[feed.source].required_keys.append(
            RequiredKey(
                nhl.id,
                mapping.dependent,
                f"nonhistorized link {nhl.name}: event key "
                f"({', '.join(p.source_column for p in mapping.dependent)}) is empty",
            )
        )
    if report.problems:
        return None
    nhl.payload = _payload_sources(spec, fed, report, model)
    if report.problems:
        return None
    nhl.columns = _payload_types(spec, nhl.payload, report)
    return None if report.problems else nhl


def _payload_sources(
    spec: NonHistorizedLinkSpec, fed: list[tuple[Loc, NhlSourceSpec]], report: Reporter, model: Model
) -> dict[str, list[Column]]:
    """Per source, the source column of every payload column (``sources[].columns`` renames)."""
    names = [c.name for c in spec.column_specs()]
    mistyped: set[str] = set()  # sources with an unknown rename: that mistake explains their missing columns
    for loc, feed in fed:
        for name in feed.columns:
            if name not in names:
                report.error(
                    (*loc, "columns", name), f"'{name}' is not a payload column of this link", hint_for(name, names)
                )
                mistyped.add(feed.source)
    for i, name in enumerate(names):
        missing = [
            (loc, feed)
            for loc, feed in fed
            if feed.columns.get(name, name) not in model.sources[feed.source].column_names()
        ]
        if fed and len(missing) == len(fed) and not any(name in feed.columns for _, feed in missing):
            # the column is in no source, and no source renames it: a mistake in `columns`
            first = model.sources[fed[0][1].source]
            where = (
                f"source '{first.name}'"
                if len(fed) == 1
                else f"any of its sources ({', '.join(f.source for _, f in fed)})"
            )
            report.error(
                ("columns", i),
                f"payload column '{name}' is not a column of {where}",
                hint_for(name, first.column_names()),
            )
            continue
        for loc, feed in missing:
            if feed.source in mistyped:
                continue
            source = model.sources[feed.source]
            source_column = feed.columns.get(name, name)
            renamed = name in feed.columns
            report.error(
                (*loc, "columns", name) if renamed else (*loc, "source"),
                f"payload column '{name}': '{source_column}' is not a column of source '{source.name}'",
                hint_for(source_column, source.column_names())
                + ("" if renamed else f"; to take it from another column: 'columns: {{{name}: <source column>}}'"),
            )
    if report.problems:
        return {}
    return {feed.source: [model.sources[feed.source].column(feed.columns.get(n, n)) for n in names] for _, feed in fed}


def _payload_types(spec: NonHistorizedLinkSpec, mapped: dict[str, list[Column]], report: Reporter) -> list[NhlColumn]:
    """Each payload column's type: as declared, else its first source's column type. Every source
    must deliver a value of the same type family (so a conflict is judged alike whoever delivers)."""
    columns: list[NhlColumn] = []
    first = next(iter(mapped.values()), None)
    if first is None:
        return columns
    for i, col in enumerate(spec.column_specs()):
        src = first[i]
        dtype = must_type(col.type) if col.type else src.type
        columns.append(NhlColumn(col.name, dtype, col.description or src.description))
        for j, feed in enumerate(spec.sources):
            given = mapped.get(feed.source)
            if given is not None and given[i].type.family != dtype.family:
                report.error(
                    ("sources", j, "columns", col.name) if col.name in feed.columns else ("columns", i),
                    f"payload column '{col.name}' is {dtype.sql}, but source '{feed.source}' gives "
                    f"'{given[i].name}', which is {given[i].type.sql}",
                    "every source must give a payload column a value of its type family; "
                    "declare the column's type, or map another source column",
                )
    return columns


def physical(nhl: NonHistorizedLink, ctx: Context) -> list[PhysTable]:
    types = ctx.types
    meta = meta_columns(ctx.types)
    return [
        PhysTable(
            SCHEMA_RAW_VAULT,
            nhl.table,
            nhl.id,
            [
                PhysColumn(nhl.hash_key, ctx.hash_type, True, "Hash key of the event: hubs' keys and event key", "key"),
                *(
                    PhysColumn(
                        r.column,
                        ctx.hash_type,
                        True,
                        f"Hash key of hub {r.hub}" + (f" as {r.role}" if r.role != r.hub else ""),
                        "key",
                    )
                    for r in nhl.refs
                ),
                *(
                    PhysColumn(
                        k.name, k.type.sql, False, f"{k.description or 'Event key'} (standardized as hashed)", "key"
                    )
                    for k in nhl.event_keys
                ),
                PhysColumn(COL_APPLIED_DTS, types.timestamp, True, "When the event happened at the source", "meta"),
                *meta,
                *(PhysColumn(c.name, c.type.sql, False, c.description) for c in nhl.columns),
            ],
            primary_key=[nhl.hash_key],
            indexes=[PhysIndex(f"{nhl.table}_{r.role}", [r.column]) for r in nhl.refs],
            comment=nhl.description or f"Non-historized link {nhl.name}",
        )
    ]


def render(nhl: NonHistorizedLink, r: Renderer) -> dict[str, str]:
    files = [nhl.origin.file]
    return {
        "create": r.sql("nonhistorized_link/create.sql.j2", files, nhl=nhl, tables=physical(nhl, r.ctx)),
        "load": r.sql("nonhistorized_link/load.sql.j2", files, nhl=nhl, conflict_reason=CONFLICT_REASON),
    }


def depends_on(nhl: NonHistorizedLink) -> list[str]:
    return sorted({f"hub.{ref.hub}" for ref in nhl.refs} | {f"source.{f.source}" for f in nhl.feeds})


def manifest(nhl: NonHistorizedLink) -> dict[str, Any]:
    return {
        "schema": SCHEMA_RAW_VAULT,
        "table": nhl.table,
        "hash_key": nhl.hash_key,
        "refs": [{"role": ref.role, "hub": ref.hub, "column": ref.column} for ref in nhl.refs],
        "event_keys": [
            {"name": k.name, "type": k.type.sql, "case_sensitive": k.case_sensitive} for k in nhl.event_keys
        ],
        "columns": [{"name": c.name, "type": c.type.sql} for c in nhl.columns],
        "feeds": [
            {
                "source": f.source,
                "role_columns": f.role_columns,
                "event_key_columns": [p.source_column for p in f.dependent_parts],
                "columns": [c.name for c in nhl.payload[f.source]],
            }
            for f in nhl.feeds
        ],
        "conflicts": {"table": "dv_meta.late_data", "reason": CONFLICT_REASON},
    }


KIND = KindDef(
    kind="nonhistorized_link",
    id_prefix=KIND_PREFIX,
    spec=NonHistorizedLinkSpec,
    tier=2,
    folder=FOLDER,
    resolve=resolve,
    physical=physical,
    render=render,
    depends_on=depends_on,
    manifest=manifest,
    description="events and transactions: a link row per event key, with the event's facts",
    name_group="hub/link",
    layer=LAYER_RAW_VAULT,
    title="non-historized link",
    plural="Non-historized links",
    family="link",
)
