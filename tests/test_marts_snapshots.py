"""Periodic snapshots from the PIT tables equal the platform's history: fact_application_status_daily, day by
day, against the latest status each application had before that day's midnight (platform.application_status_history)."""

from __future__ import annotations

from typing import Any

import psycopg2
import pytest

pytestmark = pytest.mark.db


def _rows(dsn: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SET TimeZone = 'Pacific/Kiritimati'")  # nothing may depend on the session's zone
            cur.execute(sql, params)
            return list(cur.fetchall())
    finally:
        conn.close()


def test_application_status_daily_equals_the_platform_history(demo_marts: Any) -> None:
    fact = _rows(
        demo_marts.dsn,
        "SELECT snapshot_date, status, applications FROM marts.fact_application_status_daily"
        " WHERE status <> '(unknown)' ORDER BY 1, 2",
    )
    days = sorted({d for d, _, _ in fact})
    assert len(days) == 3, "one snapshot per batch day of the demo"
    expected = _rows(
        demo_marts.source_dsn,
        """
        SELECT d.day, h.status, count(*)
          FROM unnest(%s::date[]) AS d(day)
          JOIN LATERAL (
                SELECT DISTINCT ON (application_id) application_id, status
                  FROM platform.application_status_history
                 WHERE changed_at < (d.day::timestamp AT TIME ZONE 'UTC')
                 ORDER BY application_id, changed_at DESC, seq DESC
               ) AS h ON true
         GROUP BY d.day, h.status
         ORDER BY 1, 2
        """,
        (days,),
    )
    assert fact == expected
    # the days differ: statuses moved between the snapshots
    by_day = {d: {s: n for dd, s, n in fact if dd == d} for d in days}
    assert by_day[days[0]] != by_day[days[-1]]
