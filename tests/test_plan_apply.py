"""``dv plan`` / ``dv apply`` with schema evolution, on PostgreSQL.

Each test applies model v1 (the basic fixture model), loads two batches, edits the YAML of a
copy, regenerates, and checks what ``dv plan`` says, that ``dv apply`` keeps every row, and what
the next loads insert. Changes that would lose data or rewrite history are refused with a reason
and change nothing.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import hashing
from generator.generate import generate
from pipelines.plan import PlanRefused, build_plan, normalize_type, plan
from pipelines.project import Project
from pipelines.warehouse import apply, load
from tests.casefiles import land
from tests.conftest import FIXTURES
from tests.test_cli import assert_user_error, dv

BASIC = FIXTURES / "models" / "basic"
DAY = dt.timedelta(days=1)
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

BATCH_1: dict[str, list[dict[str, Any]]] = {
    "crm_customers": [
        {
            "customer_id": "c1",
            "name": "Ann",
            "email": "ann@x.io",
            "tier": "gold",
            "updated_at": "2025-12-01T10:00:00Z",
            "change_seq": 1,
        },
        {
            "customer_id": "c2",
            "referred_by": "c1",
            "name": "Bob",
            "email": "bob@x.io",
            "updated_at": "2025-12-01T11:00:00Z",
            "change_seq": 2,
        },
    ],
    "web_signups": [{"customer_ref": "c3", "channel": "web"}],
    "shop_orders": [
        {
            "region": "eu",
            "order_no": 1,
            "line_no": 1,
            "product_code": "P-a",
            "customer_id": "c1",
            "quantity": 2,
            "price": "10.50",
        },
        {
            "region": "eu",
            "order_no": 1,
            "line_no": 2,
            "product_code": "P-b",
            "customer_id": "c1",
            "quantity": 1,
            "price": "3",
        },
    ],
}
# day 2: Ann moves to silver, Bob is delivered again unchanged
BATCH_2: dict[str, list[dict[str, Any]]] = {
    "crm_customers": [
        {
            "customer_id": "c1",
            "name": "Ann",
            "email": "ann@x.io",
            "tier": "silver",
            "updated_at": "2025-12-02T10:00:00Z",
            "change_seq": 3,
        },
        BATCH_1["crm_customers"][1],
    ],
    "shop_orders": BATCH_1["shop_orders"],
}


# --- helpers ------------------------------------------------------------------------------------


def new_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASIC, root / "model")
    generate(root)
    return root


def edit(root: Path, file: str, old: str, new: str) -> None:
    path = root / "model" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{file}: {old!r} must occur once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(root: Path, file: str, text: str) -> None:
    path = root / "model" / file
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


def regenerate(root: Path) -> Project:
    generate(root)
    return Project.open(root)


def load_batch(conn: Any, project: Project, landed: dict[str, list[dict[str, Any]]], day: int) -> dict[str, int]:
    land(conn, project, landed)
    result = load(conn, project, load_dts=T0 + day * DAY)
    return {t.target: t.rows for t in result.targets}


def snapshot(conn: Any) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every row of every staging and raw-vault table, with its column names."""
    out: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    with conn.cursor() as cur:
        cur.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables"
            " WHERE table_schema IN ('staging', 'raw_vault') AND table_type = 'BASE TABLE' ORDER BY 1"
        )
        for (table,) in cur.fetchall():
            cur.execute(f"SELECT * FROM {table}")
            columns = [c.name for c in cur.description]
            out[table] = (columns, sorted(cur.fetchall(), key=repr))
    conn.rollback()
    return out


def assert_nothing_lost(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Every table of before is still there with the same rows (new columns aside)."""
    for table, (columns, rows) in before.items():
        assert table in after, f"{table} is gone"
        after_columns, after_rows = after[table]
        index = [after_columns.index(c) for c in columns]
        projected = sorted((tuple(r[i] for i in index) for r in after_rows), key=repr)
        assert projected == rows, f"{table}: rows changed"


def catalog_state(conn: Any) -> list[tuple[Any, ...]]:
    """Tables, columns and types, views and model versions: what a refused apply must leave alone."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema IN ('staging', 'raw_vault', 'dv_meta') ORDER BY 1, 2, 3"
        )
        rows = cur.fetchall()
        cur.execute("SELECT count(*) FROM dv_meta.model_version")
        rows.append(cur.fetchone())
    conn.rollback()
    return rows


def sql_of(p: Any) -> str:
    return p.render()


@pytest.fixture
def v1(warehouse: Any, tmp_path: Path) -> tuple[Any, Path]:
    """Model v1 applied, two batches loaded."""
    root = new_project(tmp_path)
    project = Project.open(root)
    apply(warehouse, project)
    load_batch(warehouse, project, BATCH_1, 1)
    load_batch(warehouse, project, BATCH_2, 2)
    return warehouse, root


# --- a fresh database and an unchanged model ----------------------------------------------------


@pytest.mark.db
def test_fresh_database_plan_creates_everything(warehouse: Any, tmp_path: Path) -> None:
    project = Project.open(new_project(tmp_path))
    p = plan(warehouse, project)
    assert p.fresh and not p.refusals
    files = [s.file for s in p.steps if s.file]
    assert files[0] == "meta/create.sql"
    creates = [n.sql["create"] for n in project.with_statement("create")]
    assert [s.file for s in p.steps if s.group == "tables"] == creates
    views = [n.sql["views"] for n in project.with_statement("views")]
    assert [s.file for s in p.steps if s.group == "views"] == views

    done = apply(warehouse, project)
    assert [s.file for s in done.steps if s.group == "tables"] == creates
    again = plan(warehouse, project)
    assert again.empty and not again.refusals, again.render()
    with warehouse.cursor() as cur:
        cur.execute("SELECT model_fingerprint, hash_algorithm, manifest FROM dv_meta.model_version")
        ((fingerprint, algorithm, manifest),) = cur.fetchall()
    assert fingerprint == project.manifest.model_fingerprint and algorithm == "md5"
    assert manifest == project.json, "apply records the manifest it applied"
    assert apply(warehouse, project).empty  # idempotent: nothing to do, a version recorded again
    with warehouse.cursor() as cur:  # every raw-vault table has its block-range index on batch_id
        cur.execute(
            "SELECT t.tablename, i.indexdef FROM pg_tables AS t LEFT JOIN pg_indexes AS i"
            " ON i.schemaname = t.schemaname AND i.tablename = t.tablename AND i.indexname = t.tablename || '_bid'"
            " WHERE t.schemaname = 'raw_vault'"
        )
        rows = cur.fetchall()
    warehouse.rollback()
    assert rows and all(d and d.endswith("USING brin (batch_id)") for _, d in rows), rows
    # a warehouse applied before the index existed gets it as a planned addition, and nothing else
    with warehouse.cursor() as cur:
        cur.execute("DROP INDEX raw_vault.hub_customer_bid")
    warehouse.commit()
    added = plan(warehouse, project)
    assert [(s.group, s.sql) for s in added.steps if s.sql] == [
        ("indexes", "CREATE INDEX IF NOT EXISTS hub_customer_bid ON raw_vault.hub_customer USING brin (batch_id);")
    ], added.render()


def test_normalize_type() -> None:
    assert normalize_type("character(2)") == normalize_type("char(2)") == "char(2)"
    assert normalize_type("timestamp with time zone") == "timestamptz"
    assert normalize_type("character varying(10)") == "varchar(10)"
    assert normalize_type("numeric(10, 2)") == "numeric(10,2)"
    assert normalize_type("double precision") == "double precision"


# --- additions: planned, applied, nothing lost, no new versions ---------------------------------


def append_payload_column(root: Path) -> None:
    edit(
        root,
        "sources.yml",
        "  - {name: change_seq, type: bigint}\n",
        "  - {name: change_seq, type: bigint}\n  - {name: nickname, type: text}\n",
    )
    edit(root, "satellites.yml", "columns: [name, email, tier]", "columns: [name, email, tier, nickname]")


def add_satellite(root: Path) -> None:
    append(
        root,
        "satellites.yml",
        "---\nkind: satellite\nname: customer_contact\nhub: customer\nsource: crm_customers\ncolumns: [email]\n",
    )


def add_hub(root: Path) -> None:
    append(
        root,
        "hubs.yml",
        "---\nkind: hub\nname: region\nbusiness_keys: [{name: region_code, type: text}]\n"
        "sources:\n  - {source: shop_orders, columns: [region]}\n",
    )


def add_existing_source_to_hub(root: Path) -> None:
    edit(
        root,
        "hubs.yml",
        "  - {source: web_signups, columns: [customer_ref]}\n",
        "  - {source: web_signups, columns: [customer_ref]}\n  - {source: shop_orders, columns: [customer_id]}\n",
    )


def add_new_source_to_hub(root: Path) -> None:
    append(
        root,
        "sources.yml",
        "---\nkind: source\nname: partner_customers\nrecord_source: partner\n"
        "columns:\n  - {name: customer_no, type: text}\n",
    )
    edit(
        root,
        "hubs.yml",
        "  - {source: web_signups, columns: [customer_ref]}\n",
        "  - {source: web_signups, columns: [customer_ref]}\n  - {source: partner_customers, columns: [customer_no]}\n",
    )


def add_link(root: Path) -> None:
    append(
        root,
        "links.yml",
        "---\nkind: link\nname: customer_product\nhubs: [{hub: customer}, {hub: product}]\nsources:\n"
        "  - source: shop_orders\n    keys: {customer: [customer_id], product: [product_code]}\n",
    )


ADDITIONS: dict[str, tuple[Callable[[Path], None], list[str], dict[str, list[dict[str, Any]]], dict[str, int]]] = {
    # change: (edit, statements the plan shows, extra rows landed with batch 3, rows batch 3 inserts)
    "append_payload_column": (
        append_payload_column,
        [
            "DROP VIEW IF EXISTS raw_vault.sat_customer_details_current;",
            "DROP VIEW IF EXISTS raw_vault.sat_customer_details_hist;",
            "ALTER TABLE raw_vault.sat_customer_details ADD COLUMN IF NOT EXISTS nickname text;",
            "ALTER TABLE staging.crm_customers ADD COLUMN IF NOT EXISTS nickname text;",
            "ALTER TABLE staging.crm_customers_stage ADD COLUMN IF NOT EXISTS nickname text;",
            "-- vault_sql/satellites/customer_details.views.sql (sat.customer_details)",
        ],
        {},
        {"sat.customer_details": 0},
    ),
    "add_satellite": (
        add_satellite,
        [
            "ALTER TABLE staging.crm_customers_stage ADD COLUMN IF NOT EXISTS hd_customer_contact uuid;",
            "-- vault_sql/satellites/customer_contact.create.sql (sat.customer_contact)",
            "-- vault_sql/satellites/customer_contact.views.sql (sat.customer_contact)",
        ],
        {},
        {"sat.customer_contact": 2, "sat.customer_details": 0},
    ),
    "add_hub": (
        add_hub,
        [
            "ALTER TABLE staging.shop_orders_stage ADD COLUMN IF NOT EXISTS hk_region uuid;",
            "-- vault_sql/hubs/region.create.sql (hub.region)",
        ],
        {},
        {"hub.region": 1},
    ),
    "add_existing_source_to_hub": (
        add_existing_source_to_hub,
        ["ALTER TABLE staging.shop_orders_stage ADD COLUMN IF NOT EXISTS hk_customer uuid;"],
        {},
        {"hub.customer": 0},
    ),
    "add_new_source_to_hub": (
        add_new_source_to_hub,
        ["-- vault_sql/staging/partner_customers.create.sql (source.partner_customers)"],
        {"partner_customers": [{"customer_no": "c9"}, {"customer_no": "C1"}]},
        {"hub.customer": 1},
    ),
    "add_link": (
        add_link,
        [
            "ALTER TABLE staging.shop_orders_stage ADD COLUMN IF NOT EXISTS hk_customer_product uuid;",
            "ALTER TABLE staging.shop_orders_stage ADD COLUMN IF NOT EXISTS hk_customer_product__customer uuid;",
            "ALTER TABLE staging.shop_orders_stage ADD COLUMN IF NOT EXISTS hk_customer_product__product uuid;",
            "-- vault_sql/links/customer_product.create.sql (link.customer_product)",
        ],
        {},
        {"link.customer_product": 2},
    ),
}


@pytest.mark.db
@pytest.mark.parametrize("change", list(ADDITIONS))
def test_addition_is_planned_and_applied(v1: tuple[Any, Path], change: str) -> None:
    conn, root = v1
    make_change, statements, landed, inserted = ADDITIONS[change]
    before = snapshot(conn)
    make_change(root)
    project = regenerate(root)

    p = plan(conn, project)
    assert not p.refusals, [r.render() for r in p.refusals]
    text = sql_of(p)
    for statement in statements:
        assert statement in text.splitlines(), f"plan lacks {statement!r}:\n{text}"
    assert not any(s.group in ("drop_tables",) for s in p.steps), "an addition drops no table"

    apply(conn, project)
    assert plan(conn, project).empty, "after apply the plan is empty"
    assert_nothing_lost(before, snapshot(conn))

    # batch 3: day 2's rows delivered again (and what the change needs): no new version anywhere else
    rows = load_batch(conn, project, {**BATCH_2, **landed}, 3)
    expected = {target: 0 for target in rows} | inserted
    assert rows == expected, f"batch 3 inserted {rows}"


@pytest.mark.db
def test_appended_column_keeps_hashdiffs_and_versions(v1: tuple[Any, Path]) -> None:
    """The trailing-NULL rule: rows whose new column is NULL keep their hashdiff (no new version);
    a row with a value in it is a new version."""
    conn, root = v1
    append_payload_column(root)
    project = regenerate(root)
    apply(conn, project)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT s.hashdiff, s.name, s.email, s.tier, s.nickname FROM raw_vault.sat_customer_details s"
            " JOIN raw_vault.hub_customer h USING (hk_customer) WHERE h.customer_id = 'C2'"
        )
        ((stored, name, email, tier, nickname),) = cur.fetchall()
    conn.rollback()
    parts = [(name, "text"), (email, "text"), (tier, "text"), (nickname, "text")]
    assert nickname is None and uuid.UUID(str(stored)).bytes == hashing.hashdiff(parts, "md5") == hashing.hashdiff(
        parts[:3], "md5"
    )

    assert load_batch(conn, project, BATCH_2, 3)["sat.customer_details"] == 0
    bob = {**BATCH_2["crm_customers"][1], "nickname": "Bobby", "updated_at": "2025-12-03T11:00:00Z", "change_seq": 4}
    assert load_batch(conn, project, {"crm_customers": [bob]}, 4)["sat.customer_details"] == 1
    with conn.cursor() as cur:
        cur.execute(
            "SELECT nickname, is_current FROM raw_vault.sat_customer_details_hist s"
            " JOIN raw_vault.hub_customer h USING (hk_customer) WHERE h.customer_id = 'C2' ORDER BY s.applied_dts"
        )
        assert cur.fetchall() == [(None, False), ("Bobby", True)], "the _hist view shows the new column"
    conn.rollback()


@pytest.mark.db
def test_empty_table_is_rebuilt_not_refused(warehouse: Any, tmp_path: Path) -> None:
    """A table holding ghost records only may change freely: dropped and created again."""
    root = new_project(tmp_path)
    apply(warehouse, Project.open(root))
    edit(root, "hubs.yml", "  - {name: order_no, type: integer}", "  - {name: order_no, type: bigint}")
    project = regenerate(root)
    p = plan(warehouse, project)
    assert not p.refusals, [r.render() for r in p.refusals]
    lines = p.render().splitlines()
    assert "DROP TABLE raw_vault.hub_sales_order;" in lines
    assert "-- vault_sql/hubs/sales_order.create.sql (hub.sales_order)" in lines
    apply(warehouse, project)
    assert plan(warehouse, project).empty
    assert load_batch(warehouse, project, BATCH_1, 1)["hub.sales_order"] == 1


@pytest.mark.db
def test_entity_removed_before_it_held_data_is_dropped(v1: tuple[Any, Path]) -> None:
    """A satellite applied and removed again before any load: its table (a ghost record only), its
    views and its stage hashdiff column (derived, on a stage table holding earlier batches) go."""
    conn, root = v1
    original = (root / "model" / "satellites.yml").read_text(encoding="utf-8")
    add_satellite(root)
    apply(conn, regenerate(root))
    before = snapshot(conn)
    (root / "model" / "satellites.yml").write_text(original, encoding="utf-8")
    project = regenerate(root)
    p = plan(conn, project)
    assert not p.refusals, [r.render() for r in p.refusals]
    assert [s.sql for s in p.steps if s.group != "comments"] == [
        "DROP VIEW IF EXISTS raw_vault.sat_customer_contact_current;",
        "DROP VIEW IF EXISTS raw_vault.sat_customer_contact_hist;",
        "DROP TABLE raw_vault.sat_customer_contact;",
        "ALTER TABLE staging.crm_customers_stage DROP COLUMN hd_customer_contact;",
    ]
    apply(conn, project)
    assert plan(conn, project).empty
    after = snapshot(conn)
    assert set(before) - set(after) == {"raw_vault.sat_customer_contact"}
    before.pop("raw_vault.sat_customer_contact")
    stage_columns, _ = before["staging.crm_customers_stage"]
    assert (
        "hd_customer_contact" in stage_columns and "hd_customer_contact" not in after["staging.crm_customers_stage"][0]
    )
    before.pop("staging.crm_customers_stage")
    assert_nothing_lost(before, after)
    rows = load_batch(conn, project, BATCH_2, 3)  # loads as before: day 2 again inserts nothing
    assert rows == {target: 0 for target in rows}, rows


# --- refusals: exit 1, a reason, nothing changed ------------------------------------------------


def drop_satellite_column(root: Path) -> None:
    edit(root, "satellites.yml", "columns: [name, email, tier]", "columns: [name, email]")


def remove_source_column(root: Path) -> None:
    drop_satellite_column(root)
    edit(root, "sources.yml", "  - {name: tier, type: text}\n", "")


def reorder_satellite_columns(root: Path) -> None:
    edit(root, "satellites.yml", "columns: [name, email, tier]", "columns: [email, name, tier]")


def retype_source_column(root: Path) -> None:
    edit(root, "sources.yml", "  - {name: tier, type: text}", "  - {name: tier, type: varchar(10)}")


def remove_satellite(root: Path) -> None:
    edit(
        root,
        "satellites.yml",
        "---\nkind: satellite\nname: customer_signup\nhub: customer\nsource: web_signups\ncolumns: [channel]\n",
        "",
    )


def add_sequence_to_loaded_source(root: Path) -> None:
    edit(
        root,
        "sources.yml",
        "  - {name: channel, type: text}",
        "  - {name: channel, type: text}\n  - {name: signup_no, type: bigint}",
    )
    edit(root, "sources.yml", "record_source: web\n", "record_source: web\nsequence: signup_no\n")


def change_hub_key_case(root: Path) -> None:
    edit(
        root,
        "hubs.yml",
        "  - {name: customer_id, type: text}",
        "  - {name: customer_id, type: text, case_sensitive: true}",
    )


def change_hub_key_type(root: Path) -> None:
    edit(root, "hubs.yml", "  - {name: order_no, type: integer}", "  - {name: order_no, type: bigint}")


def reorder_link_hubs(root: Path) -> None:
    edit(
        root,
        "links.yml",
        "  - {hub: sales_order}\n  - {hub: product}\n",
        "  - {hub: product}\n  - {hub: sales_order}\n",
    )


def add_link_dependent_key(root: Path) -> None:
    edit(
        root,
        "links.yml",
        "    keys: {customer: [customer_id], referrer: [referred_by]}\n",
        "    keys: {customer: [customer_id], referrer: [referred_by]}\n    dependent_keys: [change_seq]\n",
    )
    edit(
        root,
        "links.yml",
        "  - {hub: customer, role: referrer}\n",
        "  - {hub: customer, role: referrer}\ndependent_keys: [{name: change_seq, type: bigint}]\n",
    )


def change_satellite_case(root: Path) -> None:
    edit(root, "satellites.yml", "columns: [channel]", "columns: [channel]\ncase_sensitive: false")


def change_hash_algorithm(root: Path) -> None:
    append(root, "project.yml", "hash: {algorithm: sha256}\n")


REFUSALS: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    # change: (edit, what the refusals say)
    "drop_satellite_column": (
        drop_satellite_column,
        [
            "sat.customer_details: the payload columns changed from (name, email, tier) to (name, email)",
            "raw_vault.sat_customer_details: column tier is in the warehouse but no longer in the model",
        ],
    ),
    "remove_source_column": (
        remove_source_column,  # the landing table is empty between loads: it alone could be rebuilt
        ["staging.crm_customers_stage: column tier is in the warehouse but no longer in the model"],
    ),
    "reorder_satellite_columns": (reorder_satellite_columns, ["append new ones at the end"]),
    "retype_source_column": (
        retype_source_column,
        [
            "staging.crm_customers_stage: column tier is text in the warehouse and varchar(10) in the model",
            "raw_vault.sat_customer_details: column tier is text in the warehouse and varchar(10) in the model",
        ],
    ),
    "remove_satellite": (
        remove_satellite,
        ["raw_vault.sat_customer_signup: the table is in the warehouse but no longer in the model"],
    ),
    "add_not_null_key_column": (
        add_sequence_to_loaded_source,
        ["raw_vault.sat_customer_signup: new column applied_seq is NOT NULL, and the table holds rows"],
    ),
    "change_hub_key_case": (change_hub_key_case, ["hub.customer: the business key changed from (customer_id text)"]),
    "change_hub_key_type": (
        change_hub_key_type,
        ["hub.sales_order: the business key changed", "column order_no is integer in the warehouse and bigint"],
    ),
    "reorder_link_hubs": (reorder_link_hubs, ["link.order_line: the hub references or dependent keys changed"]),
    "add_link_dependent_key": (
        add_link_dependent_key,
        [
            "link.customer_referral: the hub references or dependent keys changed",
            "new column change_seq is a key column",
        ],
    ),
    "change_satellite_case": (change_satellite_case, ["sat.customer_signup: case_sensitive changed from True"]),
    "change_hash_algorithm": (change_hash_algorithm, ["from md5 (hash spec v1) to sha256", "run 'dv rehash'"]),
}


@pytest.mark.db
@pytest.mark.parametrize("change", list(REFUSALS))
def test_refused_change_changes_nothing(v1: tuple[Any, Path], change: str) -> None:
    conn, root = v1
    make_change, messages = REFUSALS[change]
    before, catalog = snapshot(conn), catalog_state(conn)
    make_change(root)
    project = regenerate(root)

    p = plan(conn, project)
    said = "\n".join(r.render() for r in p.refusals)
    assert p.refusals, f"{change} must be refused"
    for message in messages:
        assert message in said, f"refusals lack {message!r}:\n{said}"
    assert all(r.hint for r in p.refusals), "every refusal says what to do instead"
    with pytest.raises(PlanRefused) as raised:
        apply(conn, project)
    assert "dv apply changed nothing" in str(raised.value)
    assert catalog_state(conn) == catalog
    assert snapshot(conn) == before


@pytest.mark.db
def test_view_made_by_hand_on_a_changed_view_is_refused(v1: tuple[Any, Path]) -> None:
    conn, root = v1
    with conn.cursor() as cur:
        cur.execute("CREATE VIEW public.my_customers AS SELECT name FROM raw_vault.sat_customer_details_current")
    conn.commit()
    try:
        append_payload_column(root)
        p = plan(conn, regenerate(root))
        assert [r.target for r in p.refusals] == ["public.my_customers"]
        assert "reads raw_vault.sat_customer_details_current" in p.refusals[0].message
    finally:
        with conn.cursor() as cur:
            cur.execute("DROP VIEW public.my_customers")
        conn.commit()


@pytest.mark.db
def test_plan_reads_and_changes_nothing(v1: tuple[Any, Path]) -> None:
    conn, root = v1
    append_payload_column(root)
    project = regenerate(root)
    catalog = catalog_state(conn)
    with conn.cursor() as cur:
        assert build_plan(cur, project).steps
    conn.rollback()
    assert plan(conn, project).steps
    assert catalog_state(conn) == catalog


# --- through the command line -------------------------------------------------------------------


@pytest.mark.db
def test_cli_plan_apply_and_refusal(v1: tuple[Any, Path], test_dsn: str) -> None:
    conn, root = v1
    conn.close()
    run = dv("--project", str(root), "plan", "--dsn", test_dsn)
    assert run.returncode == 0, run.stderr
    assert "nothing to do" in run.stdout

    add_satellite(root)
    regenerate(root)
    run = dv("--project", str(root), "plan", "--dsn", test_dsn)
    assert run.returncode == 0, run.stderr
    assert "ALTER TABLE staging.crm_customers_stage ADD COLUMN IF NOT EXISTS hd_customer_contact uuid;" in run.stdout
    assert "run 'dv apply'" in run.stdout
    run = dv("--project", str(root), "apply", "--dsn", test_dsn)
    assert run.returncode == 0, run.stderr
    assert "applied" in run.stdout and "sat.customer_contact" in run.stdout
    run = dv("--project", str(root), "plan", "--dsn", test_dsn)
    assert run.returncode == 0 and "nothing to do" in run.stdout, run.stdout + run.stderr

    reorder_satellite_columns(root)
    regenerate(root)
    for command in ("plan", "apply"):
        run = dv("--project", str(root), command, "--dsn", test_dsn)
        assert_user_error(run)
        assert "payload columns changed" in run.stderr and "hint: keep the columns in their order" in run.stderr


# --- every fixture model: after dv apply the plan is empty --------------------------------------

MODELS = sorted(p for p in (FIXTURES / "models").iterdir() if p.is_dir())


@pytest.mark.db
@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.name)
def test_applied_model_has_an_empty_plan(warehouse: Any, tmp_path: Path, model: Path) -> None:
    """Types, keys, indexes, comments and views of every kind read back from the catalog as generated."""
    root = tmp_path / "project"
    shutil.copytree(model, root / "model")
    project = regenerate(root)
    apply(warehouse, project)
    p = plan(warehouse, project)
    assert p.empty and not p.refusals, p.render() + "\n".join(r.render() for r in p.refusals)


def test_recipe_change_of_other_kinds() -> None:
    """Kinds without a check of their own are guarded by their stage recipes."""
    from pipelines.plan.changes import recipe_change

    key = {
        "column": "hk_x",
        "kind": "key",
        "owner": "x.y",
        "parts": [{"column": "a", "type": "text", "case_sensitive": False}],
    }
    assert recipe_change(key, key) is None
    renamed = {**key, "parts": [{"column": "b", "type": "varchar(5)", "case_sensitive": False}]}
    assert recipe_change(key, renamed) is None, "another source column of the same family hashes alike"
    cased = {**key, "parts": [{"column": "a", "type": "text", "case_sensitive": True}]}
    assert "case rule" in (recipe_change(key, cased) or "")
    hd = {
        "column": "hd_x",
        "kind": "hashdiff",
        "owner": "x.y",
        "case_sensitive": True,
        "parts": [{"column": "a", "type": "text"}],
    }
    appended = {**hd, "parts": [*hd["parts"], {"column": "b", "type": "integer"}]}
    assert recipe_change(hd, appended) is None
    assert "other than by appending" in (recipe_change(appended, hd) or "")
    assert "other than by appending" in (recipe_change(hd, {**hd, "case_sensitive": False}) or "")
