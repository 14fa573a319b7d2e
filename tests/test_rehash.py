"""``dv rehash``: md5 → sha256 on a loaded warehouse, checked against the Python reference."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import hashing
from generator.types import parse_type
from pipelines.plan import PlanRefused, plan
from pipelines.project import Project
from pipelines.rehash import Rules, plan_jobs, rehash, tables_to_rebuild
from pipelines.rehash.rules import HASHDIFF_RULES
from pipelines.warehouse import apply, load
from tests import casefiles
from tests.conftest import reset_schemas
from tests.test_cli import assert_user_error, dv
from tests.test_plan_apply import (
    BATCH_1,
    BATCH_2,
    add_satellite,
    append,
    catalog_state,
    load_batch,
    new_project,
    regenerate,
)

# day 3: Ann back to gold (A→B→A), a new product on the order, Bob refers a new customer, a sign-up
BATCH_3: dict[str, list[dict[str, Any]]] = {
    "crm_customers": [
        {**BATCH_2["crm_customers"][0], "tier": "gold", "updated_at": "2025-12-03T10:00:00Z", "change_seq": 5},
        {
            "customer_id": "c4",
            "referred_by": "c2",
            "name": "Cleo",
            "email": "CLEO@x.io",
            "updated_at": "2025-12-03T12:00:00Z",
            "change_seq": 6,
        },
    ],
    "web_signups": [{"customer_ref": "c4", "channel": "app"}, {"customer_ref": " c3 ", "channel": "web"}],
    "shop_orders": [
        {
            "region": "us",
            "order_no": 7,
            "line_no": 1,
            "product_code": "P-c",
            "customer_id": "c4",
            "quantity": "0.500",
            "price": "99.99",
        },
    ],
}


def _family(type_sql: str) -> str:
    parsed = parse_type(type_sql)
    assert parsed is not None, type_sql
    return parsed.family


def _bytes(value: Any) -> bytes:
    if isinstance(value, memoryview | bytes):
        return bytes(value)
    return uuid.UUID(str(value)).bytes


def _value(value: Any, type_sql: str) -> Any:
    """psycopg2 pads char(n) values; the hash spec renders them without the padding."""
    return value.rstrip(" ") if isinstance(value, str) and type_sql.startswith("char(") else value


def counts(conn: Any) -> dict[str, int]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables"
            " WHERE table_schema IN ('staging', 'raw_vault') AND table_type = 'BASE TABLE' ORDER BY 1"
        )
        tables = [r[0] for r in cur.fetchall()]
        out = {}
        for table in tables:
            cur.execute(f"SELECT count(*) FROM {table}")
            out[table] = cur.fetchone()[0]
    conn.rollback()
    return out


def _ordered(project: Project, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """Nodes of a kind as the manifest's JSON (an oracle independent of the runtime's models), in load order."""
    nodes = project.json["nodes"]
    return [(i, nodes[i]) for i in project.json["load_order"] if nodes[i]["kind"] == kind]


def check_against_python(conn: Any, project: Project) -> int:
    """Every hash column of every hub, link, satellite and stage table equals the Python reference."""
    algorithm = project.json["hash"]["algorithm"]
    nodes = project.json["nodes"]
    checked = 0
    with conn.cursor() as cur:
        for _, hub in _ordered(project, "hub"):
            keys = hub["business_keys"]
            cur.execute(f"SELECT {hub['hash_key']}, {', '.join(k['name'] for k in keys)} FROM raw_vault.{hub['table']}")
            for hk, *values in cur.fetchall():
                parts = [(v, _family(k["type"]), k["case_sensitive"]) for v, k in zip(values, keys, strict=True)]
                assert _bytes(hk) == hashing.hash_key(parts, algorithm), f"{hub['table']}: {values}"
                checked += 1
        for _, link in _ordered(project, "link"):
            joins, parts_sql, parts = [], [], []
            for i, ref in enumerate(link["refs"]):
                hub = nodes[f"hub.{ref['hub']}"]
                joins.append(f"JOIN raw_vault.{hub['table']} h{i} ON h{i}.{hub['hash_key']} = l.{ref['column']}")
                for k in hub["business_keys"]:
                    parts_sql.append(f"h{i}.{k['name']}")
                    parts.append((_family(k["type"]), k["case_sensitive"]))
            if link["dependent_keys"]:  # stored in the link; their case rule is in the stage recipe
                table = project.json["physical"]["tables"][f"raw_vault.{link['table']}"]
                types = {c["name"]: c["type"] for c in table["columns"]}
                owner = f"link.{link['name']}"
                recipe = next(r for n in nodes.values() for r in n.get("hash_columns", []) if r["owner"] == owner)
                cases = [p["case_sensitive"] for p in recipe["parts"][-len(link["dependent_keys"]) :]]
                for name, cs in zip(link["dependent_keys"], cases, strict=True):
                    parts_sql.append(f"l.{name}")
                    parts.append((_family(types[name]), cs))
            cur.execute(
                f"SELECT l.{link['hash_key']}, {', '.join(parts_sql)}"
                f" FROM raw_vault.{link['table']} l {' '.join(joins)}"
            )
            rows = cur.fetchall()
            cur.execute(f"SELECT count(*) FROM raw_vault.{link['table']}")
            assert len(rows) == cur.fetchone()[0], f"{link['table']}: a role key is missing from its hub"
            for hk, *values in rows:
                expected = hashing.hash_key([(v, f, cs) for v, (f, cs) in zip(values, parts, strict=True)], algorithm)
                assert _bytes(hk) == expected, f"{link['table']}: {values}"
                checked += 1
        for _, sat in _ordered(project, "sat"):
            parent = nodes[sat["parent"]]
            cols = sat["columns"]
            cur.execute(
                f"SELECT s.hashdiff, {', '.join('s.' + c['name'] for c in cols)} FROM raw_vault.{sat['table']} s"
                f" JOIN raw_vault.{parent['table']} p ON p.{parent['hash_key']} = s.{sat['parent_key']}"
                " WHERE s.record_source <> 'SYSTEM.GHOST'"
            )
            for hd, *values in cur.fetchall():
                payload = [(_value(v, c["type"]), _family(c["type"])) for v, c in zip(values, cols, strict=True)]
                assert _bytes(hd) == hashing.hashdiff(payload, algorithm, sat["case_sensitive"]), sat["table"]
                checked += 1
        for _, source in _ordered(project, "source"):
            types = {c["name"]: c["type"] for c in source["columns"]}
            for recipe in source["hash_columns"]:
                columns = [p["column"] for p in recipe["parts"]]
                cur.execute(f"SELECT {recipe['column']}, {', '.join(columns)} FROM staging.{source['table']}")
                for value, *values in cur.fetchall():
                    if value is None:  # a column added after the row was staged (see stage_nulls)
                        continue
                    if recipe["kind"] == "key":
                        parts = [
                            (_value(v, types[p["column"]]), _family(p["type"]), p["case_sensitive"])
                            for v, p in zip(values, recipe["parts"], strict=True)
                        ]
                        expected = hashing.hash_key(parts, algorithm)
                    else:
                        payload = [
                            (_value(v, types[c]), _family(types[c])) for v, c in zip(values, columns, strict=True)
                        ]
                        expected = hashing.hashdiff(payload, algorithm, recipe["case_sensitive"])
                    assert _bytes(value) == expected, f"{source['table']}.{recipe['column']}: {values}"
                    checked += 1
    conn.rollback()
    return checked


def stage_nulls(conn: Any, project: Project) -> dict[str, int]:
    out = {}
    with conn.cursor() as cur:
        for _, source in _ordered(project, "source"):
            for recipe in source["hash_columns"]:
                table = f"staging.{source['table']}"
                cur.execute(f"SELECT count(*) FROM {table} WHERE {recipe['column']} IS NULL")
                out[f"{table}.{recipe['column']}"] = cur.fetchone()[0]
    conn.rollback()
    return out


def drop_backups(conn: Any) -> None:
    with conn.cursor() as cur:
        cur.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE '%\\_\\_pre\\_rehash\\_%'")
        for (schema,) in cur.fetchall():
            cur.execute(f"DROP SCHEMA {schema} CASCADE")
    conn.commit()


@pytest.mark.db
def test_rehash_md5_to_sha256(warehouse: Any, tmp_path: Path, test_dsn: str) -> None:
    root = new_project(tmp_path)
    project = Project.open(root)
    apply(warehouse, project)
    load_batch(warehouse, project, BATCH_1, 1)
    load_batch(warehouse, project, BATCH_2, 2)
    add_satellite(root)  # a stage column added after two batches: NULL in their rows, and must stay so
    project = regenerate(root)
    apply(warehouse, project)
    load_batch(warehouse, project, BATCH_3, 3)
    assert check_against_python(warehouse, project) > 40  # the md5 warehouse is right to begin with
    before, nulls = counts(warehouse), stage_nulls(warehouse, project)
    assert nulls["staging.crm_customers_stage.hd_customer_contact"] == 4

    append(root, "project.yml", "hash: {algorithm: sha256}\n")
    project = regenerate(root)
    refused = plan(warehouse, project)
    assert [r.target for r in refused.refusals] == ["hash"]
    assert "run 'dv rehash'" in refused.refusals[0].hint
    warehouse.close()
    run = dv("--project", str(root), "plan", "--dsn", test_dsn)
    assert_user_error(run)
    assert "from md5 (hash spec v1) to sha256 (hash spec v1)" in run.stderr and "dv rehash" in run.stderr

    run = dv("--project", str(root), "rehash", "--dsn", test_dsn)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout + run.stderr
    assert "rehashed 12 tables from md5 (hash spec v1) to sha256 (hash spec v1)" in run.stdout, run.stdout
    assert "__pre_rehash_" in run.stdout

    from pipelines.db import connect

    conn = connect(test_dsn)
    try:
        assert counts(conn) == before, "every table has the rows it had"
        assert stage_nulls(conn, project) == nulls, "stage hash columns are NULL where they were"
        with conn.cursor() as cur:
            cur.execute(
                "SELECT DISTINCT data_type FROM information_schema.columns"
                " WHERE table_schema IN ('staging', 'raw_vault')"
                " AND (column_name LIKE 'hk\\_%' OR column_name LIKE 'hd\\_%' OR column_name = 'hashdiff')"
            )
            assert cur.fetchall() == [("bytea",)]
            cur.execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables"
                " WHERE table_schema LIKE '%\\_\\_pre\\_rehash\\_%' ORDER BY 1"
            )
            kept = [r[0].split("__pre_rehash_")[0] + "." + r[0].split(".")[1] for r in cur.fetchall()]
            cur.execute(
                "SELECT hash_algorithm, manifest -> 'hash' ->> 'algorithm' FROM dv_meta.model_version"
                " ORDER BY applied_at DESC LIMIT 1"
            )
            assert cur.fetchone() == ("sha256", "sha256")
        conn.rollback()
        assert sorted(kept) == sorted(
            t for t in before if t.split(".")[1] not in ("crm_customers", "web_signups", "shop_orders")
        )
        assert check_against_python(conn, project) > 40, "keys and hashdiffs are the Python reference's, for sha256"
        assert plan(conn, project).empty, "after the rehash the warehouse matches the model"

        # the rehashed vault loads: re-delivered rows insert nothing, a change inserts one version
        rows = load_batch(conn, project, {**BATCH_2, **BATCH_3}, 4)
        assert rows == {target: 0 for target in rows}, rows
        ann = {
            **BATCH_3["crm_customers"][0],
            "email": "ann@y.io",
            "updated_at": "2025-12-05T10:00:00Z",
            "change_seq": 9,
        }
        rows = load_batch(conn, project, {"crm_customers": [ann]}, 5)
        assert rows == {target: 0 for target in rows} | {"sat.customer_details": 1, "sat.customer_contact": 1}, rows
        assert check_against_python(conn, project) > 40
    finally:
        drop_backups(conn)
        conn.close()


@pytest.mark.db
def test_rehash_with_nothing_to_do_and_refused_changes(warehouse: Any, tmp_path: Path) -> None:
    root = new_project(tmp_path)
    project = Project.open(root)
    apply(warehouse, project)
    result = rehash(warehouse, project)
    assert not result.done and result.new == "md5 (hash spec v1)"
    load_batch(warehouse, project, BATCH_1, 1)
    catalog = catalog_state(warehouse)

    # a hash change together with a refused change: dv rehash refuses too, and changes nothing
    append(root, "project.yml", "hash: {algorithm: sha256}\n")
    path = root / "model" / "satellites.yml"
    path.write_text(path.read_text().replace("columns: [name, email, tier]", "columns: [email, name, tier]"))
    project = regenerate(root)
    with pytest.raises(PlanRefused) as raised:
        rehash(warehouse, project)
    assert "dv rehash changed nothing" in str(raised.value) and "payload columns changed" in str(raised.value)
    assert catalog_state(warehouse) == catalog


def test_uncovered_kinds_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hash column no rule covers is named (and dv rehash would change nothing)."""
    from generator.dialects import get_dialect

    project = Project.open(new_project(tmp_path))
    manifest = project.manifest
    tables = manifest.physical.tables
    targets = {
        q: [c.name for c in t.columns if c.role in ("key", "meta") and c.type == "uuid"] for q, t in tables.items()
    }
    targets = {q: cols for q, cols in targets.items() if cols}
    live = {q: [c.name for c in tables[q].columns] for q in targets}
    monkeypatch.delitem(HASHDIFF_RULES, "sat/standard")  # a satellite kind no rule covers
    jobs, uncovered = plan_jobs(manifest, targets, live, Rules(manifest, get_dialect(), "sha256"))
    sats = sorted(t for t, cols in targets.items() if "hashdiff" in cols and t.startswith("raw_vault.sat_"))
    assert len(sats) == 3
    assert uncovered == [
        f"{sat}.hashdiff (satellite): no rule recomputes this kind's hashdiff "
        "(pipelines/rehash/rules.py HASHDIFF_RULES)"
        for sat in sats
    ]
    assert len(jobs) == len(targets) == 11
    assert tables_to_rebuild  # used by dv rehash with the live catalog


# --- every kind: a rehashed warehouse equals one loaded with the new algorithm from the start ------


def _richest_cases() -> list[Path]:
    """Per kind folder of load cases, the case with the most load cycles (known gaps left out)."""
    chosen = []
    for folder in sorted(p for p in casefiles.CASES.iterdir() if p.is_dir()):
        cases = [(p, casefiles.load_case(p)) for p in sorted(folder.glob("*.yml"))]
        cases = [(p, c) for p, c in cases if "known_gap" not in c]
        if cases:
            chosen.append(max(cases, key=lambda pc: len(pc[1]["cycles"]))[0])
    return chosen


def _with_algorithm(tmp_path: Path, model: str, algorithm: str | None, name: str) -> Project:
    """A copy of a fixture model, its project document switched to ``algorithm``."""
    root = tmp_path / name
    shutil.copytree(casefiles.MODELS / model, root / "model")
    if algorithm is not None:
        for path in sorted((root / "model").rglob("*.yml")):
            docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
            if any(d.get("kind") == "project" for d in docs):
                for d in docs:
                    if d.get("kind") == "project":
                        d["hash"] = {**d.get("hash", {}), "algorithm": algorithm}
                path.write_text(yaml.safe_dump_all(docs, sort_keys=False), encoding="utf-8")
                break
        else:
            (root / "model" / "project.yml").write_text(
                f"kind: project\nname: {model}\nhash: {{algorithm: {algorithm}}}\n"
            )
    return regenerate(root)


def _contents(conn: Any) -> dict[str, list[str]]:
    """Every row of every staging and raw-vault table, column by column, in a comparable form."""
    out: dict[str, list[str]] = {}
    with conn.cursor() as cur:
        cur.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables"
            " WHERE table_schema IN ('staging', 'raw_vault') AND table_type = 'BASE TABLE' ORDER BY 1"
        )
        for (table,) in cur.fetchall():
            cur.execute(f"SELECT * FROM {table}")
            names = [c.name for c in cur.description]
            rows = [
                repr(
                    sorted(
                        (n, bytes(v).hex() if isinstance(v, memoryview) else v) for n, v in zip(names, r, strict=True)
                    )
                )
                for r in cur.fetchall()
            ]
            out[table] = sorted(rows)
    conn.rollback()
    return out


def _load_cycles(conn: Any, project: Project, case: dict[str, Any]) -> None:
    for cycle in case["cycles"]:
        casefiles.land(conn, project, cycle.get("landed", {}))
        load(conn, project, load_dts=cycle.get("load_dts"))


@pytest.mark.db
@pytest.mark.parametrize("case_path", _richest_cases(), ids=casefiles.case_id)
def test_rehashed_equals_loaded_with_new_algorithm(
    case_path: Path, warehouse: Any, test_dsn: str, tmp_path: Path
) -> None:
    """md5 loaded then rehashed to sha256 (or the other way round) holds exactly the rows a warehouse
    loaded with sha256 from the start holds: every key, role key, hashdiff and stage column."""
    case = casefiles.load_case(case_path)
    before = _with_algorithm(tmp_path, case["model"], None, "before")
    after_algorithm = "md5" if before.manifest.hash.algorithm == "sha256" else "sha256"
    after = _with_algorithm(tmp_path, case["model"], after_algorithm, "after")

    apply(warehouse, before)
    _load_cycles(warehouse, before, case)
    result = rehash(warehouse, after)
    assert result.done and result.new == f"{after_algorithm} (hash spec v1)"
    rehashed = _contents(warehouse)
    assert plan(warehouse, after).empty

    drop_backups(warehouse)
    reset_schemas(test_dsn)
    apply(warehouse, after)
    _load_cycles(warehouse, after, case)
    fresh = _contents(warehouse)
    assert rehashed.keys() == fresh.keys()
    for table in fresh:
        assert rehashed[table] == fresh[table], f"{table} differs after the rehash"


def test_key_parts_stored_rounded_are_not_covered() -> None:
    """A hub key stored with fewer digits than the stage step hashed cannot be recomputed from the hub."""
    from pipelines.rehash.rules import may_round

    assert may_round("numeric(10,2)", "numeric(12,4)") and may_round("real", "double precision")
    assert may_round("numeric(10,2)", "numeric") and may_round("numeric(5)", "numeric(7)")
    assert not may_round("numeric(12,4)", "numeric(10,2)") and not may_round("numeric", "numeric(10,2)")
    assert not may_round("bigint", "integer") and not may_round("text", "numeric(10,2)")
