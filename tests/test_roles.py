"""Roles and grants (issue 13): each role, connected as a login member of it, may do what docs/security.md says
and nothing more; personal data is readable by the personal-data role only, in clear, and by the others through
masked forms with the same rows; the pipeline acts as the loader; dv plan shows a change of grants."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.errors
import psycopg2.extensions
import pytest

from generator.generate import generate
from pipelines.cli import main
from pipelines.plan import plan
from pipelines.project import Project
from tests import casefiles
from tests.conftest import FIXTURES, ROLE_NAMES, reset_schemas

pytestmark = pytest.mark.db

PERSONAL = """kind: satellite
name: candidate_personal
description: A candidate's name (personal data).
hub: candidate
source: candidates
columns: [full_name]
personal: true
---
kind: dimension
name: dim_candidate
description: Candidates with their names; the masked form shows initials.
refresh: table
key: [candidate_id]
columns:
  - {name: candidate_key, description: Hash key}
  - {name: candidate_id, description: Business key}
  - {name: full_name, description: The name, mask: initials}
sql: |
  SELECT h.hk_candidate AS candidate_key, h.candidate_id, s.full_name
  FROM raw_vault.hub_candidate AS h
  LEFT JOIN raw_vault.sat_candidate_personal_current AS s ON s.hk_candidate = h.hk_candidate
  WHERE h.record_source <> 'SYSTEM.GHOST'
"""
CANDIDATES = [
    {"candidate_id": "C1", "full_name": "Jane van Dijk"},
    {"candidate_id": "C2", "full_name": "Omar Haddad"},
    {"candidate_id": "C3", "full_name": None},
]
JOBS = [
    {"job_id": "J1", "employer_id": "E1", "title": "Welder", "updated_at": "2026-01-01 09:00:00+00", "change_seq": 1}
]


@dataclass
class Warehouse:
    root: Path
    dsn: str
    roles: dict[str, str]  # logical role -> role name
    logins: dict[str, str]  # logical role -> DSN of a login member of it


def _dsn(dsn: str, **changes: str) -> str:
    return psycopg2.extensions.make_dsn(**{**psycopg2.extensions.parse_dsn(dsn), **changes})


def _cli(root: Path, *args: str) -> int:
    return main(["--project", str(root), *args])


@pytest.fixture
def secured(tmp_path: Path, test_dsn: str, server_dsn: str) -> Iterator[Warehouse]:
    reset_schemas(test_dsn)
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "models" / "marts", root / "model")
    (root / "model" / "personal.yml").write_text(PERSONAL, encoding="utf-8")
    generate(root)
    assert _cli(root, "apply", "--dsn", test_dsn) == 0
    project = Project.open(root)
    conn = psycopg2.connect(test_dsn)
    casefiles.land(conn, project, {"candidates": CANDIDATES, "job_postings": JOBS})
    conn.close()
    assert _cli(root, "load", "--dsn", test_dsn, "--load-dts", "2026-02-01T06:00:00Z") == 0
    assert _cli(root, "marts", "--dsn", test_dsn, "--force") == 0  # no quality checks in this test
    database = psycopg2.extensions.parse_dsn(test_dsn)["dbname"]
    roles = {
        r: f"{database}_{n}"
        for r, n in zip(("owner", "loader", "reader", "auditor", "personal"), ROLE_NAMES, strict=True)
    }
    admin = psycopg2.connect(test_dsn)
    admin.autocommit = True
    logins = {}
    with admin.cursor() as cur:
        for role, name in roles.items():
            login = f"{database}_t_{role}"
            cur.execute(f'DROP ROLE IF EXISTS "{login}"')
            cur.execute(f'CREATE ROLE "{login}" LOGIN IN ROLE "{name}"')
            logins[role] = _dsn(test_dsn, user=login)
    try:
        yield Warehouse(root, test_dsn, roles, logins)
    finally:
        with admin.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY(%s)",
                (list(f"{database}_t_{r}" for r in roles),),
            )
            for role in roles:
                cur.execute(f'DROP ROLE IF EXISTS "{database}_t_{role}"')
        admin.close()


def _may(dsn: str, sql: str, params: tuple[Any, ...] = ()) -> bool:
    """Whether the statement runs (rolled back either way); False only for a privilege error."""
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
        return True
    except psycopg2.errors.InsufficientPrivilege:
        return False
    finally:
        conn.rollback()
        conn.close()


def _rows(dsn: str, sql: str) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return list(cur.fetchall())
    finally:
        conn.close()


SAT = "raw_vault.sat_candidate_personal"
NEW_HUB_ROW = (
    "INSERT INTO raw_vault.hub_job (hk_job, job_id, load_dts, record_source, batch_id)"
    " VALUES (md5('JX')::uuid, 'JX', now(), 'test', 1)"
)


def test_the_loader_inserts_but_never_updates_or_deletes_the_raw_vault(secured: Warehouse) -> None:
    loader = secured.logins["loader"]
    assert _may(loader, NEW_HUB_ROW)
    assert _may(loader, f"SELECT count(*) FROM {SAT}")  # it loads personal satellites, so it reads them
    assert not _may(loader, f"UPDATE {SAT} SET full_name = 'x'")
    assert not _may(loader, f"DELETE FROM {SAT}")
    assert not _may(loader, f"TRUNCATE {SAT}")
    assert not _may(loader, "UPDATE raw_vault.sat_job_title SET title = 'x'")
    assert not _may(loader, "DELETE FROM raw_vault.hub_job")
    assert not _may(loader, "DROP TABLE raw_vault.hub_job")
    assert _may(loader, "INSERT INTO staging.candidates (candidate_id) VALUES ('C9')")
    assert _may(loader, "DELETE FROM staging.candidates_stage")
    assert _may(loader, "UPDATE dv_meta.batch SET note = note")
    assert not _may(loader, "CREATE TABLE raw_vault.sneaky (x int)")


def test_the_reader_sees_marts_but_no_personal_data(secured: Warehouse) -> None:
    reader, personal = secured.logins["reader"], secured.logins["personal"]
    assert not _may(reader, f"SELECT * FROM {SAT}")
    assert not _may(reader, "SELECT * FROM marts.dim_candidate")  # it reads personal data: personal role only
    assert not _may(reader, "SELECT * FROM raw_vault.hub_job")  # the raw vault is not the reader's
    assert not _may(reader, "SELECT * FROM dv_meta.quality_result")
    assert _may(reader, "SELECT batch_id, status FROM dv_meta.batch")  # how fresh the marts are
    assert _may(reader, "SELECT * FROM marts.fact_job_views")
    masked = _rows(reader, "SELECT candidate_id, full_name FROM marts.dim_candidate_masked ORDER BY 1")
    clear = _rows(personal, "SELECT candidate_id, full_name FROM marts.dim_candidate ORDER BY 1")
    assert masked == [("C1", "J. V. D."), ("C2", "O. H."), ("C3", None)]
    assert clear == [("C1", "Jane van Dijk"), ("C2", "Omar Haddad"), ("C3", None)]
    assert not _may(reader, "INSERT INTO marts.fact_job_views (hk_job) VALUES (NULL)")


def test_the_auditor_reads_everything_but_personal_data_and_writes_nothing(secured: Warehouse) -> None:
    auditor = secured.logins["auditor"]
    for readable in ("dv_meta.batch", "dv_meta.load_log", "raw_vault.hub_candidate", "raw_vault.sat_job_title"):
        assert _may(auditor, f"SELECT * FROM {readable}"), readable
    assert not _may(auditor, f"SELECT * FROM {SAT}")
    assert not _may(auditor, f"SELECT * FROM {SAT}_current")
    # in staging, the columns a personal satellite loads are hidden, the others readable
    assert not _may(auditor, "SELECT full_name FROM staging.candidates_stage")
    assert _may(auditor, "SELECT candidate_id, batch_id FROM staging.candidates_stage")
    assert _may(auditor, "SELECT candidate_id FROM marts.dim_candidate_masked")
    for statement in (
        "INSERT INTO dv_meta.alert (kind, subject, message) VALUES ('x', 'x', 'x')",
        NEW_HUB_ROW,
        "INSERT INTO staging.candidates (candidate_id) VALUES ('C9')",
        "UPDATE dv_meta.batch SET note = note",
        "DELETE FROM marts.fact_job_views",
    ):
        assert not _may(auditor, statement), statement


def test_the_personal_data_role_reads_personal_data_and_writes_nothing(secured: Warehouse) -> None:
    personal = secured.logins["personal"]
    assert _rows(personal, f"SELECT count(*) FROM {SAT} WHERE record_source <> 'SYSTEM.GHOST'") == [(3,)]
    assert _may(personal, "SELECT full_name FROM staging.candidates_stage")
    assert _may(personal, "SELECT * FROM dv_meta.batch")  # an auditor too
    assert not _may(personal, NEW_HUB_ROW)


def test_the_pipeline_acted_as_the_loader(secured: Warehouse) -> None:
    rows = _rows(secured.dsn, "SELECT DISTINCT db_role FROM dv_meta.load_log")
    assert rows == [(secured.roles["loader"],)]
    owners = _rows(
        secured.dsn,
        "SELECT DISTINCT n.nspname, pg_get_userbyid(c.relowner) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('raw_vault', 'staging', 'marts')"
        " AND c.relkind IN ('r', 'v') ORDER BY 1",
    )
    assert owners == [
        ("marts", secured.roles["loader"]),
        ("raw_vault", secured.roles["owner"]),
        ("staging", secured.roles["owner"]),
    ]


def test_plan_is_empty_after_apply_and_shows_drift_and_a_grant_change(secured: Warehouse) -> None:
    conn = psycopg2.connect(secured.dsn)
    try:
        project = Project.open(secured.root)
        assert plan(conn, project).empty, plan(conn, project).render()
        with conn.cursor() as cur:  # someone opened a personal satellite to everybody
            cur.execute(f"GRANT SELECT ON {SAT} TO PUBLIC")
        conn.commit()
        drift = plan(conn, project)
        assert [s.sql for s in drift.steps] == [f"REVOKE SELECT ON TABLE {SAT} FROM PUBLIC;"]
        # the job titles become personal data: the auditor loses them, the plan says so
        path = secured.root / "model" / "satellites.yml"
        path.write_text(path.read_text(encoding="utf-8") + "personal: true\n", encoding="utf-8")
        generate(secured.root)
        project = Project.open(secured.root)
        changed = [s.sql for s in plan(conn, project).steps]
        auditor = secured.roles["auditor"]
        assert f'REVOKE SELECT ON TABLE raw_vault.sat_job_title FROM "{auditor}";' in changed
        # its views are made again (a masked one joins them): they get the grants of a personal satellite's views
        assert "DROP VIEW IF EXISTS raw_vault.sat_job_title_current;" in changed
        assert f'GRANT SELECT ON TABLE raw_vault.sat_job_title_masked TO "{auditor}";' in changed
        assert not any(f"raw_vault.sat_job_title_current TO {auditor}" in s for s in changed)
        assert f'GRANT SELECT ON TABLE raw_vault.sat_job_title TO "{secured.roles["personal"]}";' in changed
    finally:
        conn.close()
    assert _cli(secured.root, "apply", "--dsn", secured.dsn) == 0
    assert not _may(secured.logins["auditor"], "SELECT * FROM raw_vault.sat_job_title")
    assert not _may(secured.logins["auditor"], f"SELECT * FROM {SAT}")


def test_trace_shows_personal_values_only_to_the_personal_data_role(
    secured: Warehouse, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(secured.root, "trace", "candidate", "C1", "--json", "--dsn", secured.dsn) == 0
    shown = json.loads(capsys.readouterr().out)
    (sat,) = [s for s in shown["satellites"] if s["satellite"] == "sat.candidate_personal"]
    # the auditor reads the masked versions: when the data changed, never what it was
    assert [v["values"] for v in sat["versions"]] == [{"full_name": "***"}] and "may not read" in sat["hidden"]
    assert "Jane" not in json.dumps(shown)
    assert _cli(secured.root, "trace", "candidate", "C1", "--json", "--personal", "--dsn", secured.dsn) == 0
    shown = json.loads(capsys.readouterr().out)
    (sat,) = [s for s in shown["satellites"] if s["satellite"] == "sat.candidate_personal"]
    assert sat["versions"][0]["values"] == {"full_name": "Jane van Dijk"} and "hidden" not in sat


def test_a_user_who_is_no_member_may_not_act_as_the_loader(
    secured: Warehouse, capsys: pytest.CaptureFixture[str]
) -> None:
    database = psycopg2.extensions.parse_dsn(secured.dsn)["dbname"]
    stranger = f"{database}_t_stranger"
    admin = psycopg2.connect(secured.dsn)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f'CREATE ROLE "{stranger}" LOGIN')
        code = _cli(secured.root, "load", "--dsn", _dsn(secured.dsn, user=stranger))
        message = capsys.readouterr().err
        assert code == 1 and "Traceback" not in message
        assert f"user {stranger} may not act as {secured.roles['loader']}" in message
        assert f'GRANT "{secured.roles["loader"]}" TO "{stranger}"' in message
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP ROLE IF EXISTS "{stranger}"')
        admin.close()


def test_a_batch_loads_again_as_the_loader_after_its_rows_arrive(secured: Warehouse) -> None:
    """A second batch through the CLI as the loader: ANALYZE of raw-vault tables goes through the owner's
    function, the marts rebuild and keep their grants."""
    conn = psycopg2.connect(secured.dsn)
    job = {**JOBS[0], "job_id": "J2", "updated_at": "2026-02-01 09:00:00+00"}
    landed = {"candidates": [{"candidate_id": "C4", "full_name": "Li Wei"}], "job_postings": [job]}
    casefiles.land(conn, Project.open(secured.root), landed)
    conn.close()
    load_dts = (dt.datetime(2026, 2, 2, 6, tzinfo=dt.UTC)).isoformat()
    assert _cli(secured.root, "load", "--dsn", secured.dsn, "--load-dts", load_dts) == 0
    assert _cli(secured.root, "marts", "--dsn", secured.dsn, "--force") == 0
    masked = _rows(secured.logins["reader"], "SELECT full_name FROM marts.dim_candidate_masked ORDER BY 1")
    assert ("L. W.",) in masked and len(masked) == 4
    # what the refresh made again (a bridge builds a new table every time) has its grants: nothing to plan
    conn = psycopg2.connect(secured.dsn)
    try:
        assert plan(conn, Project.open(secured.root)).empty
    finally:
        conn.close()
    assert _cli(secured.root, "marts", "--dsn", secured.dsn, "--force", "--rebuild") == 0
    assert _rows(secured.logins["reader"], "SELECT count(*) FROM marts.dim_candidate_masked") == [(4,)]


def test_grants_sql_runs_in_psql_as_it_stands(secured: Warehouse) -> None:
    """vault_sql/roles/grants.sql is what dv apply keeps, written for psql: with roles of another prefix it runs
    without an error and gives them what dv apply gave the warehouse's roles."""
    import subprocess

    prefix = f"{psycopg2.extensions.parse_dsn(secured.dsn)['dbname']}_psql_"
    names = dict(zip(("owner", "loader", "reader", "auditor", "personal"), ROLE_NAMES, strict=True))
    variables = [f"--variable={role}={prefix}{name}" for role, name in names.items()]
    try:
        done = subprocess.run(
            ["psql", secured.dsn, "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-q", *variables, "-f",
             str(secured.root / "vault_sql" / "roles" / "grants.sql")],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        reader = f"{prefix}{names['reader']}"
        granted = _rows(
            secured.dsn,
            f"SELECT has_table_privilege('{reader}', 'marts.fact_job_views', 'SELECT'),"
            f" has_table_privilege('{reader}', 'raw_vault.sat_candidate_personal', 'SELECT'),"
            f" has_table_privilege('{prefix}loader', 'raw_vault.hub_job', 'UPDATE')",
        )
        assert granted == [(True, False, False)]
    finally:
        admin = psycopg2.connect(secured.dsn)
        admin.autocommit = True
        with admin.cursor() as cur:
            for name in names.values():
                cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{prefix}{name}",))
                if cur.fetchone():
                    role = f'"{prefix}{name}"'
                    cur.execute(f"REASSIGN OWNED BY {role} TO CURRENT_USER; DROP OWNED BY {role}; DROP ROLE {role}")
        admin.close()


def test_the_jtld_warehouse_hides_personal_data_from_the_reader(demo_marts: Any) -> None:
    """On the demo warehouse (the repository's model, three days through Luigi): the standardized e-mails of the
    personal satellite are the personal-data role's only; the reader has their masked form, the same rows."""
    from pipelines.access import connect_as
    from tests.conftest import REPO

    manifest = Project.open(REPO).manifest
    counts = {}
    for role, view in (("personal", "user_email_std"), ("reader", "user_email_std_masked")):
        conn = connect_as(demo_marts.dsn, manifest, role)
        try:
            with conn.cursor() as cur:
                cur.execute(f"SELECT count(*), count(DISTINCT email), max(email) FROM business_vault.{view}")
                counts[role] = cur.fetchone()
                if role == "reader":
                    cur.execute("SELECT has_table_privilege('business_vault.user_email_std', 'SELECT')")
                    assert cur.fetchone() == (False,)
                    cur.execute("SELECT has_schema_privilege('raw_vault', 'USAGE')")  # no raw vault at all
                    assert cur.fetchone() == (False,)
        finally:
            conn.close()
    assert counts["personal"][0] == counts["reader"][0] > 0
    assert "@" in counts["personal"][2] and counts["reader"][2].startswith("***@")
    with psycopg2.connect(demo_marts.dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT DISTINCT db_role FROM dv_meta.task_run")
        (roles,) = zip(*cur.fetchall(), strict=True)
    database = psycopg2.extensions.parse_dsn(demo_marts.dsn)["dbname"]
    assert roles == (f"{database}_loader",)  # every pipeline task acted as the loader


def test_no_write_privilege_anywhere_for_readers_and_none_but_insert_in_the_raw_vault_for_the_loader(
    secured: Warehouse,
) -> None:
    """Every table and view of the warehouse, from the catalog: the reader, the auditor and the personal-data role
    may write none; the loader may only insert into the raw vault."""
    writes = "INSERT, UPDATE, DELETE, TRUNCATE"
    rows = _rows(
        secured.dsn,
        "SELECT r.role, n.nspname || '.' || c.relname, "
        f"       has_table_privilege(r.role, c.oid, '{writes.replace(', ', ',')}'),"
        "        has_table_privilege(r.role, c.oid, 'UPDATE,DELETE,TRUNCATE')"
        "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        f" CROSS JOIN unnest(ARRAY['{secured.roles['reader']}', '{secured.roles['auditor']}',"
        f"                         '{secured.roles['personal']}', '{secured.roles['loader']}']) AS r(role)"
        " WHERE n.nspname IN ('staging', 'raw_vault', 'business_vault', 'marts', 'dv_meta')"
        "   AND c.relkind IN ('r', 'p', 'v', 'm')",
    )
    assert len(rows) > 100
    loader = secured.roles["loader"]
    assert [(r, t) for r, t, any_write, _ in rows if r != loader and any_write] == []
    assert [t for r, t, _, rewrite in rows if r == loader and t.startswith("raw_vault.") and rewrite] == []
    inserts = [t for r, t, any_write, _ in rows if r == loader and t.startswith("raw_vault.") and any_write]
    assert "raw_vault.sat_candidate_personal" in inserts and "raw_vault.hub_job" in inserts
