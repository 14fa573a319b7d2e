"""Soda data contracts generated from the manifest: one contract per raw-vault and stage table.

``dv generate`` writes them to ``checks/generated/<folder>/<name>.contract.yml`` (the folders of
``vault_sql/``) and ``dv generate --check`` compares them, like the SQL. ``dv check`` and the
pipeline's ``Quality`` task verify them with Soda Core (``pipelines/quality.py``).

Everything is read from the manifest (``nodes`` and ``physical``), never from the YAML model, so
the contracts describe exactly the tables ``dv apply`` creates. What each kind gets
(docs/quality.md has the full list):

- every table: its columns and types as the model declares them (Soda ``schema`` check);
- hubs: hash key not null and unique, business key not null (the ghost record excepted), the ghost
  record present, every key a succeeded batch staged for the hub present in it;
- links and non-historized links: hash key not null and unique, every role key in its hub, the
  ghost record present (event keys not null, the ghost excepted);
- satellites of every kind: parent key in its parent, primary key unique, the ghost record present
  and alone on the zero key; with a hashdiff (or a status, an ``is_active``): no two consecutive
  versions of a key alike, except a back-dated late version before an equal later one;
- reference tables: code not null, primary key unique, no two consecutive versions alike;
- sources (the stage table): the source extracted within ``freshness_hours``.

Contracts name their dataset ``warehouse/${var.database}/<schema>/<table>``: the Soda data source
is always called ``warehouse`` and the database is a variable the runner sets from the DSN, so a
contract does not depend on where the warehouse lives. ``${var.batch_id}`` is the batch checked, 0
for the whole warehouse (batch ids start at 1).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import yaml

from generator import constants as C
from generator.dialects import get_dialect
from generator.dialects.base import Dialect
from generator.manifest_model import (
    EsatNode,
    HubNode,
    LinkNode,
    Manifest,
    MsatNode,
    NhlNode,
    Node,
    RefNode,
    RtsNode,
    SatelliteNode,
    SatNode,
    SourceNode,
    StoredNode,
    StsNode,
)

DATA_SOURCE = "warehouse"  # the name of the Soda data source every contract refers to
DATABASE_VAR = "database"  # set by the runner from the DSN
BATCH_VAR = "batch_id"  # the batch being checked; 0 (the default) for the whole warehouse
# the batch whose rows the generated checks judge: the batch checked, or 0 (the default) for whole tables
# (a full run: dv check without --batch, dv check --full, and the pipeline every N batches)
SCOPE_VAR = "scope_batch_id"
CONTRACTS_DIR = "checks/generated"
CONTRACT_SUFFIX = ".contract.yml"
EXTRACT_TASK_PREFIX = "extract."  # dv_meta.task_run.task of a source's extract (pipelines/tasks.py)

KeyedNode = HubNode | LinkNode | NhlNode  # the kinds with a hash key of their own
# columns and types as the manifest's physical schema says; other column orders are fine (dv apply
# appends the columns it adds), other columns are not
SCHEMA_CHECK = {"schema": {"name": "columns and types match the model", "allow_other_column_order": True}}


def scope_filter(alias: str = "") -> str:
    """The rows a check judges: those the batch in scope inserted (``batch_id``), or all (scope 0). With
    the variable substituted, PostgreSQL folds the constant test away: ``5 = 0 OR batch_id = 5`` is
    ``batch_id = 5`` to the planner, ``0 = 0 OR ...`` is true."""
    column = f"{alias}.{C.COL_BATCH_ID}" if alias else C.COL_BATCH_ID
    return f"(${{var.{SCOPE_VAR}}} = 0 OR {column} = ${{var.{SCOPE_VAR}}})"


def unique_index_query(schema: str, table: str, columns: list[str]) -> str:
    """1 when no valid unique index (a primary key's included) of the table covers only ``columns``
    (then they are unique), else 0: a catalog lookup instead of counting duplicates over the table.
    PostgreSQL's catalog (the one dialect the contracts are generated for)."""
    wanted = ", ".join(f"'{c}'" for c in sorted(columns))
    return (
        "SELECT CASE WHEN EXISTS (\n"
        "         SELECT 1 FROM pg_catalog.pg_index i\n"
        f"          WHERE i.indrelid = to_regclass('{schema}.{table}')\n"
        "            AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL\n"
        "            AND ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a\n"
        "                       WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey))\n"
        f"                <@ ARRAY[{wanted}]::text[])\n"
        "       THEN 0 ELSE 1 END"
    )


def dataset(schema: str, table: str) -> str:
    """The Soda dataset name of a warehouse table."""
    return f"{DATA_SOURCE}/${{var.{DATABASE_VAR}}}/{schema}/{table}"


# --- YAML output ------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key; multi-line strings (SQL) as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(body: dict[str, Any]) -> str:
    return yaml.dump(body, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)


# --- checks -------------------------------------------------------------------------------------------


def _missing(name: str, filter_sql: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": name}
    if filter_sql:
        spec["filter"] = filter_sql
    return {"missing": spec}


def _reference(name: str, schema: str, table: str, column: str) -> dict[str, Any]:
    return {"invalid": {"name": name, "valid_reference_data": {"dataset": dataset(schema, table), "column": column}}}


def _failed_rows(name: str, qualifier: str, query: str) -> dict[str, Any]:
    return {"failed_rows": {"name": name, "qualifier": qualifier, "query": query}}


def _metric(name: str, qualifier: str, query: str, threshold: dict[str, Any]) -> dict[str, Any]:
    return {"metric": {"name": name, "qualifier": qualifier, "query": query, "threshold": threshold}}


class _Builder:
    """Builds the contract of each node from the manifest."""

    def __init__(self, manifest: Manifest, d: Dialect) -> None:
        self.manifest = manifest
        self.nodes = manifest.nodes
        self.tables = manifest.physical.tables
        self.d = d
        self.zero = d.zero_key(manifest.hash.algorithm)
        self.ghost = d.literal(C.GHOST_RECORD_SOURCE)
        self.not_ghost = f"{C.COL_RECORD_SOURCE} <> {self.ghost}"

    # --- the parts every contract has --------------------------------------------------------------

    def contract(
        self,
        node: StoredNode,
        schema: str,
        table: str,
        column_checks: dict[str, list[dict[str, Any]]],
        checks: list[dict[str, Any]],
        scoped: bool = True,
    ) -> str:
        physical = self.tables[f"{schema}.{table}"]
        columns: list[dict[str, Any]] = []
        for column in physical.columns:
            entry: dict[str, Any] = {"name": column.name, **self.d.catalog_type(column.type)}
            if column_checks.get(column.name):
                entry["checks"] = column_checks[column.name]
            columns.append(entry)
        unknown = set(column_checks) - {c.name for c in physical.columns}
        assert not unknown, f"{schema}.{table}: checks on unknown columns {sorted(unknown)}"
        body: dict[str, Any] = {
            "dataset": dataset(schema, table),
            "description": node.description or f"{node.yaml_kind} {node.name}",
            "variables": {DATABASE_VAR: None, **({SCOPE_VAR: {"default": 0}} if scoped else {})},
        }
        if scoped:  # Soda's column checks and expressions judge the rows of the batch in scope
            body["filter"] = scope_filter()
        body["columns"] = columns
        body["checks"] = [SCHEMA_CHECK, *checks]
        header = (
            f"# generated from {node.file} by dv generate — do not edit\n"
            f"# data contract of {schema}.{table} ({node.yaml_kind} {node.name}); verified by dv check\n"
        )
        return header + _dump(body)

    def ghost_present(self, table: str, key: str) -> dict[str, Any]:
        return _metric(
            "ghost record present (zero key, SYSTEM.GHOST)",
            "ghost_record",
            f"SELECT count(*)\n  FROM {C.SCHEMA_RAW_VAULT}.{table}\n"
            f" WHERE {key} = {self.zero}\n   AND {C.COL_RECORD_SOURCE} = {self.ghost}",
            {"must_be": 1},
        )

    def zero_key_alone(self, key: str) -> dict[str, Any]:
        """Nothing but the ghost on the zero key (loads skip rows on the zero key)."""
        return {
            "failed_rows": {
                "name": f"no row on the zero key of {key} but the ghost record",
                "qualifier": "zero_key",
                "expression": f"{key} = {self.zero} AND {self.not_ghost}",
            }
        }

    def unique(self, name: str, schema: str, table: str, columns: list[str]) -> dict[str, Any]:
        """Uniqueness a unique index enforces (a primary key: its columns are also NOT NULL): a
        metadata check that the index is there, never a count over the table."""
        return _metric(name, "unique_index", unique_index_query(schema, table, columns), {"must_be": 0})

    def key_unique(self, node: KeyedNode) -> dict[str, Any]:
        key = node.hash_key
        return self.unique(f"hash key {key} unique", node.schema_name, node.table, [key])

    def parent_ref(self, column: str, parent_id: str, what: str) -> dict[str, Any]:
        parent = self.nodes[parent_id]
        assert isinstance(parent, KeyedNode), f"{parent_id} has no hash key"
        return _reference(
            f"{what} {column} exists in {parent.table}", parent.schema_name, parent.table, parent.hash_key
        )

    def primary_key_unique(self, schema: str, table: str) -> dict[str, Any]:
        pk = self.tables[f"{schema}.{table}"].primary_key
        return self.unique(f"primary key ({', '.join(pk)}) unique", schema, table, pk)

    def no_repeated_versions(
        self, table: str, partition: list[str], order: list[str], compared: list[str], what: str, distinct: bool = False
    ) -> dict[str, Any]:
        """No two consecutive versions of a key alike: a failed_rows query over the version order.

        A back-dated late version may stand right before an equal version an earlier batch stored
        (a late B between stored A and B leaves A, B, B: insert-only); it is told apart by its
        load_dts, later than its successor's. Any other repetition is a load defect.

        Scoped to a batch, it reads the versions of the keys the batch wrote and judges the pairs the
        batch's rows are part of (a batch's row can only make a pair with its neighbours: it never
        joins two earlier versions); a full run judges every pair."""
        scope = f"${{var.{SCOPE_VAR}}}"
        cols = list(dict.fromkeys([*partition, *order, *compared, C.COL_BATCH_ID]))
        table_name = f"{C.SCHEMA_RAW_VAULT}.{table}"
        rows = self._rows_in_scope(table_name, partition, cols)
        if distinct:  # multi-active: one row per version, not per member
            rows = f"SELECT DISTINCT {', '.join(cols)}\n                  FROM ({rows}) u"
        source = f"({rows}) s"
        where = ""
        lags = ",\n".join(f"               LAG(s.{c}) OVER w AS previous_{c}" for c in compared)
        same = "\n   AND ".join(f"v.{c} IS NOT DISTINCT FROM v.previous_{c}" for c in compared)
        return _failed_rows(
            f"no two consecutive versions of a key with the same {what}",
            "repeated_version",
            "SELECT " + ", ".join(f"v.{c}" for c in [*partition, *order]) + "\n"
            "  FROM (SELECT " + ", ".join(f"s.{c}" for c in cols) + ",\n"
            f"{lags},\n"
            f"               LAG(s.{C.COL_LOAD_DTS}) OVER w AS previous_load_dts,\n"
            f"               LAG(s.{C.COL_BATCH_ID}) OVER w AS previous_batch_id\n"
            f"          FROM {source}{where}\n"
            f"        WINDOW w AS (PARTITION BY {', '.join('s.' + c for c in partition)}"
            f" ORDER BY {', '.join('s.' + c for c in order)})) v\n"
            f" WHERE {same}\n"
            f"   AND v.{C.COL_LOAD_DTS} >= v.previous_load_dts\n"
            f"   AND ({scope} = 0 OR {scope} IN (v.{C.COL_BATCH_ID}, v.previous_batch_id))",
        )

    def _rows_in_scope(self, table_name: str, partition: list[str], cols: list[str]) -> str:
        """The rows (ghost excepted) of the keys the batch in scope wrote a row of; every row with scope 0.

        Two arms, one of which the planner drops once the variable is a constant: an ``IN`` under an
        ``OR`` is never made a semi-join (PostgreSQL pulls sublinks up before it folds constants), and
        as a subplan it searched the batch's keys for every row of the table (minutes at scale 0.1)."""
        scope = f"${{var.{SCOPE_VAR}}}"
        mine = ", ".join(partition) if len(partition) == 1 else f"({', '.join(partition)})"
        theirs = ", ".join("b." + c for c in partition)
        selected = ", ".join(cols)
        pad = "                "
        return (
            f"SELECT {selected} FROM {table_name}\n{pad} WHERE {self.not_ghost} AND {scope} = 0\n"
            f"{pad}UNION ALL\n"
            f"{pad}SELECT {selected} FROM {table_name}\n{pad} WHERE {self.not_ghost} AND {scope} <> 0\n"
            f"{pad}   AND {mine} IN (SELECT {theirs} FROM {table_name} b WHERE b.{C.COL_BATCH_ID} = {scope})"
        )

    # --- one function per kind ----------------------------------------------------------------------

    def hub(self, node: HubNode) -> str:
        key = node.hash_key
        parts = [p.name for p in node.business_keys]
        column_checks: dict[str, list[dict[str, Any]]] = {}
        checks = [self.key_unique(node), self.ghost_present(node.table, key)]
        if len(parts) == 1:
            column_checks[parts[0]] = [
                _missing(f"business key {parts[0]} not null (the ghost record excepted)", self.not_ghost)
            ]
        else:  # a composite key may have NULL parts; all of them NULL is the zero key
            checks.append(
                {
                    "failed_rows": {
                        "name": f"business key ({', '.join(parts)}) not all null (the ghost record excepted)",
                        "qualifier": "business_key",
                        "expression": " AND ".join([self.not_ghost, *(f"{p} IS NULL" for p in parts)]),
                    }
                }
            )
        feeds = sorted({(f.source, f.stage_column) for f in node.feeds})
        succeeded = (  # the batch in scope, or every batch; only succeeded ones have loaded their keys
            f"EXISTS (SELECT 1 FROM {C.SCHEMA_META}.batch b WHERE b.{C.COL_BATCH_ID} = s.{C.COL_BATCH_ID}"
            " AND b.status = 'succeeded')"
        )
        if feeds:
            staged = "\nUNION ALL\n".join(
                f"SELECT {self.d.literal(source)} AS source, s.{C.COL_ROW_NO}\n"
                f"  FROM {C.SCHEMA_STAGING}.{self.manifest.source(source).table} s\n"
                f" WHERE {scope_filter('s')}\n"
                f"   AND {succeeded}\n"
                f"   AND s.{column} <> {self.zero}\n"
                f"   AND NOT EXISTS (SELECT 1 FROM {C.SCHEMA_RAW_VAULT}.{node.table} h WHERE h.{key} = s.{column})"
                for source, column in feeds
            )
            checks.append(
                _failed_rows("every key a succeeded batch staged for the hub is in the hub", "staged_keys", staged)
            )
        return self.contract(node, node.schema_name, node.table, column_checks, checks)

    def link(self, node: LinkNode | NhlNode) -> str:
        key = node.hash_key
        column_checks: dict[str, list[dict[str, Any]]] = {}
        for ref in node.refs:
            column_checks.setdefault(ref.column, []).append(
                self.parent_ref(ref.column, f"hub.{ref.hub}", f"role {ref.role},")
            )
        for part in node.event_keys if isinstance(node, NhlNode) else []:  # non-historized: the event's own key
            column_checks[part.name] = [
                _missing(f"event key {part.name} not null (the ghost record excepted)", self.not_ghost)
            ]
        checks = [self.key_unique(node), self.ghost_present(node.table, key)]
        return self.contract(node, node.schema_name, node.table, column_checks, checks)

    def satellite(self, node: SatelliteNode) -> str:
        table, key = node.table, node.parent_key
        column_checks: dict[str, list[dict[str, Any]]] = {
            key: [self.parent_ref(key, node.parent, "parent key")]  # not null: in the primary key
        }
        for ref in node.refs if isinstance(node, EsatNode) else []:  # effectivity: the driving key's hub keys
            column_checks.setdefault(ref.column, []).append(
                self.parent_ref(ref.column, f"hub.{ref.hub}", f"driving key {ref.role},")
            )
        checks = [
            self.primary_key_unique(node.schema_name, table),
            self.ghost_present(table, key),
            self.zero_key_alone(key),
        ]
        if isinstance(node, SatNode | MsatNode):
            column_checks[C.COL_HASHDIFF] = [_missing("hashdiff not null")]
            checks.append(
                self.no_repeated_versions(
                    table,
                    [key],
                    node.version_order,
                    [C.COL_HASHDIFF],
                    "hashdiff",
                    distinct=isinstance(node, MsatNode),
                )
            )
        if isinstance(node, MsatNode):
            version = node.version_key
            checks.append(
                _failed_rows(
                    "one group hashdiff per version (every member of a version alike)",
                    "group_hashdiff",
                    f"SELECT {', '.join(version)}\n  FROM {C.SCHEMA_RAW_VAULT}.{table}\n"
                    f" WHERE {scope_filter()}\n"  # a version is one batch's
                    f" GROUP BY {', '.join(version)}\nHAVING count(DISTINCT {C.COL_HASHDIFF}) > 1",
                )
            )
        elif isinstance(node, EsatNode):
            checks.append(
                self.no_repeated_versions(
                    table, [key], node.version_order, [C.COL_IS_ACTIVE], "is_active (start or end)"
                )
            )
        elif isinstance(node, StsNode):
            statuses = ", ".join(self.d.literal(s) for s in node.statuses)
            checks.append(
                {
                    "failed_rows": {
                        "name": f"status one of {', '.join(node.statuses)} (the ghost record excepted)",
                        "qualifier": "status",
                        "expression": f"{self.not_ghost} AND ({node.status_column} IS NULL"
                        f" OR {node.status_column} NOT IN ({statuses}))",
                    }
                }
            )
            checks.append(
                self.no_repeated_versions(
                    table,
                    [key],
                    [C.COL_LOAD_DTS],
                    [node.status_column, *node.partition_by],
                    "status and partition",
                )
            )
        return self.contract(node, node.schema_name, table, column_checks, checks)

    def reference(self, node: RefNode) -> str:
        code = [c.name for c in node.code]
        pk = self.tables[node.qualified].primary_key
        column_checks: dict[str, list[dict[str, Any]]] = {  # a primary key column is NOT NULL
            c: [_missing(f"code {c} not null")] for c in code if c not in pk
        }
        column_checks[C.COL_HASHDIFF] = [_missing("hashdiff not null")]
        checks = [
            self.primary_key_unique(node.schema_name, node.table),
            self.no_repeated_versions(node.table, code, node.version_order, [C.COL_HASHDIFF], "hashdiff"),
        ]
        return self.contract(node, node.schema_name, node.table, column_checks, checks)

    def source(self, node: SourceNode) -> str:
        checks: list[dict[str, Any]] = []
        limit = node.freshness_hours
        if limit:
            last = (
                "COALESCE(\n"
                f"         (SELECT max(t.finished_at) FROM {C.SCHEMA_META}.task_run t\n"
                f"           WHERE t.task = {self.d.literal(EXTRACT_TASK_PREFIX + node.name)}"
                " AND t.status = 'done'),\n"
                f"         (SELECT max(s.{C.COL_LOAD_DTS}) FROM {node.qualified} s),\n"
                f"         TIMESTAMP WITH TIME ZONE {self.d.literal(C.GHOST_LOAD_DTS)})"
            )
            checks.append(
                _metric(
                    f"source {node.name} extracted within the last {limit:g} h (hours since the last extract)",
                    "freshness",
                    f"SELECT {self.d.hours_since(last)}",
                    {"must_be_less_than_or_equal": limit},
                )
            )
        return self.contract(node, node.schema_name, node.table, {}, checks, scoped=False)

    def build(self, node: Node) -> str | None:
        if isinstance(node, SourceNode):
            return self.source(node)
        if isinstance(node, HubNode):
            return self.hub(node)
        if isinstance(node, LinkNode | NhlNode):
            return self.link(node)
        if isinstance(node, SatNode | MsatNode | RtsNode | StsNode | EsatNode):
            return self.satellite(node)
        if isinstance(node, RefNode):
            return self.reference(node)
        return None  # a kind without a table of its own has no contract


def contract_path(node: Node) -> str:
    """Where a node's contract goes, under checks/generated/: the folder of its SQL in vault_sql/."""
    folder = PurePosixPath(node.sql["create"]).parent
    return str(folder / f"{node.name}{CONTRACT_SUFFIX}")


def render_contracts(manifest: Manifest, dialect: Dialect | None = None) -> dict[str, str]:
    """Every generated contract: path under checks/generated/ -> YAML text."""
    typed = manifest
    builder = _Builder(typed, dialect or get_dialect())
    out: dict[str, str] = {}
    for node in typed.ordered():
        if "create" not in node.sql:
            continue
        text = builder.build(node)
        if text is not None:
            out[contract_path(node)] = text
    return dict(sorted(out.items()))
