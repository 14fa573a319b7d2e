"""Finance marts (model/marts/finance.yml) against the platform itself.

Every row of fact_placement, fact_contractor_hours and fact_invoice, and every figure of kpi_placements,
kpi_contractor_hours and kpi_invoice_amounts, is computed a second time with plain SQL on the platform's own
database (schema ``platform``, never the raw vault) and compared exactly. Hash keys on the expected side come
from the Python reference of the hash spec (``generator.hashing``), not from the warehouse.

The demo warehouse (``demo_marts``: three simulated days, the marts built after each batch) holds the platform as
it stands at the end of the last day, so "now" figures (current status) equal the platform's current rows.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from generator.generate import generate
from generator.hashing import hash_key
from pipelines.marts import build_marts
from pipelines.project import Project
from pipelines.warehouse import apply
from tests.conftest import REPO

pytestmark = pytest.mark.db

ZERO = uuid.UUID(int=0)


def key(value: Any, family: str = "integer") -> uuid.UUID:
    """The hub hash key of a one-part business key, by the Python reference of the hash spec."""
    return uuid.UUID(bytes=hash_key([(value, family, False)]))


def rows(dsn: str, sql: str) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            # A session time zone far from UTC: every figure must still be bucketed by UTC dates.
            cur.execute("SET TIME ZONE 'Pacific/Kiritimati'")
            cur.execute(sql)
            return [tuple(_plain(v) for v in r) for r in cur.fetchall()]
    finally:
        conn.close()


def _plain(value: Any) -> Any:
    return uuid.UUID(value) if isinstance(value, str) and len(value) == 36 and value.count("-") == 4 else value


def by_key(found: list[tuple[Any, ...]], width: int = 1) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Rows keyed by their first ``width`` columns; the key must be unique."""
    out = {r[:width]: r for r in found}
    assert len(out) == len(found), "duplicate keys"
    return out


def assert_same(actual: list[tuple[Any, ...]], expected: list[tuple[Any, ...]], width: int = 1) -> None:
    got, want = by_key(actual, width), by_key(expected, width)
    assert got.keys() == want.keys(), (
        f"missing {sorted(want.keys() - got.keys())[:5]}, unexpected {sorted(got.keys() - want.keys())[:5]}"
    )
    wrong = [(k, got[k], want[k]) for k in sorted(want) if got[k] != want[k]]
    assert not wrong, f"{len(wrong)} rows differ, e.g. {wrong[:3]}"


@pytest.fixture(scope="module")
def dsns(demo_marts: Any) -> Iterator[tuple[str, str]]:
    yield demo_marts.dsn, demo_marts.source_dsn


# ---------------------------------------------------------------- placements


def test_fact_placement_equals_platform_placements(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    actual = rows(
        dsn,
        """SELECT placement_id, placement_key, application_key, candidate_key, job_key, employer_key, placement_type,
                  start_date, end_date, hourly_rate, annual_salary, fee_pct, currency, status, created_at
             FROM marts.fact_placement""",
    )
    expected = [
        (pid, key(pid), key(app), key(cand), key(job), key(emp), *rest)
        for pid, app, cand, job, emp, *rest in rows(
            source,
            """SELECT placement_id, application_id, candidate_id, job_id, employer_id, placement_type, start_date,
                      end_date, hourly_rate, annual_salary, fee_pct, currency, status, created_at
                 FROM platform.placements""",
        )
    ]
    assert expected, "the demo platform has placements"
    assert_same(actual, expected)


def test_kpi_placements_equals_platform(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    actual = rows(
        dsn,
        """SELECT month, placement_type, placements_made, planned_now, active_now, ended_now, terminated_now
             FROM marts.kpi_placements""",
    )
    expected = rows(
        source,
        """SELECT date_trunc('month', created_at AT TIME ZONE 'UTC')::date, placement_type, count(*),
                  count(*) FILTER (WHERE status = 'planned'), count(*) FILTER (WHERE status = 'active'),
                  count(*) FILTER (WHERE status = 'ended'), count(*) FILTER (WHERE status = 'terminated')
             FROM platform.placements
            GROUP BY 1, 2""",
    )
    assert_same(actual, expected, width=2)
    # "active placements now", per type: the sum over the months
    active = rows(dsn, "SELECT placement_type, sum(active_now) FROM marts.kpi_placements GROUP BY 1")
    platform_active = rows(
        source,
        "SELECT placement_type, count(*) FILTER (WHERE status = 'active') FROM platform.placements GROUP BY 1",
    )
    assert_same(active, platform_active)
    assert sum(n for _, n in platform_active) > 0


# ---------------------------------------------------------------- contractor hours


def test_fact_contractor_hours_equals_platform_timesheets(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    actual = rows(
        dsn,
        """SELECT timesheet_id, timesheet_key, placement_key, placement_id, candidate_key, employer_key, invoice_key,
                  week_start, hours, submitted_at, status, approved_at, hourly_rate, currency, billable_amount
             FROM marts.fact_contractor_hours""",
    )
    found = rows(
        source,
        """SELECT t.timesheet_id, t.placement_id, p.candidate_id, p.employer_id, i.invoice_number, t.week_start,
                  t.hours, t.submitted_at, t.status, t.approved_at, p.hourly_rate, p.currency,
                  CASE WHEN t.status = 'approved' THEN round(t.hours * p.hourly_rate, 2) ELSE 0 END
             FROM platform.timesheets AS t
             LEFT JOIN platform.placements AS p ON p.placement_id = t.placement_id
             LEFT JOIN platform.invoices AS i ON i.invoice_id = t.invoice_id""",
    )
    expected = [
        (tid, key(tid), key(pid), pid, key(cand), key(emp), key(inv, "text") if inv else ZERO, *rest)
        for tid, pid, cand, emp, inv, *rest in found
    ]
    assert any(r[6] != ZERO for r in expected) and any(r[6] == ZERO for r in expected)
    assert_same(actual, expected)


def test_kpi_contractor_hours_equals_platform(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    actual = rows(
        dsn,
        """SELECT period, period_start, timesheets, timesheets_approved, placements, hours_submitted, hours_approved,
                  hours_rejected, hours_pending
             FROM marts.kpi_contractor_hours""",
    )
    figures = """count(*), count(*) FILTER (WHERE status = 'approved'), count(DISTINCT placement_id),
                 COALESCE(sum(hours), 0), COALESCE(sum(hours) FILTER (WHERE status = 'approved'), 0),
                 COALESCE(sum(hours) FILTER (WHERE status = 'rejected'), 0),
                 COALESCE(sum(hours) FILTER (WHERE status = 'submitted'), 0)"""
    expected = rows(
        source,
        f"""SELECT 'week', week_start, {figures} FROM platform.timesheets GROUP BY week_start
            UNION ALL
            SELECT 'month', make_date(extract(year FROM week_start)::int, extract(month FROM week_start)::int, 1),
                   {figures}
              FROM platform.timesheets GROUP BY 2""",
    )
    assert {r[0] for r in expected} == {"week", "month"}
    assert_same(actual, expected, width=2)
    # every hour is in exactly one week and one month
    total = rows(source, "SELECT sum(hours) FROM platform.timesheets")[0][0]
    for period in ("week", "month"):
        assert sum((r[5] for r in actual if r[0] == period), Decimal(0)) == total


# ---------------------------------------------------------------- invoices


def test_fact_invoice_equals_platform_invoices(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    actual = rows(
        dsn,
        """SELECT invoice_number, invoice_key, invoice_id, employer_key, placement_key, invoice_type, amount, currency,
                  issued_on, due_on, status, paid_at, days_to_pay, is_overdue
             FROM marts.fact_invoice""",
    )
    expected = [
        (number, key(number, "text"), iid, key(emp), key(pid), *rest)
        for number, iid, emp, pid, *rest in rows(
            source,
            """SELECT invoice_number, invoice_id, employer_id, placement_id, invoice_type, amount, currency, issued_on,
                      due_on, status, paid_at, (paid_at AT TIME ZONE 'UTC')::date - issued_on, status = 'overdue'
                 FROM platform.invoices""",
        )
    ]
    assert {r[10] for r in expected} >= {"open", "paid", "overdue"}
    assert_same(actual, expected)


def test_kpi_invoice_amounts_equals_platform(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    actual = rows(
        dsn,
        """SELECT month, currency, status, invoices, amount, amount_timesheets, amount_placement_fee, avg_days_to_pay
             FROM marts.kpi_invoice_amounts""",
    )
    expected = rows(
        source,
        """SELECT make_date(extract(year FROM issued_on)::int, extract(month FROM issued_on)::int, 1), currency,
                  status, count(*), sum(amount),
                  COALESCE(sum(amount) FILTER (WHERE invoice_type = 'timesheets'), 0),
                  COALESCE(sum(amount) FILTER (WHERE invoice_type = 'placement_fee'), 0),
                  round(avg(CASE WHEN paid_at IS NOT NULL
                                 THEN (paid_at AT TIME ZONE 'UTC')::date - issued_on END), 2)
             FROM platform.invoices
            GROUP BY 1, 2, 3""",
    )
    assert_same(actual, expected, width=3)
    # the paid, open, overdue and written-off totals per currency
    totals = rows(dsn, "SELECT currency, status, sum(amount) FROM marts.kpi_invoice_amounts GROUP BY 1, 2")
    platform_totals = rows(source, "SELECT currency, status, sum(amount) FROM platform.invoices GROUP BY 1, 2")
    assert_same(totals, platform_totals, width=2)


# ---------------------------------------------------------------- a timesheet invoiced in a later batch


def finance_project(tmp_path: Path) -> Project:
    """The repository's model with only the finance marts (the other marts files left out: this test is about
    these), generated and opened."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "model", root / "model", ignore=lambda d, names: [
        n for n in names if Path(d).name == "marts" and n.endswith(".yml") and n != "finance.yml"
    ])  # fmt: skip
    generate(root)
    return Project.open(root)


def test_invoice_link_of_a_later_batch_wins_over_the_ghost(warehouse: Any, tmp_path: Path) -> None:
    """The demo's three days hold no invoicing day (the 1st of the month): here a timesheet is loaded not invoiced
    (the ghost invoice) in batch 1 and invoiced in batch 2, approved in between; the fact shows the invoice, the
    approval and the billable amount; a timesheet not approved bills 0; the ghost rows stay out."""
    project = finance_project(tmp_path)
    apply(warehouse, project)
    b1, b2 = dt.datetime(2026, 3, 1, 6, tzinfo=dt.UTC), dt.datetime(2026, 3, 2, 6, tzinfo=dt.UTC)
    p, t1, t2, inv = key(7), key(70), key(71), key("INV-2026-0000001", "text")
    src = "jtld.platform.test"
    with warehouse.cursor() as cur:
        cur.execute(
            "INSERT INTO dv_meta.batch (load_dts, status) VALUES (%s, 'succeeded'), (%s, 'succeeded')"
            " RETURNING batch_id",
            (b1, b2),
        )
        n1, n2 = (r[0] for r in cur.fetchall())
        cur.execute("INSERT INTO raw_vault.hub_placement VALUES (%s, 7, %s, %s, %s)", (str(p), b1, src, n1))
        cur.execute(
            "INSERT INTO raw_vault.sat_placement_terms (hk_placement, load_dts, load_seq, applied_dts, hashdiff,"
            " record_source, batch_id, placement_type, start_date, hourly_rate, fee_pct, currency, created_at)"
            " VALUES (%s, %s, 1, %s, %s, %s, %s, 'contract', '2026-01-05', 80.50, 15, 'EUR', '2025-12-20 10:00+00')",
            (str(p), b1, b1, str(key(1)), src, n1),
        )
        for t, tid in ((t1, 70), (t2, 71)):
            cur.execute("INSERT INTO raw_vault.hub_timesheet VALUES (%s, %s, %s, %s, %s)", (str(t), tid, b1, src, n1))
            cur.execute(
                "INSERT INTO raw_vault.nhl_timesheet_hours"
                " VALUES (%s, %s, %s, '2026-02-23', %s, %s, %s, %s, 38.25, %s)",
                (str(key(tid + 1000)), str(t), str(p), b1, b1, src, n1, b1),
            )
            cur.execute(
                "INSERT INTO raw_vault.link_timesheet_invoice VALUES (%s, %s, %s, %s, %s, %s)",
                (str(key(tid + 2000)), str(t), str(ZERO), b1, src, n1),
            )
        status = "INSERT INTO raw_vault.sat_timesheet_status VALUES (%s, %s, 1, %s, %s, %s, %s, %s, %s)"
        cur.execute(status, (str(t1), b1, b1, str(key(2)), src, n1, "submitted", None))
        cur.execute(status, (str(t2), b1, b1, str(key(2)), src, n1, "submitted", None))
        cur.execute(status, (str(t1), b2, b2, str(key(3)), src, n2, "approved", b2))
        cur.execute(
            "INSERT INTO raw_vault.hub_invoice VALUES (%s, 'INV-2026-0000001', %s, %s, %s)", (str(inv), b2, src, n2)
        )
        cur.execute(
            "INSERT INTO raw_vault.link_timesheet_invoice VALUES (%s, %s, %s, %s, %s, %s)",
            (str(key(3070)), str(t1), str(inv), b2, src, n2),
        )
    warehouse.commit()
    build_marts(warehouse, project, force=True)
    with warehouse.cursor() as cur:
        cur.execute(
            "SELECT timesheet_id, placement_id, invoice_key, status, approved_at, hourly_rate, billable_amount"
            " FROM marts.fact_contractor_hours ORDER BY timesheet_id"
        )
        found = [tuple(_plain(v) for v in r) for r in cur.fetchall()]
        cur.execute("SELECT period, hours_approved, hours_pending FROM marts.kpi_contractor_hours ORDER BY 1")
        kpi = cur.fetchall()
    assert found == [
        (70, 7, inv, "approved", b2, Decimal("80.50"), Decimal("3079.13")),  # 38.25 x 80.50 = 3079.125
        (71, 7, ZERO, "submitted", None, Decimal("80.50"), Decimal("0")),
    ]
    assert kpi == [("month", Decimal("38.25"), Decimal("38.25")), ("week", Decimal("38.25"), Decimal("38.25"))]
