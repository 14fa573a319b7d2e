"""Standardization in the business vault (``model/business_vault/standardization.yml``, run by
``pipelines/standardize.py``): the SQL functions on hand-written inputs with the expected outputs, and the
views (standardized values, duplicate candidates) on a raw vault loaded from hand-written source rows."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import psycopg2.extensions
import pytest

from generator.errors import ModelError
from generator.manifest_model import BusinessViewNode
from generator.model import load_model
from pipelines.project import Project
from pipelines.standardize import apply_standardization
from pipelines.warehouse import apply, load
from tests.conftest import FIXTURES, REPO, make_project

# Legal forms std_employer_name removes from the end of a company name, written as they read after punctuation
# became spaces (so "B.V." is "b v" and "bv")
LEGAL_FORMS = (
    "gmbh and co kg", "gmbh co kg", "ag and co kg", "and co kg", "co kg", "gmbh", "g m b h", "mbh", "ag", "kg",
    "ug", "e k", "ek", "se",
    "b v", "bv", "n v", "nv", "v o f", "vof", "bvba", "sprl",
    "ltd", "limited", "plc", "llp", "lp", "l p", "inc", "incorporated", "llc", "l l c", "corp", "corporation",
    "and co", "co", "company",
    "s a s", "sas", "s a r l", "sarl", "s a", "sa", "s l", "sl", "s l u", "slu", "s r l", "srl", "s p a", "spa",
    "sp z o o", "spzoo", "sp k", "s c", "a s", "as", "a b", "ab", "aps", "oy", "oyj", "asa",
)  # fmt: skip

COMPANY_NAMES = [
    ("Blue Systems GmbH", "blue systems"),
    ("BLUE SYSTEMS G.m.b.H.", "blue systems"),
    ("blue systems gmbh ", "blue systems"),
    ('"Nova" Labs Ltd', "nova labs"),
    ("Nova Labs Limited", "nova labs"),
    ("„Nova“ Labs Ltd.", "nova labs"),
    ("Smith, Jones & Partners", "smith jones and partners"),
    ("Smith Jones and Partners LLP", "smith jones and partners"),
    ("Orbit Foods Sp. z o.o.", "orbit foods"),
    ("Harbor Telecom B.V.", "harbor telecom"),
    ("Harbor Telecom BV", "harbor telecom"),
    ("Lumen Software SAS", "lumen software"),
    ("Lumen Software S.A.S.", "lumen software"),
    ("Clear Retail S.L.", "clear retail"),
    ("Vector Energy AG", "vector energy"),
    ("Vector Energy Inc.", "vector energy"),
    ("Müller & Söhne GmbH & Co. KG", "muller and sohne"),
    ("The Łódź Company S.A.", "lodz"),
    ("Zoë's Café", "zoes cafe"),
    ("AT&T Inc.", "at and t"),
    ("Data+Co", "data"),
    ("Casa Systems", "casa systems"),  # "sa" only as a whole word at the end
    ("AG", "ag"),  # a name that is only a legal form stays
    ("   ", None),
    ("", None),
]

EMAILS = [
    ("Jane.Doe@Example.COM", "jane.doe@example.com"),
    ("  jane.doe@example.com  ", "jane.doe@example.com"),
    ("jane .doe@ example.com", "jane.doe@example.com"),
    ("jane.doe@example.com\u00a0", "jane.doe@example.com"),  # non-breaking space
    ("\u200bjane.doe@example.com", "jane.doe@example.com"),  # zero-width space
    ("mailto:Jane.Doe@example.com", "jane.doe@example.com"),
    ("<jane.doe@example.com>", "jane.doe@example.com"),
    ("ZOË@example.com", "zoë@example.com"),  # letters are kept, only their case changes
    ("", None),
    (" ", None),
]

COUNTRIES = [
    ("DE", "DE"),
    (" de ", "DE"),
    ("DEU", "DE"),
    ("Germany", "DE"),
    ("Deutschland", "DE"),
    ("the Netherlands", "NL"),
    ("NETHERLANDS", "NL"),
    ("Holland", "NL"),
    ("Nederland", "NL"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("United Kingdom", "GB"),
    ("Great Britain", "GB"),
    ("gbr", "GB"),
    ("Schweiz", "CH"),
    ("Suisse", "CH"),
    ("Polska", "PL"),
    ("España", "ES"),
    ("Espana", "ES"),
    ("U.S.A.", "US"),
    ("United States of America", "US"),
    ("Österreich", "AT"),
    ("Atlantis", None),
    ("XX", None),
    ("", None),
]


@pytest.fixture
def functions(warehouse: psycopg2.extensions.connection) -> psycopg2.extensions.connection:
    """The functions on a database without a raw vault: no view is made."""
    assert apply_standardization(warehouse, Project.open(REPO)) == []
    return warehouse


def call(conn: psycopg2.extensions.connection, function: str, values: list[str]) -> list[Any]:
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT business_vault.{function}(v) FROM unnest(%s::text[]) WITH ORDINALITY AS t (v, n) ORDER BY n",
            (values,),
        )
        out = [r[0] for r in cur.fetchall()]
    conn.commit()
    return out


@pytest.mark.db
def test_std_employer_name(functions: psycopg2.extensions.connection) -> None:
    inputs = [i for i, _ in COMPANY_NAMES]
    assert list(zip(inputs, call(functions, "std_employer_name", inputs), strict=True)) == COMPANY_NAMES
    assert call(functions, "company_key", ["Blue Systems GmbH"]) == ["blue systems"]
    assert call(functions, "std_employer_name", [None]) == [None]  # type: ignore[list-item]


@pytest.mark.db
def test_every_legal_form_is_removed(functions: psycopg2.extensions.connection) -> None:
    names = [f"Acme {form}" for form in LEGAL_FORMS] + [f"Acme {form.upper()}." for form in LEGAL_FORMS]
    assert set(call(functions, "std_employer_name", names)) == {"acme"}


@pytest.mark.db
def test_std_email(functions: psycopg2.extensions.connection) -> None:
    inputs = [i for i, _ in EMAILS]
    assert list(zip(inputs, call(functions, "std_email", inputs), strict=True)) == EMAILS


@pytest.mark.db
def test_std_country_code(functions: psycopg2.extensions.connection) -> None:
    inputs = [i for i, _ in COUNTRIES]
    assert list(zip(inputs, call(functions, "std_country_code", inputs), strict=True)) == COUNTRIES
    # the lookup table can be extended
    with functions.cursor() as cur:
        cur.execute("INSERT INTO business_vault.country_alias VALUES (business_vault.country_key('Atlantis'), 'XA')")
    functions.commit()
    assert call(functions, "std_country_code", ["atlantis"]) == ["XA"]
    # applying again keeps the extension and changes nothing else
    apply_standardization(functions, Project.open(REPO))
    assert call(functions, "std_country_code", ["atlantis", "Deutschland"]) == ["XA", "DE"]


def test_views_read_base_tables_only() -> None:
    """dv apply drops and recreates the raw vault's _current and _hist views when they change; a view of
    ours reading them would block it (a view dv did not make). Ours read the tables."""
    project = Project.open(REPO)
    views = [n for n in project.with_statement("apply") if isinstance(n, BusinessViewNode)]
    assert {n.name for n in views} >= {"user_email_std", "employer_std", "company_duplicate_candidates"}
    for node in views:
        assert all(not r.endswith(("_current", "_hist")) for r in node.reads), node.name
        sql = project.sql(node.sql["apply"])
        assert "_current" not in sql.replace("business_vault.", "") and "_hist" not in sql


# --- the views on a raw vault loaded from hand-written rows ------------------------------------------------


def land(conn: psycopg2.extensions.connection, table: str, rows: list[dict[str, Any]]) -> None:
    with conn.cursor() as cur:
        for row in rows:
            cur.execute(
                f"INSERT INTO staging.{table} ({', '.join(row)}) VALUES ({', '.join(['%s'] * len(row))})",
                [None if v is None else str(v) for v in row.values()],
            )
    conn.commit()


def employer(employer_id: int, name: str, country: str) -> dict[str, Any]:
    return {
        "employer_id": employer_id, "name": name, "industry": "software", "size_band": "11-50",
        "country_code": country, "created_at": "2025-05-01T10:00:00Z", "updated_at": "2025-05-01T10:00:00Z",
    }  # fmt: skip


def crm(account_id: str, name: str, employer_id: int | None) -> dict[str, Any]:
    return {
        "account_id": account_id, "account_name": name, "platform_employer_id": employer_id,
        "account_manager": "Nora Fischer", "contract_tier": "Gold", "billing_country": "DE",
        "last_modified": "2025-06-01T09:00:00Z", "export_date": "2025-06-02",
        "landing_file": "crm/accounts_2025-06-02.csv", "landing_line": 2,
    }  # fmt: skip


def user(user_id: int, email: str | None) -> dict[str, Any]:
    return {
        "user_id": user_id, "role": "candidate", "email": email, "full_name": None if email is None else "A B",
        "registered_at": "2025-05-01T10:00:00Z", "status": "active", "updated_at": "2025-05-01T10:00:00Z",
    }  # fmt: skip


@pytest.mark.db
def test_views_on_the_raw_vault(warehouse: psycopg2.extensions.connection) -> None:
    project = Project.open(REPO)
    apply(warehouse, project)
    land(warehouse, "platform_employers", [
        employer(1, "Blue Systems GmbH", "DE"),
        employer(2, "BLUE SYSTEMS G.m.b.H.", "DE"),  # the same company twice
        employer(3, '"Nova" Labs Ltd', "GB"),
        employer(4, "Blue Systems B.V.", "NL"),  # same name, another country: another company
        employer(5, "Rhine Labs GmbH", "DE"),
    ])  # fmt: skip
    land(warehouse, "crm_accounts", [
        crm("001A", "Nova Labs Limited", 3),  # names its employer, under another spelling
        crm("001B", "Rhine Labs, Prospect", None),  # a prospect that is on the platform already
        crm("001C", "Lumen Software SAS", 1),  # names employer 1 under another company's name
    ])  # fmt: skip
    land(warehouse, "platform_users", [
        user(10, "Jane.Doe@Example.com "), user(11, "jane.doe@example.com"), user(12, "max@example.com"),
        user(13, None),  # erased
    ])  # fmt: skip
    land(warehouse, "board_a_postings", [{
        "board": "board_a", "posting_id": "A0000001", "reference": "NOV-2026-50001", "company": "Nova Labs Ltd.",
        "title": "Data Engineer", "city": "London", "country_code": "GB", "remote": "hybrid",
        "employment": "contract", "salary_currency": "GBP", "salary_period": "hour", "salary_min": "60",
        "salary_max": "80", "posted_on": "2026-03-01", "extracted_on": "2026-03-02",
        "landing_file": "board_a/2026-03-02.xml",
    }])  # fmt: skip
    load(warehouse, project, load_dts=dt.datetime(2026, 3, 3, 6, tzinfo=dt.UTC))
    assert "company_duplicate_candidates" in apply_standardization(warehouse, project)

    def rows(sql: str) -> list[tuple[Any, ...]]:
        with warehouse.cursor() as cur:
            cur.execute(sql)
            out = cur.fetchall()
        warehouse.commit()
        return out

    assert rows("SELECT user_id, email_std FROM business_vault.user_email_std ORDER BY user_id") == [
        (10, "jane.doe@example.com"), (11, "jane.doe@example.com"), (12, "max@example.com"),
    ]  # fmt: skip
    assert rows("SELECT user_id, other_user_id, email_std FROM business_vault.user_email_duplicates") == [
        (10, 11, "jane.doe@example.com")
    ]
    assert rows("SELECT employer_id, name_std, country_code_std FROM business_vault.employer_std ORDER BY 1") == [
        (1, "blue systems", "DE"), (2, "blue systems", "DE"), (3, "nova labs", "GB"), (4, "blue systems", "NL"),
        (5, "rhine labs", "DE"),
    ]  # fmt: skip
    assert rows(
        "SELECT account_id, is_prospect, name_std, employer_id FROM business_vault.crm_account_std ORDER BY 1"
    ) == [("001A", False, "nova labs", 3), ("001B", True, "rhine labs", None), ("001C", False, "lumen software", 1)]
    assert rows(
        "SELECT account_id, employer_id, names_match FROM business_vault.crm_employer_name_check ORDER BY 1"
    ) == [("001A", 3, True), ("001C", 1, False)]
    assert rows(
        "SELECT kind, id, other_kind, other_id, name_std FROM business_vault.company_duplicate_candidates ORDER BY 1, 2"
    ) == [
        ("board_posting", "BOARD_A:A0000001", "employer", "3", "nova labs"),
        ("crm_account", "001B", "employer", "5", "rhine labs"),
        ("employer", "1", "employer", "2", "blue systems"),
    ]


@pytest.mark.db
def test_a_view_without_its_raw_vault_table_is_skipped(
    warehouse: psycopg2.extensions.connection, tmp_path: Path
) -> None:
    """A business view whose raw-vault table is missing is not made, nor a view over it; the functions and the
    other views are (the fixture model tests/fixtures/models/standardization; its load cases: tests/fixtures/cases/
    function/ and business_view/)."""
    project = make_project(tmp_path, FIXTURES / "models" / "standardization")
    apply(warehouse, project)
    every = ["contact_std", "contact_std_masked", "contact_email_duplicates", "contact_note_std"]
    assert sorted(apply_standardization(warehouse, project)) == sorted(every)
    with warehouse, warehouse.cursor() as cur:
        cur.execute("DROP TABLE raw_vault.sat_contact_note CASCADE")  # and contact_note_std, a view over it
    assert sorted(apply_standardization(warehouse, project)) == sorted(every[:3])
    with warehouse, warehouse.cursor() as cur:
        cur.execute("DROP TABLE raw_vault.sat_contact_personal CASCADE")  # contact_std, and the views over it
    assert apply_standardization(warehouse, project) == []
    with warehouse, warehouse.cursor() as cur:
        cur.execute(
            "SELECT p.proname FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'business_vault' ORDER BY 1"
        )
        assert [r[0] for r in cur.fetchall()] == ["country_key", "std_country_code", "std_email"]
        cur.execute("SELECT count(to_regclass('business_vault.' || v)) FROM unnest(%s::text[]) AS v", (every,))
        assert cur.fetchone()[0] == 0


# --- the kinds: what the generator refuses --------------------------------------------------------------------


def _model_with(tmp_path: Path, text: str) -> list[str]:
    """Problems of the repository's model with one more document."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "model", root / "model")
    (root / "model" / "zz_extra.yml").write_text(text, encoding="utf-8")
    try:
        load_model(root / "model", root)
    except ModelError as exc:
        return [p.message for p in exc.problems]
    return []


def test_a_business_view_reading_a_raw_vault_view_is_refused(tmp_path: Path) -> None:
    problems = _model_with(tmp_path, """kind: business_view
name: user_std_current
description: reads a _current view
columns: [{name: user_id, description: the user}]
sql: SELECT user_id FROM raw_vault.sat_user_personal_current
""")  # fmt: skip
    assert any("is a raw-vault view: dv apply drops and recreates those" in p for p in problems), problems


def test_a_call_of_an_undeclared_function_is_refused(tmp_path: Path) -> None:
    problems = _model_with(tmp_path, """kind: function
name: std_phone
description: a phone number standardized
arguments: [{name: value, type: text}]
returns: text
body: business_vault.std_phone_digits(value)
""")  # fmt: skip
    assert problems == ["'business_vault.std_phone_digits' is not a function the model declares"], problems


def test_the_generated_files_are_those_of_the_model() -> None:
    """The functions and views are generated (header), one file each, listed by the manifest in load order."""
    project = Project.open(REPO)
    ids = [n.id for n in project.with_statement("apply")]
    assert ids.index("fn.fold_accents") < ids.index("fn.country_key") < ids.index("fn.std_country_code")
    assert ids.index("bv.user_email_std") < ids.index("bv.user_email_duplicates")
    for node in project.with_statement("apply"):
        sql = project.sql(node.sql["apply"])
        assert sql.startswith("-- generated from model/business_vault/standardization.yml by dv generate"), node.id
