"""The matching feed (model/marts/feed.yml) against the platform itself, and its Parquet export.

feed_match_application's features are point in time: the candidate and the job as the warehouse held them at
applied_at (or at their first load, when the warehouse learnt of them later). The warehouse held, between the
load of batch k and the next load, the platform as it stood at batch k's extract: the end of simulated day k.
The simulator is additive (a run of k days is the first k days of a longer run), so the platform at the end of
day k is rebuilt here by simulating k days again into a database of this module's own. Every feature is then
computed a second time with plain SQL on those platform snapshots (schema ``platform``, never the raw vault),
the label on the platform as it stands now, and compared exactly for every application, with no exception.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import psycopg2.extras
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from generator.errors import WarehouseError
from generator.generate import generate
from generator.hashing import hash_key
from pipelines import feed_export
from pipelines.demo.platform.clock import Config
from pipelines.demo.platform.run import run as simulate_platform
from pipelines.demo.sample import LOAD_HOUR
from pipelines.feed_export import FILES, arrow_type, export_feed
from pipelines.marts import build_marts
from pipelines.project import Project
from pipelines.warehouse import apply
from tests.conftest import REPO, drop_database

pytestmark = pytest.mark.db

SNAPSHOT_TABLES = ("snap_candidate", "snap_candidate_skill", "snap_job", "snap_job_skill", "snap_load")


def query(dsn: str, sql: str, params: Any = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            # a session time zone far from UTC: nothing may depend on it
            cur.execute("SET TIME ZONE 'Pacific/Kiritimati'")
            cur.execute(sql, params)
            return [c.name for c in cur.description], cur.fetchall()
    finally:
        conn.close()


def _with_database(dsn: str, name: str) -> str:
    params = psycopg2.extensions.parse_dsn(dsn)
    params["dbname"] = name
    return psycopg2.extensions.make_dsn(**params)


def _drop_database(dsn: str, name: str) -> None:
    admin = psycopg2.connect(_with_database(dsn, "postgres"))
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            drop_database(cur, name)
    finally:
        admin.close()


@dataclass
class Platform:
    dsn: str  # the warehouse
    source_dsn: str  # the platform now (the end of the last day)
    snapshots: dict[int, str]  # day k -> the platform at the end of day k (the last day: source_dsn)
    loads: dict[int, dt.datetime]  # day k -> load_dts of the batch that extracted it


@pytest.fixture(scope="module")
def platform(demo_marts: Any) -> Iterator[Platform]:
    """The platform at the end of each simulated day, each in a database (the last one: the demo's source)."""
    _, found = query(demo_marts.source_dsn, "SELECT seed, scale, days, defect_rate, first_day FROM sim.run")
    seed, scale, days, defect_rate, first_day = found[0]
    source_db = psycopg2.extensions.parse_dsn(demo_marts.source_dsn)["dbname"]
    snapshots = {int(days): demo_marts.source_dsn}
    made: list[str] = []
    try:
        for day in range(1, int(days)):
            name = f"{source_db}_feed_day{day}"
            made.append(name)
            dsn = _with_database(demo_marts.source_dsn, name)
            with tempfile.TemporaryDirectory(prefix="dv-feed-test-") as landing:
                cfg = Config(seed=int(seed), scale=float(scale), days=day, defect_rate=float(defect_rate))
                simulate_platform(cfg, Path(landing), dsn)
            snapshots[day] = dsn
        midnight = dt.datetime.combine(first_day, dt.time(), tzinfo=dt.UTC)
        # the demo's schedule: day k is extracted up to the midnight after it, and loaded LOAD_HOUR later
        loads = {k: midnight + dt.timedelta(days=k) + LOAD_HOUR for k in snapshots}
        yield Platform(demo_marts.dsn, demo_marts.source_dsn, snapshots, loads)
    finally:
        for name in made:
            _drop_database(demo_marts.source_dsn, name)


def test_batches_follow_the_demo_schedule(platform: Platform) -> None:
    """The expected side assumes batch k loaded day k at loads[k]; the warehouse's batch log agrees."""
    _, found = query(platform.dsn, "SELECT batch_id, load_dts FROM dv_meta.batch ORDER BY batch_id")
    assert {int(b): t for b, t in found} == platform.loads


# --- the expected side: plain SQL on the platform snapshots ---------------------------------------------------

SNAPSHOT_SQL = {
    "snap_candidate": """
        SELECT candidate_id, city, country_code, years_experience, desired_rate, rate_currency
          FROM platform.candidate_profiles""",
    "snap_candidate_skill": "SELECT candidate_id, skill_id FROM platform.candidate_skills",
    "snap_job": """
        SELECT job_id, city, country_code, remote, contract_type, seniority, salary_min, salary_max,
               salary_currency, salary_period
          FROM platform.jobs""",
    "snap_job_skill": "SELECT job_id, skill_id, requirement FROM platform.job_skills",
}

SNAPSHOT_DDL = """
CREATE TEMP TABLE snap_load (k int, load_dts timestamptz);
CREATE TEMP TABLE snap_candidate (k int, candidate_id bigint, city text, country_code char(2),
    years_experience int, desired_rate numeric(10,2), rate_currency char(3));
CREATE TEMP TABLE snap_candidate_skill (k int, candidate_id bigint, skill_id int);
CREATE TEMP TABLE snap_job (k int, job_id bigint, city text, country_code char(2), remote text,
    contract_type text, seniority text, salary_min numeric(12,2), salary_max numeric(12,2),
    salary_currency char(3), salary_period text);
CREATE TEMP TABLE snap_job_skill (k int, job_id bigint, skill_id int, requirement text);
"""

# Each definition of model/marts/feed.yml, restated on the platform: the snapshot k the warehouse held at a
# moment t is the latest k with loads[k] <= t; a candidate (job) is first known in the first snapshot that
# has it; the moment used is greatest(applied_at, that first load).
EXPECTED_APPLICATIONS = """
WITH first_known AS (
    SELECT 'c' AS side, candidate_id AS id, min(k) AS k FROM snap_candidate GROUP BY candidate_id
    UNION ALL
    SELECT 'j', job_id, min(k) FROM snap_job GROUP BY job_id
),
asof AS (
    SELECT a.application_id, a.candidate_id, a.job_id, a.applied_at, a.channel,
           GREATEST(a.applied_at, lc.load_dts) AS candidate_as_of,
           GREATEST(a.applied_at, lj.load_dts) AS job_as_of
      FROM platform.applications AS a
      LEFT JOIN first_known AS fc ON fc.side = 'c' AND fc.id = a.candidate_id
      LEFT JOIN snap_load AS lc ON lc.k = fc.k
      LEFT JOIN first_known AS fj ON fj.side = 'j' AND fj.id = a.job_id
      LEFT JOIN snap_load AS lj ON lj.k = fj.k
),
held AS (
    SELECT x.*,
           (SELECT max(l.k) FROM snap_load AS l WHERE l.load_dts <= x.candidate_as_of) AS ck,
           (SELECT max(l.k) FROM snap_load AS l WHERE l.load_dts <= x.job_as_of) AS jk
      FROM asof AS x
),
skills AS (
    SELECT h.application_id,
           (SELECT count(*) FROM snap_candidate_skill AS cs WHERE cs.k = h.ck AND cs.candidate_id = h.candidate_id)
               AS candidate_skills,
           count(js.skill_id) FILTER (WHERE js.requirement = 'required') AS required_skills,
           count(cs.skill_id) FILTER (WHERE js.requirement = 'required') AS required_matched,
           count(js.skill_id) AS job_skills,
           count(cs.skill_id) AS skills_matched
      FROM held AS h
      LEFT JOIN snap_job_skill AS js ON js.k = h.jk AND js.job_id = h.job_id
      LEFT JOIN snap_candidate_skill AS cs
        ON cs.k = h.ck AND cs.candidate_id = h.candidate_id AND cs.skill_id = js.skill_id
     GROUP BY h.application_id, h.ck, h.candidate_id
),
label AS (
    SELECT s.application_id,
           bool_or(s.status = 'hired') AS hired,
           (array_agg(s.status ORDER BY s.seq DESC))[1] AS final_status
      FROM platform.application_status_history AS s
     GROUP BY s.application_id
),
band (seniority, lo, hi) AS (
    VALUES ('junior', 0, 2), ('medior', 3, 5), ('senior', 6, 9), ('lead', 10, 14), ('principal', 15, NULL)
),
pair AS (
    SELECT h.application_id, h.candidate_id, h.job_id, h.applied_at, h.channel,
           CASE WHEN c.candidate_id IS NOT NULL THEN h.candidate_as_of END AS candidate_as_of,
           CASE WHEN j.job_id IS NOT NULL THEN h.job_as_of END AS job_as_of,
           c.candidate_id IS NOT NULL AS ck_known, j.job_id IS NOT NULL AS jk_known,
           c.city AS c_city, c.country_code AS c_country, c.years_experience AS years, c.desired_rate AS rate,
           c.rate_currency,
           j.city AS j_city, j.country_code AS j_country, j.remote, j.contract_type, j.seniority,
           j.salary_min, j.salary_max, j.salary_currency, j.salary_period,
           b.lo, b.hi, sk.candidate_skills, sk.required_skills, sk.required_matched, sk.job_skills,
           sk.skills_matched, lb.hired, lb.final_status
      FROM held AS h
      LEFT JOIN snap_candidate AS c ON c.k = h.ck AND c.candidate_id = h.candidate_id
      LEFT JOIN snap_job AS j ON j.k = h.jk AND j.job_id = h.job_id
      LEFT JOIN band AS b ON b.seniority = j.seniority
      LEFT JOIN skills AS sk ON sk.application_id = h.application_id
      LEFT JOIN label AS lb ON lb.application_id = h.application_id
)
SELECT p.application_id, p.candidate_id, p.job_id, p.applied_at, p.channel,
       p.candidate_as_of AS candidate_features_as_of, p.job_as_of AS job_features_as_of,
       (p.ck_known AND p.jk_known AND p.candidate_as_of = p.applied_at AND p.job_as_of = p.applied_at)
           IS TRUE AS features_point_in_time,
       p.c_city AS candidate_city, p.c_country AS candidate_country_code, p.years AS candidate_years_experience,
       p.rate AS candidate_desired_rate, p.rate_currency AS candidate_rate_currency,
       CASE WHEN p.ck_known THEN p.candidate_skills::int END AS candidate_skill_count,
       p.j_city AS job_city, p.j_country AS job_country_code, p.remote AS job_remote,
       p.contract_type AS job_contract_type, p.seniority AS job_seniority,
       p.salary_min AS job_salary_min, p.salary_max AS job_salary_max,
       p.salary_currency AS job_salary_currency, p.salary_period AS job_salary_period,
       CASE WHEN p.jk_known THEN p.required_skills::int END AS job_required_skill_count,
       CASE WHEN p.jk_known AND p.ck_known THEN p.required_matched::int END AS required_skills_matched,
       CASE WHEN p.jk_known AND p.ck_known AND p.required_skills > 0
            THEN round(p.required_matched::numeric / p.required_skills, 4)::float8 END AS required_skill_share,
       CASE WHEN p.jk_known THEN p.job_skills::int END AS job_skill_count,
       CASE WHEN p.jk_known AND p.ck_known THEN p.skills_matched::int END AS skills_matched,
       CASE WHEN p.jk_known AND p.ck_known AND p.job_skills > 0
            THEN round(p.skills_matched::numeric / p.job_skills, 4)::float8 END AS skill_share,
       p.lo AS seniority_min_years, p.hi AS seniority_max_years,
       CASE WHEN p.years IS NOT NULL AND p.lo IS NOT NULL THEN GREATEST(p.lo - p.years, 0) END AS years_below_band,
       CASE WHEN p.years IS NOT NULL AND p.lo IS NOT NULL AND p.hi IS NOT NULL THEN GREATEST(p.years - p.hi, 0)
            WHEN p.years IS NOT NULL AND p.lo IS NOT NULL THEN 0 END AS years_above_band,
       CASE WHEN p.years IS NULL OR p.lo IS NULL THEN NULL
            WHEN p.years < p.lo THEN 'below' WHEN p.years > p.hi THEN 'above' ELSE 'within' END AS experience_fit,
       p.c_city = p.j_city AS same_city,
       p.c_country = p.j_country AS same_country,
       p.rate_currency = p.salary_currency AS salary_currency_match,
       CASE WHEN p.salary_period = 'hour' AND p.rate_currency = p.salary_currency AND p.rate IS NOT NULL
                 AND p.salary_min IS NOT NULL AND p.salary_max IS NOT NULL
            THEN CASE WHEN p.rate < LEAST(p.salary_min, p.salary_max) THEN 'below'
                      WHEN p.rate > GREATEST(p.salary_min, p.salary_max) THEN 'above' ELSE 'within' END
       END AS salary_fit,
       CASE WHEN p.salary_period = 'hour' AND p.rate_currency = p.salary_currency AND p.rate IS NOT NULL
                 AND p.salary_min + p.salary_max > 0
            THEN round(p.rate / ((p.salary_min + p.salary_max) / 2), 4)::float8 END AS salary_ratio,
       (CASE WHEN p.hired THEN 1 ELSE 0 END)::smallint AS hired,
       p.final_status
  FROM pair AS p
"""


def expected_applications(platform: Platform) -> tuple[list[str], list[tuple[Any, ...]]]:
    conn = psycopg2.connect(platform.source_dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'Pacific/Kiritimati'")
            cur.execute(SNAPSHOT_DDL)
            psycopg2.extras.execute_values(cur, "INSERT INTO snap_load VALUES %s", list(platform.loads.items()))
            for k, dsn in platform.snapshots.items():
                for table, sql in SNAPSHOT_SQL.items():
                    _, found = query(dsn, sql)
                    psycopg2.extras.execute_values(
                        cur, f"INSERT INTO {table} VALUES %s", [(k, *r) for r in found], page_size=5000
                    )
            cur.execute(
                "ANALYZE snap_candidate; ANALYZE snap_candidate_skill; ANALYZE snap_job; ANALYZE snap_job_skill"
            )
            cur.execute(EXPECTED_APPLICATIONS)
            return [c.name for c in cur.description], cur.fetchall()
    finally:
        conn.close()


def compare(
    got: tuple[list[str], list[tuple[Any, ...]]], want: tuple[list[str], list[tuple[Any, ...]]], key: str
) -> None:
    """Every expected column equals the mart's, row by row (rows keyed by ``key``)."""
    got_names, got_rows = got
    want_names, want_rows = want
    assert set(want_names) <= set(got_names), f"not in the mart: {set(want_names) - set(got_names)}"
    pick = [got_names.index(n) for n in want_names]
    at = want_names.index(key)
    mart = {r[pick[at]]: tuple(r[i] for i in pick) for r in got_rows}
    platform = {r[at]: tuple(r) for r in want_rows}
    assert len(mart) == len(got_rows) and len(platform) == len(want_rows), "duplicate keys"
    assert mart.keys() == platform.keys(), (
        f"missing {sorted(platform.keys() - mart.keys())[:5]}, unexpected {sorted(mart.keys() - platform.keys())[:5]}"
    )
    wrong: dict[str, list[Any]] = {}
    for k in sorted(platform):
        for name, a, b in zip(want_names, mart[k], platform[k], strict=True):
            if a != b:
                wrong.setdefault(name, []).append((k, a, b))
    assert not wrong, "; ".join(f"{n}: {len(v)} rows differ, e.g. {v[:3]}" for n, v in wrong.items())


def hash_keys(got: tuple[list[str], list[tuple[Any, ...]]], pairs: dict[str, str]) -> set[str]:
    """Each hash key column equals the hash of its business key (the Python reference of the hash spec);
    returns the columns checked."""
    names, found = got
    for hk, bk in pairs.items():
        i, j = names.index(hk), names.index(bk)
        wrong = [r[j] for r in found if r[i] != (None if r[j] is None else str(key(r[j])))]
        assert not wrong, f"{hk} is not the hash of {bk} for {wrong[:5]}"
    return set(pairs)


def key(value: int) -> uuid.UUID:
    return uuid.UUID(bytes=hash_key([(value, "integer", False)]))


def test_every_application_feature_equals_the_platform_at_that_time(platform: Platform) -> None:
    got = query(platform.dsn, "SELECT * FROM marts.feed_match_application")
    want = expected_applications(platform)
    compare(got, want, "application_id")
    checked = hash_keys(got, {"hk_application": "application_id", "hk_candidate": "candidate_id", "hk_job": "job_id"})
    assert set(got[0]) == set(want[0]) | checked, "every column is compared"
    names, found = got
    rows = [dict(zip(names, r, strict=True)) for r in found]
    # the comparison covers each kind of row: point in time, fallback to a first load, orphans, both labels
    assert any(r["features_point_in_time"] for r in rows)
    assert any(not r["features_point_in_time"] and r["candidate_features_as_of"] is not None for r in rows)
    assert any(r["candidate_city"] is None for r in rows) and any(r["job_city"] is None for r in rows)
    assert {r["hired"] for r in rows} == {0, 1}
    assert {r["salary_fit"] for r in rows} == {None, "below", "within", "above"}
    assert {r["experience_fit"] for r in rows} == {None, "below", "within", "above"}


def test_candidate_feed_equals_the_platform_now(platform: Platform) -> None:
    want = query(
        platform.source_dsn,
        """WITH skills AS (
               SELECT candidate_id, count(*)::int AS n, array_agg(skill_id ORDER BY skill_id) AS ids,
                      array_agg(level ORDER BY skill_id) AS levels, round(avg(level), 2) AS mean
                 FROM platform.candidate_skills GROUP BY candidate_id),
           langs AS (
               SELECT candidate_id, count(*)::int AS n, array_agg(language_code::text ORDER BY language_code) AS codes
                 FROM platform.candidate_languages GROUP BY candidate_id),
           apps AS (
               SELECT a.candidate_id, count(*)::int AS n,
                      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM platform.application_status_history h
                                                      WHERE h.application_id = a.application_id
                                                        AND h.status = 'hired'))::int AS hires
                 FROM platform.applications AS a GROUP BY a.candidate_id)
           SELECT p.candidate_id, p.city, p.country_code, p.years_experience,
                  CASE WHEN p.years_experience BETWEEN 0 AND 2 THEN 'junior'
                       WHEN p.years_experience BETWEEN 3 AND 5 THEN 'medior'
                       WHEN p.years_experience BETWEEN 6 AND 9 THEN 'senior'
                       WHEN p.years_experience BETWEEN 10 AND 14 THEN 'lead'
                       WHEN p.years_experience >= 15 THEN 'principal' END AS experience_band,
                  p.availability, p.desired_rate, p.rate_currency, p.created_at AS registered_at,
                  p.updated_at AS profile_updated_at, (u.status = 'deleted') IS TRUE AS is_erased,
                  COALESCE(s.n, 0) AS skill_count, COALESCE(s.ids, '{}') AS skill_ids,
                  COALESCE(s.levels, '{}') AS skill_levels, s.mean AS mean_skill_level,
                  COALESCE(l.n, 0) AS language_count, COALESCE(l.codes, '{}') AS language_codes,
                  COALESCE(a.n, 0) AS applications, COALESCE(a.hires, 0) AS hires
             FROM platform.candidate_profiles AS p
             LEFT JOIN platform.users AS u ON u.user_id = p.candidate_id
             LEFT JOIN skills AS s USING (candidate_id)
             LEFT JOIN langs AS l USING (candidate_id)
             LEFT JOIN apps AS a USING (candidate_id)""",
    )
    got = query(platform.dsn, "SELECT * FROM marts.feed_match_candidate")
    compare(got, want, "candidate_id")
    assert set(got[0]) == set(want[0]) | hash_keys(got, {"hk_candidate": "candidate_id"})
    names, rows = got
    assert any(r[names.index("is_erased")] for r in rows), "the demo has erased candidates: the rule is exercised"


def test_job_feed_equals_the_platform_now(platform: Platform) -> None:
    want = query(
        platform.source_dsn,
        """WITH skills AS (
               SELECT job_id, count(*) FILTER (WHERE requirement = 'required')::int AS required,
                      COALESCE(array_agg(skill_id ORDER BY skill_id) FILTER (WHERE requirement = 'required'), '{}')
                          AS required_ids,
                      COALESCE(array_agg(skill_id ORDER BY skill_id) FILTER (WHERE requirement = 'nice_to_have'),
                               '{}') AS nice_ids
                 FROM platform.job_skills GROUP BY job_id),
           apps AS (
               SELECT a.job_id, count(*)::int AS n,
                      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM platform.application_status_history h
                                                      WHERE h.application_id = a.application_id
                                                        AND h.status = 'hired'))::int AS hires
                 FROM platform.applications AS a GROUP BY a.job_id)
           SELECT j.job_id, j.employer_id, j.title, j.city, j.country_code, j.remote, j.contract_type, j.seniority,
                  b.lo AS seniority_min_years, b.hi AS seniority_max_years,
                  j.salary_min, j.salary_max, j.salary_currency, j.salary_period, j.status, j.created_at,
                  j.posted_at, j.expires_at, j.filled_at,
                  COALESCE(s.required, 0) AS required_skill_count, COALESCE(s.required_ids, '{}') AS required_skill_ids,
                  COALESCE(s.nice_ids, '{}') AS nice_to_have_skill_ids,
                  COALESCE(a.n, 0) AS applications, COALESCE(a.hires, 0) AS hires
             FROM platform.jobs AS j
             LEFT JOIN (VALUES ('junior', 0, 2), ('medior', 3, 5), ('senior', 6, 9), ('lead', 10, 14),
                               ('principal', 15, NULL)) AS b (seniority, lo, hi) USING (seniority)
             LEFT JOIN skills AS s USING (job_id)
             LEFT JOIN apps AS a USING (job_id)""",
    )
    got = query(platform.dsn, "SELECT * FROM marts.feed_match_job")
    compare(got, want, "job_id")
    assert set(got[0]) == set(want[0]) | hash_keys(got, {"hk_job": "job_id", "hk_employer": "employer_id"})


# --- the export --------------------------------------------------------------------------------------------------


FEED_YAML = REPO / "model" / "marts" / "feed.yml"


def yaml_specs() -> dict[str, dict[str, Any]]:
    """The feed's YAML, read by the test itself: the exporter reads the manifest only."""
    return {d["name"]: d for d in yaml.safe_load_all(FEED_YAML.read_text(encoding="utf-8"))}


def mart_rows(dsn: str, table: str, key: list[str]) -> list[dict[str, Any]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT * FROM marts.{table} ORDER BY {', '.join(key)}")
            names = [c.name for c in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        conn.close()


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a == b  # aware datetimes compare as instants
    if isinstance(b, Decimal) and isinstance(a, Decimal):
        return a == b
    return a == b


@pytest.fixture(scope="module")
def snapshot(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feed")
    conn = psycopg2.connect(platform.dsn)
    try:
        return export_feed(conn, out, chunk_rows=1000)
    finally:
        conn.close()


def test_snapshot_folder_and_schema(platform: Platform, snapshot: Path) -> None:
    _, found = query(
        platform.dsn,
        "SELECT b.batch_id, b.load_dts FROM dv_meta.batch b"
        " WHERE b.batch_id = (SELECT max(batch_id) FROM dv_meta.mart_refresh WHERE object = 'feed.feed_match_job')",
    )
    batch_id, load_dts = found[0]
    assert snapshot.name == f"batch-{batch_id:06d}" and snapshot.parent.name == "matching"
    assert sorted(p.name for p in snapshot.iterdir()) == [
        "applications.parquet",
        "candidates.parquet",
        "jobs.parquet",
        "schema.json",
    ]
    assert not [p for p in snapshot.parent.iterdir() if p.name.startswith(".")], "a temporary folder was left"
    assert snapshot.stat().st_mode & 0o777 == 0o755
    schema = json.loads((snapshot / "schema.json").read_text(encoding="utf-8"))
    assert schema["feed"] == "matching" and schema["feed_schema_version"] == feed_export.FEED_SCHEMA_VERSION
    assert schema["batch_id"] == batch_id and schema["snapshot_id"] == snapshot.name
    assert dt.datetime.fromisoformat(schema["load_dts"]) == load_dts
    specs = yaml_specs()
    assert list(schema["files"]) == [f for f, _ in FILES]
    for file_name, table in FILES:
        entry = schema["files"][file_name]
        declared = [(c["name"], c["description"]) for c in specs[table]["columns"]]
        assert [(c["name"], c["description"]) for c in entry["columns"]] == declared, file_name
        path = snapshot / entry["file"]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        parquet = pq.read_schema(path)
        assert [(f.name, str(f.type)) for f in parquet] == [(c["name"], c["arrow_type"]) for c in entry["columns"]]
        assert [f.metadata[b"description"].decode() for f in parquet] == [d for _, d in declared]
        _, count = query(platform.dsn, f"SELECT count(*) FROM marts.{table}")
        assert entry["rows"] == count[0][0] == pq.ParquetFile(path).metadata.num_rows > 0


def test_parquet_rows_equal_the_mart_rows(platform: Platform, snapshot: Path) -> None:
    specs = yaml_specs()
    for file_name, table in FILES:
        key = specs[table]["key"]
        parquet = pq.ParquetFile(snapshot / f"{file_name}.parquet")
        assert parquet.metadata.num_row_groups > 1 or parquet.metadata.num_rows <= 1000, "written in chunks"
        got = parquet.read().to_pylist()
        want = mart_rows(platform.dsn, table, key)
        assert [tuple(r[k] for k in key) for r in got] == [tuple(r[k] for k in key) for r in want], "row order"
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert list(g) == list(w)
            bad = {k: (g[k], w[k]) for k in w if not _same_value(g[k], w[k])}
            assert not bad, f"{file_name} {tuple(w[k] for k in key)}: {bad}"


def test_second_export_returns_the_snapshot_unchanged(platform: Platform, snapshot: Path) -> None:
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in snapshot.iterdir()}
    conn = psycopg2.connect(platform.dsn)
    try:
        again = export_feed(conn, snapshot.parent.parent)
        assert conn.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_IDLE
    finally:
        conn.close()
    assert again == snapshot
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in snapshot.iterdir()} == before
    assert [p.name for p in snapshot.parent.iterdir()] == [snapshot.name]


def test_same_batch_gives_the_same_bytes(platform: Platform, snapshot: Path, tmp_path: Path) -> None:
    conn = psycopg2.connect(platform.dsn)
    conn.autocommit = True  # the exporter opens (and ends) its own read-only transaction
    try:
        other = export_feed(conn, tmp_path, chunk_rows=1000)
        assert conn.autocommit
    finally:
        conn.close()
    first = json.loads((snapshot / "schema.json").read_text())
    second = json.loads((other / "schema.json").read_text())
    for name in first["files"]:
        assert first["files"][name]["sha256"] == second["files"][name]["sha256"], name
    assert first["columns_fingerprint"] == second["columns_fingerprint"]


def test_snapshot_name_clash_is_refused(platform: Platform, tmp_path: Path) -> None:
    conn = psycopg2.connect(platform.dsn)
    try:
        taken = tmp_path / "matching" / "nightly"
        taken.mkdir(parents=True)
        (taken / "schema.json").write_text(json.dumps({"batch_id": 1}))
        with pytest.raises(WarehouseError, match="reflects batch 1"):
            export_feed(conn, tmp_path, version="nightly")
        junk = tmp_path / "matching" / "junk"
        junk.mkdir()
        with pytest.raises(WarehouseError, match="not a feed snapshot"):
            export_feed(conn, tmp_path, version="junk")
        with pytest.raises(WarehouseError, match="not allowed"):
            export_feed(conn, tmp_path, version="../escape")
        assert (taken / "schema.json").read_text() == json.dumps({"batch_id": 1})
        named = export_feed(conn, tmp_path, version="release-1")
        assert json.loads((named / "schema.json").read_text())["snapshot_id"] == "release-1"
    finally:
        conn.close()


def test_a_failed_export_leaves_nothing(platform: Platform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the first file (here: injected into the checksum step) leaves no snapshot, no temp folder."""
    calls: list[Path] = []

    def failing(path: Path) -> str:
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        return hashlib.sha256(path.read_bytes()).hexdigest()

    monkeypatch.setattr(feed_export, "_sha256", failing)
    conn = psycopg2.connect(platform.dsn)
    try:
        with pytest.raises(OSError, match="disk full"):
            export_feed(conn, tmp_path)
        assert conn.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_IDLE
    finally:
        conn.close()
    assert list((tmp_path / "matching").iterdir()) == []


@pytest.mark.parametrize(
    ("pg_type", "arrow"),
    [
        ("bigint", pa.int64()),
        ("integer[]", pa.list_(pa.field("element", pa.int32()))),
        ("numeric(10,2)", pa.decimal128(10, 2)),
        ("character(2)", pa.string()),
        ("uuid", pa.string()),
        ("timestamp with time zone", pa.timestamp("us", tz="UTC")),
    ],
)
def test_arrow_types(pg_type: str, arrow: pa.DataType) -> None:
    assert arrow_type(pg_type) == arrow


def test_unknown_type_is_refused() -> None:
    with pytest.raises(WarehouseError, match="cannot map"):
        arrow_type("interval")


# --- point in time, case by case (a warehouse of its own) -------------------------------------------------------


def feed_project(tmp_path: Path) -> Project:
    """The repository's model with only the feed among the marts, generated and opened."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "model", root / "model", ignore=lambda d, names: [
        n for n in names if Path(d).name == "marts" and n.endswith(".yml") and n != "feed.yml"
    ])  # fmt: skip
    generate(root)
    return Project.open(root)


def ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_point_in_time_case_by_case(warehouse: Any, tmp_path: Path) -> None:
    """A candidate who moved and learnt a skill between two loads, one first loaded after applying, an orphan:
    each application sees the versions the warehouse held when it was made (else the first one loaded)."""
    project = feed_project(tmp_path)
    apply(warehouse, project)
    b1, b2, b3 = ts("2026-03-03 06:00"), ts("2026-03-04 06:00"), ts("2026-03-05 06:00")
    src = "jtld.platform.test"
    k = {name: str(uuid.uuid5(uuid.NAMESPACE_URL, name)) for name in ("c1", "c2", "c9", "j", "s1", "s2", "s3", "s4")}
    with warehouse.cursor() as cur:
        cur.execute(
            "INSERT INTO dv_meta.batch (load_dts, status) VALUES (%s, 'succeeded'), (%s, 'succeeded'),"
            " (%s, 'succeeded') RETURNING batch_id",
            (b1, b2, b3),
        )
        n = dict(zip((b1, b2, b3), (r[0] for r in cur.fetchall()), strict=True))

        def insert(table: str, load: dt.datetime, *values: Any) -> None:  # values in the table's column order
            cur.execute(f"INSERT INTO raw_vault.{table} VALUES ({', '.join(['%s'] * len(values))})", values)

        for name, bk in (("c1", 1), ("c2", 2), ("c9", 999)):
            load = b2 if name == "c2" else b1
            insert("hub_candidate", load, k[name], bk, load, src, n[load])
        insert("hub_job", b1, k["j"], 10, b1, src, n[b1])
        for s in (1, 2, 3, 4):
            insert("hub_skill", b1, k[f"s{s}"], s, b1, src, n[b1])
        profile = "sat_candidate_profile"
        # candidate 1: Berlin at 80 EUR with skills 1, 2 (batch 1); Paris at 100 EUR with skills 1, 2, 3 (batch 2)
        for load, applied, city, country, rate, skills in (
            (b1, ts("2026-03-01 10:00"), "Berlin", "DE", "80", (1, 2)),
            (b2, ts("2026-03-03 12:00"), "Paris", "FR", "100", (1, 2, 3)),
        ):
            insert(
                profile,
                load,
                k["c1"],
                load,
                1,
                applied,
                str(uuid.uuid4()),
                src,
                n[load],
                "Medior Data Engineer",
                city,
                country,
                4,
                "immediately",
                Decimal(rate),
                "EUR",
                ts("2025-01-01 00:00"),
            )
            for s in skills:
                insert("msat_candidate_skills", load, k["c1"], s, load, 1, applied, str(uuid.uuid4()), src, n[load], 3)
        # candidate 2: first loaded in batch 2, after applying
        insert(
            profile,
            b2,
            k["c2"],
            b2,
            1,
            ts("2026-03-03 09:00"),
            str(uuid.uuid4()),
            src,
            n[b2],
            "Lead Developer",
            "Berlin",
            "DE",
            12,
            "immediately",
            Decimal("60"),
            "GBP",
            ts("2026-03-03 09:00"),
        )
        insert("msat_candidate_skills", b2, k["c2"], 3, b2, 1, ts("2026-03-03 09:00"), str(uuid.uuid4()), src, n[b2], 4)
        # the job: senior, hourly 70-90 EUR in Berlin; skills 1 and 3 required, 4 nice to have
        insert(
            "sat_job_description",
            b1,
            k["j"],
            b1,
            1,
            ts("2026-02-20 08:00"),
            str(uuid.uuid4()),
            src,
            n[b1],
            "Senior Data Engineer",
            "...",
            "Berlin",
            "DE",
            "hybrid",
            "contract",
            "senior",
            Decimal("70"),
            Decimal("90"),
            "EUR",
            "hour",
            ts("2026-02-20 08:00"),
        )
        for s, requirement in ((1, "required"), (3, "required"), (4, "nice_to_have")):
            hk = str(uuid.uuid5(uuid.NAMESPACE_URL, f"js{s}"))
            insert("link_job_skill", b1, hk, k["j"], k[f"s{s}"], b1, src, n[b1])
            insert(
                "sat_job_skill_requirement",
                b1,
                hk,
                b1,
                1,
                ts("2026-02-20 08:00"),
                str(uuid.uuid4()),
                src,
                n[b1],
                requirement,
            )
        applications = (  # id, candidate, applied_at, load, statuses
            (100, "c1", ts("2026-02-15 09:00"), b1, ("applied", "screening", "interview", "offer", "hired")),
            (101, "c1", ts("2026-03-03 10:00"), b2, ("applied", "screening", "interview", "screening")),
            (102, "c1", ts("2026-03-04 08:00"), b3, ("applied",)),
            (103, "c2", ts("2026-03-03 11:00"), b2, ("applied",)),
            (104, "c9", ts("2026-03-03 11:30"), b2, ()),
        )
        for app_id, cand, applied, load, statuses in applications:
            hk = str(uuid.uuid5(uuid.NAMESPACE_URL, f"a{app_id}"))
            insert("hub_application", load, hk, app_id, load, src, n[load])
            insert(
                "link_application_candidate_job",
                load,
                str(uuid.uuid5(uuid.NAMESPACE_URL, f"l{app_id}")),
                hk,
                k[cand],
                k["j"],
                str(uuid.UUID(int=0)),
                load,
                src,
                n[load],
            )
            insert(
                "sat_application_details",
                load,
                hk,
                load,
                1,
                applied,
                str(uuid.uuid4()),
                src,
                n[load],
                "direct",
                applied,
            )
            for seq, status in enumerate(statuses, start=1):
                insert(
                    "sat_application_status",
                    load,
                    hk,
                    load,
                    seq,
                    applied + dt.timedelta(hours=seq),
                    seq,
                    str(uuid.uuid4()),
                    src,
                    n[load],
                    status,
                )
    warehouse.commit()
    with pytest.raises(WarehouseError, match="never built"):
        export_feed(warehouse, tmp_path / "out")
    build_marts(warehouse, project, force=True)
    exported = export_feed(warehouse, tmp_path / "out")
    assert exported.name == f"batch-{n[b3]:06d}"
    assert json.loads((exported / "schema.json").read_text())["load_dts"] == b3.isoformat()
    assert pq.read_table(exported / "applications.parquet").column("application_id").to_pylist() == list(
        range(100, 105)
    )
    columns = (
        "application_id",
        "candidate_features_as_of",
        "job_features_as_of",
        "features_point_in_time",
        "candidate_city",
        "candidate_desired_rate",
        "candidate_skill_count",
        "required_skills_matched",
        "required_skill_share",
        "skills_matched",
        "skill_share",
        "years_below_band",
        "years_above_band",
        "experience_fit",
        "same_city",
        "same_country",
        "salary_currency_match",
        "salary_fit",
        "salary_ratio",
        "hired",
        "final_status",
    )
    with warehouse.cursor() as cur:
        cur.execute(f"SELECT {', '.join(columns)} FROM marts.feed_match_application ORDER BY application_id")
        found = {r[0]: dict(zip(columns, r, strict=True)) for r in cur.fetchall()}
    b1_berlin = {
        "candidate_city": "Berlin",
        "candidate_desired_rate": Decimal("80.00"),
        "candidate_skill_count": 2,
        "required_skills_matched": 1,
        "required_skill_share": 0.5,
        "skills_matched": 1,
        "skill_share": 0.3333,
        "years_below_band": 2,
        "years_above_band": 0,
        "experience_fit": "below",
        "same_city": True,
        "same_country": True,
        "salary_currency_match": True,
        "salary_fit": "within",
        "salary_ratio": 1.0,
    }
    expected = {
        # applied before the warehouse's first load: the first version loaded (batch 1)
        100: {
            "application_id": 100,
            "candidate_features_as_of": b1,
            "job_features_as_of": b1,
            "features_point_in_time": False,
            **b1_berlin,
            "hired": 1,
            "final_status": "hired",
        },
        # applied after batch 1, before batch 2 loaded the move to Paris: Berlin (A->B->A status: final screening)
        101: {
            "application_id": 101,
            "candidate_features_as_of": ts("2026-03-03 10:00"),
            "job_features_as_of": ts("2026-03-03 10:00"),
            "features_point_in_time": True,
            **b1_berlin,
            "hired": 0,
            "final_status": "screening",
        },
        # applied after batch 2: Paris at 100 EUR with the new skill 3
        102: {
            "application_id": 102,
            "candidate_features_as_of": ts("2026-03-04 08:00"),
            "job_features_as_of": ts("2026-03-04 08:00"),
            "features_point_in_time": True,
            "candidate_city": "Paris",
            "candidate_desired_rate": Decimal("100.00"),
            "candidate_skill_count": 3,
            "required_skills_matched": 2,
            "required_skill_share": 1.0,
            "skills_matched": 2,
            "skill_share": 0.6667,
            "years_below_band": 2,
            "years_above_band": 0,
            "experience_fit": "below",
            "same_city": False,
            "same_country": False,
            "salary_currency_match": True,
            "salary_fit": "above",
            "salary_ratio": 1.25,
            "hired": 0,
            "final_status": "applied",
        },
        # candidate 2 was first loaded by batch 2, after applying: that first version, flagged
        103: {
            "application_id": 103,
            "candidate_features_as_of": b2,
            "job_features_as_of": ts("2026-03-03 11:00"),
            "features_point_in_time": False,
            "candidate_city": "Berlin",
            "candidate_desired_rate": Decimal("60.00"),
            "candidate_skill_count": 1,
            "required_skills_matched": 1,
            "required_skill_share": 0.5,
            "skills_matched": 1,
            "skill_share": 0.3333,
            "years_below_band": 0,
            "years_above_band": 3,
            "experience_fit": "above",
            "same_city": True,
            "same_country": True,
            "salary_currency_match": False,
            "salary_fit": None,
            "salary_ratio": None,
            "hired": 0,
            "final_status": "applied",
        },
        # an orphan candidate: no candidate features, the job's still there; no status row
        104: {
            "application_id": 104,
            "candidate_features_as_of": None,
            "job_features_as_of": ts("2026-03-03 11:30"),
            "features_point_in_time": False,
            "candidate_city": None,
            "candidate_desired_rate": None,
            "candidate_skill_count": None,
            "required_skills_matched": None,
            "required_skill_share": None,
            "skills_matched": None,
            "skill_share": None,
            "years_below_band": None,
            "years_above_band": None,
            "experience_fit": None,
            "same_city": None,
            "same_country": None,
            "salary_currency_match": None,
            "salary_fit": None,
            "salary_ratio": None,
            "hired": 0,
            "final_status": None,
        },
    }
    assert found == expected
