"""Roles, owners and grants in the warehouse: what ``dv plan`` shows and ``dv apply`` runs to bring them to the
manifest's ``access`` section (generator/grants.py), and the connections each component opens as its role.

The plan compares the live catalog with the model: roles that do not exist yet, schemas and objects owned by
another role, and privileges (``aclexplode`` of schemas, tables, views, sequences and columns) that differ for
the warehouse's roles or PUBLIC. Grants to other roles are left alone: an operator may grant a role of their own.
A view or table the plan drops and creates again has lost its grants: the plan counts it as having none. An
object the model does not list (a view written by hand in the business vault) is personal when it reads a
personal object, as the database's dependencies say, transitively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeAlias

import psycopg2
import psycopg2.extensions

from generator.errors import WarehouseError
from generator.grants import ROLES
from generator.manifest_model import Manifest
from generator.manifest_model_physical import Access
from pipelines.db import connect

Cursor: TypeAlias = psycopg2.extensions.cursor
Conn: TypeAlias = psycopg2.extensions.connection
PUBLIC = "PUBLIC"
MASKED_TAG = "[dv:masked]"  # in a view's comment: it shows personal values masked only, and is no personal object
# which role each component connects as (None: the DSN's own user)
COMPONENT_ROLES: dict[str, str | None] = {
    "dv apply, dv rehash": None,  # creates roles and schemas, then gives the objects to their owners
    "pipeline (extract, land, stage, load, checks, profile, marts)": "loader",
    "audit (status, batch, trace, asof, gate)": "auditor",
    "serving (exports of the marts; dashboards and the API)": "reader",
}
_KIND_WORD = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "f": "FOREIGN TABLE", "S": "SEQUENCE"}


@dataclass(frozen=True)
class AccessStep:
    group: str  # "roles", "owners", "revoke" or "grants"
    target: str
    sql: str


def access_of(manifest: Manifest) -> Access | None:
    """The manifest's access section, or None when roles are off."""
    access = manifest.access
    return access if access.enabled else None


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def role_names(cur: Cursor, access: Access) -> dict[str, str]:
    """Logical role -> role name in this warehouse (the prefix defaults to the database's name and '_')."""
    prefix = access.roles.prefix
    if prefix is None:
        cur.execute("SELECT current_database()")
        prefix = f"{cur.fetchone()[0]}_"
    logical = access.roles.names.model_dump()
    names = {role: f"{prefix}{logical[role]}" for role in ROLES}
    too_long = [n for n in names.values() if len(n.encode()) > 63]
    if too_long:
        raise WarehouseError(
            f"role name {too_long[0]} is longer than PostgreSQL's 63 bytes\n"
            "    hint: set a shorter roles.prefix in model/project.yml"
        )
    return names


# --- connections ------------------------------------------------------------------------------------------


def connect_as(dsn: str | None, manifest: Manifest, role: str | None) -> Conn:
    """A connection acting as one of the warehouse's roles (``SET ROLE``): what it may do is what the database
    allows that role, whoever the DSN's user is. With roles off in the model, the DSN's user."""
    conn = connect(dsn)
    access = access_of(manifest)
    if access is None or role is None:
        return conn
    try:
        with conn.cursor() as cur:
            name = role_names(cur, access)[role]
            cur.execute(
                "SELECT session_user, pg_has_role(session_user, r.oid, 'MEMBER') FROM pg_roles r WHERE r.rolname = %s",
                (name,),
            )
            row = cur.fetchone()
            if row is None:
                raise WarehouseError(
                    f"role {name} does not exist: this warehouse has not been given its roles yet\n"
                    "    hint: run 'dv apply' (it creates the roles), or set roles: {enabled: false} in "
                    "model/project.yml to run every command as the DSN's user"
                )
            if not row[1]:
                raise WarehouseError(
                    f"user {row[0]} may not act as {name} (the {role} role)\n"
                    f"    hint: GRANT {quote(name)} TO {quote(row[0])}; or connect as a user who is a member"
                )
            cur.execute(f"SET ROLE {quote(name)}")
        conn.commit()
    except BaseException:
        conn.close()
        raise
    return conn


def current_role(conn: Conn) -> str:
    with conn.cursor() as cur:
        cur.execute("SELECT current_user")
        return str(cur.fetchone()[0])


# --- the plan -----------------------------------------------------------------------------------------------

Privilege = tuple[str, str, str, str]  # (target, role name or PUBLIC, privilege, column or "")


def plan_access(
    cur: Cursor, manifest: Manifest, schemas: Iterable[str], recreated: Iterable[str] = ()
) -> list[AccessStep]:
    """The statements that bring roles, owners and privileges to the manifest's access section.

    ``recreated``: relations the plan drops and creates again (their grants are gone by then)."""
    typed = manifest
    access = access_of(typed)
    if access is None:
        return []
    physical = typed.physical
    names = role_names(cur, access)
    managed = sorted(set(schemas))
    steps = _role_steps(cur, access, names)
    planned = {**{q: "r" for q in physical.tables}, **{q: "v" for q in physical.views}}
    # what the plan drops is gone by then; what it drops and creates again is new (no owner, no grants yet)
    dropped = set(recreated)
    live = {
        q: (kind, "" if q in dropped else who, linked)
        for q, (kind, who, linked) in _relations(cur, managed).items()
        if q not in dropped or q in planned
    }
    steps += _owner_steps(cur, access, names, managed, live, planned)
    # the sequences of identity columns follow their table's owner; the loader draws from them (a quarantined
    # row of a feed takes a landing row number): a table this plan creates has its sequence named by PostgreSQL's
    # rule, <table>_<column>_seq
    kinds = {**planned, **{q: kind for q, (kind, _owner, _linked) in live.items()}}
    for qualified, table in physical.tables.items():
        for column in table.columns:
            if column.identity and qualified not in live:
                kinds.setdefault(f"{qualified}_{column.name}_seq", "S")
    owners = {q: names[access.owners.get(q.split(".", 1)[0], "owner")] for q in kinds}
    personal = _personal(cur, access, managed)
    desired = _desired(access, names, kinds, owners, personal)
    actual = _actual(cur, managed, set(names.values()), owners, dropped)
    steps += _privilege_steps(desired, actual, kinds)
    return steps


def _role_steps(cur: Cursor, access: Access, names: dict[str, str]) -> list[AccessStep]:
    cur.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (list(names.values()),))
    present = {r[0] for r in cur.fetchall()}
    steps: list[AccessStep] = []
    missing = [n for n in names.values() if n not in present]
    if missing:
        cur.execute("SELECT rolsuper, rolcreaterole, session_user FROM pg_roles WHERE rolname = session_user")
        superuser, createrole, user = cur.fetchone()
        if not (superuser or createrole):
            raise WarehouseError(
                f"user {user} may not create the warehouse's roles ({', '.join(missing)})\n"
                "    hint: run dv apply as a user with CREATEROLE (or a superuser) once, or create the roles "
                "yourself, or set roles: {enabled: false} in model/project.yml"
            )
        for name in missing:
            steps.append(AccessStep("roles", name, f"CREATE ROLE {quote(name)} NOLOGIN"))
        if not superuser:  # its own roles: it may act as them and give them objects
            steps.append(AccessStep("roles", user, f"GRANT {', '.join(map(quote, missing))} TO {quote(user)}"))
    cur.execute(
        "SELECT r.rolname, m.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid"
        " JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = ANY(%s)",
        (list(names.values()),),
    )
    members = {(role, member) for role, member in cur.fetchall()}
    for member, of in access.members.items():
        wanted = [names[r] for r in of if (names[r], names[member]) not in members]
        if wanted:
            steps.append(
                AccessStep("roles", names[member], f"GRANT {', '.join(map(quote, wanted))} TO {quote(names[member])}")
            )
    return steps


def _relations(cur: Cursor, schemas: list[str]) -> dict[str, tuple[str, str, bool]]:
    """Relations of the schemas: qualified -> (relkind, owner, a sequence linked to a column)."""
    cur.execute(
        "SELECT n.nspname || '.' || c.relname, c.relkind, pg_get_userbyid(c.relowner),"
        " EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid"
        "         AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')",
        (schemas,),
    )
    return {q: (kind, owner, linked) for q, kind, owner, linked in cur.fetchall()}


def _owner_steps(
    cur: Cursor,
    access: Access,
    names: dict[str, str],
    schemas: list[str],
    live: dict[str, tuple[str, str, bool]],
    planned: dict[str, str],
) -> list[AccessStep]:
    steps: list[AccessStep] = []
    owner = names["owner"]
    cur.execute("SELECT nspname, pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ANY(%s)", (schemas,))
    live_schemas = dict(cur.fetchall())
    for schema in schemas:
        if live_schemas.get(schema) != owner:
            steps.append(AccessStep("owners", schema, f"ALTER SCHEMA {schema} OWNER TO {quote(owner)}"))
    relations = {q: (kind, who, linked) for q, (kind, who, linked) in live.items()}
    for q, kind in planned.items():
        relations.setdefault(q, (kind, "", False))  # created by this plan, by the DSN's user
    for qualified, (kind, who, linked) in sorted(relations.items()):
        want = names[access.owners.get(qualified.split(".", 1)[0], "owner")]
        if who != want and not linked:
            sql = f"ALTER {_KIND_WORD[kind]} {qualified} OWNER TO {quote(want)}"
            steps.append(AccessStep("owners", qualified, sql))
    cur.execute(
        "SELECT n.nspname, p.oid::regprocedure::text, p.prokind, pg_get_userbyid(p.proowner)"
        " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY(%s) ORDER BY 2",
        (schemas,),
    )
    for schema, signature, kind, who in cur.fetchall():
        want = names[access.owners.get(schema, "owner")]
        if who != want:
            word = {"p": "PROCEDURE", "a": "AGGREGATE"}.get(kind, "FUNCTION")
            steps.append(AccessStep("owners", signature, f"ALTER {word} {signature} OWNER TO {quote(want)}"))
    return steps


def dependent_views(cur: Cursor, schemas: list[str]) -> dict[str, set[str]]:
    """Relation of ``schemas`` -> the views (any schema) whose definitions read it (pg_depend of their rules)."""
    cur.execute(
        "SELECT DISTINCT vn.nspname || '.' || v.relname, tn.nspname || '.' || t.relname"
        " FROM pg_depend d"
        " JOIN pg_rewrite r ON r.oid = d.objid"
        " JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace"
        " JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace"
        " WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass"
        " AND v.oid <> t.oid AND tn.nspname = ANY(%s)",
        (schemas,),
    )
    readers: dict[str, set[str]] = {}
    for view, relation in cur.fetchall():
        readers.setdefault(relation, set()).add(view)
    return readers


def _personal(cur: Cursor, access: Access, schemas: list[str]) -> set[str]:
    """The model's personal objects and every view that reads one, transitively (pg_depend)."""
    personal = set(access.personal)
    readers = dependent_views(cur, schemas)
    # a masked form ([dv:masked] in its comment: every personal value it shows goes through a dv_meta.mask_*)
    cur.execute(
        "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = ANY(%s) AND c.relkind = 'v' AND obj_description(c.oid, 'pg_class') LIKE %s",
        (schemas, f"%{MASKED_TAG}%"),
    )
    masked = {r[0] for r in cur.fetchall()}
    todo = list(personal)
    while todo:
        for view in readers.get(todo.pop(), set()):
            if view not in personal and view not in masked:
                personal.add(view)
                todo.append(view)
    return personal


def _desired(
    access: Access,
    names: dict[str, str],
    kinds: dict[str, str],
    owners: dict[str, str],
    personal: set[str],
) -> set[Privilege]:
    out: set[Privilege] = set()

    def add(target: str, role: str, privileges: Iterable[str]) -> None:
        name = names[role]
        if owners.get(target) == name:
            return  # an owner holds every privilege on what it owns
        for privilege in privileges:
            word, _, columns = privilege.partition(" (")
            if columns:
                out.update((target, name, word, c.strip()) for c in columns.rstrip(")").split(","))
            else:
                out.add((target, name, word, ""))

    for schema, on_schema in access.schemas.items():
        for role, privileges in on_schema.items():
            add(f"schema:{schema}", role, privileges)
    for target, kind in kinds.items():
        schema = target.split(".", 1)[0]
        grants = access.objects.get(target)
        if grants is None:  # an object the model does not list
            if kind == "S":
                grants = access.sequences
            elif target in personal:
                grants = {"loader": ["SELECT"], "personal": ["SELECT"]}
            else:
                grants = access.other.get(schema, {})
        for role, privileges in grants.items():
            add(target, role, privileges)
    return out


def _actual(
    cur: Cursor, schemas: list[str], roles: set[str], owners: dict[str, str], recreated: set[str]
) -> set[Privilege]:
    cur.execute(
        "SELECT 'schema:' || n.nspname, coalesce(g.rolname, 'PUBLIC'), a.privilege_type, ''"
        " FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a LEFT JOIN pg_roles g ON g.oid = a.grantee"
        " WHERE n.nspname = ANY(%(s)s) AND a.grantee <> n.nspowner"
        " UNION ALL"
        " SELECT n.nspname || '.' || c.relname, coalesce(g.rolname, 'PUBLIC'), a.privilege_type, ''"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(c.relacl) a"
        " LEFT JOIN pg_roles g ON g.oid = a.grantee"
        " WHERE n.nspname = ANY(%(s)s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND a.grantee <> c.relowner"
        " UNION ALL"
        " SELECT n.nspname || '.' || c.relname, coalesce(g.rolname, 'PUBLIC'), a.privilege_type, t.attname"
        " FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " CROSS JOIN LATERAL aclexplode(t.attacl) a LEFT JOIN pg_roles g ON g.oid = a.grantee"
        " WHERE n.nspname = ANY(%(s)s) AND t.attnum > 0 AND NOT t.attisdropped AND a.grantee <> c.relowner",
        {"s": schemas},
    )
    return {
        (target, role, privilege, column)
        for target, role, privilege, column in cur.fetchall()
        if (role in roles or role == PUBLIC) and target not in recreated and owners.get(target) != role
    }


def _privilege_steps(desired: set[Privilege], actual: set[Privilege], kinds: dict[str, str]) -> list[AccessStep]:
    steps: list[AccessStep] = []
    for group, verb, rows, word in (
        ("revoke", "REVOKE", actual - desired, "FROM"),
        ("grants", "GRANT", desired - actual, "TO"),
    ):
        by_target: dict[tuple[str, str, str], list[str]] = {}
        for target, role, privilege, column in rows:
            by_target.setdefault((target, role, column and privilege), []).append(column or privilege)
        for (target, role, column_privilege), items in sorted(by_target.items()):
            if target.startswith("schema:"):
                on = f"SCHEMA {target.split(':', 1)[1]}"
            else:
                on = f"{'SEQUENCE' if kinds.get(target) == 'S' else 'TABLE'} {target}"
            grantee = role if role == PUBLIC else quote(role)
            what = f"{column_privilege} ({', '.join(sorted(items))})" if column_privilege else ", ".join(sorted(items))
            steps.append(AccessStep(group, target.removeprefix("schema:"), f"{verb} {what} ON {on} {word} {grantee}"))
    return steps


def grant_built(cur: Cursor, manifest: Manifest, relations: Iterable[str]) -> None:
    """Grants on objects a mart refresh has just created (it owns them, so it may grant them)."""
    access = access_of(manifest)
    if access is None:
        return
    names = role_names(cur, access)
    for relation in relations:
        for role, privileges in access.objects.get(relation, {}).items():
            if role != "loader":
                cur.execute(f"GRANT {', '.join(privileges)} ON {relation} TO {quote(names[role])}")
