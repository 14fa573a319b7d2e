"""Roles and grants: who may read and write what, generated from the model like the tables.

Five roles (names in ``model/project.yml``, ``roles:``; each prefixed per warehouse, roles being cluster-wide):

- **owner** owns the schemas and every table and view ``dv apply`` creates (staging, raw vault, ``dv_meta``);
- **loader** runs the pipeline: it may SELECT and INSERT into the raw vault and nothing else there (no UPDATE,
  DELETE or TRUNCATE: the raw vault is insert-only by the database's rules, not only by the code), write the
  staging tables and ``dv_meta``, and create the business-vault and mart objects it builds (it owns those);
- **reader** (dashboards, the API): the marts and the business vault, but no object that holds personal data;
- **auditor**: reads everything, ``dv_meta`` included, except personal data; writes nothing;
- **personal** (``personal_data``): a reader and an auditor who may also read personal data.

**Personal data.** A satellite marked ``personal: true`` is personal, and so are its ``_hist`` and ``_current``
views and every SQL-defined object (computed satellite, dimension, fact, KPI, feed) that reads a personal object,
transitively. PITs and bridges hold keys and dates only: they read personal satellites without holding their
values. In a staging table, the columns a personal satellite loads (and its hashdiff) are personal: the auditor
may select the other columns only. Objects outside the model (views written by hand in the business vault) are
judged by the database when ``dv apply`` runs: one that reads a personal object is personal.

The result is the manifest's ``access`` section, which ``dv plan`` compares with the live catalog (every GRANT
and REVOKE it would run is shown), and ``vault_sql/roles/grants.sql``, the same as SQL to read and review.
"""

from __future__ import annotations

from generator.constants import (
    SCHEMA_BUSINESS_VAULT,
    SCHEMA_MARTS,
    SCHEMA_META,
    SCHEMA_RAW_VAULT,
    SCHEMA_STAGING,
)
from generator.kinds.project import RoleSettings
from generator.manifest_model import BridgeNode, Node, PitNode, SatNode, SourceNode, SqlNode
from generator.manifest_model_physical import Access, PhysicalSchema

ROLES = ("owner", "loader", "reader", "auditor", "personal")
# the schemas whose objects the loader builds and therefore owns; the owner role owns the others' objects
BUILT_SCHEMAS = (SCHEMA_BUSINESS_VAULT, SCHEMA_MARTS)
WRITE = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"]
SCHEMA_PRIVILEGES: dict[str, dict[str, list[str]]] = {
    SCHEMA_META: {"loader": ["USAGE"], "reader": ["USAGE"], "auditor": ["USAGE"]},
    SCHEMA_STAGING: {"loader": ["USAGE"], "auditor": ["USAGE"]},
    SCHEMA_RAW_VAULT: {"loader": ["USAGE"], "auditor": ["USAGE"]},
    SCHEMA_BUSINESS_VAULT: {"loader": ["CREATE", "USAGE"], "reader": ["USAGE"], "auditor": ["USAGE"]},
    SCHEMA_MARTS: {"loader": ["CREATE", "USAGE"], "reader": ["USAGE"], "auditor": ["USAGE"]},
}
# objects of a schema the model does not list (dv_meta's tables, views written by hand): what each role gets
OTHER_OBJECTS: dict[str, dict[str, list[str]]] = {
    SCHEMA_META: {"loader": WRITE, "auditor": ["SELECT"]},
    SCHEMA_STAGING: {"loader": WRITE, "auditor": ["SELECT"]},
    SCHEMA_RAW_VAULT: {"loader": ["INSERT", "SELECT"], "auditor": ["SELECT"]},
    SCHEMA_BUSINESS_VAULT: {"loader": ["SELECT"], "reader": ["SELECT"], "auditor": ["SELECT"]},
    SCHEMA_MARTS: {"loader": ["SELECT"], "reader": ["SELECT"], "auditor": ["SELECT"]},
}
# what the reader may see of dv_meta: the batches and the mart refreshes (how fresh the marts are)
META_FOR_READER = ("batch", "mart_refresh")
# sequences (dv_meta's batch ids, the landing tables' row numbers): the loader draws from them
SEQUENCE_PRIVILEGES: dict[str, list[str]] = {"loader": ["SELECT", "USAGE"], "auditor": ["SELECT"]}


def personal_objects(nodes: dict[str, Node], physical: PhysicalSchema) -> list[str]:
    """Qualified tables and views that hold personal data: personal satellites, their views, and the SQL-defined
    objects that read any of them (transitively)."""
    personal_ids = {i for i, n in nodes.items() if isinstance(n, SatNode) and n.personal}
    out = {q for q, t in physical.tables.items() if t.entity in personal_ids and not q.startswith("staging.")}
    # a personal satellite's _masked view shows no value: it is what the auditor reads
    out |= {q for q, v in physical.views.items() if v.entity in personal_ids and not q.endswith("_masked")}
    changed = True
    while changed:  # derived objects read derived objects: to a fixed point
        changed = False
        for node in nodes.values():
            # SQL-defined kinds: their SELECT may carry a personal column into their rows
            if not isinstance(node, SqlNode):
                continue
            if node.qualified not in out and any(r in out for r in node.reads):
                out.add(node.qualified)
                changed = True
    return sorted(out)


def personal_stage_columns(nodes: dict[str, Node]) -> dict[str, list[str]]:
    """Per staging table, the columns that carry personal values: what a personal satellite loads, its hashdiff."""
    out: dict[str, set[str]] = {}
    for node_id, node in nodes.items():
        if not isinstance(node, SatNode) or not node.personal:
            continue
        source = nodes.get(f"source.{node.source}")
        if not isinstance(source, SourceNode):
            continue
        columns = {c.source_column for c in node.columns}
        hashdiffs = {h.column for h in source.hash_columns if h.owner == node_id}
        if source.landing_table:
            out.setdefault(f"{SCHEMA_STAGING}.{source.landing_table}", set()).update(columns)
        if source.table:
            out.setdefault(f"{SCHEMA_STAGING}.{source.table}", set()).update(columns | hashdiffs)
    return {t: sorted(c) for t, c in sorted(out.items())}


def access_section(nodes: dict[str, Node], physical: PhysicalSchema, roles: RoleSettings) -> Access:
    """The manifest's ``access`` section: roles, owners, and the privileges of each role on each object."""
    personal = set(personal_objects(nodes, physical))
    stage_personal = personal_stage_columns(nodes)
    objects: dict[str, dict[str, list[str]]] = {}
    for qualified, table in sorted(physical.tables.items()):
        schema = qualified.split(".", 1)[0]
        grants = {"loader": list(OTHER_OBJECTS.get(schema, {}).get("loader", ["SELECT"]))}
        hidden = stage_personal.get(qualified)
        if qualified in personal:
            grants["personal"] = ["SELECT"]
        elif hidden:
            visible = [c.name for c in table.columns if c.name not in hidden]
            grants["auditor"] = [f"SELECT ({', '.join(visible)})"]
            grants["personal"] = ["SELECT"]
        else:
            grants["auditor"] = ["SELECT"]
        objects[qualified] = grants
    for qualified in sorted(physical.views):
        objects[qualified] = {"loader": ["SELECT"], **_readers(qualified, personal, reader=False)}
    for node in nodes.values():
        # what dv marts builds (PITs, bridges, SQL-defined objects); the loader builds and owns them
        if not isinstance(node, PitNode | BridgeNode | SqlNode) or node.schema_name not in BUILT_SCHEMAS:
            continue
        stores = node.stores if isinstance(node, PitNode) else []
        for name in [node.qualified, *stores]:
            objects[name] = _readers(node.qualified, personal, reader=True)
        if isinstance(node, SqlNode) and node.masked:  # personal values through dv_meta.mask_*, for every reader
            objects[node.masked] = {"reader": ["SELECT"], "auditor": ["SELECT"]}
    for table_name in META_FOR_READER:
        objects[f"{SCHEMA_META}.{table_name}"] = {**OTHER_OBJECTS[SCHEMA_META], "reader": ["SELECT"]}
    return Access.model_validate(
        {
            "enabled": roles.enabled,
            "roles": {"prefix": roles.prefix, "names": roles.names.model_dump()},
            "members": {"personal": ["reader", "auditor"]},
            "owners": {
                schema: ("loader" if schema in BUILT_SCHEMAS else "owner")
                for schema in (SCHEMA_STAGING, SCHEMA_RAW_VAULT, SCHEMA_BUSINESS_VAULT, SCHEMA_MARTS, SCHEMA_META)
            },
            "schemas": SCHEMA_PRIVILEGES,
            "objects": dict(sorted(objects.items())),
            "other": OTHER_OBJECTS,
            "sequences": SEQUENCE_PRIVILEGES,
            "personal": sorted(personal),
            "personal_columns": stage_personal,
        }
    )


def _readers(qualified: str, personal: set[str], *, reader: bool) -> dict[str, list[str]]:
    if qualified in personal:
        return {"personal": ["SELECT"]}
    return {"reader": ["SELECT"], "auditor": ["SELECT"]} if reader else {"auditor": ["SELECT"]}


def render_grants(access: Access, header: str) -> str:
    """``vault_sql/roles/grants.sql``: the access section as SQL, role names as psql variables
    (``psql -v owner=jtld_owner -v loader=jtld_loader … -f grants.sql`` runs it as it stands)."""
    names = access.roles.names.model_dump()
    prefix = access.roles.prefix
    lines = [
        header,
        "-- Roles and privileges of the warehouse (generator/grants.py). dv apply creates the roles and brings the",
        "-- privileges to exactly this list; dv plan shows each GRANT and REVOKE it would run. A role is written as a",
        '-- psql variable, :"loader" standing for '
        + (f"{prefix}{names['loader']}" if prefix else f"<database>_{names['loader']}")
        + (
            " (roles.prefix in model/project.yml)."
            if prefix
            else " (roles.prefix in model/project.yml, else the database's name)."
        ),
    ]
    if not access.enabled:
        lines.append("-- roles.enabled is false in model/project.yml: dv apply keeps no roles.")
        return "\n".join(lines) + "\n"
    lines.append("")
    lines.append('-- roles (NOLOGIN: grant them to login roles, e.g. GRANT :"reader" TO alice)')
    for role in ROLES:
        lines.append(f'CREATE ROLE :"{role}" NOLOGIN;  -- {names[role]}')
    for member, of in access.members.items():
        lines.append(f"GRANT {', '.join(f':{_q(r)}' for r in of)} TO :{_q(member)};")
    lines.append("")
    lines.append("-- schemas: owned by the owner role")
    for schema, grants in access.schemas.items():
        lines.append(f'ALTER SCHEMA {schema} OWNER TO :"owner";')
        lines += _grant_lines(f"SCHEMA {schema}", grants)
    lines.append("")
    lines.append(
        "-- tables and views of the model (objects of business_vault and marts: owned by the loader, who builds them)"
    )
    for qualified, grants in access.objects.items():
        lines += _grant_lines(qualified, grants)
    lines.append("")
    lines.append(
        "-- objects the model does not list (dv_meta's tables; in the business vault and the marts, those that"
    )
    lines.append("-- read no personal object); owners by schema")
    for schema, grants in access.other.items():
        lines.append(f'-- objects of {schema} belong to :"{access.owners[schema]}"')
        lines += _grant_lines(f"ALL TABLES IN SCHEMA {schema}", grants)
        lines += _grant_lines(f"ALL SEQUENCES IN SCHEMA {schema}", access.sequences)
    if access.personal:
        lines.append("")
        lines.append("-- personal data: " + ", ".join(access.personal))
    return "\n".join(lines) + "\n"


def _q(role: str) -> str:
    return f'"{role}"'


def _grant_lines(target: str, grants: dict[str, list[str]]) -> list[str]:
    return [f"GRANT {', '.join(privileges)} ON {target} TO :{_q(role)};" for role, privileges in grants.items()]
