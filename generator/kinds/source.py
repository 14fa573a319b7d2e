"""kind: source — a table or feed of a source system, landed into ``staging``.

The landing table ``staging.<name>`` holds every column as text, exactly as
extracted; the stage step casts, hashes and quarantines into
``staging.<name>_stage``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from generator.constants import (
    COL_APPLIED_DTS,
    COL_BATCH_ID,
    COL_LOAD_DTS,
    COL_RECORD_SOURCE,
    COL_ROW_NO,
    HASH_KEY_PREFIX,
    HASHDIFF_PREFIX,
    SCHEMA_STAGING,
    STAGE_SUFFIX,
)
from generator.kinds.base import ColumnSpec, EntitySpec, Identifier, SqlName, Strict, check_identifier
from generator.kinds.registry import LAYER_STAGING, KindDef
from generator.physical import Context, PhysColumn, PhysIndex, PhysTable
from generator.resolve import Column, KeyPart, Origin, Reporter, Source, hint_for, must_type
from generator.stage_plan import build_stage_plan
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.render import Renderer

SEQUENCE_FAMILIES = ("integer", "numeric", "date", "timestamp", "timestamptz")
APPLIED_FAMILIES = ("date", "timestamp", "timestamptz")
STAGE_RESERVED = (COL_APPLIED_DTS, COL_BATCH_ID, COL_LOAD_DTS, COL_RECORD_SOURCE, COL_ROW_NO)


class FeedSpec(Strict):
    """A file feed under the landing folder, parsed into the landing table by the extract step."""

    format: Literal["events_jsonl", "board_a_xml", "board_b_json", "crm_csv"]
    path: str = Field(min_length=1, description="glob under the landing folder, e.g. board_a/*.xml")
    event_type: str | None = None  # events_jsonl: only events of this type


class SourceSpec(EntitySpec):
    kind: Literal["source"]
    name: SqlName  # the landing table is named as the source
    record_source: str = Field(min_length=1, description="value written to record_source of every row")
    table: str = ""
    extract: Literal["full", "incremental"] = "incremental"
    columns: list[ColumnSpec] = Field(min_length=1)
    business_keys: list[Identifier] = Field(default_factory=list)
    applied_ts: Identifier | None = None
    sequence: Identifier | None = None
    partition_by: list[Identifier] = Field(default_factory=list)
    query: str = ""  # database sources: extraction SQL (default: the columns of `table`)
    watermark: Identifier | None = None  # incremental database sources: the column compared with the last run
    feed: FeedSpec | None = None  # file sources
    freshness_hours: float | None = None  # a source older than this is stale (dv status, checks)

    @model_validator(mode="after")
    def _columns_known(self) -> SourceSpec:
        names = [c.name for c in self.columns]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"column(s) declared twice: {', '.join(dupes)}")
        for field in ("applied_ts", "sequence"):
            value = getattr(self, field)
            if value is not None and value not in names:
                raise ValueError(f"{field} '{value}' is not one of the source's columns")
        for key in self.business_keys:
            if key not in names:
                raise ValueError(f"business key '{key}' is not one of the source's columns")
        if self.watermark is not None and self.watermark not in names:
            raise ValueError(f"watermark '{self.watermark}' is not one of the source's columns")
        if self.feed is not None and (self.query or self.table):
            raise ValueError("a source is read from a file feed or from a database (table/query), not both")
        if self.watermark is not None and self.extract != "incremental":
            raise ValueError("watermark: only incremental sources are read from a watermark; a full extract reads all")
        return self


def resolve(spec: SourceSpec, doc: Document, report: Reporter) -> Source:
    """Turn a validated source spec into the resolved object (no cross references yet)."""
    source = Source(
        id=f"source.{spec.name}",
        name=spec.name,
        description=spec.description,
        record_source=spec.record_source,
        table=spec.table,  # empty: not read from a database (a feed, or rows landed by hand with dv land)
        extract=spec.extract,
        columns=[Column(c.name, must_type(c.type), c.description) for c in spec.columns],
        business_keys=list(spec.business_keys),
        applied_ts=spec.applied_ts,
        sequence=spec.sequence,
        origin=Origin(doc.file, doc.start_line),
        landing_table=spec.name,
        stage_table=spec.name + STAGE_SUFFIX,
        query=spec.query,
        watermark=spec.watermark or (spec.applied_ts if spec.extract == "incremental" and not spec.feed else None),
        feed=spec.feed.model_dump() if spec.feed else None,
        freshness_hours=spec.freshness_hours,
    )
    check_identifier(report, ("name",), source.stage_table + "_k99", "stage table (with its index suffix)")
    reserved = set(STAGE_RESERVED)
    for i, col in enumerate(spec.columns):
        if col.name in reserved or col.name.startswith((HASH_KEY_PREFIX, HASHDIFF_PREFIX)):
            report.error(
                ("columns", i, "name"),
                f"column '{col.name}' clashes with a stage metadata column",
                f"names {', '.join(sorted(reserved))} and names starting with "
                f"'{HASH_KEY_PREFIX}' or '{HASHDIFF_PREFIX}' are reserved; rename the column",
            )
    if source.applied_ts is not None:
        applied = source.column(source.applied_ts).type
        if applied.family not in APPLIED_FAMILIES:
            report.error(
                ("applied_ts",),
                f"applied_ts column '{source.applied_ts}' is {applied.sql}, which is not a point in time "
                "(every load would fail casting it to timestamptz instead of quarantining the row)",
                "declare the column as timestamptz (or timestamp, date); a value that is not a time is then "
                "quarantined with its row",
            )
    if source.sequence is not None:
        family = source.column(source.sequence).type.family
        if family not in SEQUENCE_FAMILIES:
            report.error(
                ("sequence",),
                f"sequence column '{source.sequence}' is {source.column(source.sequence).type.sql}, "
                "which cannot order changes",
                "use an integer, numeric, date or timestamp column as the sequence",
            )
    source.partition_by = _partition_by(spec, source, report)
    return source


def _partition_by(spec: SourceSpec, source: Source, report: Reporter) -> list[str]:
    """Columns naming the partitions a full extract covers (one job board, one country): deletion
    detection only deletes keys of the partitions an extract delivers."""
    ok = True
    for i, column in enumerate(spec.partition_by):
        loc = ("partition_by", i)
        if column not in source.column_names():
            report.error(
                loc,
                f"partition_by column '{column}' is not a column of source '{source.name}'",
                hint_for(column, source.column_names()),
            )
            ok = False
        elif spec.partition_by.index(column) != i:
            report.error(loc, f"partition_by column '{column}' is listed twice", "list each column once")
            ok = False
        elif source.column(column).type.family == "json":
            report.error(
                loc,
                f"partition_by column '{column}' is {source.column(column).type.sql}, which cannot be compared",
                "partition by a text, number, date or boolean column",
            )
            ok = False
    if spec.partition_by and spec.extract != "full":
        report.error(
            ("partition_by",),
            "partition_by needs a full extract: it scopes deletion detection, and an incremental source "
            "detects no deletions",
            "set 'extract: full' if every extract delivers all keys of its partitions, or remove partition_by",
        )
        ok = False
    return list(spec.partition_by) if ok else []


def physical(source: Source, ctx: Context) -> list[PhysTable]:
    """Landing table (every column text, as extracted) and stage table (typed and hashed, per batch)."""
    types = ctx.types
    landing = PhysTable(
        SCHEMA_STAGING,
        source.landing_table,
        source.id,
        [PhysColumn(COL_ROW_NO, types.row_number, True, "landing order", "meta", identity=True)]
        + [PhysColumn(c.name, types.text, comment=c.description) for c in source.columns],
        primary_key=[],
        comment=f"Landing for source {source.name} ({source.record_source}): rows as extracted, "
        f"emptied when staged. {source.description}".strip(),
    )
    hash_columns = [m.stage_column for m in source.hub_keys]
    for lk in source.link_keys:
        hash_columns += [lk.stage_column] + [r.stage_column for r in lk.roles]
    hash_columns += [h.stage_column for h in source.hashdiffs]
    stage = PhysTable(
        SCHEMA_STAGING,
        source.stage_table,
        source.id,
        [
            PhysColumn(COL_BATCH_ID, types.batch_id, True, role="meta"),
            PhysColumn(COL_LOAD_DTS, types.timestamp, True, role="meta"),
            PhysColumn(COL_RECORD_SOURCE, types.text, True, role="meta"),
            PhysColumn(COL_ROW_NO, types.row_number, True, role="meta"),
            PhysColumn(COL_APPLIED_DTS, types.timestamp, True, role="meta"),
        ]
        # hash columns stay nullable: a column added to a stage table that holds earlier batches
        # has no value for them, and the stage step always fills it for new batches
        + [PhysColumn(name, ctx.hash_type, role="meta") for name in hash_columns]
        + [PhysColumn(c.name, c.type.sql, comment=c.description) for c in source.columns],
        primary_key=[COL_BATCH_ID, COL_ROW_NO],
        indexes=[
            PhysIndex(f"{source.stage_table}_k{n}", [column, COL_APPLIED_DTS])
            for n, column in enumerate(_history_keys(source), start=1)
        ],
        comment=f"Staged rows of source {source.name} per batch: typed, with hash keys and hashdiffs computed in SQL.",
    )
    return [landing, stage]


def _history_keys(source: Source) -> list[str]:
    """Stage key columns whose staged history satellite loads read (late data needs the applied order)."""
    if source.applied_ts is None:
        return []
    return sorted({h.key_column for h in source.hashdiffs if h.key_column} | set(source.lookup_keys))


def render(source: Source, r: Renderer) -> dict[str, str]:
    files = [source.origin.file]
    files += [r.model.hubs[m.hub].origin.file for m in source.hub_keys]
    files += [r.model.entities[m.owner].origin.file for m in source.link_keys]
    files += [r.model.entities[h.owner].origin.file for h in source.hashdiffs]
    plan = build_stage_plan(source, r.d, r.algorithm)

    def cast_checks(exact: bool) -> list[tuple[Column, str]]:
        tests = [(c, r.d.is_castable(f"l.{c.name}", c.type, exact=exact)) for c in source.columns]
        return [(c, test) for c, test in tests if test != "true"]

    return {
        "create": r.sql("staging/create.sql.j2", files, src=source, tables=physical(source, r.ctx)),
        "stage": r.sql(
            "staging/stage.sql.j2", files, src=source, plan=plan, checked=False, cast_checks=cast_checks(False)
        ),
        "stage_checked": r.sql(
            "staging/stage.sql.j2", files, src=source, plan=plan, checked=True, cast_checks=cast_checks(True)
        ),
    }


def manifest(source: Source) -> dict[str, Any]:
    return {
        "schema": SCHEMA_STAGING,
        "table": source.stage_table,
        "record_source": source.record_source,
        "landing_table": source.landing_table,
        "extract": source.extract,
        "columns": [{"name": c.name, "type": c.type.sql} for c in source.columns],
        "business_keys": source.business_keys,
        "applied_ts": source.applied_ts,
        "sequence": source.sequence,
        "partition_by": source.partition_by,
        "source_table": source.table or None,
        "query": source.query or None,
        "watermark": source.watermark,
        "feed": source.feed,
        "freshness_hours": source.freshness_hours,
        "hash_columns": hash_recipes(source),
    }


def hash_recipes(source: Source) -> list[dict[str, Any]]:
    """How the stage step computes each hash column of the stage table, from which typed columns
    (``dv plan`` and ``dv rehash`` recompute them with the dialect's expressions). ``owner`` is the
    entity whose keys a key column holds (a link role column holds its hub's keys)."""

    def parts(ps: list[KeyPart]) -> list[dict[str, Any]]:
        return [{"column": p.source_column, "type": p.type.sql, "case_sensitive": p.case_sensitive} for p in ps]

    out: list[dict[str, Any]] = [
        {"column": m.stage_column, "kind": "key", "owner": f"hub.{m.hub}", "parts": parts(m.parts)}
        for m in source.hub_keys
    ]
    for lk in source.link_keys:
        out += [
            {"column": r.stage_column, "kind": "key", "owner": f"hub.{r.hub}", "parts": parts(r.parts)}
            for r in lk.roles
        ]
        out.append({"column": lk.stage_column, "kind": "key", "owner": lk.owner, "parts": parts(lk.all_parts())})
    out += [
        {
            "column": h.stage_column,
            "kind": "hashdiff",
            "owner": h.owner,
            "case_sensitive": h.case_sensitive,
            "parts": [{"column": c.name, "type": c.type.sql} for c in h.columns],
        }
        for h in source.hashdiffs
    ]
    return out


KIND = KindDef(
    kind="source",
    id_prefix="source",
    spec=SourceSpec,
    tier=0,
    folder="staging",
    resolve=lambda spec, doc, report, model: resolve(spec, doc, report),
    physical=physical,
    render=render,
    depends_on=lambda source: [],
    manifest=manifest,
    description="a table or feed of a source system: landing and stage tables",
    layer=LAYER_STAGING,
    title="source",
    plural="Sources",
    family="source",
)
