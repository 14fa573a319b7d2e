"""Candidates, skills and job-market marts (model/marts/market.yml, business_candidates.yml) against the platform.

Every row of cs_candidate_completeness, fact_candidate_supply and fact_skill_demand_daily, and every figure of the
market KPIs, is computed a second time with plain SQL on the platform's own database (schema ``platform``; the
calendar's last day from ``sim.run``; never the raw vault) and compared exactly. Hash keys on the expected side come
from the Python reference of the hash spec (``generator.hashing``).

The demo warehouse (``demo_marts``: three simulated days, the marts built after each batch, each batch loaded at
06:00 the next morning) holds the platform as it stands at the end of the last simulated day, which is the last day
of the demand calendar. Three families: candidates (supply side, current state), demand and its trends (by day and
ISO week), supply against demand.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest

from generator.hashing import hash_key

pytestmark = pytest.mark.db


def key(value: Any) -> uuid.UUID:
    """The hub hash key of a one-part integer business key, by the Python reference of the hash spec."""
    return uuid.UUID(bytes=hash_key([(value, "integer", False)]))


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


def by_key(found: list[tuple[Any, ...]], width: int) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    out = {r[:width]: r for r in found}
    assert len(out) == len(found), "duplicate keys"
    return out


def assert_same(actual: list[tuple[Any, ...]], expected: list[tuple[Any, ...]], width: int = 1) -> None:
    got, want = by_key(actual, width), by_key(expected, width)
    assert got.keys() == want.keys(), (
        f"missing {sorted(want.keys() - got.keys())[:5]}, unexpected {sorted(got.keys() - want.keys())[:5]}"
    )
    wrong = [(k, got[k], want[k]) for k in sorted(want) if got[k] != want[k]]
    assert not wrong, f"{len(wrong)} of {len(want)} rows differ, e.g. {wrong[:3]}"


def location_key(country_code: str, city: str) -> uuid.UUID | None:
    """The key of dim_location, md5 of 'country|city' (NULL for an unknown place)."""
    if country_code == "??" or city == "(unknown)":
        return None
    return uuid.UUID(hashlib.md5(f"{country_code}|{city}".encode()).hexdigest())


def with_skill_key(found: list[tuple[Any, ...]], position: int) -> list[tuple[Any, ...]]:
    """Insert the skill's hash key (from the skill_id at ``position``) right after it."""
    return [(*r[: position + 1], key(r[position]), *r[position + 1 :]) for r in found]


@pytest.fixture(scope="module")
def dsns(demo_marts: Any) -> Iterator[tuple[str, str]]:
    yield demo_marts.dsn, demo_marts.source_dsn


# The platform's current candidates (not erased) and the parts of their profiles, on the source.
SOURCE_PROFILE = """
    WITH profile AS (
        SELECT cp.candidate_id,
               EXISTS (SELECT 1 FROM platform.users AS u
                        WHERE u.user_id = cp.candidate_id AND u.status = 'deleted') AS is_erased,
               cp.headline, cp.city, cp.country_code, cp.years_experience, cp.availability, cp.desired_rate
          FROM platform.candidate_profiles AS cp
    ),
    parts AS (
        SELECT p.candidate_id,
               p.is_erased,
               NOT p.is_erased AND coalesce(trim(p.headline), '') <> '' AS has_headline,
               NOT p.is_erased AND coalesce(trim(p.city), '') <> '' AS has_city,
               NOT p.is_erased AND p.years_experience IS NOT NULL AS has_years_experience,
               NOT p.is_erased AND coalesce(trim(p.availability), '') <> '' AS has_availability,
               NOT p.is_erased AND p.desired_rate IS NOT NULL AS has_desired_rate,
               NOT p.is_erased AND EXISTS (SELECT 1 FROM platform.candidate_skills AS s
                                            WHERE s.candidate_id = p.candidate_id) AS has_skill,
               NOT p.is_erased AND EXISTS (SELECT 1 FROM platform.candidate_languages AS l
                                            WHERE l.candidate_id = p.candidate_id) AS has_language,
               NOT p.is_erased AND EXISTS (SELECT 1 FROM platform.resumes AS r
                                            WHERE r.candidate_id = p.candidate_id AND r.is_current)
                 AS has_current_resume
          FROM profile AS p
    ),
    scored AS (
        SELECT x.*,
               (CASE WHEN x.has_headline THEN 1 ELSE 0 END + CASE WHEN x.has_city THEN 1 ELSE 0 END
                + CASE WHEN x.has_years_experience THEN 1 ELSE 0 END + CASE WHEN x.has_availability THEN 1 ELSE 0 END
                + CASE WHEN x.has_desired_rate THEN 1 ELSE 0 END + CASE WHEN x.has_skill THEN 1 ELSE 0 END
                + CASE WHEN x.has_language THEN 1 ELSE 0 END
                + CASE WHEN x.has_current_resume THEN 1 ELSE 0 END) AS parts_present
          FROM parts AS x
    ),
    current_candidate AS (
        SELECT p.* FROM profile AS p WHERE NOT p.is_erased
    )
"""

# The demand calendar on the source: the last simulated day and the 12 ISO weeks before its own.
SOURCE_CALENDAR = """
    WITH bounds AS (
        SELECT CAST(date_trunc('week', r.first_day + r.days - 1) AS date) - 84 AS first_date,
               r.first_day + r.days - 1 AS last_date
          FROM sim.run AS r
    ),
    calendar AS (
        SELECT CAST(d AS date) AS day
          FROM bounds AS b, generate_series(b.first_date, b.last_date, interval '1 day') AS d
    ),
    job AS (
        SELECT j.job_id, j.country_code,
               (j.posted_at AT TIME ZONE 'UTC')::date AS posted_on,
               (CASE j.status WHEN 'filled' THEN j.filled_at
                              WHEN 'expired' THEN j.expires_at
                              WHEN 'closed' THEN j.updated_at END AT TIME ZONE 'UTC')::date AS ended_on
          FROM platform.jobs AS j
         WHERE j.posted_at IS NOT NULL
    )
"""


# ---------------------------------------------------------------- candidates


def test_candidate_completeness_equals_platform_profiles(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    columns = """is_erased, has_headline, has_city, has_years_experience, has_availability, has_desired_rate,
                 has_skill, has_language, has_current_resume, parts_present"""
    actual = rows(
        dsn,
        f"SELECT candidate_id, hk_candidate, {columns}, completeness_score"
        " FROM business_vault.cs_candidate_completeness",
    )
    expected = rows(source, SOURCE_PROFILE + f"SELECT candidate_id, {columns}, 12.5 * parts_present FROM scored")
    expected = [(r[0], key(r[0]), *r[1:]) for r in expected]
    assert len(expected) > 100
    assert {r[-1] for r in expected} >= {100, 87.5}, "the demo data should give more than one score"
    assert any(r[2] for r in expected), "the demo has erased candidates"
    assert_same(actual, expected)


def test_kpi_profile_completeness(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    (actual,) = rows(dsn, "SELECT * FROM marts.kpi_profile_completeness")
    pct = ", ".join(
        f"round(100.0 * count(*) FILTER (WHERE {p}) / count(*), 2)"
        for p in (
            "has_headline",
            "has_city",
            "has_years_experience",
            "has_availability",
            "has_desired_rate",
            "has_skill",
            "has_language",
            "has_current_resume",
        )
    )
    (expected,) = rows(
        source,
        SOURCE_PROFILE
        + f"""SELECT count(*), round(avg(12.5 * parts_present), 2),
                     count(*) FILTER (WHERE parts_present = 8),
                     count(*) FILTER (WHERE 12.5 * parts_present >= 75 AND parts_present < 8),
                     count(*) FILTER (WHERE 12.5 * parts_present >= 50 AND 12.5 * parts_present < 75),
                     count(*) FILTER (WHERE 12.5 * parts_present >= 25 AND 12.5 * parts_present < 50),
                     count(*) FILTER (WHERE 12.5 * parts_present < 25),
                     {pct}
                FROM scored WHERE NOT is_erased""",
    )
    assert actual == expected
    assert 0 < expected[1] < 100


def test_kpi_availability(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    actual = rows(dsn, "SELECT availability, is_available, candidates, share_pct FROM marts.kpi_availability")
    expected = rows(
        source,
        SOURCE_PROFILE
        + """SELECT coalesce(availability, 'unknown'),
                    coalesce(availability, 'unknown') NOT IN ('not_looking', 'unknown'),
                    count(*),
                    round(100.0 * count(*) / (SELECT count(*) FROM current_candidate), 2)
               FROM current_candidate GROUP BY 1, 2""",
    )
    assert {r[0] for r in expected} >= {"immediately", "not_looking"}
    assert_same(actual, expected)


def test_fact_candidate_supply_and_kpi_skill_distribution(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    supply = rows(
        dsn,
        "SELECT skill_id, country_code, city, skill_key, location_key, candidates, available_candidates"
        " FROM marts.fact_candidate_supply",
    )
    expected_supply = rows(
        source,
        SOURCE_PROFILE
        + """SELECT s.skill_id, coalesce(c.country_code, '??'), coalesce(c.city, '(unknown)'),
                    count(*), count(*) FILTER (WHERE c.availability <> 'not_looking')
               FROM current_candidate AS c
               JOIN platform.candidate_skills AS s ON s.candidate_id = c.candidate_id
              GROUP BY 1, 2, 3""",
    )
    expected_supply = with_skill_key(expected_supply, 0)
    expected_supply = [(r[0], r[2], r[3], r[1], location_key(r[2], r[3]), r[4], r[5]) for r in expected_supply]
    assert len(expected_supply) > 50
    assert_same(supply, expected_supply, width=3)

    distribution = rows(
        dsn,
        "SELECT skill_id, skill_key, skill_name, category, candidates, available_candidates, share_pct,"
        " candidates_rank FROM marts.kpi_skill_distribution",
    )
    expected_distribution = rows(
        source,
        SOURCE_PROFILE
        + """, per_skill AS (
                 SELECT k.skill_id, k.name, k.category,
                        count(c.candidate_id) AS candidates,
                        count(c.candidate_id) FILTER (WHERE c.availability <> 'not_looking') AS available
                   FROM platform.skills AS k
                   LEFT JOIN platform.candidate_skills AS s ON s.skill_id = k.skill_id
                   LEFT JOIN current_candidate AS c ON c.candidate_id = s.candidate_id
                  GROUP BY k.skill_id, k.name, k.category
             )
             SELECT skill_id, name, category, candidates, available,
                    round(100.0 * candidates / (SELECT count(*) FROM current_candidate), 2),
                    rank() OVER (ORDER BY candidates DESC)
               FROM per_skill""",
    )
    expected_distribution = with_skill_key(expected_distribution, 0)
    assert len(expected_distribution) == 62
    assert_same(distribution, expected_distribution)


# ---------------------------------------------------------------- demand and its trends


def test_fact_skill_demand_daily_equals_platform_jobs(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    actual = rows(
        dsn,
        "SELECT demand_date, skill_id, date_key, skill_key, open_jobs, new_jobs, applications"
        " FROM marts.fact_skill_demand_daily",
    )
    expected = rows(
        source,
        SOURCE_CALENDAR
        + """, open_jobs AS (
                 SELECT c.day, js.skill_id, count(*) AS n
                   FROM calendar AS c
                   JOIN job AS j ON j.posted_on <= c.day AND (j.ended_on IS NULL OR j.ended_on > c.day)
                   JOIN platform.job_skills AS js ON js.job_id = j.job_id
                  GROUP BY 1, 2
             ),
             new_jobs AS (
                 SELECT j.posted_on AS day, js.skill_id, count(*) AS n
                   FROM job AS j JOIN platform.job_skills AS js ON js.job_id = j.job_id
                  GROUP BY 1, 2
             ),
             applied AS (
                 SELECT (a.applied_at AT TIME ZONE 'UTC')::date AS day, js.skill_id, count(*) AS n
                   FROM platform.applications AS a JOIN platform.job_skills AS js ON js.job_id = a.job_id
                  GROUP BY 1, 2
             )
             SELECT c.day, k.skill_id, coalesce(o.n, 0), coalesce(n.n, 0), coalesce(a.n, 0)
               FROM calendar AS c
              CROSS JOIN platform.skills AS k
               LEFT JOIN open_jobs AS o ON o.day = c.day AND o.skill_id = k.skill_id
               LEFT JOIN new_jobs AS n ON n.day = c.day AND n.skill_id = k.skill_id
               LEFT JOIN applied AS a ON a.day = c.day AND a.skill_id = k.skill_id""",
    )
    expected = [(r[0], r[1], int(r[0].strftime("%Y%m%d")), *r[2:]) for r in with_skill_key(expected, 1)]
    (last_day,) = rows(source, "SELECT first_day + days - 1 FROM sim.run")[0]
    assert max(r[0] for r in actual) == last_day
    assert len({r[0] for r in expected}) in range(85, 92)
    assert sum(r[4] for r in expected) and sum(r[5] for r in expected) and sum(r[6] for r in expected)
    assert_same(actual, expected, width=2)


def test_open_jobs_on_the_last_day_are_the_platforms_open_jobs(dsns: tuple[str, str]) -> None:
    """The open rule (business dates and status) agrees with the platform's own status at the end of the last day."""
    dsn, source = dsns
    actual = rows(
        dsn,
        """SELECT skill_id, open_jobs FROM marts.fact_skill_demand_daily
            WHERE demand_date = (SELECT max(demand_date) FROM marts.fact_skill_demand_daily) AND open_jobs > 0""",
    )
    expected = rows(
        source,
        """SELECT js.skill_id, count(*) FROM platform.jobs AS j JOIN platform.job_skills AS js ON js.job_id = j.job_id
            WHERE j.status = 'open' GROUP BY 1""",
    )
    assert expected
    assert_same(actual, expected)


# Jobs posted and applications per ISO week and skill, on the source.
SOURCE_WEEKS = (
    SOURCE_CALENDAR
    + """, week AS (
             SELECT CAST(date_trunc('week', c.day) AS date) AS week_start, count(*) AS days_covered
               FROM calendar AS c GROUP BY 1
         ),
         posted AS (
             SELECT CAST(date_trunc('week', j.posted_on) AS date) AS week_start, js.skill_id, count(*) AS n
               FROM job AS j JOIN platform.job_skills AS js ON js.job_id = j.job_id
               JOIN bounds AS b ON j.posted_on BETWEEN b.first_date AND b.last_date
              GROUP BY 1, 2
         ),
         applied AS (
             SELECT CAST(date_trunc('week', (a.applied_at AT TIME ZONE 'UTC')::date) AS date) AS week_start,
                    js.skill_id, count(*) AS n
               FROM platform.applications AS a JOIN platform.job_skills AS js ON js.job_id = a.job_id
               JOIN bounds AS b ON (a.applied_at AT TIME ZONE 'UTC')::date BETWEEN b.first_date AND b.last_date
              GROUP BY 1, 2
         ),
         weekly AS (
             SELECT w.week_start, w.days_covered, k.skill_id, k.name, coalesce(p.n, 0) AS jobs_posted,
                    coalesce(a.n, 0) AS applications
               FROM week AS w CROSS JOIN platform.skills AS k
               LEFT JOIN posted AS p ON p.week_start = w.week_start AND p.skill_id = k.skill_id
               LEFT JOIN applied AS a ON a.week_start = w.week_start AND a.skill_id = k.skill_id
         )
    """
)


def test_kpi_skill_demand_weekly(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    actual = rows(
        dsn,
        """SELECT week_start, skill_id, skill_key, iso_year, iso_week, skill_name, days_covered, is_complete_week,
                  jobs_posted, applications, prev_jobs_posted, wow_growth_pct
             FROM marts.kpi_skill_demand_weekly""",
    )
    expected = rows(
        source,
        SOURCE_WEEKS
        + """, previous AS (
                 SELECT w.*, lag(w.jobs_posted) OVER (PARTITION BY w.skill_id ORDER BY w.week_start) AS prev
                   FROM weekly AS w
             )
             SELECT week_start, skill_id,
                    CAST(to_char(week_start, 'IYYY') AS integer), CAST(to_char(week_start, 'IW') AS integer),
                    name, CAST(days_covered AS integer), days_covered = 7, jobs_posted, applications, prev,
                    CASE WHEN days_covered = 7 AND prev > 0 THEN round(100.0 * (jobs_posted - prev) / prev, 2) END
               FROM previous""",
    )
    expected = with_skill_key(expected, 1)
    weeks = sorted({(r[0], r[7]) for r in expected})
    assert len(weeks) == 13 and all(complete for _, complete in weeks[:12])
    assert any(r[-1] is not None and r[-1] != 0 for r in expected)
    assert_same(actual, expected, width=2)


def test_kpi_rising_skills(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    actual = rows(
        dsn,
        """SELECT skill_id, skill_key, skill_name, last_4w_start, prior_4w_start, jobs_posted_last_4w,
                  jobs_posted_prior_4w, growth_pct, is_new, rising_rank
             FROM marts.kpi_rising_skills""",
    )
    expected = rows(
        source,
        SOURCE_CALENDAR
        + """, period AS (
                 -- the Monday of the last complete ISO week, minus 3 weeks
                 SELECT CAST(date_trunc('week', b.last_date + 1) AS date) - 28 AS last_start FROM bounds AS b
             ),
             counted AS (
                 SELECT k.skill_id, k.name, p.last_start,
                        count(j.job_id) FILTER (WHERE j.posted_on BETWEEN p.last_start AND p.last_start + 27) AS last4,
                        count(j.job_id) FILTER (WHERE j.posted_on BETWEEN p.last_start - 28 AND p.last_start - 1)
                          AS prior4
                   FROM platform.skills AS k CROSS JOIN period AS p
                   LEFT JOIN platform.job_skills AS js ON js.skill_id = k.skill_id
                   LEFT JOIN job AS j ON j.job_id = js.job_id
                  GROUP BY k.skill_id, k.name, p.last_start
             ),
             growth AS (
                 SELECT c.*, CASE WHEN prior4 > 0 THEN round(100.0 * (last4 - prior4) / prior4, 2) END AS pct,
                        prior4 = 0 AND last4 > 0 AS is_new
                   FROM counted AS c
             )
             SELECT skill_id, name, last_start, last_start - 28, last4, prior4, pct, is_new,
                    row_number() OVER (ORDER BY is_new DESC, pct DESC NULLS LAST, last4 DESC, skill_id)
               FROM growth""",
    )
    expected = with_skill_key(expected, 0)
    assert len(expected) == 62
    assert sum(r[5] for r in expected) > 0 and sum(r[6] for r in expected) > 0
    assert sorted(r[-1] for r in actual) == list(range(1, 63))
    assert_same(actual, expected)


# ---------------------------------------------------------------- supply against demand


def test_kpi_supply_demand(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    actual = rows(
        dsn,
        """SELECT skill_id, country_code, as_of_date, skill_key, skill_name, candidates, available_candidates,
                  open_jobs, candidates_per_open_job
             FROM marts.kpi_supply_demand""",
    )
    expected = rows(
        source,
        SOURCE_PROFILE
        + """, supply AS (
                 SELECT s.skill_id, coalesce(c.country_code, '??') AS country_code, count(*) AS candidates,
                        count(*) FILTER (WHERE c.availability <> 'not_looking') AS available
                   FROM current_candidate AS c JOIN platform.candidate_skills AS s ON s.candidate_id = c.candidate_id
                  GROUP BY 1, 2
             ),
             as_of AS (SELECT first_day + days - 1 AS day FROM sim.run),
             demand AS (
                 SELECT js.skill_id, coalesce(j.country_code, '??') AS country_code, count(*) AS open_jobs
                   FROM platform.jobs AS j
                   JOIN platform.job_skills AS js ON js.job_id = j.job_id
                  CROSS JOIN as_of AS a
                  WHERE (j.posted_at AT TIME ZONE 'UTC')::date <= a.day
                    AND coalesce((CASE j.status WHEN 'filled' THEN j.filled_at
                                                WHEN 'expired' THEN j.expires_at
                                                WHEN 'closed' THEN j.updated_at END AT TIME ZONE 'UTC')::date,
                                 'infinity') > a.day
                  GROUP BY 1, 2
             )
             SELECT coalesce(s.skill_id, d.skill_id), coalesce(s.country_code, d.country_code), a.day, k.name,
                    coalesce(s.candidates, 0), coalesce(s.available, 0), coalesce(d.open_jobs, 0),
                    round(1.0 * coalesce(s.available, 0) / nullif(d.open_jobs, 0), 2)
               FROM supply AS s
               FULL JOIN demand AS d ON d.skill_id = s.skill_id AND d.country_code = s.country_code
              CROSS JOIN as_of AS a
               JOIN platform.skills AS k ON k.skill_id = coalesce(s.skill_id, d.skill_id)""",
    )
    expected = [(*r[:3], key(r[0]), *r[3:]) for r in expected]
    assert any(r[7] and r[6] for r in expected), "some skill has both supply and demand in a country"
    assert any(r[7] == 0 for r in expected) and any(r[5] == 0 for r in expected)
    assert_same(actual, expected, width=2)
