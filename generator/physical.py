"""The physical schema the model asks for: tables, columns, keys, indexes, views.

Each kind module says which tables and views its entities need
(``physical(entity, ctx)``); the create templates render them through one
shared macro, ``dv plan`` compares them with the live catalog, and the
manifest records them. One description, three uses.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from generator.constants import COL_APPLIED_SEQ, COL_BATCH_ID, SCHEMA_RAW_VAULT
from generator.dialects.base import Dialect, SqlTypes

ColumnRole = Literal["key", "meta", "payload"]


@dataclass(frozen=True)
class PhysColumn:
    name: str
    type: str
    not_null: bool = False
    comment: str = ""
    # key: part of the entity's identity; meta: load metadata; payload: descriptive data.
    # Only payload columns may be added to a table that already holds data.
    role: ColumnRole = "payload"
    identity: bool = False  # filled by the database (landing order)


@dataclass(frozen=True)
class PhysIndex:
    name: str
    columns: list[str]  # each possibly with " DESC"
    include: list[str] = field(default_factory=list)
    unique: bool = False
    method: str = "btree"  # or "brin": a block-range index, a few kB, for a column that grows with the table


@dataclass
class PhysTable:
    schema: str
    name: str
    entity: str  # manifest id of the entity that owns it
    columns: list[PhysColumn]
    primary_key: list[str]
    indexes: list[PhysIndex] = field(default_factory=list)
    comment: str = ""

    def __post_init__(self) -> None:
        # Every raw-vault table is insert-only, so its rows lie on disk in batch order: a block-range index
        # on batch_id (kilobytes, next to nothing to maintain) lets the checks and refreshes that read one
        # batch's rows, or the rows since a batch, read those blocks instead of the whole table.
        if self.schema == SCHEMA_RAW_VAULT and any(c.name == COL_BATCH_ID for c in self.columns):
            name = f"{self.name}_bid"
            if all(ix.name != name for ix in self.indexes):
                self.indexes.append(PhysIndex(name, [COL_BATCH_ID], method="brin"))

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    def column(self, name: str) -> PhysColumn:
        return next(c for c in self.columns if c.name == name)


@dataclass
class PhysView:
    schema: str
    name: str
    entity: str
    sql_file: str  # the generated file that (re)creates it
    fingerprint: str = ""  # sha256 of its generated definition, kept in the view's comment

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass
class Physical:
    tables: list[PhysTable] = field(default_factory=list)
    views: list[PhysView] = field(default_factory=list)

    def table(self, qualified: str) -> PhysTable | None:
        return next((t for t in self.tables if t.qualified == qualified), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "tables": {t.qualified: _table_json(t) for t in sorted(self.tables, key=lambda t: t.qualified)},
            "views": {
                v.qualified: {"entity": v.entity, "sql": v.sql_file, "fingerprint": v.fingerprint}
                for v in sorted(self.views, key=lambda v: v.qualified)
            },
        }


def _table_json(table: PhysTable) -> dict[str, Any]:
    data = asdict(table)
    data.pop("schema")
    data.pop("name")
    return data


def applied_seq_column(
    sequence_column: str | None, sequence_type: Any, what: str = "order of changes with equal applied_dts"
) -> list[PhysColumn]:
    """The ``applied_seq`` key column of a historized table whose source declares a sequence, else none."""
    if not sequence_column or sequence_type is None:
        return []
    return [PhysColumn(COL_APPLIED_SEQ, sequence_type.sql, True, f"Source sequence ({sequence_column}): {what}", "key")]


def history_views(schema: str, table: str, entity: str, views_file: str) -> list[PhysView]:
    """The ``<table>_hist`` and ``<table>_current`` views of a historized table, made by ``views_file``."""
    return [PhysView(schema, f"{table}{suffix}", entity, views_file) for suffix in ("_hist", "_current")]


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Context:
    """What the kind modules need to describe their tables."""

    dialect: Dialect
    algorithm: str

    @property
    def hash_type(self) -> str:
        return self.dialect.hash_type(self.algorithm)

    @property
    def types(self) -> SqlTypes:
        return self.dialect.types
