"""Text of the model that reaches generated SQL reads the same on any server (issue 13, item 1).

Descriptions, record sources and the hash spec's own backslash literals are written so that a server with
``standard_conforming_strings = off`` (where ``'\\'`` escapes the closing quote) applies and loads the
warehouse exactly as one with it on: with a backslash, an escape string ``E'...'``; without, ``'...'``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import hashing
from generator.dialects.postgres import PostgresDialect
from generator.generate import generate
from pipelines.project import Project
from pipelines.warehouse import apply, load
from tests import casefiles
from tests.conftest import FIXTURES

HOSTILE = "O'Brien\\'s list; DROP SCHEMA raw_vault CASCADE; -- \\\\ end \\"
RECORD_SOURCE = "crm\\'); DROP SCHEMA raw_vault CASCADE; --"


def test_literal_is_the_same_text_for_any_setting() -> None:
    d = PostgresDialect()
    assert d.literal("plain") == "'plain'"
    assert d.literal("it's") == "'it''s'"
    assert d.literal("a\\'b") == "E'a\\\\''b'"
    assert d.literal("\\") == "E'\\\\'"
    with pytest.raises(ValueError):
        d.literal("nul\0")


def hostile_project(tmp_path: Path) -> Project:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "models" / "basic", root / "model")
    sources = root / "model" / "sources.yml"
    docs = list(yaml.safe_load_all(sources.read_text(encoding="utf-8")))
    crm = next(d for d in docs if d["name"] == "crm_customers")
    crm["description"] = HOSTILE
    crm["record_source"] = RECORD_SOURCE
    crm["columns"][2]["description"] = HOSTILE + " (column)"  # column 'name'
    sources.write_text(yaml.safe_dump_all(docs, sort_keys=False), encoding="utf-8")
    generate(root)
    return Project.open(root)


def plain_literals(sql: str) -> list[str]:
    """The '...' string literals of a SQL text (not E'...', not comments, quoted names or $$ bodies)."""
    found: list[str] = []
    i = 0
    while i < len(sql):
        if sql.startswith("--", i):
            i = sql.find("\n", i) + 1 or len(sql)
        elif sql[i] == "$" and (m := re.match(r"\$(\w*)\$", sql[i:])):
            i = sql.index(m.group(0), i + len(m.group(0))) + len(m.group(0))
        elif sql[i] == '"':
            i = sql.index('"', i + 1) + 1
        elif sql[i] == "'":
            escape = i > 0 and sql[i - 1] in "Ee" and not (sql[i - 2 : i - 1].isalnum() or sql[i - 2 : i - 1] == "_")
            m = re.compile(r"'((?:[^'\\]|''|\\.)*)'" if escape else r"'((?:[^']|'')*)'", re.S).match(sql, i)
            assert m is not None, sql[i : i + 80]
            if not escape:
                found.append(m.group(1))
            i = m.end()
        else:
            i += 1
    return found


def test_generated_sql_has_no_backslash_in_a_plain_literal(tmp_path: Path) -> None:
    """A backslash only ever stands in an E'' string (or a dollar-quoted body), never in '...'."""
    project = hostile_project(tmp_path)
    for path in sorted((project.root / "vault_sql").rglob("*.sql")):
        for literal in plain_literals(path.read_text(encoding="utf-8")):
            assert "\\" not in literal, f"{path.name}: '{literal}'"


@pytest.mark.db
def test_apply_and_load_with_standard_conforming_strings_off(warehouse: Any, tmp_path: Path) -> None:
    with warehouse.cursor() as cur:
        cur.execute("SET standard_conforming_strings = off")
    warehouse.commit()
    project = hostile_project(tmp_path)
    apply(warehouse, project)
    key = "k\\|1\\"  # a backslash and the delimiter in a business key: escaped by the hash spec's literals
    casefiles.land(
        warehouse,
        project,
        {
            "crm_customers": [
                {
                    "customer_id": key,
                    "referred_by": None,
                    "name": "a\\b",
                    "email": "x@y",
                    "tier": "gold",
                    "updated_at": "2024-01-01T00:00:00+00:00",
                    "change_seq": 1,
                }
            ]
        },
    )
    result = load(warehouse, project)
    assert result.inserted("hub.customer") == 1
    with warehouse.cursor() as cur:
        cur.execute("SHOW standard_conforming_strings")
        assert cur.fetchone()[0] == "off"
        cur.execute("SELECT obj_description('staging.crm_customers'::regclass, 'pg_class')")
        assert cur.fetchone()[0].endswith(HOSTILE)
        cur.execute(
            "SELECT col_description(attrelid, attnum) FROM pg_attribute"
            " WHERE attrelid = 'staging.crm_customers'::regclass AND attname = 'name'"
        )
        assert cur.fetchone()[0] == HOSTILE + " (column)"
        cur.execute(
            "SELECT hk_customer, customer_id FROM raw_vault.hub_customer WHERE record_source = %s", (RECORD_SOURCE,)
        )
        hk, stored = cur.fetchone()
        assert stored == key.upper()
        expected = hashing.hash_key([(key, "text", False)], "md5")
        assert hk.replace("-", "") == expected.hex()
        cur.execute("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'raw_vault'")
        assert cur.fetchone()[0] == 1
    warehouse.rollback()
