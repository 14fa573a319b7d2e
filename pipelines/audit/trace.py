"""``dv trace``: one business key through the raw vault's history, for auditors.

``trace`` shows the hub row (first seen, record source, batch), every version of every satellite of the hub
in version order with its load and applied timestamps, batch, record source and the columns that changed
from the version before (multi-active satellites: the members added, removed and changed), the links to
other hubs with their business keys and effectivity periods, the event links (counts), and the erasures of
personal data (satellites marked ``personal: true``) of the key and of the hubs linked to it, each with the
source change that came with it (the versions of other satellites of the same key at the same applied time).

``asof.py`` shows the key at a moment; ``trace_model.py`` holds what a trace finds; ``trace_render.py`` prints
both for people.

Everything is read with a few indexed queries per table, restricted to the key's hash key, computed from the
business key by the Python reference of the hash spec (``generator.hashing``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

import psycopg2.extensions
from psycopg2.extras import RealDictCursor

from generator import hashing
from generator.constants import GHOST_RECORD_SOURCE
from generator.errors import WarehouseError
from generator.kinds import KIND_BY_PREFIX
from generator.manifest_model import EsatNode, HubNode, LinkNode, MsatNode, NhlNode, SatelliteNode, SatNode, StsNode
from generator.resolve import hint_for
from generator.types import parse_type
from pipelines.audit.trace_model import Erasure, LinkRow, SatelliteHistory, Trace, Version, iso, plain
from pipelines.db import transaction
from pipelines.project import Project

# --- the key ---------------------------------------------------------------------------------------------


def hub_node(project: Project, entity: str) -> HubNode:
    hubs = {n.name: n for n in project.manifest.nodes.values() if isinstance(n, HubNode)}
    node = hubs.get(entity)
    if node is None:
        raise WarehouseError(f"'{entity}' is not a hub of the model\n    hint: {hint_for(entity, hubs)}")
    return node


def hash_key_of(project: Project, node: HubNode, key: list[str]) -> str:
    """The hub hash key of a business key given as text, by the Python reference of the hash spec."""
    parts = node.business_keys
    if len(key) != len(parts):
        names = " ".join(p.name.upper() for p in parts)
        raise WarehouseError(
            f"hub {node.name} has {len(parts)} business key part(s) ({', '.join(p.name for p in parts)}),"
            f" {len(key)} given\n    hint: dv trace {node.name} {names}"
        )
    typed: list[tuple[Any, str, bool]] = []
    for text, part in zip(key, parts, strict=True):
        dtype = parse_type(part.type)
        assert dtype is not None
        typed.append((_typed(text, dtype.family, part.name), dtype.family, part.case_sensitive))
    raw = hashing.hash_key(typed, project.manifest.hash.algorithm)
    return str(uuid.UUID(bytes=raw)) if len(raw) == 16 else "\\x" + raw.hex()


def _typed(text: str, family: str, name: str) -> Any:
    try:
        if family == "integer":
            return int(text)
        if family in ("numeric", "float"):
            return Decimal(text)
        if family == "date":
            return dt.date.fromisoformat(text)
    except (ValueError, InvalidOperation):
        raise WarehouseError(f"'{text}' is not a valid {name} ({family})") from None
    return text


# --- reading ---------------------------------------------------------------------------------------------


def _query(cur: Any, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    cur.execute(sql, params)
    return [dict(r) for r in cur.fetchall()]


def _hub(project: Project, name: str) -> HubNode:
    node = project.node(f"hub.{name}")
    assert isinstance(node, HubNode)
    return node


def _hub_row(cur: Any, node: HubNode, hk: str) -> dict[str, Any] | None:
    rows = _query(cur, f"SELECT * FROM {node.schema_name}.{node.table} WHERE {node.hash_key} = %s", (hk,))
    return rows[0] if rows else None


def _satellites_of(project: Project, parent: str) -> list[tuple[str, SatelliteNode]]:
    """The satellites of a hub (the registry's satellite kinds), by id."""
    return [
        (i, n)
        for i, n in sorted(project.manifest.nodes.items())
        if KIND_BY_PREFIX[n.kind].is_satellite and isinstance(n, SatelliteNode) and n.parent == parent
    ]


def _payload(node: SatelliteNode) -> list[str]:
    if isinstance(node, MsatNode):
        return [c.name for c in node.sub_keys] + [c.name for c in node.columns]
    if isinstance(node, StsNode):
        return ["status"]
    return [c.name for c in node.columns] if isinstance(node, SatNode) else []


def _personal(node: SatelliteNode) -> bool:
    return isinstance(node, SatNode) and node.personal


def _history(cur: Any, project: Project, node_id: str, node: SatelliteNode, hk: str) -> SatelliteHistory:
    table = f"{node.schema_name}.{node.table}"
    views = project.manifest.physical.views
    source = f"{table}_hist" if f"{table}_hist" in views else table
    note = ""
    if _personal(node):
        cur.execute("SELECT has_table_privilege(%s, 'SELECT') AS may, current_user AS role", (source,))
        access = cur.fetchone()
        if not access["may"]:  # personal data: values only for a role that may read them (the personal-data role)
            note = f"personal data: {access['role']} may not read {source} (--personal: as the personal-data role)"
            masked = f"{table}_masked"
            cur.execute(
                "SELECT to_regclass(%s) IS NOT NULL AND has_table_privilege(%s, 'SELECT') AS may", (masked, masked)
            )
            if masked not in views or not cur.fetchone()["may"]:
                return SatelliteHistory(node_id, table, True, [], note)
            source, note = masked, note + "; values masked"
    versioned = node.version_order if isinstance(node, SatNode | MsatNode | EsatNode) else []
    order = ", ".join(versioned or ["load_dts"])
    rows = _query(
        cur,
        f"SELECT * FROM {source} WHERE {node.parent_key} = %s AND record_source <> %s ORDER BY {order}",
        (hk, GHOST_RECORD_SOURCE),
    )
    payload = _payload(node)
    versions: list[Version] = []
    if isinstance(node, MsatNode):
        groups: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
        for r in rows:
            groups.setdefault((r["load_dts"], r["load_seq"]), []).append(r)
        before: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        subs = [c.name for c in node.sub_keys]
        cols = [c.name for c in node.columns]
        for members in groups.values():
            now = {tuple(m[s] for s in subs): tuple(m[c] for c in cols) for m in members}
            changed = (
                [f"+{_member(k)}" for k in now if k not in before]
                + [f"-{_member(k)}" for k in before if k not in now]
                + [f"~{_member(k)}" for k in now if k in before and before[k] != now[k]]
            )
            first = members[0]
            versions.append(
                Version(
                    first["load_dts"],
                    first.get("applied_dts"),
                    int(first["batch_id"]),
                    first["record_source"],
                    {"members": [_member_values(subs + cols, [*k, *v]) for k, v in sorted(now.items(), key=repr)]},
                    changed if versions else ["(first)"],
                    bool(first.get("is_current", False)),
                    first.get("applied_end_dts"),
                    first.get("load_end_dts"),
                )
            )
            before = now
    else:
        previous: dict[str, Any] | None = None
        for r in rows:
            values = {c: r.get(c) for c in payload}
            changed = ["(first)"] if previous is None else [c for c in payload if values[c] != previous[c]]
            erased = bool(
                _personal(node)
                and previous is not None
                and all(v is None for v in values.values())
                and any(v is not None for v in previous.values())
            )
            versions.append(
                Version(
                    r["load_dts"],
                    r.get("applied_dts"),
                    int(r["batch_id"]),
                    r["record_source"],
                    values,
                    changed,
                    bool(r.get("is_current", False)),
                    r.get("applied_end_dts"),
                    r.get("load_end_dts"),
                    erased=erased,
                )
            )
            previous = values
    return SatelliteHistory(node_id, table, _personal(node), versions, note)


def _member_values(names: list[str], values: list[Any]) -> dict[str, Any]:
    """A multi-active member as ``{column: value}``: its sub-keys, then its payload."""
    return {name: plain(value) for name, value in zip(names, values, strict=True)}


def _member(key: tuple[Any, ...]) -> str:
    return "/".join(str(plain(k)) for k in key)


def _hash_type(project: Project) -> str:
    from generator.dialects import get_dialect

    return get_dialect().hash_type(project.manifest.hash.algorithm)


def _key_text(parts: list[Any]) -> str:
    """A business key as shown: its parts joined by a space; the zero key's ghost row has none."""
    if all(v is None for v in parts):
        return "(unknown)"
    return " ".join(str(plain(v)) for v in parts)


def _links(cur: Any, project: Project, hub: str, hk: str) -> tuple[list[LinkRow], list[dict[str, Any]]]:
    """The key's link rows with their partners' business keys (joined in SQL, one query per link and role),
    the effectivity periods of those rows (one query per link), and its event counts."""
    links: list[LinkRow] = []
    events: list[dict[str, Any]] = []
    nodes = project.manifest.nodes
    esats = {n.parent: n for n in nodes.values() if isinstance(n, EsatNode)}
    for link_id, node in sorted(nodes.items()):
        if not (KIND_BY_PREFIX[node.kind].is_link and isinstance(node, LinkNode | NhlNode)):
            continue
        mine = [r for r in node.refs if r.hub == hub]
        table = f"{node.schema_name}.{node.table}"
        for ref in mine:
            if isinstance(node, NhlNode):
                rows = _query(
                    cur,
                    f"SELECT count(*) AS events, min(applied_dts) AS first_event, max(applied_dts) AS last_event"
                    f" FROM {table} WHERE {ref.column} = %s",
                    (hk,),
                )
                if rows and rows[0]["events"]:
                    events.append({"link": link_id, "role": ref.role, **rows[0]})
                continue
            others = [r for r in node.refs if r.column != ref.column]
            select: list[str] = []
            joins: list[str] = []
            parts: dict[str, list[str]] = {}
            for n, other in enumerate(others):
                partner = _hub(project, other.hub)
                alias = f"p{n}"
                joins.append(
                    f"LEFT JOIN {partner.schema_name}.{partner.table} AS {alias}"
                    f" ON {alias}.{partner.hash_key} = l.{other.column}"
                )
                parts[other.role] = []
                for k, bk in enumerate(partner.business_keys):
                    select.append(f"{alias}.{bk.name} AS {alias}_{k}")
                    parts[other.role].append(f"{alias}_{k}")
            rows = _query(
                cur,
                f"SELECT l.{node.hash_key}::text AS dv_link_key, l.load_dts, l.batch_id, l.record_source"
                + "".join(f", {c}" for c in select)
                + f" FROM {table} AS l {' '.join(joins)}"
                f" WHERE l.{ref.column} = %s AND l.record_source <> %s ORDER BY l.load_dts",
                (hk, GHOST_RECORD_SOURCE),
            )
            periods: dict[str, list[dict[str, Any]]] = {}
            esat = esats.get(link_id)
            if esat is not None and rows:
                for p in _query(
                    cur,
                    f"SELECT {node.hash_key}::text AS dv_link_key, start_dts, end_dts, is_current, load_dts,"
                    f" load_end_dts, batch_id FROM {esat.schema_name}.{esat.table}_hist"
                    f" WHERE {node.hash_key} = ANY(%s::{_hash_type(project)}[]) ORDER BY start_dts",
                    ([r["dv_link_key"] for r in rows],),
                ):
                    periods.setdefault(p.pop("dv_link_key"), []).append(p)
            for row in rows:
                links.append(
                    LinkRow(
                        link_id,
                        ref.role,
                        {role: _key_text([row[c] for c in cols]) for role, cols in parts.items()},
                        row["load_dts"],
                        int(row["batch_id"]),
                        row["record_source"],
                        periods.get(row["dv_link_key"], []),
                    )
                )
    return links, events


def _erasures(histories: list[SatelliteHistory], entity: str) -> list[Erasure]:
    out: list[Erasure] = []
    for h in histories:
        for v in h.versions:
            if not v.erased:
                continue
            came_with = [
                f"{o.node_id}: " + ", ".join(f"{c} = {plain(w.values.get(c))}" for c in w.changed)
                for o in histories
                if o is not h
                for w in o.versions
                if w.applied_dts == v.applied_dts and w.batch_id == v.batch_id and w.changed != ["(first)"]
            ]
            request = "; ".join(came_with) or "no other change of the key at that time"
            v.note = f"erased by the source change at {iso(v.applied_dts)} ({request})"
            out.append(Erasure(entity, h.node_id, v.applied_dts, v.load_dts, v.batch_id, v.record_source, request))
    return out


def trace(conn: psycopg2.extensions.connection, project: Project, entity: str, key: list[str]) -> Trace:
    node = hub_node(project, entity)
    hk = hash_key_of(project, node, key)
    with transaction(conn), conn.cursor(cursor_factory=RealDictCursor) as cur:
        cur.execute("SET LOCAL TimeZone = 'UTC'")
        row = _hub_row(cur, node, hk)
        if row is None:
            raise WarehouseError(
                f"{entity} {' '.join(key)} is not in {node.schema_name}.{node.table} (hash key {hk})\n"
                f"    hint: check the key; business key column(s): " + ", ".join(p.name for p in node.business_keys)
            )
        histories = [_history(cur, project, i, n, hk) for i, n in _satellites_of(project, f"hub.{entity}")]
        links, events = _links(cur, project, entity, hk)
        erasures = _erasures(histories, f"{entity} {' '.join(key)}")
        # personal data of the hubs linked to this key (a candidate's user: name and e-mail)
        for link in links:
            link_node = project.node(link.node_id)
            assert isinstance(link_node, LinkNode)  # event links (nhl) have no partners
            for ref in link_node.refs:
                if ref.hub == entity or ref.role not in link.partners:
                    continue
                partner_key = link.partners[ref.role]
                if partner_key == "(unknown)":
                    continue
                sats = [(i, n) for i, n in _satellites_of(project, f"hub.{ref.hub}") if isinstance(n, SatNode)]
                if not any(n.personal for _, n in sats):
                    continue
                partner_hk = hash_key_of(project, _hub(project, ref.hub), partner_key.split(" "))
                partner_histories = [_history(cur, project, i, n, partner_hk) for i, n in sats]
                erasures += _erasures(partner_histories, f"{ref.hub} {partner_key}")
    return Trace(
        entity,
        key,
        hk,
        row["load_dts"],
        row["record_source"],
        int(row["batch_id"]),
        histories,
        links,
        events,
        erasures,
    )
