"""Connections to the warehouse: one place for the DSN rules and session settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
import psycopg2.extensions

from generator.errors import WarehouseError

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/jtld_warehouse"  # never the maintenance database


def resolve_dsn(dsn: str | None) -> str:
    """``--dsn``, else ``DV_DSN``, else the local server."""
    return dsn or os.environ.get("DV_DSN") or DEFAULT_DSN


def connect(dsn: str | None = None) -> psycopg2.extensions.connection:
    target = resolve_dsn(dsn)
    try:
        conn = psycopg2.connect(target, application_name="dv")
    except psycopg2.ProgrammingError:  # libpq could not read the DSN (its message may quote it: not shown)
        raise WarehouseError(
            f"cannot connect to the warehouse: the DSN is not a connection string libpq can read ({redact(target)})"
            "\n    hint: postgresql://user@host:5432/dbname, or host=... dbname=... user=..."
        ) from None
    except psycopg2.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
        hint = "pass --dsn or set DV_DSN, e.g. postgresql://postgres@127.0.0.1:5432/jtld_warehouse"
        if "does not exist" in first:
            dbname = psycopg2.extensions.parse_dsn(target).get("dbname", "")
            hint = f"create it first (createdb -h <host> -U <user> {dbname}), or point --dsn / DV_DSN elsewhere"
        raise WarehouseError(f"cannot connect to the warehouse ({redact(target)}): {first}\n    hint: {hint}") from None
    with conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
    conn.commit()
    return conn


@contextmanager
def transaction(conn: psycopg2.extensions.connection) -> Iterator[psycopg2.extensions.cursor]:
    """A cursor whose work commits on success and rolls back on any error."""
    try:
        with conn.cursor() as cur:
            yield cur
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def redact(dsn: str) -> str:
    """Where a DSN points, for messages: host, port, database and user, never its password, whichever way
    the DSN spells it (a URI with ``user:secret@`` or ``?password=``, or ``key=value`` words)."""
    try:
        params = psycopg2.extensions.parse_dsn(dsn)
    except psycopg2.Error:
        return "a DSN libpq cannot read"
    if params.get("service") and not params.get("host"):
        return f"service {params['service']}"
    user = f"{params['user']}@" if params.get("user") else ""
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgresql://{user}{params.get('host', '')}{port}/{params.get('dbname', '')}"
