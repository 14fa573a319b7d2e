"""No password is ever shown or stored: not in output, logs, exceptions, alerts, ``dv_meta`` or the docs site.

Against an ACCEPTED connection (the test server trusts 127.0.0.1, so it ignores the password it is given),
whichever way the password reaches libpq: a URI's ``user:secret@``, a URI's ``?password=``, ``key=value``
words, ``PGPASSWORD``, a password file (``PGPASSFILE``) or a service file (``PGSERVICEFILE`` and
``DV_DSN=service=name``). Real commands run as a user runs them: ``dv apply``, ``dv run`` (Luigi, with a
load that fails half-way and a source that is down), ``dv load``, ``dv status``, ``dv batch``, ``dv check``,
``dv docs``; then every output, every file of the project (logs, the site) and every text column of
``dv_meta`` is searched for the password.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import pytest

from pipelines.db import connect, redact, scrub
from tests import casefiles
from tests.conftest import drop_database, make_project, reset_schemas

pytestmark = pytest.mark.db

SECRET = "S3cretPW-q7x"
SHOP = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (customer_id bigint PRIMARY KEY, name text, tier text, updated_at timestamptz NOT NULL);
CREATE TABLE shop.orders (order_id bigint PRIMARY KEY, customer_id bigint, amount numeric(10,2), status text);
INSERT INTO shop.customers SELECT i, 'customer ' || i, 'gold', timestamptz '2026-03-01 08:00+00' + i * interval '1 hour'
FROM generate_series(1, 20) AS i;
INSERT INTO shop.orders SELECT i, 1 + i % 20, i * 1.5, 'open' FROM generate_series(1, 40) AS i;
"""


def _params(dsn: str) -> dict[str, str]:
    params = psycopg2.extensions.parse_dsn(dsn)
    params.pop("password", None)
    return params


def with_password(dsn: str, style: str) -> tuple[str, dict[str, str]]:
    """The DSN carrying the secret in one ``style``, and the environment that goes with it."""
    p = _params(dsn)
    host, port, db, user = p.get("host", "127.0.0.1"), p.get("port", "5432"), p["dbname"], p.get("user", "postgres")
    if style == "uri":
        return f"postgresql://{user}:{SECRET}@{host}:{port}/{db}", {}
    if style == "uri_query":
        return f"postgresql://{user}@{host}:{port}/{db}?password={SECRET}", {}
    if style == "key_value":
        return f"host={host} port={port} dbname={db} user={user} password={SECRET}", {}
    assert style == "pgpassword"
    return f"postgresql://{user}@{host}:{port}/{db}", {"PGPASSWORD": SECRET}


def dv(root: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "SODA_CORE_TELEMETRY_ENABLED": "false", **env}
    for name in ("DV_DSN", "DV_SOURCE_DSN", "PGPASSWORD", "PGPASSFILE", "PGSERVICEFILE", "DV_ALERT_WEBHOOK"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "--project", str(root), *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=300,
    )


class Transcript:
    """Every output of the commands run, checked for the secret as it goes."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env, self.text = root, env, []

    def __call__(self, *args: str, ok: bool | None = True, env: dict[str, str] | None = None) -> str:
        run = dv(self.root, *args, env={**self.env, **(env or {})})
        both = run.stdout + run.stderr
        self.text.append(both)
        assert SECRET not in both, f"dv {' '.join(args)} printed the password:\n{both}"
        if "DV_DEBUG" not in (env or {}):  # with it, Luigi logs each failing task's traceback: checked above
            assert "Traceback" not in both, both
        assert ok is None or (run.returncode == 0) == ok, f"dv {' '.join(args)}: exit {run.returncode}\n{both}"
        return both


def assert_nowhere(dsn: str, root: Path) -> None:
    """No file of the project (logs, the docs site, checks, landing) and no text of dv_meta holds the secret."""
    for path in root.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"{path} holds the password"
    conn = psycopg2.connect(dsn)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT table_name, column_name FROM information_schema.columns c"
            " JOIN information_schema.tables t USING (table_schema, table_name)"
            " WHERE c.table_schema = 'dv_meta' AND t.table_type = 'BASE TABLE'"
            " AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')"
        )
        columns = cur.fetchall()
        assert len(columns) > 10, columns  # task_run.error, batch.note, alert.message, quality results, ...
        for table, column in columns:
            cur.execute(f'SELECT count(*) FROM dv_meta."{table}" WHERE "{column}"::text LIKE %s', (f"%{SECRET}%",))
            assert cur.fetchone() == (0,), f"dv_meta.{table}.{column} holds the password"
    conn.close()


@pytest.fixture
def shop(test_dsn: str) -> Any:
    name = _params(test_dsn)["dbname"] + "_secrets_shop"
    admin = psycopg2.connect(psycopg2.extensions.make_dsn(**{**_params(test_dsn), "dbname": "postgres"}))
    admin.autocommit = True
    with admin.cursor() as cur:
        drop_database(cur, name)
        cur.execute(f'CREATE DATABASE "{name}"')
    dsn = psycopg2.extensions.make_dsn(**{**_params(test_dsn), "dbname": name})
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute(SHOP)
    conn.close()
    yield dsn
    with admin.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        drop_database(cur, name)
    admin.close()


@pytest.mark.parametrize("style", ["uri", "uri_query", "key_value", "pgpassword"])
def test_no_password_anywhere_after_a_pipeline_with_a_failure(
    style: str, test_dsn: str, shop: str, tmp_path: Path
) -> None:
    reset_schemas(test_dsn)
    root = make_project(tmp_path, casefiles.MODELS / "pipeline").root
    warehouse, env = with_password(test_dsn, style)
    source, _ = with_password(shop, style)
    dv_ = Transcript(root, {**env, "DV_DSN": warehouse, "DV_SOURCE_DSN": source})

    dv_("apply")
    dv_("run", "--workers", "2")
    # a load that fails half-way through a run (its table gone), with Luigi's own logs on
    conn = psycopg2.connect(test_dsn)
    with conn, conn.cursor() as cur:
        cur.execute("ALTER TABLE raw_vault.hub_shop_order RENAME TO hub_shop_order_away")
    failed = dv_("run", ok=False, env={"DV_DEBUG": "1"})
    assert "failed" in failed and "hub_shop_order" in failed, failed
    with conn, conn.cursor() as cur:
        cur.execute("ALTER TABLE raw_vault.hub_shop_order_away RENAME TO hub_shop_order")
    conn.close()
    batch = failed.split("dv run --batch ", 1)[1].split()[0]
    dv_("run", "--batch", batch)
    # a source that is down (its database does not exist), the password in its DSN
    down, _ = with_password(shop.replace("_secrets_shop", "_no_such_shop"), style)
    dv_("run", ok=False, env={"DV_SOURCE_DSN": down})
    dv_("run", "--dsn", warehouse, ok=False, env={"DV_SOURCE_DSN": down})  # --dsn on the command line too
    dv_("load", "--load-dts", "2099-01-01", ok=False)  # refused: far ahead of the clock
    dv_("load")
    dv_("status")
    dv_("status", "--json")
    dv_("batch", batch)
    dv_("check", ok=None)  # exit 0-3 by the checks' outcome: only its text matters here
    dv_("plan")
    dv_("docs", "--out", str(root / "site"))
    assert (root / "site" / "index.html").is_file()
    assert_nowhere(test_dsn, root)


def test_an_unreadable_source_dsn_and_a_webhook_never_show_the_secret(test_dsn: str, tmp_path: Path) -> None:
    """A source DSN libpq cannot read (its error quotes the piece it could not read: here the password) fails
    the extract; the alert's webhook, whose URL carries a secret in its user, path and query, does not
    answer. Neither secret reaches the output, dv_meta or the alert."""
    reset_schemas(test_dsn)
    root = make_project(tmp_path, casefiles.MODELS / "pipeline").root
    p = _params(test_dsn)
    unreadable = f"postgresql://postgres:{SECRET}%zz@127.0.0.1:5432/{p['dbname']}"
    webhook = f"http://hook:{SECRET}@127.0.0.1:1/services/{SECRET}?token={SECRET}"
    dv_ = Transcript(root, {"DV_DSN": test_dsn, "DV_SOURCE_DSN": unreadable, "DV_ALERT_WEBHOOK": webhook})
    dv_("apply")
    failed = dv_("run", ok=False)
    assert "failed" in failed and "did not answer" in failed, failed
    dv_("run", "--batch", "1", ok=False, env={"DV_DEBUG": "1"})  # Luigi's own log lines and tracebacks too
    conn = psycopg2.connect(test_dsn)
    with conn.cursor() as cur:
        cur.execute("SELECT error FROM dv_meta.task_run WHERE status = 'failed'")
        errors = [e for (e,) in cur.fetchall()]
    conn.close()
    assert errors and all("***" in e for e in errors), errors  # the error is kept, the password is not
    assert_nowhere(test_dsn, root)


def test_a_password_file_is_used_and_never_shown(test_dsn: str, tmp_path: Path) -> None:
    reset_schemas(test_dsn)
    root = make_project(tmp_path, casefiles.MODELS / "pipeline").root
    p = _params(test_dsn)
    passfile = tmp_path / "pgpass"
    host, port, user = p.get("host", "127.0.0.1"), p.get("port", "5432"), p.get("user", "postgres")
    passfile.write_text(f"{host}:{port}:*:{user}:{SECRET}\n")
    passfile.chmod(0o600)
    plain = psycopg2.extensions.make_dsn(**p)
    env = {"DV_DSN": plain, "PGPASSFILE": str(passfile), "DV_SOURCE_DSN": plain}
    # libpq reads the file: the connection knows the password it would send
    os.environ["PGPASSFILE"] = str(passfile)
    try:
        conn = connect(plain)
        assert conn.info.password == SECRET
        conn.close()
    finally:
        del os.environ["PGPASSFILE"]
    dv_ = Transcript(root, env)
    dv_("apply")
    dv_("load")
    dv_("status")
    dv_("check", ok=None)  # Soda connects with what libpq read from the file
    dv_("docs", "--out", str(root / "site"))
    bad = {"DV_DSN": plain.replace(f"port={p.get('port', '5432')}", "port=1")}
    refused = dv_("status", ok=False, env=bad)
    assert "cannot connect to the warehouse" in refused
    assert_nowhere(test_dsn, root)


def test_a_service_file_is_used_and_never_shown(test_dsn: str, tmp_path: Path) -> None:
    reset_schemas(test_dsn)
    root = make_project(tmp_path, casefiles.MODELS / "pipeline").root
    p = _params(test_dsn)
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[dv_secrets_test]\nhost={p.get('host', '127.0.0.1')}\nport={p.get('port', '5432')}\n"
        f"dbname={p['dbname']}\nuser={p.get('user', 'postgres')}\npassword={SECRET}\n"
        f"[dv_secrets_down]\nhost=127.0.0.1\nport=1\ndbname=nowhere\nuser=postgres\npassword={SECRET}\n"
    )
    env = {"DV_DSN": "service=dv_secrets_test", "PGSERVICEFILE": str(services)}
    dv_ = Transcript(root, env)
    applied = dv_("apply")
    assert "applied" in applied
    dv_("load")
    status = dv_("status")
    assert "batch" in status
    dv_("check", ok=None)
    dv_("docs", "--out", str(root / "site"))
    refused = dv_("status", ok=False, env={"DV_DSN": "service=dv_secrets_down"})
    assert "cannot connect to the warehouse (service dv_secrets_down)" in refused, refused
    unknown = dv_("status", ok=False, env={"DV_DSN": "service=dv_no_such_service"})
    assert "dv_no_such_service" in unknown and "hint:" in unknown, unknown
    assert_nowhere(test_dsn, root)


@pytest.mark.parametrize(
    "text",
    [
        f"could not connect: postgresql://postgres:{SECRET}@db:5432/x",
        f"invalid option in host=db password={SECRET} dbname=x",
        f"invalid option in host=db password = '{SECRET}' dbname=x",
        f"postgresql://db/x?sslmode=require&password={SECRET}&application_name=dv",
        f"webhook https://user:{SECRET}@hooks.example/x did not answer",
    ],
)
def test_scrub_removes_passwords_from_any_text(text: str) -> None:
    assert SECRET not in scrub(text)
    assert SECRET not in redact(text)


def test_log_records_and_tracebacks_are_scrubbed(capsys: pytest.CaptureFixture[str]) -> None:
    import logging
    import sys

    from pipelines.db import remember_secret, scrub_logs_and_tracebacks

    factory, hook = logging.getLogRecordFactory(), sys.excepthook
    try:
        scrub_logs_and_tracebacks()
        remember_secret(SECRET)
        record = logging.getLogger("luigi-interface").makeRecord(
            "luigi-interface", logging.ERROR, __file__, 1, "task failed: %s", (f"token {SECRET}",), None
        )
        assert SECRET not in logging.Formatter().format(record)
        try:
            raise RuntimeError(f"cannot read password={SECRET}")
        except RuntimeError:
            record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
            assert "RuntimeError" in logging.Formatter().format(record)
            assert SECRET not in logging.Formatter().format(record)
            sys.excepthook(*sys.exc_info())  # type: ignore[misc]
        printed = capsys.readouterr().err
        assert "RuntimeError: cannot read password=***" in printed and SECRET not in printed
    finally:
        logging.setLogRecordFactory(factory)
        sys.excepthook = hook
