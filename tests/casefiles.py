"""Data-driven load cases: current vault rows + staged rows -> expected vault rows.

A case file (``tests/fixtures/cases/<kind>/<name>.yml``)::

    description: what the case proves
    model: basic                      # folder under tests/fixtures/models/
    cycles:                           # load cycles, run in order
      - load_dts: 2026-01-01 00:00:00+00
        sql: ["INSERT INTO ..."]      # optional: statements run (and committed) first, a project's own SQL
        apply: true                   # optional: then dv apply again (its plan, then the business vault)
        landed:                       # rows COPYed into landing tables, values as text
          crm_customers:
            - {customer_id: C1, name: Ann}
        rerun: true                   # optional: run the same batch again, expect nothing new
        expect:                       # full content of each table named (ghost rows excluded)
          hub_customer:
            - {customer_id: C1, load_dts: 2026-01-01 00:00:00+00}
          sat_customer_details:
            - {_key: [C1], load_seq: 1, name: Ann}
          quarantine:                 # dv_meta.quarantine of this batch
            - {source: crm_customers, reason: "..."}
          late_data: []               # dv_meta.late_data of this batch (late_data: reject)
          batch_source:               # dv_meta.batch_source of this batch (reconciliation)
            - {source: crm_customers, rows_read: 1, rows_staged: 1, rows_quarantined: 0}
          sat_customer_details_hist:  # a satellite's views: sat_<name>_hist, sat_<name>_current
            - {_key: [C1], applied_end_dts: infinity, is_current: true}
          contact_std_masked:         # business views, their _masked forms, a function's lookup table
            - {contact_id: C1, email: "***@example.com"}
        inserted: {hub.customer: 1}   # optional: rows the load reported per target
        rejected: {sat.x: 1}          # optional: late rows a target refused (late_data: reject)

The project is applied as ``dv apply`` does: its plan, then the business vault's
functions and views (``pipelines/standardize.py``). Only the columns named in
the expected rows are compared; rows are compared as multisets. ``_key`` lists
the business-key parts of the row's hash key: the harness hashes them with the
Python reference implementation (``generator.hashing``), so every case also
checks SQL hashing against Python.
In link rows, ``_refs: {role: [parts]}`` does the same for each hub reference
(all parts ``null`` gives the zero key). In satellite rows (and their views),
``_hashdiff: [values]`` lists payload values in the satellite's column order
and is hashed by the Python reference; a shorter list hashes only the first
columns, so ``[Ann]`` states that trailing NULLs are stripped. In rows of a
multi-active satellite (and its views), ``_group: [[member values], ...]`` lists
every member of the row's group (sub-keys, then payload, as for ``_hashdiff``)
and gives the group hashdiff by the Python reference. ``infinity``
matches an infinite timestamp (the open end of a version).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from psycopg2.extras import execute_values, register_uuid

from generator import hashing
from generator.constants import GHOST_RECORD_SOURCE
from generator.kinds import KIND_BY_PREFIX
from generator.manifest_model import (
    BridgeNode,
    BusinessViewNode,
    EsatNode,
    FunctionNode,
    HubNode,
    LinkNode,
    MsatNode,
    NhlNode,
    Node,
    PitNode,
    RefNode,
    SatNode,
)
from pipelines.project import Project

CASES = Path(__file__).resolve().parent / "fixtures" / "cases"
ZERO_KEY = "0" * 32
MODELS = Path(__file__).resolve().parent / "fixtures" / "models"


def all_cases() -> list[Path]:
    return sorted(CASES.rglob("*.yml"))


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


# libyaml's safe loader when PyYAML has it: 7 times faster, and the cases are read at every test collection
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_case(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    assert isinstance(data, dict) and "cycles" in data and "model" in data, f"{path}: needs 'model' and 'cycles'"
    return data


def canon(value: Any) -> Any:
    """Comparable form of a database or YAML value."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.replace(tzinfo=None) == dt.datetime.max:  # how psycopg2 reads 'infinity'
            return "infinity"
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        number = Decimal(str(value))
        return format(number.normalize(), "f") if number != 0 else "0"
    if isinstance(value, uuid.UUID):
        return value.bytes.hex()
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return value


def landing_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


# dv_meta tables a case may expect: only the rows of the cycle's batch are compared
META_TABLES = {
    "quarantine": "dv_meta.quarantine",
    "batch_source": "dv_meta.batch_source",
    "late_data": "dv_meta.late_data",
}
# views generated for every satellite: sat_<name>_hist, sat_<name>_current
SAT_VIEW_SUFFIXES = ("_hist", "_current")
# manifest kinds whose tables have those views (multi-active satellites: msat_<name>_hist, ...)
VIEW_KINDS = ("sat", "msat")
VIEW_KINDS += ("sts", "ref")  # status-tracking satellites, reference tables: <table>_hist, <table>_current
VIEW_KINDS += ("esat",)  # effectivity satellites: esat_<name>_hist, esat_<name>_current


def land(conn: Any, project: Project, landed: dict[str, list[dict[str, Any]]]) -> None:
    """Insert rows into the landing tables of their sources, values as text, and commit."""
    with conn.cursor() as cur:
        for source, rows in landed.items():
            node = project.manifest.source(source)
            declared = [c.name for c in node.columns]
            for row in rows:
                unknown = set(row) - set(declared)
                assert not unknown, f"landed columns {unknown} are not columns of source {source}"
            if not rows:
                continue
            execute_values(
                cur,
                f"INSERT INTO staging.{node.landing_table} ({', '.join(declared)}) VALUES %s",
                [tuple(landing_text(r.get(c)) for c in declared) for r in rows],
            )
    conn.commit()


class TableInfo:
    """What the harness needs to know of a vault table (or satellite view), from the manifest."""

    def __init__(self, project: Project, table: str) -> None:
        self.manifest = project.manifest
        self.table = table
        self.node = self._node(table)
        if self.node is None:
            for suffix in SAT_VIEW_SUFFIXES:
                base = self._node(table.removesuffix(suffix)) if table.endswith(suffix) else None
                if base is not None and base.kind in VIEW_KINDS:
                    self.node = base
        if self.node is None:  # a business view's masked form, a function's lookup table (business vault)
            self.node = next((n for n in self.manifest.nodes.values() if table in _business_vault_objects(n)), None)
        self.algorithm = self.manifest.hash.algorithm

    def _node(self, table: str) -> Node | None:
        return next((n for n in self.manifest.nodes.values() if getattr(n, "table", None) == table), None)

    @property
    def is_meta(self) -> bool:
        return self.table in META_TABLES

    @property
    def qualified(self) -> str:
        if self.is_meta:
            return META_TABLES[self.table]
        assert self.node is not None, f"unknown table {self.table}"
        return f"{self.node.schema_name}.{self.table}"

    def hub(self, name: str) -> HubNode:
        node = self.manifest.node(f"hub.{name}")
        assert isinstance(node, HubNode)
        return node

    def hub_parts(self, hub: str) -> list[tuple[str, bool]]:
        return [(_family(k.type), k.case_sensitive) for k in self.hub(hub).business_keys]

    def key_column_and_parts(self) -> tuple[str, list[tuple[str, bool]]]:
        node = self.node
        assert node is not None
        if isinstance(node, HubNode):
            return node.hash_key, self.hub_parts(node.name)
        if isinstance(node, LinkNode | NhlNode):  # a non-historized link hashes like a link (event keys last)
            return node.hash_key, self.link_parts(node)
        if isinstance(node, PitNode | BridgeNode):  # business-vault tables: keyed by their hub
            hub = self.hub(node.hub)
            return hub.hash_key, self.hub_parts(hub.name)
        parent_id, parent_key = getattr(node, "parent", None), getattr(node, "parent_key", None)
        assert parent_id and parent_key, f"{self.table} has no hash key: name its key columns instead of _key"
        parent = self.manifest.node(parent_id)
        if isinstance(parent, HubNode):
            return parent_key, self.hub_parts(parent.name)
        assert isinstance(parent, LinkNode | NhlNode), parent_id
        return parent_key, self.link_parts(parent)

    def link_parts(self, link: LinkNode | NhlNode) -> list[tuple[str, bool]]:
        parts = [p for r in link.refs for p in self.hub_parts(r.hub)]
        if isinstance(link, LinkNode):
            return parts + [("text", False)] * len(link.dependent_keys)
        return parts + [(_family(k.type), k.case_sensitive) for k in link.event_keys]

    def expected_hash(self, values: list[Any], parts: list[tuple[str, bool]]) -> str:
        assert len(values) == len(parts), f"{self.table}: _key needs {len(parts)} part(s), got {values}"
        return hashing.hash_key(
            [(v, fam, cs) for v, (fam, cs) in zip(values, parts, strict=True)], self.algorithm
        ).hex()

    def expected_hashdiff(self, values: list[Any]) -> str:
        node = self.node
        assert isinstance(node, SatNode | RefNode), f"{self.table}: _hashdiff: no hashdiff"
        columns = node.columns
        assert len(values) <= len(columns), f"{self.table}: _hashdiff has more values than the satellite's columns"
        parts = [(v, _family(c.type)) for v, c in zip(values, columns, strict=False)]
        case_sensitive = node.case_sensitive if isinstance(node, SatNode) else True
        return hashing.hashdiff(parts, self.algorithm, case_sensitive).hex()

    def expected_group_hashdiff(self, members: list[list[Any]]) -> str:
        """Group hashdiff of a multi-active satellite: each member lists its sub-keys, then its payload."""
        node = self.node
        assert isinstance(node, MsatNode), f"{self.table}: _group needs a multi-active sat"
        columns = [c.type for c in node.sub_keys] + [c.type for c in node.columns]
        hashdiffs = []
        for values in members:
            assert len(values) <= len(columns), f"{self.table}: _group member {values} has too many values"
            parts = [(v, _family(t)) for v, t in zip(values, columns, strict=False)]
            hashdiffs.append(hashing.hashdiff(parts, self.algorithm, node.case_sensitive))
        return hashing.group_hashdiff(hashdiffs, self.algorithm).hex()


def _business_vault_objects(node: Node) -> list[str]:
    """Tables and views of the business vault a node has besides its own: ``<view>_masked``, a lookup table."""
    qualified = node.masked_view if isinstance(node, BusinessViewNode) else None
    qualified = node.lookup if isinstance(node, FunctionNode) else qualified
    return [qualified.split(".", 1)[1]] if qualified else []


def _family(sql_type: str) -> str:
    from generator.types import parse_type

    parsed = parse_type(sql_type)
    assert parsed is not None
    return parsed.family


def expected_rows(info: TableInfo, rows: list[dict[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column list and canonical expected tuples (``_key``/``_refs`` turned into hash columns)."""
    columns: list[str] = []
    converted: list[dict[str, Any]] = []
    for row in rows:
        out: dict[str, Any] = {}
        for name, value in row.items():
            if name == "_key":
                column, parts = info.key_column_and_parts()
                out[column] = info.expected_hash(list(value), parts)
            elif name == "_refs":
                assert isinstance(info.node, LinkNode | NhlNode | EsatNode), f"{info.table}: _refs: no hub references"
                unknown = set(value) - {ref.role for ref in info.node.refs}
                assert not unknown, f"{info.table}: _refs names unknown role(s) {unknown}"
                for ref in info.node.refs:
                    if ref.role in value:
                        out[ref.column] = info.expected_hash(list(value[ref.role]), info.hub_parts(ref.hub))
            elif name == "_hub":  # {column: [hub, key parts...]}: a hub hash key in any column
                for column, (hub, *parts) in value.items():
                    out[column] = info.expected_hash(list(parts), info.hub_parts(hub)) if parts else ZERO_KEY
            elif name == "_hashdiff":
                out["hashdiff"] = info.expected_hashdiff(list(value))
            elif name == "_group":
                out["hashdiff"] = info.expected_group_hashdiff([list(m) for m in value])
            else:
                out[name] = canon(value)
        converted.append(out)
        for name in out:
            if name not in columns:
                columns.append(name)
    for row, out in zip(rows, converted, strict=True):
        missing = [c for c in columns if c not in out]
        assert not missing, f"{info.table}: every expected row must name the same columns; {row} lacks {missing}"
    return columns, sorted((tuple(r.get(c) for c in columns) for r in converted), key=repr)


def actual_rows(cur: Any, info: TableInfo, columns: list[str], batch_id: int | None) -> list[tuple[Any, ...]]:
    if info.node is not None and KIND_BY_PREFIX[info.node.kind].is_derived:
        where = ""  # business vault and marts: no ghost rows of their own
    elif info.is_meta:
        where = f"WHERE batch_id = {int(batch_id)}" if batch_id is not None else ""
    else:
        where = f"WHERE record_source <> '{GHOST_RECORD_SOURCE}'"
    register_uuid(conn_or_curs=cur)
    cur.execute(f"SELECT {', '.join(columns)} FROM {info.qualified} {where}")
    return sorted((tuple(canon(v) for v in row) for row in cur.fetchall()), key=repr)
