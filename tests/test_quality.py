"""Data quality: contracts generated from the manifest, verified with Soda Core by ``dv check`` and by
the pipeline's ``Quality`` task, results in ``dv_meta.quality_result``, the batch's quality gate.

Fast tier: the contracts of every fixture model (and the repository's) are deterministic, parse as
YAML and hold the checks their kind should have; ``dv generate --check`` fails on a stale contract.

Database tier: a small shop loaded by ``dv run`` passes every generated check; each defect put in
on purpose (an orphan satellite row, a duplicate hub key, a repeated hashdiff, a link to a missing
hub key, a stale source, a missing ghost record, a column the model does not know) fails exactly the
matching check, with a clear name and the measured value; the exit codes of ``dv check`` (0, 1, 2,
3, never a traceback); the gate closes on a defect without failing the run; and load cases with
late data, A->B->A, moves between partitions pass every check (no false alarm).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import pytest
import yaml

from generator.contracts import CONTRACTS_DIR, SCOPE_VAR, render_contracts
from generator.manifest_model import Manifest
from generator.model import load_model
from generator.render import render_all
from pipelines.db import connect
from pipelines.project import Project
from pipelines.quality import (
    FULL_EVERY_ENV,
    FULL_TASK,
    CheckResult,
    contract_files,
    full_checks_due,
    quality_gate_passed,
    run_checks,
)
from pipelines.run import run_batch
from pipelines.warehouse import apply, load
from tests import casefiles
from tests.conftest import FIXTURES, REPO, drop_database, make_project, rendered_of, reset_schemas

MODELS = sorted(p.name for p in (FIXTURES / "models").iterdir() if p.is_dir())
GENERATED = f"{CONTRACTS_DIR}/**/*.contract.yml"


# --- fast tier: the generated contracts ------------------------------------------------------------


def _contracts(model_dir: Path, fresh: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    """The manifest and contracts of a model folder: rendered once per session (tests/conftest.py), or again."""
    rendered = render_all(load_model(model_dir, model_dir.parent)) if fresh else rendered_of(model_dir)
    manifest = json.loads(rendered["manifest.json"])
    return manifest, render_contracts(Manifest.model_validate(manifest))


def _checks(contract: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    """check name -> (check type, column) of a parsed contract."""
    found: dict[str, tuple[str, str | None]] = {}
    for column in contract["columns"]:
        for check in column.get("checks", []):
            ((kind, spec),) = check.items()
            found[spec["name"]] = (kind, column["name"])
    for check in contract["checks"]:
        ((kind, spec),) = check.items()
        found[spec["name"]] = (kind, None)
    return found


@pytest.mark.parametrize("model", [*MODELS, "repo"])
def test_contracts_are_deterministic_and_cover_every_table(model: str) -> None:
    model_dir = REPO / "model" if model == "repo" else FIXTURES / "models" / model
    manifest, first = _contracts(model_dir)  # the session's rendering
    _, second = _contracts(model_dir, fresh=True)
    assert first == second
    assert list(first) == sorted(first)
    tables = {
        name
        for name, table in manifest["physical"]["tables"].items()
        if name.startswith("raw_vault.") or name.endswith("_stage")
    }
    datasets: set[str] = set()
    for path, text in first.items():
        assert path.endswith(".contract.yml")
        lines = text.splitlines()
        assert lines[0].startswith("# generated from ") and lines[0].endswith(".yml by dv generate — do not edit")
        contract = yaml.safe_load(text)
        assert contract["dataset"].startswith("warehouse/${var.database}/")
        assert "database" in contract["variables"]
        datasets.add(".".join(contract["dataset"].split("/")[2:]))
        physical = manifest["physical"]["tables"][".".join(contract["dataset"].split("/")[2:])]
        assert [c["name"] for c in contract["columns"]] == [c["name"] for c in physical["columns"]]
        assert all(c["data_type"] for c in contract["columns"])
        names = _checks(contract)
        assert names["columns and types match the model"] == ("schema", None)
        qualifiers = [next(iter(c.values())).get("qualifier") for c in contract["checks"]]
        qualifiers = [q for q in qualifiers if q]
        assert len(qualifiers) == len(set(qualifiers)), f"{path}: Soda needs distinct qualifiers"
    assert datasets == tables


def _by_node(manifest: dict[str, Any], contracts: dict[str, str]) -> dict[str, dict[str, Any]]:
    out = {}
    for text in contracts.values():
        contract = yaml.safe_load(text)
        schema, table = contract["dataset"].split("/")[2:]
        out[manifest["physical"]["tables"][f"{schema}.{table}"]["entity"]] = contract
    return out


def test_contract_checks_per_kind() -> None:
    manifest, contracts = _contracts(FIXTURES / "models" / "basic")
    by_node = _by_node(manifest, contracts)
    hub = _checks(by_node["hub.customer"])
    # what a primary key guarantees is not counted: a catalog lookup of the unique index, no NOT NULL check
    assert hub["hash key hk_customer unique"] == ("metric", None)
    assert "hash key hk_customer not null" not in hub
    unique = next(
        c["metric"] for c in by_node["hub.customer"]["checks"] if c.get("metric", {}).get("qualifier") == "unique_index"
    )
    assert "pg_catalog.pg_index" in unique["query"] and "raw_vault.hub_customer" in unique["query"]
    assert unique["threshold"] == {"must_be": 0}
    # every raw-vault contract judges the rows of the batch in scope (every row with scope 0)
    for node_id, contract in by_node.items():
        scoped = not node_id.startswith("source.")
        assert ("filter" in contract) == scoped, node_id
        assert (SCOPE_VAR in contract["variables"]) == scoped, node_id
        if scoped:
            assert contract["filter"] == f"(${{var.{SCOPE_VAR}}} = 0 OR batch_id = ${{var.{SCOPE_VAR}}})"
            assert contract["variables"][SCOPE_VAR] == {"default": 0}
    staged = next(c["failed_rows"] for c in by_node["hub.customer"]["checks"] if "staged" in str(c))
    assert f"(${{var.{SCOPE_VAR}}} = 0 OR s.batch_id = ${{var.{SCOPE_VAR}}})" in staged["query"]
    assert hub["business key customer_id not null (the ghost record excepted)"] == ("missing", "customer_id")
    assert hub["ghost record present (zero key, SYSTEM.GHOST)"] == ("metric", None)
    assert hub["every key a succeeded batch staged for the hub is in the hub"] == ("failed_rows", None)
    composite = _checks(by_node["hub.sales_order"])
    assert composite["business key (region, order_no) not all null (the ghost record excepted)"][0] == "failed_rows"
    link = _checks(by_node["link.order_line"])
    assert link["role customer, hk_customer exists in hub_customer"] == ("invalid", "hk_customer")
    referral = by_node["link.customer_referral"]
    refs = [
        check["invalid"]["valid_reference_data"]
        for column in referral["columns"]
        for check in column.get("checks", [])
        if "invalid" in check
    ]
    assert {r["dataset"] for r in refs} == {"warehouse/${var.database}/raw_vault/hub_customer"} and len(refs) == 2
    sat = by_node["sat.customer_details"]
    checks = _checks(sat)
    assert checks["parent key hk_customer exists in hub_customer"] == ("invalid", "hk_customer")
    assert checks["hashdiff not null"] == ("missing", "hashdiff")
    assert checks["primary key (hk_customer, load_dts, load_seq) unique"] == ("metric", None)
    assert "parent key hk_customer not null" not in checks  # in the primary key
    repeated = next(
        c["failed_rows"] for c in sat["checks"] if "failed_rows" in c and "versions" in c["failed_rows"]["name"]
    )
    assert "ORDER BY s.applied_dts, s.applied_seq, s.load_dts, s.load_seq" in repeated["query"]  # version_order
    assert "v.load_dts >= v.previous_load_dts" in repeated["query"]  # a back-dated late version is no repetition
    # scoped: the versions of the keys the batch wrote, the pairs the batch's rows are part of; the IN is no
    # operand of an OR (PostgreSQL would not make it a semi-join: a subplan per row took minutes)
    assert (
        f"AND ${{var.{SCOPE_VAR}}} <> 0\n                   AND hk_customer IN (SELECT b.hk_customer"
        f" FROM raw_vault.sat_customer_details b WHERE b.batch_id = ${{var.{SCOPE_VAR}}})" in repeated["query"]
    )
    assert "OR hk_customer IN" not in repeated["query"]
    assert f"${{var.{SCOPE_VAR}}} IN (v.batch_id, v.previous_batch_id)" in repeated["query"]
    source = _checks(by_node["source.crm_customers"])
    assert set(source) == {"columns and types match the model"}  # no freshness_hours, no freshness check


def test_contract_checks_of_the_other_kinds() -> None:
    manifest, contracts = _contracts(FIXTURES / "models" / "pipeline")
    freshness = yaml.safe_load(contracts["staging/shop_customers.contract.yml"])["checks"][1]["metric"]
    assert freshness["name"] == "source shop_customers extracted within the last 24 h (hours since the last extract)"
    assert freshness["threshold"] == {"must_be_less_than_or_equal": 24}
    assert "t.task = 'extract.shop_customers'" in freshness["query"]
    kinds = {
        "multi_active": (
            "msat.candidate_languages",
            "one group hashdiff per version (every member of a version alike)",
        ),
        "jobs": ("esat.job_employer", "no two consecutive versions of a key with the same is_active (start or end)"),
        "status_tracking": ("sts.posting_status", "status one of present, deleted (the ghost record excepted)"),
        "record_tracking": ("rts.contact_in_crm", "no row on the zero key of hk_contact but the ghost record"),
        "reference": ("ref.skill", "no two consecutive versions of a key with the same hashdiff"),
    }
    for model, (node_id, name) in kinds.items():
        manifest, contracts = _contracts(FIXTURES / "models" / model)
        by_node = _by_node(manifest, contracts)
        assert node_id in by_node, f"{model}: {sorted(by_node)}"
        assert name in _checks(by_node[node_id]), f"{model} {node_id}: {sorted(_checks(by_node[node_id]))}"
    manifest, contracts = _contracts(FIXTURES / "models" / "jobs")
    nhl = _checks(_by_node(manifest, contracts)["nhl.job_view"])
    assert nhl["event key view_id not null (the ghost record excepted)"] == ("missing", "view_id")
    assert nhl["role candidate, hk_candidate exists in hub_candidate"] == ("invalid", "hk_candidate")
    manifest, contracts = _contracts(FIXTURES / "models" / "multi_active_sha256")
    zero_key = "E'\\\\x" + "00" * 32 + "'::bytea"  # an escape string: the same bytes on any server setting
    assert all(zero_key in t for p, t in contracts.items() if p.startswith("hubs/"))
    ref = _checks(_by_node(*_contracts(FIXTURES / "models" / "reference"))["ref.skill"])
    assert not any("ghost" in name for name in ref)  # reference tables have no ghost record


def _dv_env() -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("DV_DSN", None)
    return env


def dv(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "dv"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "pipelines.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=REPO, env=_dv_env(), timeout=600)


def test_generate_check_fails_when_checks_generated_is_stale(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "models" / "basic", root / "model")
    assert dv("--project", str(root), "generate").returncode == 0
    contract = root / CONTRACTS_DIR / "hubs" / "customer.contract.yml"
    original = contract.read_text(encoding="utf-8")
    contract.write_text(original.replace("must_be: 1", "must_be: 2"), encoding="utf-8")
    left_over = "# generated from model/hubs.yml by dv generate — do not edit\ndataset: x\n"  # by an older model
    (root / CONTRACTS_DIR / "hubs" / "old_hub.contract.yml").write_text(left_over, encoding="utf-8")
    (root / CONTRACTS_DIR / "links" / "order_line.contract.yml").unlink()
    run = dv("--project", str(root), "generate", "--check")
    assert run.returncode == 1
    assert "  changed  checks/generated/hubs/customer.contract.yml" in run.stderr  # one line per file
    assert "  removed  checks/generated/hubs/old_hub.contract.yml" in run.stderr
    run = dv("--project", str(root), "generate", "--check", "--diff")  # the diff on request
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "--- checks/generated/hubs/customer.contract.yml (committed)" in run.stderr
    assert "checks/generated/ is stale: 1 missing, 1 changed, 1 not generated any more" in run.stderr
    assert "run 'dv generate' and commit checks/generated/" in run.stderr
    assert "vault_sql/ is stale" not in run.stderr
    assert contract.read_text(encoding="utf-8") != original, "--check must write nothing"
    run = dv("--project", str(root), "generate")
    assert run.returncode == 0 and "checks/generated/: 1 added, 1 changed, 1 removed" in run.stdout, run.stdout
    assert contract.read_text(encoding="utf-8") == original
    assert dv("--project", str(root), "generate", "--check").returncode == 0


def test_contract_files_default_and_globs(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "models" / "basic", root / "model")
    assert dv("--project", str(root), "generate").returncode == 0
    rules = root / "checks" / "rules" / "shop"
    rules.mkdir(parents=True)
    (rules / "orders.contract.yml").write_text("dataset: x\n", encoding="utf-8")
    (rules / "notes.yml").write_text("not a contract\n", encoding="utf-8")
    project = Project.open(root)
    every = [p.relative_to(root).as_posix() for p in contract_files(project)]
    assert "checks/rules/shop/orders.contract.yml" in every and len(every) == 12
    assert every == sorted(every)
    hubs = contract_files(project, ["checks/generated/hubs/*.contract.yml"])
    assert [p.name for p in hubs] == ["customer.contract.yml", "product.contract.yml", "sales_order.contract.yml"]
    with pytest.raises(Exception, match="no contract file matches 'checks/nothing/"):
        contract_files(project, ["checks/nothing/*.yml"])


# --- database tier: a shop loaded by dv run ---------------------------------------------------------

SHOP = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (customer_id bigint PRIMARY KEY, name text, tier text, updated_at timestamptz NOT NULL);
CREATE TABLE shop.orders (order_id bigint PRIMARY KEY, customer_id bigint, amount numeric(10,2), status text);
INSERT INTO shop.customers
SELECT i, 'customer ' || i, CASE WHEN i % 3 = 0 THEN 'gold' ELSE 'silver' END,
       timestamptz '2026-03-01 08:00+00' + i * interval '1 hour'
FROM generate_series(1, 30) AS i;
INSERT INTO shop.orders
SELECT i, 1 + i % 30, (i % 97) * 1.5, CASE WHEN i % 5 = 0 THEN 'shipped' ELSE 'open' END
FROM generate_series(1, 60) AS i;
"""


def _with_database(dsn: str, name: str) -> str:
    return psycopg2.extensions.make_dsn(**{**psycopg2.extensions.parse_dsn(dsn), "dbname": name})


def _create(server_dsn: str, name: str) -> str:
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return _with_database(server_dsn, name)


def _drop(server_dsn: str, name: str) -> None:
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        drop_database(cur, name)
    admin.close()


class Shop:
    """A warehouse of its own with the pipeline fixture model, loaded once by dv run."""

    def __init__(self, project: Project, dsn: str, source_dsn: str, batch_id: int, outcome: Any) -> None:
        self.project, self.dsn, self.source_dsn, self.batch_id, self.outcome = (
            project,
            dsn,
            source_dsn,
            batch_id,
            outcome,
        )

    def sql(self, statement: str) -> list[tuple[Any, ...]]:
        conn = connect(self.dsn)
        try:
            with conn.cursor() as cur:
                cur.execute(statement)
                rows = cur.fetchall() if cur.description else []
            conn.commit()
            return rows
        finally:
            conn.close()

    def check(self, contract: str, batch_id: int | None = None) -> dict[str, CheckResult]:
        results = run_checks(self.dsn, self.project, batch_id, contracts=[f"{CONTRACTS_DIR}/{contract}"])
        return {r.check: r for r in results}


@pytest.fixture(scope="module")
def shop(server_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    stem = f"dv_quality_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    source_dsn = _create(server_dsn, stem + "_shop")
    dsn = _create(server_dsn, stem)
    try:
        conn = psycopg2.connect(source_dsn)
        with conn, conn.cursor() as cur:
            cur.execute(SHOP)
        conn.close()
        project = make_project(tmp_path_factory.mktemp("quality"), casefiles.MODELS / "pipeline")
        conn = connect(dsn)
        apply(conn, project)
        conn.close()
        outcome = run_batch(project.root, dsn=dsn, source_dsn=source_dsn)
        assert outcome.succeeded, outcome.failed_tasks
        yield Shop(project, dsn, source_dsn, outcome.batch_id, outcome)
    finally:
        _drop(server_dsn, stem)
        _drop(server_dsn, stem + "_shop")


def _declared_checks(project: Project) -> int:
    total = 0
    for path in contract_files(project, [GENERATED]):
        total += len(_checks(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return total


@pytest.mark.db
def test_clean_data_passes_every_check_and_the_run_records_the_gate(shop: Shop) -> None:
    gate = shop.outcome.quality
    assert gate is not None and gate.passed and gate.outcome == "pass", shop.outcome.quality_failures
    assert gate.checks == _declared_checks(shop.project)  # every declared check ran (none silently ignored)
    rows = shop.sql(
        f"SELECT outcome, count(*) FROM dv_meta.quality_result WHERE run_id = {gate.run_id} GROUP BY outcome"
    )
    assert rows == [("pass", gate.checks)]
    conn = connect(shop.dsn)
    try:
        assert quality_gate_passed(conn, shop.batch_id)
        assert not quality_gate_passed(conn, shop.batch_id + 100)  # never checked: not passed
    finally:
        conn.close()
    recorded = shop.sql(
        "SELECT DISTINCT batch_id, contract_file, dataset FROM dv_meta.quality_result"
        f" WHERE run_id = {gate.run_id} AND dataset = 'raw_vault.sat_customer_details'"
    )
    assert recorded == [(shop.batch_id, "checks/generated/satellites/customer_details.contract.yml",
                         "raw_vault.sat_customer_details")]  # fmt: skip
    results = run_checks(shop.dsn, shop.project)  # the whole warehouse
    assert {r.outcome for r in results} == {"pass"} and len(results) == gate.checks
    assert shop.sql("SELECT count(*) FROM dv_meta.task_run WHERE task = 'quality' AND status = 'done'") == [(1,)]


# Each defect: SQL that breaks the vault, SQL that repairs it, the contract and the check that must fail
# (every other check of that contract still passes), and the value it must measure.
DEFECTS: dict[str, tuple[str, str, str, str, float]] = {
    "orphan satellite row": (
        "INSERT INTO raw_vault.sat_customer_details (hk_customer, load_dts, load_seq, applied_dts, hashdiff,"
        " record_source, batch_id, name, tier) VALUES (md5('nobody')::uuid, now(), 1, now(), md5('x')::uuid,"
        " 'test.defect', 1, 'Nobody', 'gold')",
        "DELETE FROM raw_vault.sat_customer_details WHERE record_source = 'test.defect'",
        "satellites/customer_details.contract.yml",
        "parent key hk_customer exists in hub_customer",
        1,
    ),
    "duplicate hub key": (
        "ALTER TABLE raw_vault.hub_customer DROP CONSTRAINT hub_customer_pk;"
        " INSERT INTO raw_vault.hub_customer SELECT hk_customer, customer_id, load_dts, 'test.defect', batch_id"
        " FROM raw_vault.hub_customer WHERE customer_id = 7",
        "DELETE FROM raw_vault.hub_customer WHERE record_source = 'test.defect';"
        " ALTER TABLE raw_vault.hub_customer ADD CONSTRAINT hub_customer_pk PRIMARY KEY (hk_customer)",
        "hubs/customer.contract.yml",
        "hash key hk_customer unique",
        1,
    ),
    "repeated consecutive hashdiff": (
        # the same content again, right after the latest version of customer 7, loaded later: a load defect
        "INSERT INTO raw_vault.sat_customer_details SELECT s.hk_customer, s.load_dts + interval '1 day', 1,"
        " s.applied_dts + interval '1 second', s.hashdiff, 'test.defect', s.batch_id, s.name, s.tier"
        " FROM raw_vault.sat_customer_details s JOIN raw_vault.hub_customer h USING (hk_customer)"
        " WHERE h.customer_id = 7",
        "DELETE FROM raw_vault.sat_customer_details WHERE record_source = 'test.defect'",
        "satellites/customer_details.contract.yml",
        "no two consecutive versions of a key with the same hashdiff",
        1,
    ),
    "link to a missing hub key": (
        "INSERT INTO raw_vault.link_order_customer (hk_order_customer, hk_shop_order, hk_customer, load_dts,"
        " record_source, batch_id) SELECT md5('defect')::uuid, hk_shop_order, md5('nobody')::uuid, now(),"
        " 'test.defect', 1 FROM raw_vault.hub_shop_order WHERE order_id = 3",
        "DELETE FROM raw_vault.link_order_customer WHERE record_source = 'test.defect'",
        "links/order_customer.contract.yml",
        "role customer, hk_customer exists in hub_customer",
        1,
    ),
    "stale source": (
        "UPDATE dv_meta.task_run SET finished_at = finished_at - interval '48 hours'"
        " WHERE task = 'extract.shop_customers'",
        "UPDATE dv_meta.task_run SET finished_at = finished_at + interval '48 hours'"
        " WHERE task = 'extract.shop_customers'",
        "staging/shop_customers.contract.yml",
        "source shop_customers extracted within the last 24 h (hours since the last extract)",
        48,
    ),
    "missing ghost record": (
        "CREATE TABLE public.ghost AS SELECT * FROM raw_vault.hub_shop_order WHERE record_source = 'SYSTEM.GHOST';"
        " DELETE FROM raw_vault.hub_shop_order WHERE record_source = 'SYSTEM.GHOST'",
        "INSERT INTO raw_vault.hub_shop_order SELECT * FROM public.ghost; DROP TABLE public.ghost",
        "hubs/shop_order.contract.yml",
        "ghost record present (zero key, SYSTEM.GHOST)",
        0,
    ),
    "a column the model does not know": (
        "ALTER TABLE raw_vault.sat_order_details ADD COLUMN surprise text",
        "ALTER TABLE raw_vault.sat_order_details DROP COLUMN surprise",
        "satellites/order_details.contract.yml",
        "columns and types match the model",
        1,
    ),
}


@pytest.mark.db
@pytest.mark.parametrize("defect", list(DEFECTS))
def test_a_defect_fails_its_check(shop: Shop, defect: str) -> None:
    breaks, repairs, contract, check, value = DEFECTS[defect]
    assert {r.outcome for r in shop.check(contract).values()} == {"pass"}
    shop.sql(breaks)
    try:
        results = shop.check(contract, shop.batch_id)
        failed = {name: r for name, r in results.items() if r.outcome != "pass"}
        assert list(failed) == [check], {n: (r.outcome, r.message) for n, r in failed.items()}
        result = failed[check]
        assert result.outcome == "fail" and result.batch_id == shop.batch_id
        assert result.value is not None and abs(result.value - value) < 0.5, result
        assert result.threshold and result.contract == f"{CONTRACTS_DIR}/{contract}"
        if defect == "a column the model does not know":
            assert "surprise" in result.message
        stored = shop.sql(
            "SELECT outcome, measured_value FROM dv_meta.quality_result"
            f" WHERE check_name = '{check}' ORDER BY result_id DESC LIMIT 1"
        )
        assert stored[0][0] == "fail" and abs(stored[0][1] - value) < 0.5
        conn = connect(shop.dsn)
        try:
            assert quality_gate_passed(conn, shop.batch_id), "a run of some contracts leaves the gate alone"
        finally:
            conn.close()
    finally:
        shop.sql(repairs)
    assert {r.outcome for r in shop.check(contract).values()} == {"pass"}


@pytest.mark.db
def test_a_back_dated_late_version_is_no_repetition(shop: Shop) -> None:
    """A late row equal to the version after it (insert-only: A, B, then a late B between them) is
    loaded after that version: the check tells it from a load defect by its load_dts."""
    shop.sql(
        "INSERT INTO raw_vault.sat_customer_details SELECT s.hk_customer, s.load_dts + interval '1 day', 1,"
        " s.applied_dts - interval '1 second', s.hashdiff, 'test.late', s.batch_id, s.name, s.tier"
        " FROM raw_vault.sat_customer_details s JOIN raw_vault.hub_customer h USING (hk_customer)"
        " WHERE h.customer_id = 8"
    )
    try:
        check = "no two consecutive versions of a key with the same hashdiff"
        assert shop.check("satellites/customer_details.contract.yml")[check].outcome == "pass"
    finally:
        shop.sql("DELETE FROM raw_vault.sat_customer_details WHERE record_source = 'test.late'")


@pytest.mark.db
def test_dv_check_exit_codes(shop: Shop) -> None:
    root = str(shop.project.root)
    run = dv("--project", root, "check", "--dsn", shop.dsn)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "passed" in run.stdout and "(the whole warehouse)" in run.stdout and "0 failed" in run.stdout

    shop.sql(DEFECTS["orphan satellite row"][0])
    try:
        run = dv("--project", root, "check", "--dsn", shop.dsn, "--contracts", f"{CONTRACTS_DIR}/satellites/*.yml")
        assert run.returncode == 1, run.stdout + run.stderr
        assert (
            "parent key hk_customer exists in hub_customer" in run.stdout
            and "raw_vault.sat_customer_details" in run.stdout
        )
    finally:
        shop.sql(DEFECTS["orphan satellite row"][1])

    rules = shop.project.root / "checks" / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "volume.contract.yml").write_text(
        "dataset: warehouse/${var.database}/raw_vault/hub_customer\n"
        "variables:\n  database:\n"
        "columns:\n  - name: hk_customer\n"
        "checks:\n"
        "  - row_count:\n"
        "      name: a million customers one day\n"
        "      threshold:\n        level: warn\n        must_be_greater_than: 1000000\n",
        encoding="utf-8",
    )
    try:
        run = dv("--project", root, "check", "--dsn", shop.dsn)
        assert run.returncode == 2, run.stdout + run.stderr
        assert "a million customers one day" in run.stdout and "warn" in run.stdout
        (rules / "volume.contract.yml").write_text(
            "dataset: warehouse/${var.database}/raw_vault/hub_nobody\nvariables:\n  database:\n"
            "columns:\n  - name: hk_nobody\nchecks:\n  - row_count:\n",
            encoding="utf-8",
        )
        run = dv("--project", root, "check", "--dsn", shop.dsn, "--contracts", "checks/rules/*.contract.yml")
        assert run.returncode == 3, run.stdout + run.stderr
        assert "hub_nobody" in run.stdout and "error" in run.stdout
    finally:
        shutil.rmtree(rules)

    for args, message in (
        (("--contracts", "checks/nothing/*.yml"), "no contract file matches"),
        (("--batch", "999"), "batch 999 does not exist"),
    ):
        run = dv("--project", root, "check", "--dsn", shop.dsn, *args)
        assert run.returncode == 3 and message in run.stderr, run.stdout + run.stderr
    run = dv("--project", root, "check", "--dsn", "postgresql://postgres@127.0.0.1:1/postgres")
    assert run.returncode == 3 and "cannot connect to the warehouse" in run.stderr, run.stderr
    for output in (run.stdout, run.stderr):
        assert "Traceback" not in output


@pytest.mark.db
def test_a_failed_gate_is_reported_and_does_not_fail_the_run(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FULL_EVERY_ENV, "1")  # whole tables every batch: batch 1's defect closes the next gate
    shop.sql(DEFECTS["link to a missing hub key"][0])
    try:
        run = dv("--project", str(shop.project.root), "run", "--dsn", shop.dsn, "--source-dsn", shop.source_dsn)
        assert run.returncode == 0, run.stdout + run.stderr  # the loads succeeded: the batch stands
        assert "quality gate: failed (" in run.stdout
        assert "raw_vault.link_order_customer: role customer, hk_customer exists in hub_customer (fail" in run.stdout
        ((batch_id, status),) = shop.sql("SELECT batch_id, status FROM dv_meta.batch ORDER BY batch_id DESC LIMIT 1")
        assert status == "succeeded" and batch_id > shop.batch_id
        conn = connect(shop.dsn)
        try:
            assert not quality_gate_passed(conn, batch_id)
            assert quality_gate_passed(conn, shop.batch_id)  # an earlier batch keeps its own gate
        finally:
            conn.close()
        assert shop.sql(f"SELECT kind FROM dv_meta.alert WHERE batch_id = {batch_id}") == [("quality_failed",)]
    finally:
        shop.sql(DEFECTS["link to a missing hub key"][1])
    run = dv("--project", str(shop.project.root), "check", "--dsn", shop.dsn, "--batch", str(batch_id))
    assert run.returncode == 0 and f"quality gate of batch {batch_id}" in run.stdout, run.stdout + run.stderr
    conn = connect(shop.dsn)
    try:
        assert quality_gate_passed(conn, batch_id)  # a full dv check of the batch decides its gate again
    finally:
        conn.close()


@pytest.mark.db
def test_batch_scope_and_the_schedule_of_full_checks(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch's checks judge the rows it inserted; whole tables once every DV_FULL_CHECKS_EVERY batches,
    with --full, and without a batch. A defect an earlier batch left is found by the next full run."""
    first = shop.batch_id
    full_runs = f"SELECT batch_id FROM dv_meta.task_run WHERE task = '{FULL_TASK}' AND batch_id = %s"
    assert shop.sql(full_runs % first) == [(first,)]  # the first batch checked ran on whole tables
    ((last,),) = shop.sql(f"SELECT max(batch_id) FROM dv_meta.task_run WHERE task = '{FULL_TASK}'")
    conn = connect(shop.dsn)
    try:
        monkeypatch.setenv(FULL_EVERY_ENV, "3")
        later = last + 1
        assert not full_checks_due(conn, later) and full_checks_due(conn, last + 3)
        monkeypatch.setenv(FULL_EVERY_ENV, "1")
        assert full_checks_due(conn, later)
        monkeypatch.setenv(FULL_EVERY_ENV, "0")  # only when asked
        assert not full_checks_due(conn, later) and not full_checks_due(conn, last + 100)
        monkeypatch.setenv(FULL_EVERY_ENV, "weekly")
        with pytest.raises(Exception, match="DV_FULL_CHECKS_EVERY='weekly' is not a number of batches"):
            full_checks_due(conn, later)
    finally:
        conn.close()
    monkeypatch.setenv(FULL_EVERY_ENV, "7")
    breaks, repairs, contract, check, _ = DEFECTS["orphan satellite row"]
    shop.sql(breaks)  # a row of batch 1 (batch_id 1)
    try:
        root = str(shop.project.root)
        run = dv("--project", root, "run", "--dsn", shop.dsn, "--source-dsn", shop.source_dsn)
        assert run.returncode == 0, run.stdout + run.stderr
        ((batch_id,),) = shop.sql("SELECT max(batch_id) FROM dv_meta.batch")
        conn = connect(shop.dsn)
        try:
            assert quality_gate_passed(conn, batch_id)  # batch-scoped: the orphan is batch 1's
        finally:
            conn.close()
        assert shop.sql(full_runs % batch_id) == []
        scoped = shop.check(contract, batch_id)[check]
        assert scoped.outcome == "pass" and scoped.scope == "batch"
        results = run_checks(shop.dsn, shop.project, batch_id, contracts=[f"{CONTRACTS_DIR}/{contract}"], full=True)
        full = {r.check: r for r in results}[check]
        assert full.outcome == "fail" and full.value == 1 and full.scope == "full"
        assert shop.check(contract)[check].outcome == "fail"  # no batch: the whole warehouse
        run = dv("--project", root, "check", "--dsn", shop.dsn, "--batch", str(batch_id))
        assert run.returncode == 0 and "the rows it inserted" in run.stdout, run.stdout + run.stderr
        run = dv("--project", root, "check", "--dsn", shop.dsn, "--batch", str(batch_id), "--full")
        assert run.returncode == 1 and "whole tables" in run.stdout and check in run.stdout, run.stdout + run.stderr
        conn = connect(shop.dsn)
        try:
            assert not quality_gate_passed(conn, batch_id)  # a full run of every contract decided the gate again
        finally:
            conn.close()
        assert shop.sql(full_runs % batch_id) == [(batch_id,)]
    finally:
        shop.sql(repairs)
    run = dv("--project", str(shop.project.root), "check", "--dsn", shop.dsn, "--batch", str(batch_id), "--full")
    assert run.returncode == 0, run.stdout + run.stderr  # repaired: the gate opens again


# --- no false alarm: load cases with late data, A->B->A, moves, re-deliveries -------------------------

CLEAN_CASES = [
    "satellite/late_row_backdated",
    "satellite/equal_applied_late_sequence",
    "satellite/aba_in_one_batch",
    "satellite/late_data_reject_between_versions",
    "multi_active_satellite/late_group_backdated",
    "multi_active_satellite/groups_aba_in_one_batch",
    "multi_active_satellite/set_without_payload_sha256",
    "effectivity_satellite/late_row",
    "effectivity_satellite/aba_across_batches",
    "status_tracking_satellite/key_moves_between_partitions",
    "status_tracking_satellite/disappear_reappear_delete_again",
    "record_tracking_satellite/appearances_over_batches",
    "reference_table/aba",
    "nonhistorized_link/redelivery_changed_payload",
    "hub/partly_null_composite_key",
    "link/same_hub_twice_roles",
]


@pytest.mark.db
@pytest.mark.parametrize("case_id", CLEAN_CASES)
def test_load_cases_pass_every_generated_check(case_id: str, test_dsn: str, tmp_path: Path) -> None:
    case = casefiles.load_case(casefiles.CASES / f"{case_id}.yml")
    project = make_project(tmp_path, casefiles.MODELS / case["model"])
    reset_schemas(test_dsn)
    conn = connect(test_dsn)
    try:
        apply(conn, project)
        for cycle in case["cycles"]:
            casefiles.land(conn, project, cycle.get("landed", {}))
            batch_id = load(conn, project, load_dts=cycle.get("load_dts")).batch_id
            results = run_checks(conn, project, batch_id)
            bad = [(r.dataset, r.check, r.value, r.message) for r in results if r.outcome != "pass"]
            assert not bad, bad
            assert quality_gate_passed(conn, batch_id)
    finally:
        conn.close()
