"""What the catalog cannot show: changes since the last applied manifest that would change the hash keys or
hashdiffs of the rows a table holds (a business key, a link's hubs, payload order, a case rule, a stage recipe)."""

from __future__ import annotations

from typing import Any

from generator.types import parse_type


def _family(type_sql: str) -> str:
    parsed = parse_type(type_sql)
    return parsed.family if parsed is not None else type_sql


def recipe_change(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """How a stage hash column's recipe changed in a way that changes stored hashes; None if it did not."""
    if old["kind"] != new["kind"]:
        return f"stage column {new['column']} changed from a {old['kind']} to a {new['kind']}"
    if new["kind"] == "key":
        shape = [[(_family(p["type"]), p["case_sensitive"]) for p in r["parts"]] for r in (old, new)]
        if shape[0] != shape[1]:
            return f"the key parts hashed into {new['column']} changed (their number, type or case rule)"
        return None
    parts = [[(p["column"], _family(p["type"])) for p in r["parts"]] for r in (old, new)]
    if old.get("case_sensitive") != new.get("case_sensitive") or parts[1][: len(parts[0])] != parts[0]:
        return (
            f"the columns hashed into {new['column']} changed other than by appending (or their case rule): "
            "every hashdiff would change"
        )
    return None


def node_changes(before: dict[str, Any], after: dict[str, Any], hashed: bool) -> list[tuple[str, str]]:
    """Changes to an entity that would change the hash keys or hashdiffs of the rows it holds."""
    out: list[tuple[str, str]] = []
    kind = after.get("kind")
    if kind == "hub" and before.get("business_keys") != after.get("business_keys"):
        out.append(
            (
                f"the business key changed from {_keys(before.get('business_keys'))} to "
                f"{_keys(after.get('business_keys'))}: every hash key of the hub, and of its links and "
                "satellites, would change",
                "keep the business key (names, types, order, case_sensitive); model the new key as a new hub "
                "(with a same-as link to this one) and load it from the sources",
            )
        )
    if kind == "link" and (
        before.get("refs") != after.get("refs") or before.get("dependent_keys") != after.get("dependent_keys")
    ):
        out.append(
            (
                f"the hub references or dependent keys changed from {_refs(before)} to {_refs(after)}: every link key "
                "would change",
                "keep the link as it is and declare a new link for the new relationship",
            )
        )
    old_cols = [str(c.get("name")) for c in before.get("columns", []) if isinstance(c, dict)]
    new_cols = [str(c.get("name")) for c in after.get("columns", []) if isinstance(c, dict)]
    if hashed and old_cols and new_cols[: len(old_cols)] != old_cols:
        out.append(
            (
                f"the payload columns changed from ({', '.join(old_cols)}) to ({', '.join(new_cols)}): "
                "a removed or reordered column changes every hashdiff, so the next load would store a new "
                "version of every key",
                "keep the columns in their order and append new ones at the end (trailing NULLs do not change "
                "a hashdiff); a column no longer delivered can stay in the model",
            )
        )
    if hashed and "case_sensitive" in before and before.get("case_sensitive") != after.get("case_sensitive"):
        out.append(
            (
                f"case_sensitive changed from {before.get('case_sensitive')} to {after.get('case_sensitive')}: "
                "every hashdiff with letters would change (a new version of most keys on the next load)",
                "keep case_sensitive as it was; a satellite with the other rule is a new satellite",
            )
        )
    return out


def _keys(keys: Any) -> str:
    if not keys:
        return "()"
    parts = [f"{k['name']} {k['type']}{'' if not k.get('case_sensitive') else ' case-sensitive'}" for k in keys]
    return "(" + ", ".join(parts) + ")"


def _refs(node: dict[str, Any]) -> str:
    refs = [r["hub"] if r["role"] == r["hub"] else f"{r['hub']} as {r['role']}" for r in node.get("refs", [])]
    deps = node.get("dependent_keys") or []
    return "(" + ", ".join(refs + [f"dependent {d if isinstance(d, str) else d.get('name')}" for d in deps]) + ")"
