"""The modeler's daily loop (issue 15): `dv generate --check` summarized by file, `dv validate` counting
every kind, `dv run --load-dts`, reading each batch from another schema of the source database, the
watermark an incremental source takes from its `applied_ts`, the hint for a missing role, `--json` piped
into `head`, and README lines that say what the code does (export folders, licence)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import psycopg2
import pytest

from generator.kinds import KINDS
from generator.manifest_model import SourceNode
from generator.model import load_model
from pipelines.extract.database import extract_query
from tests import casefiles
from tests.conftest import FIXTURES, REPO, GeneratedProject, drop_database, make_project, reset_schemas
from tests.test_cli import assert_user_error, dv, dv_command

# --- dv generate --check: one line per file, the diff on request ------------------------------------------------


@pytest.fixture
def basic(tmp_path: Path, generated_project: GeneratedProject) -> Path:
    root = tmp_path / "project"
    shutil.copytree(generated_project(FIXTURES / "models" / "basic"), root)
    return root


def test_check_lists_each_stale_file_with_its_line_counts(basic: Path) -> None:
    hubs = basic / "model" / "hubs.yml"
    hubs.write_text(hubs.read_text(encoding="utf-8").replace("A customer, known to", "A customer (edited), known to"))
    (basic / "vault_sql" / "hubs" / "product.load.sql").unlink()
    left_over = "-- generated from model/hubs.yml by dv generate — do not edit\nSELECT 1;\n"
    (basic / "vault_sql" / "hubs" / "old_hub.load.sql").write_text(left_over, encoding="utf-8")

    run = dv("--project", str(basic), "generate", "--check")

    assert_user_error(run)
    lines = run.stderr.splitlines()
    assert not any(line.startswith(("--- ", "+++ ", "@@")) for line in lines), "no diff without --diff"
    rows = {tuple(line.split()[:2]): line.split()[2:] for line in lines if line.startswith("  ") and "hint" not in line}
    assert rows[("changed", "vault_sql/hubs/customer.create.sql")] == ["+1", "-1"], run.stderr
    assert rows[("changed", "checks/generated/hubs/customer.contract.yml")] == ["+1", "-1"], run.stderr
    assert re.fullmatch(r"\+\d+", rows[("added", "vault_sql/hubs/product.load.sql")][0]), run.stderr
    assert rows[("removed", "vault_sql/hubs/old_hub.load.sql")] == ["-2"], run.stderr
    assert "1 missing, 3 changed, 1 not generated any more" in run.stderr
    assert "'dv generate --check --diff' shows the diff" in run.stderr
    assert len(lines) < 15, run.stderr

    full = dv("--project", str(basic), "generate", "--check", "--diff")
    assert_user_error(full)
    assert "+++ vault_sql/hubs/product.load.sql (generated)" in full.stderr.splitlines()
    assert "--- vault_sql/hubs/old_hub.load.sql (committed)" in full.stderr.splitlines()
    header = re.compile(r"(---|\+\+\+) \S+ \((committed|generated)\)")
    diff = [line for line in full.stderr.splitlines() if not header.fullmatch(line)]
    for sign in "+-":
        in_diff = sum(1 for line in diff if line.startswith(sign))
        in_summary = sum(int(c[1:]) for counts in rows.values() for c in counts if c.startswith(sign))
        assert in_diff == in_summary, f"the summary counts the diff's {sign} lines"


# --- dv validate counts every kind ----------------------------------------------------------------------------


def test_validate_counts_every_kind_of_the_model() -> None:
    model = load_model(REPO / "model", REPO)
    run = dv("validate")
    assert run.returncode == 0, run.stderr
    summary = run.stdout.strip().split(": ", 1)[1]
    counted = dict(reversed(part.split(" ", 1)) for part in summary.split(", "))
    expected = {}
    for kind in KINDS:
        n = len(model.of_kind(kind))
        if n:
            name = kind.title if n == 1 else kind.plural
            expected[name if name[1:2].isupper() else name[0].lower() + name[1:]] = str(n)
    assert counted == expected, run.stdout
    assert len(expected) > 10 and sum(map(int, counted.values())) == len(model.entities)


# --- dv run --load-dts, and a batch read from another schema ---------------------------------------------------

DELIVERY_MODEL = """\
kind: project
name: deliveries
description: A source database that keeps each delivery in a schema of its own.
---
kind: source
name: delivery_customers
description: The customers of one delivery; the schema comes from the source DSN's search_path.
record_source: deliveries.customers
table: customers
extract: full
columns:
  - {name: customer_id, type: bigint}
  - {name: tier, type: text}
---
kind: hub
name: customer
business_keys: [{name: customer_id, type: bigint}]
sources:
  - {source: delivery_customers, columns: [customer_id]}
---
kind: satellite
name: customer_tier
hub: customer
source: delivery_customers
columns: [tier]
"""


def test_run_refuses_a_load_time_it_cannot_use() -> None:
    both = dv("run", "--date", "2026-03-04", "--load-dts", "2026-03-04T06:00:00Z")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr, both.stderr
    resumed = dv("run", "--batch", "4", "--load-dts", "2026-03-04T06:00:00Z")
    assert_user_error(resumed)
    assert "keeps the load_dts it was opened with" in resumed.stderr and "hint:" in resumed.stderr


@pytest.mark.db
def test_run_takes_an_exact_load_time_and_each_batch_its_schema(tmp_path: Path, test_dsn: str) -> None:
    model = tmp_path / "model_src"
    model.mkdir()
    (model / "model.yml").write_text(DELIVERY_MODEL, encoding="utf-8")
    project = make_project(tmp_path, model)
    reset_schemas(test_dsn)
    params = psycopg2.extensions.parse_dsn(test_dsn)
    source = params["dbname"] + "_deliveries"
    admin = psycopg2.connect(psycopg2.extensions.make_dsn(**{**params, "dbname": "postgres"}))
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            drop_database(cur, source)
            cur.execute(f'CREATE DATABASE "{source}"')
        conn = psycopg2.connect(psycopg2.extensions.make_dsn(**{**params, "dbname": source}))
        with conn, conn.cursor() as cur:
            cur.execute(
                "CREATE SCHEMA delivery_1; CREATE SCHEMA delivery_2;"
                "CREATE TABLE delivery_1.customers (customer_id bigint, tier text);"
                "CREATE TABLE delivery_2.customers (customer_id bigint, tier text);"
                "INSERT INTO delivery_1.customers VALUES (1, 'silver'), (2, 'silver');"
                "INSERT INTO delivery_2.customers VALUES (1, 'gold'), (3, 'bronze');"
            )
        conn.close()
        assert dv("--project", str(project.root), "apply", "--dsn", test_dsn).returncode == 0
        stamps = ["2026-03-04T06:00:00Z", "2026-03-05T06:30:15.250000+01:00"]
        for schema, stamp in zip(("delivery_1", "delivery_2"), stamps, strict=True):
            source_dsn = psycopg2.extensions.make_dsn(
                **{**params, "dbname": source, "options": f"-csearch_path={schema}"}
            )
            run = _dv_env(
                {"DV_SOURCE_DSN": source_dsn}, "--project", str(project.root), "run", "--dsn", test_dsn,
                "--load-dts", stamp,
            )  # fmt: skip
            assert run.returncode == 0, run.stdout + run.stderr
        conn = psycopg2.connect(test_dsn)
        with conn.cursor() as cur:
            cur.execute("SELECT to_char(load_dts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') FROM dv_meta.batch"
                        " ORDER BY batch_id")  # fmt: skip
            assert [r[0] for r in cur.fetchall()] == ["2026-03-04 06:00:00.000", "2026-03-05 05:30:15.250"]
            cur.execute(
                "SELECT h.customer_id, s.tier, b.batch_id FROM raw_vault.hub_customer h"
                " JOIN raw_vault.sat_customer_tier s USING (hk_customer) JOIN dv_meta.batch b"
                " ON b.batch_id = s.batch_id ORDER BY 1, 3"
            )
            rows = [(key, tier) for key, tier, _ in cur.fetchall()]
        conn.close()
        assert rows == [(1, "silver"), (1, "gold"), (2, "silver"), (3, "bronze")], "each batch read its schema"
    finally:
        with admin.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (source,),
            )
            drop_database(cur, source)
        admin.close()


def _dv_env(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "SODA_CORE_TELEMETRY_ENABLED": "false", **env}
    return subprocess.run([*dv_command(), *args], capture_output=True, text=True, cwd=REPO, env=full, timeout=600)


# --- an incremental source without watermark: its applied_ts is the watermark (docs/modeling.md) ----------------


def test_an_incremental_source_without_watermark_is_windowed_by_its_applied_ts(tmp_path: Path) -> None:
    project = make_project(tmp_path, casefiles.MODELS / "pipeline")
    node = project.manifest.nodes["source.shop_customers"]
    assert isinstance(node, SourceNode) and node.extract == "incremental" and node.applied_ts == "updated_at"
    assert node.watermark == "updated_at"  # not declared in the model: taken from applied_ts
    import datetime as dt

    since = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    query = repr(extract_query(node, since=since, until=since + dt.timedelta(days=1)))  # no connection to quote
    assert "Identifier('updated_at'), SQL(' > ')" in query and "Identifier('updated_at'), SQL(' <= ')" in query
    full = project.manifest.nodes["source.shop_orders"]
    assert isinstance(full, SourceNode) and full.watermark is None  # a full extract reads every row
    text = (REPO / "docs" / "modeling.md").read_text(encoding="utf-8")
    assert "Without `watermark:`, an incremental database source uses its `applied_ts`" in text


# --- connection hints, a closed pipe ---------------------------------------------------------------------------


@pytest.mark.db
def test_a_missing_role_is_not_told_to_create_a_database(server_dsn: str) -> None:
    params = psycopg2.extensions.parse_dsn(server_dsn)
    dsn = psycopg2.extensions.make_dsn(**{**params, "user": "dv_no_such_role_15", "dbname": "postgres"})
    run = dv("status", "--dsn", dsn)
    assert_user_error(run)
    assert 'role "dv_no_such_role_15" does not exist' in run.stderr
    assert "createuser" in run.stderr and "createdb" not in run.stderr, run.stderr
    missing_db = psycopg2.extensions.make_dsn(**{**params, "dbname": "dv_no_such_database_15"})
    run = dv("status", "--dsn", missing_db)
    assert_user_error(run)
    assert "createdb" in run.stderr and "createuser" not in run.stderr, run.stderr


def test_json_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    from tests.benchmarks.bench_generate import write_model

    root = tmp_path / "big"
    write_model(root, 500)
    sources = sorted((root / "model" / "sources").glob("*.yml"))  # one file: its impact is every entity
    text = "---\n".join(p.read_text(encoding="utf-8") for p in sources)
    for p in sources:
        p.unlink()
    (root / "model" / "sources" / "all.yml").write_text(text, encoding="utf-8")
    assert dv("--project", str(root), "generate").returncode == 0
    size = len(dv("--project", str(root), "impact", "model/sources/all.yml", "--json").stdout)
    assert size > 100_000, "more than a pipe holds: the writer meets the closed pipe"
    command = " ".join([*dv_command(), "--project", str(root), "impact", "model/sources/all.yml", "--json"])
    run = subprocess.run(
        ["bash", "-c", f"{command} 2>{tmp_path / 'err'} | head -1; echo ${{PIPESTATUS[0]}}"],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )  # fmt: skip
    first, code = run.stdout.splitlines()
    assert first == "{"
    assert (tmp_path / "err").read_text() == "", "no traceback, no message"
    assert code == "141", "the exit status of a tool stopped by a closed pipe"


# --- README lines that say what the code does ------------------------------------------------------------------


def test_readme_names_export_folders_as_they_are_written() -> None:
    from pipelines import feed_export

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith("| `dv export-feed`")]
    assert "batch-<batch>/" not in row
    named = re.findall(r"matching/(batch-\d+)/", row)
    assert named == [f"batch-{4:06d}"], row
    assert 'f"batch-{batch_id:06d}"' in Path(feed_export.__file__).read_text(encoding="utf-8")


def test_readme_licence_is_pyprojects() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert isinstance(project["license"], str), "the SPDX string form (PEP 639), not a {text = …} table"
    assert project["license-files"] == ["LICENSE"] and (REPO / "LICENSE").is_file()
    requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    assert "setuptools>=77" in requires, "setuptools reads the SPDX form from 77 on"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    licence = readme.split("## Licence", 1)[1].split("\n\n", 2)[1]
    assert f'license = "{project["license"]}"' in licence and "Apache License 2.0" in licence
    assert "Apache License" in (REPO / "LICENSE").read_text(encoding="utf-8")[:200]
