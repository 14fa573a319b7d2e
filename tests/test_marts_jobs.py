"""Jobs, applications and employers marts (model/marts/jobs.yml, business_jobs.yml) against the platform.

Every figure is computed a second time, independently, with plain SQL on the platform's source
database (schema ``platform``; the expected side never reads the warehouse), and compared exactly
(averages and rates are rounded to 2 decimals on both sides). The warehouse is the demo run of the
``demo_marts`` session fixture (3 simulated days, marts built after each batch); its last batch
extracted everything up to the end of the last day, so "now" is the platform as it stands.

The definitions are those of the YAML descriptions and of docs/marts.md (section "Jobs,
applications and employers").
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import psycopg2
import pytest

pytestmark = pytest.mark.db

ZERO_KEY = "00000000-0000-0000-0000-000000000000"


def _rows(dsn: str, sql: str) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'Asia/Kolkata'")  # a non-UTC session: dates must not depend on it
            cur.execute(sql)
            return [tuple(r) for r in cur.fetchall()]
    finally:
        conn.close()


def _assert_same(actual: list[tuple[Any, ...]], expected: list[tuple[Any, ...]], what: str) -> None:
    assert expected, f"{what}: the platform side is empty, the test would prove nothing"
    missing = Counter(expected) - Counter(actual)
    extra = Counter(actual) - Counter(expected)
    assert not missing and not extra, (
        f"{what}: {sum(missing.values())} expected rows missing, {sum(extra.values())} unexpected rows; "
        f"first missing {sorted(missing, key=repr)[:3]}, first unexpected {sorted(extra, key=repr)[:3]}"
    )


# --- the platform side: one application per row, from the status history -----------------------------

PLATFORM_APPLICATIONS = """
WITH h AS (
    SELECT application_id, seq, status, changed_at,
           LEAD(status) OVER w AS next_status, LEAD(changed_at) OVER w AS next_at
      FROM platform.application_status_history
    WINDOW w AS (PARTITION BY application_id ORDER BY seq)
), first_status AS (
    SELECT application_id,
           MIN(changed_at) FILTER (WHERE status = 'applied')   AS applied_at,
           MIN(changed_at) FILTER (WHERE status = 'screening') AS screening_at,
           MIN(changed_at) FILTER (WHERE status = 'interview') AS interview_at,
           MIN(changed_at) FILTER (WHERE status = 'offer')     AS offer_at,
           MIN(changed_at) FILTER (WHERE status = 'hired')     AS hired_at,
           MIN(changed_at) FILTER (WHERE status = 'rejected')  AS rejected_at,
           MIN(changed_at) FILTER (WHERE status = 'withdrawn') AS withdrawn_at
      FROM h GROUP BY application_id
), response AS (
    SELECT DISTINCT ON (application_id) application_id, next_status, next_at
      FROM h WHERE status = 'applied' ORDER BY application_id, seq
)
SELECT a.application_id, a.candidate_id, a.job_id, j.employer_id, a.referrer_candidate_id, a.channel,
       a.applied_at, s.screening_at, s.interview_at, s.offer_at, s.hired_at, s.rejected_at, s.withdrawn_at,
       a.status, s.hired_at IS NOT NULL,
       r.next_status IS NOT NULL AND r.next_status <> 'withdrawn',
       CASE WHEN r.next_status <> 'withdrawn' THEN r.next_at END,
       CASE WHEN r.next_status <> 'withdrawn' THEN EXTRACT(EPOCH FROM r.next_at - s.applied_at) / 3600 END
  FROM platform.applications a
  JOIN first_status s USING (application_id)
  LEFT JOIN response r USING (application_id)
  LEFT JOIN platform.jobs j ON j.job_id = a.job_id
"""

FACT_APPLICATIONS = """
SELECT application_id, candidate_id, job_id, employer_id, referrer_candidate_id, channel,
       applied_at, screening_at, interview_at, offer_at, hired_at, rejected_at, withdrawn_at,
       current_status, is_hired, is_responded, first_response_at, response_hours
  FROM marts.fact_application
"""


def test_fact_application_one_row_per_platform_application(demo_marts: Any) -> None:
    """Exactly one row per platform application, each with the platform's keys, funnel and response.

    The documented defects (sim.defects: applications to an unknown job or from an unknown candidate)
    are orphans, not quarantined: they keep a row, with the orphan's key and the ghost employer.
    """
    counts = _rows(demo_marts.dsn, "SELECT application_id, COUNT(*) FROM marts.fact_application GROUP BY 1")
    assert [r for r in counts if r[1] != 1] == []
    platform_ids = {r[0] for r in _rows(demo_marts.source_dsn, "SELECT application_id FROM platform.applications")}
    defects = {
        int(r[0]): r[1]
        for r in _rows(
            demo_marts.source_dsn,
            "SELECT key, kind FROM sim.defects WHERE feed = 'platform' AND location = 'applications'",
        )
    }
    fact_ids = {r[0] for r in counts}
    assert fact_ids - platform_ids == set()
    assert (platform_ids - fact_ids) - set(defects) == set(), "a sound application has no row"
    assert fact_ids == platform_ids, "the orphan applications (defects) are kept, not dropped"

    _assert_same(_rows(demo_marts.dsn, FACT_APPLICATIONS), _rows(demo_marts.source_dsn, PLATFORM_APPLICATIONS), "fact")

    unknown_job = sorted(k for k, kind in defects.items() if kind == "unknown_job")
    assert unknown_job, "the demo has applications to unknown jobs"
    ghost = _rows(
        demo_marts.dsn,
        "SELECT application_id FROM marts.fact_application "
        f"WHERE employer_key = '{ZERO_KEY}' AND job_key <> '{ZERO_KEY}' ORDER BY 1",
    )
    assert [r[0] for r in ghost] == unknown_job


# --- jobs ---------------------------------------------------------------------------------------------------

PLATFORM_JOBS = """
SELECT j.job_id, j.employer_id, j.status, j.created_at, j.posted_at, (j.posted_at AT TIME ZONE 'UTC')::date,
       j.expires_at, j.filled_at,
       CASE WHEN j.status = 'filled' THEN EXTRACT(EPOCH FROM j.filled_at - j.posted_at) / 86400 END,
       (SELECT COUNT(*) FROM platform.applications a WHERE a.job_id = j.job_id),
       (SELECT COUNT(*) FROM platform.applications a WHERE a.job_id = j.job_id
           AND EXISTS (SELECT 1 FROM platform.application_status_history h
                        WHERE h.application_id = a.application_id AND h.status = 'hired'))
  FROM platform.jobs j
"""

PLATFORM_JOBS_DAILY = """
WITH posted AS (SELECT (posted_at AT TIME ZONE 'UTC')::date AS d, COUNT(*) AS n FROM platform.jobs
                 WHERE posted_at IS NOT NULL GROUP BY 1),
     filled AS (SELECT (filled_at AT TIME ZONE 'UTC')::date AS d, COUNT(*) AS n FROM platform.jobs
                 WHERE status = 'filled' GROUP BY 1),
     applied AS (SELECT (applied_at AT TIME ZONE 'UTC')::date AS d, COUNT(*) AS n FROM platform.applications
                  GROUP BY 1),
     days AS (SELECT generate_series(MIN(d)::timestamp, MAX(d)::timestamp, INTERVAL '1 day')::date AS d
                FROM (SELECT d FROM posted UNION SELECT d FROM filled UNION SELECT d FROM applied) x)
SELECT days.d, COALESCE(p.n, 0), COALESCE(f.n, 0), COALESCE(a.n, 0),
       SUM(COALESCE(p.n, 0)) OVER (ORDER BY days.d)
  FROM days LEFT JOIN posted p USING (d) LEFT JOIN filled f USING (d) LEFT JOIN applied a USING (d)
"""

PLATFORM_JOBS_SUMMARY = """
WITH j AS (
    SELECT j.*, EXTRACT(EPOCH FROM j.filled_at - j.posted_at) / 86400 AS ttf,
           (SELECT COUNT(*) FROM platform.applications a WHERE a.job_id = j.job_id) AS apps
      FROM platform.jobs j
)
SELECT COUNT(*),
       COUNT(*) FILTER (WHERE status = 'draft'),
       COUNT(*) FILTER (WHERE posted_at IS NOT NULL),
       COUNT(*) FILTER (WHERE status = 'open'),
       COUNT(*) FILTER (WHERE status = 'filled'),
       COUNT(*) FILTER (WHERE status = 'expired'),
       COUNT(*) FILTER (WHERE status = 'closed'),
       ROUND(AVG(ttf) FILTER (WHERE status = 'filled'), 2),
       ROUND((PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY ttf::float8)
              FILTER (WHERE status = 'filled'))::numeric, 2),
       ROUND(100.0 * COUNT(*) FILTER (WHERE status = 'expired')
             / NULLIF(COUNT(*) FILTER (WHERE status IN ('filled', 'expired', 'closed')), 0), 2),
       ROUND(100.0 * COUNT(*) FILTER (WHERE status = 'filled')
             / NULLIF(COUNT(*) FILTER (WHERE status IN ('filled', 'expired', 'closed')), 0), 2),
       ROUND(AVG(apps) FILTER (WHERE posted_at IS NOT NULL), 2)
  FROM j
"""


def test_jobs_kpis_equal_the_platform(demo_marts: Any) -> None:
    fact = _rows(
        demo_marts.dsn,
        "SELECT job_id, employer_id, status, created_at, posted_at, posted_date, expires_at, filled_at,"
        " time_to_fill_days, applications_count, hires_count FROM marts.fact_job_posting",
    )
    _assert_same(fact, _rows(demo_marts.source_dsn, PLATFORM_JOBS), "fact_job_posting")

    daily = _rows(
        demo_marts.dsn,
        "SELECT activity_date, jobs_posted, jobs_filled, applications, jobs_posted_to_date FROM marts.kpi_jobs_daily",
    )
    _assert_same(daily, _rows(demo_marts.source_dsn, PLATFORM_JOBS_DAILY), "kpi_jobs_daily")
    assert sum(r[1] for r in daily) > 0 and sum(r[2] for r in daily) > 0

    summary = _rows(demo_marts.dsn, "SELECT * FROM marts.kpi_jobs_summary")
    expected = _rows(demo_marts.source_dsn, PLATFORM_JOBS_SUMMARY)
    assert summary == expected
    assert all(v is not None for v in summary[0][7:]), "every figure is defined on the demo data"


# --- the application funnel -------------------------------------------------------------------------------

PLATFORM_FUNNEL = """
WITH r AS (
    SELECT a.application_id,
           bool_or(h.status = 'applied') AS s1, bool_or(h.status = 'screening') AS s2,
           bool_or(h.status = 'interview') AS s3, bool_or(h.status = 'offer') AS s4,
           bool_or(h.status = 'hired') AS s5
      FROM platform.applications a
      JOIN platform.application_status_history h USING (application_id)
     GROUP BY a.application_id
), steps AS (
    SELECT 1 AS step, 'applied' AS from_stage, 'screening' AS to_stage,
           COUNT(*) FILTER (WHERE s1) AS at_from, COUNT(*) FILTER (WHERE s1 AND s2) AS conv FROM r
    UNION ALL SELECT 2, 'screening', 'interview', COUNT(*) FILTER (WHERE s2), COUNT(*) FILTER (WHERE s2 AND s3) FROM r
    UNION ALL SELECT 3, 'interview', 'offer', COUNT(*) FILTER (WHERE s3), COUNT(*) FILTER (WHERE s3 AND s4) FROM r
    UNION ALL SELECT 4, 'offer', 'hired', COUNT(*) FILTER (WHERE s4), COUNT(*) FILTER (WHERE s4 AND s5) FROM r
)
SELECT step, from_stage, to_stage, at_from, conv, ROUND(100.0 * conv / NULLIF(at_from, 0), 2) FROM steps
"""


def test_funnel_kpis_equal_the_platform(demo_marts: Any) -> None:
    funnel = _rows(
        demo_marts.dsn,
        "SELECT step_order, from_stage, to_stage, applications_at_from, applications_converted, conversion_pct"
        " FROM marts.kpi_application_funnel",
    )
    _assert_same(funnel, _rows(demo_marts.source_dsn, PLATFORM_FUNNEL), "kpi_application_funnel")
    assert len(funnel) == 4 and all(r[4] > 0 for r in funnel), "every step converts someone on the demo data"


# --- employers ------------------------------------------------------------------------------------------------

PLATFORM_RESPONSES = """
WITH h AS (
    SELECT application_id, seq, status, changed_at,
           LEAD(status) OVER w AS next_status, LEAD(changed_at) OVER w AS next_at
      FROM platform.application_status_history
    WINDOW w AS (PARTITION BY application_id ORDER BY seq)
), first_applied AS (
    SELECT DISTINCT ON (application_id) application_id, changed_at, next_status, next_at
      FROM h WHERE status = 'applied' ORDER BY application_id, seq
)
SELECT a.application_id, j.employer_id,
       CASE WHEN f.next_status <> 'withdrawn' THEN EXTRACT(EPOCH FROM f.next_at - f.changed_at) / 3600 END AS hours
  FROM platform.applications a
  JOIN platform.jobs j ON j.job_id = a.job_id
  JOIN platform.employers e ON e.employer_id = j.employer_id
  JOIN first_applied f USING (application_id)
"""

PLATFORM_EMPLOYER_ACTIVITY = """
WITH jobs AS (
    SELECT employer_id, COUNT(*) AS posted, COUNT(*) FILTER (WHERE status = 'filled') AS filled,
           COUNT(DISTINCT date_trunc('month', posted_at AT TIME ZONE 'UTC')) AS months,
           MIN(posted_at) AS first_at, MAX(posted_at) AS last_at
      FROM platform.jobs WHERE posted_at IS NOT NULL GROUP BY employer_id
)
SELECT e.employer_id, e.name, COALESCE(j.posted, 0), COALESCE(j.filled, 0),
       ROUND(100.0 * j.filled / NULLIF(j.posted, 0), 2), COALESCE(j.months, 0), COALESCE(j.months, 0) >= 2,
       j.first_at, j.last_at
  FROM platform.employers e LEFT JOIN jobs j USING (employer_id)
"""

PLATFORM_EMPLOYER_RESPONSE = f"""
WITH r AS ({PLATFORM_RESPONSES})
SELECT e.employer_id, COUNT(r.application_id), COUNT(r.hours), ROUND(AVG(r.hours), 2),
       ROUND((PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY r.hours::float8))::numeric, 2)
  FROM platform.employers e LEFT JOIN r USING (employer_id)
 GROUP BY e.employer_id
"""

PLATFORM_EMPLOYER_SUMMARY = f"""
WITH act AS (
    SELECT COUNT(*) AS employers, COUNT(*) FILTER (WHERE posted > 0) AS posting, SUM(posted) AS posted,
           SUM(filled) AS filled, ROUND(AVG(posted), 2) AS avg_posted, COUNT(*) FILTER (WHERE repeat) AS repeat
      FROM (SELECT employer_id, COALESCE(j.posted, 0) AS posted, COALESCE(j.filled, 0) AS filled,
                   COALESCE(j.months, 0) >= 2 AS repeat
              FROM platform.employers e
              LEFT JOIN (SELECT employer_id, COUNT(*) AS posted, COUNT(*) FILTER (WHERE status = 'filled') AS filled,
                                COUNT(DISTINCT date_trunc('month', posted_at AT TIME ZONE 'UTC')) AS months
                           FROM platform.jobs WHERE posted_at IS NOT NULL GROUP BY employer_id) j USING (employer_id)
           ) x
), resp AS (
    SELECT COUNT(hours) AS n, ROUND(AVG(hours), 2) AS avg_h,
           ROUND((PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY hours::float8))::numeric, 2) AS med_h
      FROM ({PLATFORM_RESPONSES}) r WHERE hours IS NOT NULL
)
SELECT act.employers, act.posting, act.posted, act.avg_posted, ROUND(100.0 * act.filled / NULLIF(act.posted, 0), 2),
       act.repeat, ROUND(100.0 * act.repeat / NULLIF(act.posting, 0), 2), resp.n, resp.avg_h, resp.med_h
  FROM act CROSS JOIN resp
"""


def test_employer_kpis_equal_the_platform(demo_marts: Any) -> None:
    activity = _rows(
        demo_marts.dsn,
        "SELECT employer_id, employer_name, jobs_posted, jobs_filled, hiring_rate_pct, posting_months,"
        " is_repeat_user, first_posted_at, last_posted_at FROM marts.kpi_employer_activity",
    )
    _assert_same(activity, _rows(demo_marts.source_dsn, PLATFORM_EMPLOYER_ACTIVITY), "kpi_employer_activity")
    assert any(r[6] for r in activity) and not all(r[6] for r in activity), "repeat and one-off employers both exist"

    response = _rows(
        demo_marts.dsn,
        "SELECT employer_id, applications, responded_applications, avg_response_hours, median_response_hours"
        " FROM marts.kpi_employer_response_time",
    )
    _assert_same(response, _rows(demo_marts.source_dsn, PLATFORM_EMPLOYER_RESPONSE), "kpi_employer_response_time")
    assert any(r[2] < r[1] for r in response), "some applications got no response (withdrawn first, or no answer)"

    summary = _rows(demo_marts.dsn, "SELECT * FROM marts.kpi_employer_summary")
    assert summary == _rows(demo_marts.source_dsn, PLATFORM_EMPLOYER_SUMMARY)
    assert None not in summary[0]
