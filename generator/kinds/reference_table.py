"""kind: reference_table — a code list with history (countries, currencies, a skill taxonomy).

Keyed by its natural code columns, not by a hash key: a lookup joins on the
code itself. Versions are kept like a satellite's: a new row whenever the
payload of a code changes (hashdiff computed in the stage step), insert-only,
with virtual end dates in the ``_hist`` and ``_current`` views.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    COL_ROW_NO,
    HASH_KEY_PREFIX,
    HASHDIFF_PREFIX,
    REF_PREFIX,
    SCHEMA_RAW_VAULT,
)
from generator.kinds.base import EntitySpec, Identifier, check_identifier
from generator.kinds.hub import RESERVED_COLUMNS
from generator.kinds.registry import LAYER_RAW_VAULT, KindDef
from generator.kinds.satellite import SatColumnSpec
from generator.physical import Context, PhysColumn, PhysIndex, PhysTable, PhysView, applied_seq_column, history_views
from generator.resolve import (
    HashdiffMapping,
    KeyPart,
    Origin,
    Reporter,
    RequiredKey,
    SatColumn,
    hint_for,
)
from generator.types import DataType
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer

KIND_PREFIX = "ref"
FOLDER = "reference_tables"


class ReferenceTableSpec(EntitySpec):
    kind: Literal["reference_table"]
    source: Identifier
    code: list[Identifier] = Field(min_length=1)
    columns: list[Identifier | SatColumnSpec] = Field(min_length=1)
    case_sensitive: bool = False

    def column_specs(self) -> list[SatColumnSpec]:
        return [SatColumnSpec(name=c) if isinstance(c, str) else c for c in self.columns]


@dataclass
class ReferenceTable:
    id: str
    name: str
    description: str
    table: str
    source: str
    stage_table: str
    hashdiff_column: str
    codes: list[KeyPart]  # source column = column name; standardized like a hub's business key
    columns: list[SatColumn]
    case_sensitive: bool  # of the codes
    applied_from_source: bool
    sequence_column: str | None  # the source's sequence column, stored as applied_seq
    sequence_type: DataType | None
    origin: Origin

    @property
    def code_names(self) -> list[str]:
        return [c.name for c in self.codes]

    @property
    def position_columns(self) -> list[str]:
        """Where a version stands on the source's timeline: applied_dts, then applied_seq if any."""
        return [COL_APPLIED_DTS, COL_APPLIED_SEQ] if self.sequence_column else [COL_APPLIED_DTS]

    def order_columns(self, stored: bool) -> list[str]:
        """Version order of a code: the position, then load order (stored rows) or landing order (a batch)."""
        tail = [COL_LOAD_DTS, COL_LOAD_SEQ] if stored else [COL_ROW_NO]
        return [*self.position_columns, *tail]


def resolve(spec: ReferenceTableSpec, doc: Document, report: Reporter, model: Model) -> ReferenceTable | None:
    entity_id = f"{KIND_PREFIX}.{spec.name}"
    if entity_id in model.entities:  # a second one of that name: reported by the name check (model._check_names)
        return None
    source = model.sources.get(spec.source)
    if source is None and model.is_invalid("source", spec.source):
        return None
    if source is None:
        report.error(("source",), f"unknown source '{spec.source}'", hint_for(spec.source, model.sources))
        return None
    table = REF_PREFIX + spec.name
    for suffix, what in (("", "reference table"), ("_current", "current-row view"), ("_hist", "history view")):
        check_identifier(report, ("name",), table + suffix, what)
    check_identifier(report, ("name",), table + "_ver", "index")
    ok = True
    codes: list[KeyPart] = []
    taken = set(RESERVED_COLUMNS)
    for i, name in enumerate(spec.code):
        loc = ("code", i)
        if name not in source.column_names():
            report.error(
                loc,
                f"code column '{name}' is not a column of source '{source.name}'",
                hint_for(name, source.column_names()),
            )
            ok = False
            continue
        if name in taken:
            what = "listed twice" if name in spec.code[:i] else "a metadata column of the reference table"
            report.error(
                loc,
                f"code column '{name}' is {what}",
                "list each code column once" if name in spec.code[:i] else "rename the column in the source",
            )
            ok = False
            continue
        dtype = source.column(name).type
        if dtype.family == "json":
            report.error(
                loc, f"code column '{name}' is {dtype.sql}, which cannot be a key", "use a text or number column"
            )
            ok = False
            continue
        taken.add(name)
        codes.append(KeyPart(name, name, dtype, spec.case_sensitive, source.column(name).description))
    columns: list[SatColumn] = []
    for i, col in enumerate(spec.column_specs()):
        loc = ("columns", i)
        source_column = col.source_column or col.name
        if source_column not in source.column_names():
            report.error(
                loc,
                f"column '{source_column}' is not a column of source '{source.name}'",
                hint_for(source_column, source.column_names()),
            )
            ok = False
            continue
        if col.name in taken or col.name.startswith(HASH_KEY_PREFIX):
            if col.name in spec.code:
                what = "a code column"
            elif any(c.name == col.name for c in columns):
                what = "declared twice"
            else:
                what = "a metadata column"
            report.error(
                loc,
                f"payload column '{col.name}' clashes with {what}",
                "rename it with '{name: <new name>, source_column: " + source_column + "}'",
            )
            ok = False
            continue
        taken.add(col.name)
        src_col = source.column(source_column)
        columns.append(SatColumn(col.name, source_column, src_col.type, col.description or src_col.description))
    hashdiff_column = HASHDIFF_PREFIX + table
    check_identifier(report, ("name",), hashdiff_column, "stage hashdiff column")
    if any(h.stage_column == hashdiff_column for h in source.hashdiffs):
        report.error(
            ("name",),
            f"stage column '{hashdiff_column}' of source '{source.name}' is taken by another entity's hashdiff",
            "rename the reference table",
        )
        ok = False
    if not ok:
        return None
    source.hashdiffs.append(
        HashdiffMapping(
            spec.name,
            entity_id,
            hashdiff_column,
            [source.column(c.source_column) for c in columns],
            True,  # payload changes are case-sensitive, as in a satellite by default
        )
    )
    code_list = ", ".join(spec.code)
    source.required_keys.append(
        RequiredKey(entity_id, codes, f"reference table {spec.name}: code ({code_list}) is empty")
    )
    return ReferenceTable(
        id=entity_id,
        name=spec.name,
        description=spec.description,
        table=table,
        source=source.name,
        stage_table=source.stage_table,
        hashdiff_column=hashdiff_column,
        codes=codes,
        columns=columns,
        case_sensitive=spec.case_sensitive,
        applied_from_source=source.applied_ts is not None,
        sequence_column=source.sequence,
        sequence_type=source.column(source.sequence).type if source.sequence else None,
        origin=Origin(doc.file, doc.start_line),
    )


def physical(ref: ReferenceTable, ctx: Context) -> list[PhysTable]:
    types = ctx.types
    seq = applied_seq_column(ref.sequence_column, ref.sequence_type)
    applied = (
        f"When the change happened at the source ({ref.source})"
        if ref.applied_from_source
        else "No applied timestamp at the source: equals load_dts"
    )
    case = "case kept" if ref.case_sensitive else "upper-cased"
    order = ref.order_columns(stored=True)
    return [
        PhysTable(
            SCHEMA_RAW_VAULT,
            ref.table,
            ref.id,
            [
                *(
                    PhysColumn(
                        c.name,
                        c.type.sql,
                        True,
                        f"{c.description or 'Code'} (standardized: trimmed, {case})"
                        if c.type.family == "text"
                        else (c.description or "Code"),
                        "key",
                    )
                    for c in ref.codes
                ),
                PhysColumn(
                    COL_LOAD_DTS, types.timestamp, True, "Load timestamp of the batch that loaded this version", "key"
                ),
                PhysColumn(
                    COL_LOAD_SEQ,
                    types.load_seq,
                    True,
                    "Order of this version among the versions of its code loaded in the same batch (1 = first)",
                    "key",
                ),
                PhysColumn(COL_APPLIED_DTS, types.timestamp, True, applied, "meta"),
                *seq,
                PhysColumn(COL_HASHDIFF, ctx.hash_type, True, "Hash of the payload columns, in declared order", "meta"),
                PhysColumn(COL_RECORD_SOURCE, types.text, True, "Source that delivered this version", "meta"),
                PhysColumn(
                    COL_BATCH_ID, types.batch_id, True, "Batch that loaded this version (dv_meta.batch)", "meta"
                ),
                *(PhysColumn(c.name, c.type.sql, False, c.description) for c in ref.columns),
            ],
            primary_key=[*ref.code_names, COL_LOAD_DTS, COL_LOAD_SEQ],
            indexes=[PhysIndex(f"{ref.table}_ver", [*ref.code_names, *(f"{c} DESC" for c in order)], [COL_HASHDIFF])],
            comment=ref.description or f"Reference table {ref.name} (codes {', '.join(ref.code_names)})",
        )
    ]


def views(ref: ReferenceTable) -> list[PhysView]:
    return history_views(SCHEMA_RAW_VAULT, ref.table, ref.id, f"{FOLDER}/{ref.name}.views.sql")


def render(ref: ReferenceTable, r: Renderer) -> dict[str, str]:
    files = [ref.origin.file]
    return {
        "create": r.sql("reference_table/create.sql.j2", files, ref=ref, tables=physical(ref, r.ctx)),
        "load": r.sql("reference_table/load.sql.j2", files, ref=ref),
        "views": r.views("reference_table/views.sql.j2", files, ref=ref),
    }


def manifest(ref: ReferenceTable) -> dict[str, Any]:
    return {
        "schema": SCHEMA_RAW_VAULT,
        "table": ref.table,
        "source": ref.source,
        "code": [{"name": c.name, "type": c.type.sql, "case_sensitive": c.case_sensitive} for c in ref.codes],
        "columns": [{"name": c.name, "source_column": c.source_column, "type": c.type.sql} for c in ref.columns],
        "version_order": ref.order_columns(stored=True),
    }


KIND = KindDef(
    kind="reference_table",
    id_prefix=KIND_PREFIX,
    spec=ReferenceTableSpec,
    # after the satellite kinds (tier 3), so the check of its stage hashdiff column hd_ref_<name>
    # sees every other hashdiff column of the source
    tier=4,
    folder=FOLDER,
    resolve=resolve,
    physical=physical,
    render=render,
    depends_on=lambda ref: [f"source.{ref.source}"],
    manifest=manifest,
    views=views,
    description="a code list with history, keyed by its code columns",
    layer=LAYER_RAW_VAULT,
    title="reference table",
    plural="Reference tables",
    family="reference",
)
