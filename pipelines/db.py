"""Connections to the warehouse: one place for the DSN rules and session settings."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import traceback
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
    remember_dsn(target)
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
        params = psycopg2.extensions.parse_dsn(target)
        if re.search(r'\brole "[^"]*" does not exist', first):  # the user, not the database, is missing
            user = params.get("user", "<user>")
            hint = (
                f"create the role first (createuser -h <host> -U postgres --login {user}), or connect as an existing "
                "user (the user of --dsn / DV_DSN, e.g. postgresql://postgres@127.0.0.1:5432/jtld_warehouse)"
            )
        elif "does not exist" in first:
            dbname = params.get("dbname", "")
            hint = f"create it first (createdb -h <host> -U <user> {dbname}), or point --dsn / DV_DSN elsewhere"
        raise WarehouseError(f"cannot connect to the warehouse ({redact(target)}): {first}\n    hint: {hint}") from None
    remember_secret(conn.info.password)  # also one libpq read from PGPASSWORD, a password or service file
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


# --- secrets kept out of every message ---------------------------------------------------------------------

_SECRETS: set[str] = set()  # passwords this process has seen (a DSN's, or what libpq read for a connection)
_MIN_SECRET = 4  # a shorter password is not searched for in messages (it would garble them): never use one
_SECRET_PATTERNS = (
    # a URI's user:secret@ (any scheme: postgresql://, https:// of a webhook)
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s/:@]*):([^\s/@]*)@", re.IGNORECASE), r"\1:***@"),
    # password=... as a key=value word (quoted or not), a query parameter, or password: ... in YAML or JSON
    # (group 2 is the secret in both)
    (re.compile(r"""(\bpassword["']?\s*[=:]\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&;,'"}]+)""",
                re.IGNORECASE), r"\1***"),
)  # fmt: skip
_SECRET_DSN_ENV = ("DV_DSN", "DV_SOURCE_DSN", "LUIGI_HISTORY_DSN")  # DSNs a process may be given


def remember_secret(value: str | None) -> None:
    """A password ``scrub`` takes out of every text from now on in this process."""
    if value and len(value) >= _MIN_SECRET:
        _SECRETS.add(value)


def remember_dsn(dsn: str | None) -> None:
    """The password a DSN carries, if any; of a DSN libpq cannot read, whatever is spelled like one (libpq's
    message about it may quote a piece of it)."""
    if not dsn:
        return
    try:
        remember_secret(psycopg2.extensions.parse_dsn(dsn).get("password"))
    except psycopg2.Error:
        for pattern, _ in _SECRET_PATTERNS:
            for found in pattern.finditer(dsn):
                remember_secret(found.group(2).strip("'\""))


def scrub(text: str) -> str:
    """``text`` without any password: those this process knows of (``PGPASSWORD``, the passwords of the DSNs
    in ``DV_DSN`` and ``DV_SOURCE_DSN`` and of every connection made) and anything spelled like one (a URI's
    ``user:secret@``, ``password=...``, ``?password=...``, ``password: ...``), each replaced by ``***``.
    For every message that may quote a DSN or an error: alerts, ``dv_meta`` text, errors printed."""
    remember_secret(os.environ.get("PGPASSWORD"))
    for name in _SECRET_DSN_ENV:
        remember_dsn(os.environ.get(name))
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def scrub_logs_and_tracebacks() -> None:
    """From now on in this process (and the worker processes it forks): every log record (Luigi's with
    ``DV_DEBUG=1``, the alerts') and the traceback of an uncaught exception (a bug) are scrubbed too."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "dv_scrubs", False):
        return

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        with contextlib.suppress(Exception):  # a message that does not format: logging reports it as it would
            record.msg, record.args = scrub(record.getMessage()), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = scrub("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        return record

    factory.dv_scrubs = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
    sys.excepthook = lambda kind, exc, tb: sys.stderr.write(scrub("".join(traceback.format_exception(kind, exc, tb))))
