"""Profiling of staged batches (``pipelines/profile.py``) and the anomaly warnings.

Hand-written landing rows through the ``basic`` fixture model give exact expectations (null share,
distinct count, typed min and max, top values, every value of a low-cardinality column); a series
of batches with a known departure gives exactly the anomalies expected, and a steady series none. A
small warehouse of the simulated platform checks every column type of the real model against
per-column queries written independently.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import pytest

from generator.errors import WarehouseError
from pipelines.db import connect
from pipelines.profile import (
    LOW_CARDINALITY,
    TOP_VALUES,
    Anomaly,
    detect_anomalies,
    identifier_columns,
    profile_batch,
    profile_sql,
    staged_sources,
)
from pipelines.project import Project
from pipelines.warehouse import apply, load
from tests.conftest import FIXTURES, REPO, make_project

BASE = dt.datetime(2026, 1, 1, 6, tzinfo=dt.UTC)


def test_one_statement_per_source_covers_every_column() -> None:
    project = Project.open(REPO)
    for node in staged_sources(project):
        sql = profile_sql(node)
        assert sql.count("INSERT INTO") == 1, node.name
        # two reads of the batch's rows only (the stage table holds every batch's): the exact totals and the
        # frequencies of the sample
        assert f"FROM {node.qualified}\n    WHERE batch_id = %(batch_id)s" in sql
        assert "WHERE s.batch_id = %(batch_id)s AND (hashint8(s.dv_row_no) & 2147483647) %% %(step)s = 0" in sql
        for column in node.columns:
            assert f"('{column.name}', s.\"{column.name}\"::text)" in sql, (node.name, column.name)
        # every aggregate into jsonb is bounded: top values and value counts only (no unbounded jsonb_agg)
        assert sql.count("jsonb_agg(") == 2
        assert f"FILTER (WHERE r.rank <= {TOP_VALUES})" in sql
        assert f"FILTER (WHERE r.sample_distinct <= {LOW_CARDINALITY})" in sql


# --- the basic model: exact profiles ---------------------------------------------------------------------


@pytest.fixture
def basic(tmp_path: Path, warehouse: psycopg2.extensions.connection) -> Iterator[tuple[Any, Project]]:
    project = make_project(tmp_path, FIXTURES / "models" / "basic")
    apply(warehouse, project)
    yield warehouse, project


def land(conn: psycopg2.extensions.connection, table: str, rows: list[dict[str, Any]]) -> None:
    with conn.cursor() as cur:
        for row in rows:
            columns = ", ".join(row)
            cur.execute(
                f"INSERT INTO staging.{table} ({columns}) VALUES ({', '.join(['%s'] * len(row))})",
                [None if v is None else str(v) for v in row.values()],
            )
    conn.commit()


def batch(conn: psycopg2.extensions.connection, project: Project, n: int) -> int:
    return load(conn, project, load_dts=BASE + dt.timedelta(days=n)).batch_id


def by_column(profiles: list[Any], source: str) -> dict[str, Any]:
    return {p.column: p for p in profiles if p.source == source}


@pytest.mark.db
def test_profile_of_a_batch(basic: tuple[Any, Project]) -> None:
    conn, project = basic
    orders = [
        {"region": "EU", "order_no": 1, "line_no": 1, "product_code": "P-1", "customer_id": "C1",
         "quantity": "2", "price": "100.00"},
        {"region": "EU", "order_no": 1, "line_no": 2, "product_code": "P-2", "customer_id": "C1",
         "quantity": "1", "price": "20.00"},
        {"region": "EU", "order_no": 2, "line_no": 1, "product_code": "P-1", "customer_id": "C2",
         "quantity": "10", "price": "9.50"},
        {"region": "US", "order_no": 3, "line_no": 1, "product_code": "P-3", "customer_id": "C2",
         "quantity": None, "price": None},
    ]  # fmt: skip
    customers = [
        {"customer_id": f"C{i}", "name": f"Customer {i:02d}", "email": None if i % 5 == 0 else f"c{i}@x.example",
         "tier": ["gold", "silver", "bronze"][i % 3], "updated_at": f"2025-12-{i:02d}T10:00:00Z", "change_seq": i}
        for i in range(1, 26)
    ]  # fmt: skip
    land(conn, "shop_orders", orders)
    land(conn, "crm_customers", customers)
    batch_id = batch(conn, project, 1)
    profiles = profile_batch(conn, project, batch_id)

    shop = by_column(profiles, "shop_orders")
    assert list(shop) == ["region", "order_no", "line_no", "product_code", "customer_id", "quantity", "price"]
    price = shop["price"]
    assert (price.row_count, price.null_count, price.null_share, price.distinct_count) == (4, 1, 0.25, 3)
    assert (price.min_value, price.max_value) == ("9.50", "100.00")  # numbers compare as numbers, not text
    assert (shop["quantity"].min_value, shop["quantity"].max_value) == ("1.000", "10.000")
    assert shop["order_no"].max_value == "3" and shop["order_no"].distinct_count == 3
    assert shop["region"].top_values == [{"value": "EU", "count": 3}, {"value": "US", "count": 1}]
    # ties break by value
    assert shop["product_code"].top_values == [
        {"value": "P-1", "count": 2}, {"value": "P-2", "count": 1}, {"value": "P-3", "count": 1}
    ]  # fmt: skip

    crm = by_column(profiles, "crm_customers")
    assert crm["email"].null_count == 5 and crm["email"].null_share == 0.2 and crm["email"].distinct_count == 20
    assert crm["tier"].top_values == [  # the most frequent first, ties by value
        {"value": "silver", "count": 9}, {"value": "bronze", "count": 8}, {"value": "gold", "count": 8}
    ]  # fmt: skip
    assert len(crm["name"].top_values) == TOP_VALUES and crm["name"].distinct_count == 25
    assert crm["updated_at"].min_value == "2025-12-01 10:00:00+00"
    assert crm["change_seq"].max_value == "25"  # not "9": bigint order

    with conn.cursor() as cur:  # every value kept for a column with at most LOW_CARDINALITY of them
        cur.execute(
            "SELECT column_name, value_counts FROM dv_meta.profile WHERE batch_id = %s AND source = 'crm_customers'"
            " AND column_name IN ('tier', 'name', 'email') ORDER BY column_name",
            (batch_id,),
        )
        stored = dict(cur.fetchall())
    assert stored["tier"] == crm["tier"].top_values
    assert len(stored["email"]) == 20 <= LOW_CARDINALITY and stored["name"] is None  # 25 distinct: too many

    web = by_column(profiles, "web_signups")  # staged, no row: profiled all the same
    assert {(p.row_count, p.null_share, p.distinct_count, len(p.top_values)) for p in web.values()} == {(0, None, 0, 0)}

    # a rerun replaces the batch's profile; nothing doubles
    again = profile_batch(conn, project, batch_id)
    assert again == profiles
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM dv_meta.profile WHERE batch_id = %s", (batch_id,))
        assert cur.fetchone()[0] == len(profiles) == 7 + 7 + 2
    conn.commit()


@pytest.mark.db
def test_a_large_batch_is_profiled_from_a_sample(basic: tuple[Any, Project]) -> None:
    """Above ``sample_rows`` staged rows the frequencies come from a sample (one row in k, by a hash of
    the row number); rows, NULLs, min and max stay exact, the distinct count is estimated (exact for a
    key-like column), the top values' counts are scaled to the batch, the sample size is stored."""
    conn, project = basic
    customers = [
        {"customer_id": f"C{i}", "name": f"Customer {i:03d}", "email": None if i % 5 == 0 else f"c{i}@x.example",
         "tier": ["gold", "silver", "bronze"][i % 3], "updated_at": "2025-12-01T10:00:00Z", "change_seq": i}
        for i in range(1, 301)
    ]  # fmt: skip
    land(conn, "crm_customers", customers)
    batch_id = batch(conn, project, 1)
    exact = by_column(profile_batch(conn, project, batch_id), "crm_customers")
    assert {p.sample_rows for p in exact.values()} == {300}
    sampled = by_column(profile_batch(conn, project, batch_id, sample_rows=60), "crm_customers")  # one in 5
    assert sampled.keys() == exact.keys()
    for name, p in sampled.items():
        e = exact[name]
        assert (p.row_count, p.null_count, p.null_share, p.min_value, p.max_value) == (
            e.row_count, e.null_count, e.null_share, e.min_value, e.max_value
        ), name  # fmt: skip
        assert 30 <= p.sample_rows <= 90 and p.sample_rows == sampled["tier"].sample_rows, name
    assert sampled["name"].distinct_count == 300 and sampled["email"].distinct_count == 240  # every value once
    assert sampled["customer_id"].distinct_count == 300
    tier = sampled["tier"]
    assert tier.distinct_count == 3 and {v["value"] for v in tier.top_values} == {"gold", "silver", "bronze"}
    assert abs(sum(v["count"] for v in tier.top_values) - 300) <= 2  # counts scaled to the batch
    assert sampled["updated_at"].distinct_count == 1  # one value, seen many times: no scaling up
    with conn.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT sample_rows FROM dv_meta.profile WHERE batch_id = %s AND source = 'crm_customers'",
            (batch_id,),
        )
        assert cur.fetchall() == [(tier.sample_rows,)]
    conn.commit()


@pytest.mark.db
def test_profile_runs_one_insert_per_source(basic: tuple[Any, Project]) -> None:
    conn, project = basic
    land(conn, "shop_orders", [{"region": "EU", "order_no": 1, "line_no": 1, "product_code": "P", "customer_id": "C"}])
    batch_id = batch(conn, project, 1)
    statements: list[str] = []

    class Recording(psycopg2.extensions.cursor):
        def execute(self, query: Any, vars: Any = None) -> Any:
            statements.append(str(query))
            return super().execute(query, vars)

    conn.cursor_factory = Recording
    try:
        profile_batch(conn, project, batch_id)
    finally:
        conn.cursor_factory = psycopg2.extensions.cursor
    inserts = [s for s in statements if "INSERT INTO dv_meta.profile" in s]
    assert len(inserts) == 3  # three sources, however many columns
    # which sources the batch staged; per source a DELETE and the INSERT: no DDL, no query per column
    assert len(statements) == 1 + 2 * 3, statements


@pytest.mark.db
def test_profile_of_an_unknown_batch(basic: tuple[Any, Project]) -> None:
    conn, project = basic
    with pytest.raises(WarehouseError, match="batch 42 does not exist"):
        profile_batch(conn, project, 42)


# --- anomalies --------------------------------------------------------------------------------------------


def orders(n: int, first: int, nulls: int = 1, regions: tuple[str, ...] = ("EU", "US")) -> list[dict[str, Any]]:
    """n order lines in a steady shape: regions alternate, three customers, two products, quantities 1
    and 2, prices that differ from batch to batch, the first ``nulls`` of them missing."""
    return [
        {"region": regions[i % len(regions)], "order_no": first + i, "line_no": 1,
         "product_code": f"P-{i % 2 + 1}", "customer_id": f"C{i % 3 + 1}", "quantity": str(i % 2 + 1),
         "price": None if i < nulls else f"{first + i}.00"}
        for i in range(n)
    ]  # fmt: skip


def history(conn: psycopg2.extensions.connection, project: Project) -> list[int]:
    """Batch 1: 40 rows; batches 2-4: 10 rows each; all with one price in ten missing."""
    batches = []
    for n, (rows, nulls) in enumerate([(40, 4), (10, 1), (10, 1), (10, 1)], start=1):
        land(conn, "shop_orders", orders(rows, 1000 * n, nulls))
        batches.append(batch(conn, project, n))
        profile_batch(conn, project, batches[-1])
    return batches


def found(anomalies: list[Anomaly]) -> set[tuple[str, str | None, str, str]]:
    return {(a.source, a.column, a.metric, a.observed) for a in anomalies}


@pytest.mark.db
def test_a_steady_series_has_no_anomaly(basic: tuple[Any, Project]) -> None:
    conn, project = basic
    batches = history(conn, project)
    # batch 4 against 1-3; and batches 2, 3 have fewer than min_history (3) batches before them
    for b in batches:
        assert [a for a in detect_anomalies(conn, project, b) if a.source == "shop_orders"] == []


@pytest.mark.db
def test_a_batch_that_departs_from_the_recent_ones(basic: tuple[Any, Project]) -> None:
    conn, project = basic
    history(conn, project)
    # 40 rows (the last three batches had 10), half the prices missing (was one in ten), a new region: a part
    # of the sales order's business key, a new key (no anomaly: test_new_values_only_in_categorical_columns)
    land(conn, "shop_orders", orders(40, 5000, nulls=20, regions=("EU", "US", "APAC")))
    b5 = batch(conn, project, 5)
    profile_batch(conn, project, b5)

    anomalies = detect_anomalies(conn, project, b5, window=3)
    assert found(anomalies) == {
        ("shop_orders", None, "row_count", "40"),
        ("shop_orders", "price", "null_share", "0.500000"),
    }
    rows = next(a for a in anomalies if a.metric == "row_count")
    assert (rows.low, rows.high, rows.baseline) == (9.0, 11.0, 3)  # mean 10, σ 0: the band's floor, ±10%, ±1
    assert str(rows) == "batch 5: shop_orders row count 40 outside [9, 11] (the last 3 batches)"
    nulls = next(a for a in anomalies if a.metric == "null_share")
    assert str(nulls) == "batch 5: shop_orders.price null share 0.5 outside [0.09, 0.11] (the last 3 batches)"
    # order_no is a key (every value distinct): its distinct count follows the row count, not reported

    with conn.cursor() as cur:
        cur.execute(
            "SELECT source, column_name, metric, observed, baseline_batches FROM dv_meta.anomaly WHERE batch_id = %s"
            " ORDER BY metric",
            (b5,),
        )
        stored = cur.fetchall()
        cur.execute("SELECT kind, subject, message FROM dv_meta.alert WHERE kind = 'anomaly'")
        alerts = cur.fetchall()
    conn.commit()
    assert {(s, c, m, o) for s, c, m, o, _ in stored} == found(anomalies)
    assert len(alerts) == 1 and alerts[0][1] == f"batch {b5}" and alerts[0][2].startswith("2 anomalies: ")

    # a rerun replaces the batch's warnings
    detect_anomalies(conn, project, b5, window=3, alert=False)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM dv_meta.anomaly WHERE batch_id = %s", (b5,))
        assert cur.fetchone()[0] == 2
    conn.commit()

    # the window reaches batch 1 (40 rows): 40 is no longer outside mean ± 3σ of 40, 10, 10, 10
    assert found(detect_anomalies(conn, project, b5, window=4, alert=False)) == {
        ("shop_orders", "price", "null_share", "0.500000"),
    }
    # a relative band of ±500%: 40 rows and a null share of 0.5 are inside
    assert found(detect_anomalies(conn, project, b5, window=3, relative=5.0, alert=False)) == set()
    # with min_history above the window nothing is judged
    assert detect_anomalies(conn, project, b5, window=3, min_history=4, alert=False) == []


@pytest.mark.db
def test_a_count_on_its_bound_is_inside(basic: tuple[Any, Project]) -> None:
    """16, 17 and 17 rows: mean 16.6666666666666667, σ 0.47, so the band is its floor, ±10%: 15 to 18.33 (its
    lower bound 15.00000000000000003 in PostgreSQL's numeric). 15 rows are on the bound: inside. Then against
    17, 17, 15 (mean 16.33, 3σ 2.83: 13.505 to 19.16, whole rows 14 to 19): 13 rows are out."""
    conn, project = basic
    for n, rows in enumerate([16, 17, 17, 15, 13], start=1):
        land(conn, "shop_orders", orders(rows, 1000 * n, nulls=0))
        b = batch(conn, project, n)
        profile_batch(conn, project, b)
        counts = [a for a in detect_anomalies(conn, project, b, window=3, alert=False) if a.metric == "row_count"]
        if n == 4:
            assert counts == [], [str(a) for a in counts]
    assert [str(a) for a in counts] == ["batch 5: shop_orders row count 13 outside [14, 19] (the last 3 batches)"]
    assert (counts[0].low, counts[0].high) == (14.0, 19.0)  # the bounds as compared: whole rows


def identifiers_of(project: Project, source: str) -> set[str]:
    return {column for s, column in identifier_columns(project.manifest) if s == source}


def test_identifier_columns_come_from_the_manifest() -> None:
    project = Project.open(REPO)
    # business keys, the columns of a hash key (a link's reference to another hub), *_id, measures
    assert identifiers_of(project, "board_a_postings") == {
        "board", "posting_id", "reference", "salary_min", "salary_max", "posted_on", "extracted_on"
    }  # fmt: skip
    # event keys and a user's id; the event's time; landing_line is a plain integer, a line number
    assert {"event_id", "user_id", "occurred_at"} <= identifiers_of(project, "events_profile_updates")
    assert "updated_fields" not in identifiers_of(project, "events_profile_updates")
    assert {"invoice_id", "invoice_number", "employer_id", "placement_id"} <= identifiers_of(
        project, "platform_invoices"
    )
    assert {"currency", "status", "invoice_type"}.isdisjoint(identifiers_of(project, "platform_invoices"))


def customers(batch_no: int, tier: str = "gold", extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """8 CRM rows: customers C0-C3 (a business key) referred by each other, names from a pool of 3 (free
    text: words with a space), an e-mail from a pool of 14 that rotates (each batch 8 of them: recurring, but
    fewer than two rows per value over the window: high cardinality), tiers gold and silver, change sequences
    0-7."""
    rows = [
        {"customer_id": f"C{i % 4}", "referred_by": f"C{(i + 1) % 4}", "name": ("Ann Lee", "Bo Li", "Cy Ng")[i % 3],
         "email": f"c{(batch_no * 8 + i) % 14}@example.com", "tier": ("gold", "silver")[i % 2],
         "updated_at": (BASE + dt.timedelta(days=batch_no, minutes=i)).isoformat(), "change_seq": i}
        for i in range(8)
    ]  # fmt: skip
    rows[0] = {**rows[0], "tier": tier, **(extra or {})}
    return rows


@pytest.mark.db
def test_new_values_only_in_categorical_columns(basic: tuple[Any, Project]) -> None:
    """A new value is reported in a categorical column (tier), never in an identifier (customer_id: the
    business key; referred_by: a link's key; change_seq: the sequence), nor in free text (a name), nor in a
    column whose values are mostly new (an e-mail)."""
    conn, project = basic
    assert identifiers_of(project, "crm_customers") == {"customer_id", "referred_by", "change_seq", "updated_at"}
    for n in range(1, 5):
        land(conn, "crm_customers", customers(n))
        b = batch(conn, project, n)
        profile_batch(conn, project, b)
        assert [
            a for a in detect_anomalies(conn, project, b, window=3, alert=False) if a.source == "crm_customers"
        ] == []
    new = {"customer_id": "C9", "referred_by": "C8", "name": "Zed Zee", "email": "new@example.com", "change_seq": 99}
    land(conn, "crm_customers", customers(5, tier="platinum", extra=new))
    b5 = batch(conn, project, 5)
    profile_batch(conn, project, b5)
    anomalies = [a for a in detect_anomalies(conn, project, b5, window=3, alert=False) if a.source == "crm_customers"]
    assert [(a.column, a.metric, a.observed) for a in anomalies if a.metric == "new_value"] == [
        ("tier", "new_value", "platinum")
    ]


@pytest.mark.db
def test_anomaly_settings_are_checked(basic: tuple[Any, Project]) -> None:
    conn, project = basic
    for kwargs in ({"window": 0}, {"width": 0}, {"relative": -1.0}, {"min_history": 0}):
        with pytest.raises(WarehouseError, match="anomaly settings out of range"):
            detect_anomalies(conn, project, 1, **kwargs)  # type: ignore[arg-type]


# --- the platform: every type of the real model ------------------------------------------------------------


@pytest.fixture(scope="module")
def platform(server_dsn: str) -> Iterator[str]:
    from tests.test_rules import build_platform_warehouse, drop_databases

    name = f"dv_profile_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    params = psycopg2.extensions.parse_dsn(server_dsn)
    dsn = psycopg2.extensions.make_dsn(**{**params, "dbname": name})
    try:
        build_platform_warehouse(dsn, defect_rate=0.05, days=2, scale=0.002)
        yield dsn
    finally:
        drop_databases(server_dsn, name, f"{name}_source")


@pytest.mark.db
def test_platform_profiles_match_per_column_queries(platform: str) -> None:
    """Every staged column of every source and batch, against one plain query per column."""
    project = Project.open(REPO)
    conn = connect(platform)
    try:
        nodes = {node.name: node for node in staged_sources(project)}
        for batch_id in (1, 2):
            profiles = profile_batch(conn, project, batch_id)
            with conn.cursor() as cur:
                cur.execute("SELECT source FROM dv_meta.batch_source WHERE batch_id = %s", (batch_id,))
                staged = {r[0] for r in cur.fetchall()}
                assert {p.source for p in profiles} == staged and len(staged) == len(nodes)
                for p in profiles:
                    node = nodes[p.source]
                    column = f'"{p.column}"'
                    family_text = p.data_type in ("jsonb", "uuid")
                    low = f"min({column}::text)" if family_text else f"min({column})::text"
                    high = f"max({column}::text)" if family_text else f"max({column})::text"
                    if p.data_type == "boolean":
                        low, high = f"bool_and({column})::text", f"bool_or({column})::text"
                    cur.execute(
                        f"SELECT count(*), count(*) - count({column}), count(DISTINCT {column}::text),"
                        f" left({low}, 200), left({high}, 200)"
                        f" FROM {node.qualified} WHERE batch_id = %s",
                        (batch_id,),
                    )
                    assert (p.row_count, p.null_count, p.distinct_count, p.min_value, p.max_value) == cur.fetchone(), (
                        batch_id,
                        p.source,
                        p.column,
                    )
            conn.commit()
        assert {p.data_type for p in profiles} >= {"bigint", "text", "boolean", "jsonb", "timestamptz", "date"}
        anomalies = detect_anomalies(conn, project, 2, min_history=1, alert=False)
        assert all(a.batch_id == 2 and a.message.startswith("batch 2: ") for a in anomalies)
    finally:
        conn.close()


@pytest.mark.db
def test_dv_profile_command(basic: tuple[Any, Project], test_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    from pipelines.cli import main

    conn, project = basic
    history(conn, project)
    land(conn, "shop_orders", orders(40, 5000, nulls=20, regions=("EU", "US", "APAC")))
    b5 = batch(conn, project, 5)
    args = ["--project", str(project.root), "profile", "--dsn", test_dsn, "--window", "3"]
    assert main(args) == 0  # the latest batch; anomalies are warnings
    printed = capsys.readouterr().out
    assert f"batch {b5}: 16 columns of 3 sources profiled" in printed
    assert "anomalies (dv_meta.anomaly): 2" in printed and "row_count" in printed and "null_share" in printed
    assert "APAC" not in printed  # a new part of a business key is a new key, no anomaly
    assert main([*args, "--batch", "1"]) == 0
    assert "no anomaly against the batches before" in capsys.readouterr().out
    assert main([*args, "--batch", "99"]) == 1
    assert "batch 99 does not exist" in capsys.readouterr().err
