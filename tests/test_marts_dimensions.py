"""Dimensions of the marts (model/marts/dimensions.yml) against the platform itself.

Type 1 dimensions (dim_candidate, dim_employer, dim_job, dim_skill) equal the platform's current rows, computed
again with plain SQL on the platform's database (schema ``platform``, never the raw vault); their hash keys come
from the Python reference of the hash spec (``generator.hashing``). Type 2 dimensions hold the profile changes the
simulation logged (``sim.profile_changes``) as versions starting at the change, their intervals tile each key's
timeline, and their open version equals the type 1 row. The calendar is checked day by day with Python's
``datetime``, and covers every date of every fact.

The demo warehouse (``demo_marts``: three simulated days, one batch each, the marts built after each) holds the
platform as it stands at the end of the last day. The first batch loads the platform's history together with day 1,
so the vault knows no state before it: a day-1 change has no earlier version holding its old value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import psycopg2
import pytest
import yaml

from generator.hashing import hash_key
from tests.conftest import REPO

pytestmark = pytest.mark.db

MODEL = REPO / "model" / "marts" / "dimensions.yml"
DIMENSIONS = {d["name"]: d for d in yaml.safe_load_all(MODEL.read_text(encoding="utf-8")) if d}
VALIDITY = ("valid_from", "valid_to", "is_current")
INFINITY = "infinity"
# type 2 dimension -> (its type 1 dimension, entity key column, version key column)
HISTORIES = {
    "dim_candidate_history": ("dim_candidate", "candidate_key", "candidate_version_key"),
    "dim_employer_history": ("dim_employer", "employer_key", "employer_version_key"),
    "dim_job_history": ("dim_job", "job_key", "job_version_key"),
    "dim_skill_history": ("dim_skill", "skill_key", "skill_version_key"),
}
PROFILE_FIELDS = ("headline", "city", "availability", "desired_rate")


def key(value: Any, family: str = "integer") -> uuid.UUID:
    """The hub hash key of a one-part business key, by the Python reference of the hash spec."""
    return uuid.UUID(bytes=hash_key([(value, family, False)]))


def location_key(country_code: str | None, city: str | None) -> uuid.UUID | None:
    if country_code is None or city is None:
        return None
    return uuid.UUID(hashlib.md5(f"{country_code}|{city}".encode()).hexdigest())


def version_key_of(hk: uuid.UUID, valid_from: dt.datetime) -> uuid.UUID:
    """md5(hk::text || '|' || (valid_from AT TIME ZONE 'UTC')::text)::uuid, PostgreSQL's text of a timestamp
    without time zone: no trailing zeros in the fraction, none at all when it is zero."""
    text = valid_from.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return uuid.UUID(hashlib.md5(f"{hk}|{text}".encode()).hexdigest())


def query(dsn: str, sql: str, params: tuple[Any, ...] | None = None) -> list[dict[str, Any]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            # A session time zone far from UTC: nothing may depend on it.
            cur.execute("SET TIME ZONE 'Pacific/Kiritimati'")
            cur.execute(sql, params)
            names = [c.name for c in cur.description]
            return [dict(zip(names, (_plain(v) for v in r), strict=True)) for r in cur.fetchall()]
    finally:
        conn.close()


def _plain(value: Any) -> Any:
    return uuid.UUID(value) if isinstance(value, str) and len(value) == 36 and value.count("-") == 4 else value


def assert_same(actual: list[dict[str, Any]], expected: list[dict[str, Any]], key_col: str) -> None:
    got = {r[key_col]: r for r in actual}
    want = {r[key_col]: r for r in expected}
    assert len(got) == len(actual) and len(want) == len(expected), "duplicate keys"
    assert got.keys() == want.keys(), (
        f"missing {sorted(want.keys() - got.keys())[:5]}, unexpected {sorted(got.keys() - want.keys())[:5]}"
    )
    wrong = [(k, got[k], want[k]) for k in sorted(want) if {c: got[k][c] for c in want[k]} != want[k]]
    assert not wrong, f"{len(wrong)} rows differ, e.g. {wrong[:2]}"


@pytest.fixture(scope="module")
def dsns(demo_marts: Any) -> Iterator[tuple[str, str]]:
    yield demo_marts.dsn, demo_marts.source_dsn


# ---------------------------------------------------------------- shape


@pytest.mark.parametrize("name", sorted(DIMENSIONS))
def test_columns_equal_yaml(dsns: tuple[str, str], name: str) -> None:
    """Every dimension's built columns are its YAML ``columns``, in order; keys unique and not NULL."""
    dsn, _ = dsns
    built = query(
        dsn,
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped"
        " ORDER BY attnum",
        (f"marts.{name}",),
    )
    declared = [c["name"] for c in DIMENSIONS[name]["columns"]]
    assert [r["attname"] for r in built] == declared
    cols = ", ".join(DIMENSIONS[name]["key"])
    (stats,) = query(
        dsn,
        f"SELECT count(*) AS n, count(DISTINCT ({cols})) AS distinct_keys,"
        f" count(*) FILTER (WHERE ({cols}) IS NULL) AS null_keys FROM marts.{name}",
    )
    assert stats["n"] > 0 and stats["distinct_keys"] == stats["n"] and stats["null_keys"] == 0


def test_no_personal_data(dsns: tuple[str, str]) -> None:
    """No dimension has a personal column, and no e-mail address or full name of the platform shows in the
    candidate dimensions."""
    dsn, source = dsns
    personal = {"full_name", "email", "resume_text", "file_path"}
    for name, doc in DIMENSIONS.items():
        assert not personal & {c["name"] for c in doc["columns"]}, name
    people = query(source, "SELECT email, full_name FROM platform.users WHERE email IS NOT NULL")
    secrets = {r["email"] for r in people} | {r["full_name"] for r in people}
    for name in ("dim_candidate", "dim_candidate_history"):
        for row in query(dsn, f"SELECT * FROM marts.{name}"):
            assert not secrets & {v for v in row.values() if isinstance(v, str)}, row


# ---------------------------------------------------------------- type 1 against the platform


def test_dim_candidate_equals_platform(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    expected = [
        {
            **r,
            "candidate_key": key(r["candidate_id"]),
            "user_key": key(r["user_id"]),
            "location_key": location_key(r["country_code"], r["city"]),
            "is_orphan": False,
        }
        for r in query(
            source,
            """SELECT p.candidate_id, u.user_id, u.registered_at, u.status AS account_status,
                      u.status = 'deleted' AS is_erased, p.headline, p.city, p.country_code,
                      p.years_experience, p.availability, p.desired_rate, p.rate_currency
                 FROM platform.candidate_profiles AS p
                 JOIN platform.users AS u ON u.user_id = p.candidate_id""",
        )
    ]
    actual = query(dsn, "SELECT * FROM marts.dim_candidate WHERE NOT is_orphan")
    assert_same(actual, expected, "candidate_id")
    assert any(r["is_erased"] for r in actual), "the demo erases candidates: some must show as erased"
    erased = [r for r in actual if r["is_erased"]]
    assert all(r["headline"] is None and r["desired_rate"] is None for r in erased)
    # orphans: keys only referenced (applications of candidates that exist nowhere), without attributes
    orphans = query(dsn, "SELECT * FROM marts.dim_candidate WHERE is_orphan AND candidate_id IS NOT NULL")
    referenced = {
        r["candidate_id"]
        for r in query(
            source,
            """SELECT candidate_id FROM platform.applications
                WHERE candidate_id NOT IN (SELECT candidate_id FROM platform.candidate_profiles)""",
        )
    }
    assert referenced and referenced <= {r["candidate_id"] for r in orphans}
    profiles = {r["candidate_id"] for r in expected}
    for r in orphans:
        assert r["candidate_id"] not in profiles and r["candidate_key"] == key(r["candidate_id"])
        assert r["headline"] is None and r["account_status"] is None and r["user_key"] is None


def test_dim_employer_equals_platform(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    expected = [
        {**r, "employer_key": key(r["employer_id"]), "is_orphan": False}
        for r in query(
            source,
            "SELECT employer_id, name, industry, size_band, country_code, created_at FROM platform.employers",
        )
    ]
    assert_same(query(dsn, "SELECT * FROM marts.dim_employer WHERE NOT is_orphan"), expected, "employer_id")
    known = {r["employer_id"] for r in expected}
    for r in query(dsn, "SELECT * FROM marts.dim_employer WHERE is_orphan AND employer_id IS NOT NULL"):
        assert r["employer_id"] not in known and r["name"] is None


def test_dim_job_equals_platform(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    expected = [
        {
            **r,
            "job_key": key(r["job_id"]),
            "employer_key": key(r["employer_id"]),
            "location_key": location_key(r["country_code"], r["city"]),
            "is_orphan": False,
        }
        for r in query(
            source,
            """SELECT job_id, employer_id, title, city, country_code, remote, contract_type, seniority,
                      salary_min, salary_max, salary_currency, salary_period, status, created_at, posted_at,
                      expires_at, filled_at
                 FROM platform.jobs""",
        )
    ]
    assert_same(query(dsn, "SELECT * FROM marts.dim_job WHERE NOT is_orphan"), expected, "job_id")
    orphans = query(dsn, "SELECT * FROM marts.dim_job WHERE is_orphan AND job_id IS NOT NULL")
    referenced = {
        r["job_id"]
        for r in query(
            source, "SELECT job_id FROM platform.applications WHERE job_id NOT IN (SELECT job_id FROM platform.jobs)"
        )
    }
    assert referenced and referenced <= {r["job_id"] for r in orphans}
    known = {r["job_id"] for r in expected}
    assert all(r["job_id"] not in known and r["title"] is None and r["status"] is None for r in orphans)


def test_dim_skill_equals_platform(dsns: tuple[str, str]) -> None:
    dsn, source = dsns
    expected = [
        {
            **r,
            "skill_key": key(r["skill_id"]),
            "parent_skill_key": None if r["parent_skill_id"] is None else key(r["parent_skill_id"]),
            "is_orphan": False,
        }
        for r in query(
            source,
            """SELECT s.skill_id, s.name AS skill_name, s.category, s.parent_skill_id,
                      p.name AS parent_skill_name
                 FROM platform.skills AS s LEFT JOIN platform.skills AS p ON p.skill_id = s.parent_skill_id""",
        )
    ]
    actual = query(dsn, "SELECT * FROM marts.dim_skill WHERE skill_id IS NOT NULL")
    assert_same(actual, expected, "skill_id")
    assert any(r["parent_skill_id"] is not None for r in actual)


@pytest.mark.parametrize(
    ("table", "key_col", "bk_col"),
    [
        ("dim_candidate", "candidate_key", "candidate_id"),
        ("dim_employer", "employer_key", "employer_id"),
        ("dim_job", "job_key", "job_id"),
        ("dim_skill", "skill_key", "skill_id"),
    ],
)
def test_type1_has_the_unknown_member(dsns: tuple[str, str], table: str, key_col: str, bk_col: str) -> None:
    """The zero key (a fact's "no such party") joins one row: the unknown member, an orphan without a key."""
    dsn, _ = dsns
    rows = query(dsn, f"SELECT * FROM marts.{table} WHERE {key_col} = '00000000-0000-0000-0000-000000000000'")
    assert len(rows) == 1 and rows[0][bk_col] is None and rows[0]["is_orphan"] is True
    assert query(dsn, f"SELECT count(*) AS n FROM marts.{table} WHERE {bk_col} IS NULL") == [{"n": 1}]


def test_dim_location(dsns: tuple[str, str]) -> None:
    """Every current place of a profile or job is a location; every location_key of the candidate and job
    dimensions (current and history) resolves; the key is md5(country_code || '|' || city)."""
    dsn, source = dsns
    locations = query(dsn, "SELECT * FROM marts.dim_location")
    by_key = {r["location_key"]: r for r in locations}
    for r in locations:
        assert r["location_key"] == location_key(r["country_code"], r["city"])
        assert r["seen_in_candidates"] or r["seen_in_jobs"]
    pairs = {(r["country_code"], r["city"]) for r in locations}
    for table, flag in (("candidate_profiles", "seen_in_candidates"), ("jobs", "seen_in_jobs")):
        current = query(
            source,
            f"SELECT DISTINCT country_code, city FROM platform.{table}"
            " WHERE city IS NOT NULL AND country_code IS NOT NULL",
        )
        assert current and {(r["country_code"], r["city"]) for r in current} <= pairs, table
        assert all(by_key[location_key(r["country_code"], r["city"])][flag] for r in current), table
    for name in ("dim_candidate", "dim_candidate_history", "dim_job", "dim_job_history"):
        keys = query(dsn, f"SELECT DISTINCT location_key FROM marts.{name} WHERE location_key IS NOT NULL")
        assert keys and {r["location_key"] for r in keys} <= by_key.keys(), name


# ---------------------------------------------------------------- type 2


def _attributes(name: str) -> list[str]:
    version_key = HISTORIES[name][2]
    return [c["name"] for c in DIMENSIONS[name]["columns"] if c["name"] not in (version_key, *VALIDITY)]


@pytest.mark.parametrize("name", sorted(HISTORIES))
def test_history_intervals(dsns: tuple[str, str], name: str) -> None:
    """Per key: intervals follow each other without gap or overlap, exactly the last is open and current,
    consecutive versions differ, and the version key is md5(hk || '|' || valid_from in UTC)."""
    dsn, _ = dsns
    _, entity_key, version_key = HISTORIES[name]
    rows = query(
        dsn,
        f"SELECT *, (valid_to = 'infinity') AS open_ended FROM marts.{name} ORDER BY {entity_key}, valid_from",
    )
    attributes = _attributes(name)
    by_entity: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for r in rows:
        by_entity.setdefault(r[entity_key], []).append(r)
    for versions in by_entity.values():
        assert [v["is_current"] for v in versions] == [False] * (len(versions) - 1) + [True]
        assert [v["open_ended"] for v in versions] == [False] * (len(versions) - 1) + [True]
        for before, after in itertools.pairwise(versions):
            assert before["valid_from"] < before["valid_to"] == after["valid_from"]
            assert [before[c] for c in attributes] != [after[c] for c in attributes], (before, after)
        for v in versions:
            assert v[version_key] == version_key_of(v[entity_key], v["valid_from"])
    (overlaps,) = query(
        dsn,
        f"""SELECT count(*) AS n FROM marts.{name} AS a JOIN marts.{name} AS b
               ON a.{entity_key} = b.{entity_key} AND a.{version_key} <> b.{version_key}
              AND a.valid_from < b.valid_to AND b.valid_from < a.valid_to""",
    )
    assert overlaps["n"] == 0


@pytest.mark.parametrize("name", sorted(HISTORIES))
def test_current_version_equals_type1(dsns: tuple[str, str], name: str) -> None:
    """The open version of each key holds the type 1 row's attributes; every known entity has history."""
    dsn, _ = dsns
    current_dim, entity_key, _ = HISTORIES[name]
    shared = [c for c in _attributes(name) if c in {d["name"] for d in DIMENSIONS[current_dim]["columns"]}]
    current = query(dsn, f"SELECT {', '.join(shared)} FROM marts.{name} WHERE is_current")
    type1 = query(dsn, f"SELECT {', '.join(shared)} FROM marts.{current_dim} WHERE NOT is_orphan")
    assert_same(current, type1, entity_key)


def _qualifying_changes(source: str) -> list[dict[str, Any]]:
    """Profile changes of days >= 1 in headline, city, availability or desired rate that a daily batch can see
    as a version of their own: the candidate's last profile change of that day (any field: a skill or language
    change moves the profile's updated_at too), of a candidate not erased since."""
    return query(
        source,
        f"""WITH ranked AS (
                SELECT c.*,
                       row_number() OVER (PARTITION BY c.candidate_id, c.day ORDER BY c.changed_at DESC,
                                          c.change_id DESC) AS from_last,
                       count(*) OVER (PARTITION BY c.candidate_id, c.day, c.field) AS same_field_that_day
                  FROM sim.profile_changes AS c
                 WHERE c.day >= 1
            )
            SELECT r.change_id, r.day, r.changed_at, r.candidate_id, r.field, r.old_value, r.new_value,
                   r.same_field_that_day, p.created_at AS profile_created_at,
                   s.first_day + (r.day - 1) AS change_date
              FROM ranked AS r
              JOIN platform.candidate_profiles AS p ON p.candidate_id = r.candidate_id
              JOIN platform.users AS u ON u.user_id = r.candidate_id
             CROSS JOIN sim.run AS s
             WHERE r.from_last = 1 AND r.field IN {PROFILE_FIELDS!r} AND u.status <> 'deleted'
             ORDER BY r.change_id""",
    )


def _value(field: str, text: str | None) -> Any:
    return Decimal(text) if field == "desired_rate" and text is not None else text


def test_profile_changes_are_versions(dsns: tuple[str, str]) -> None:
    """A logged change starts a version holding exactly its new value. For changes after the first batch
    (day >= 2) the version before holds the old value; for day 1 (loaded with the history by the first batch)
    no earlier version claims a value of the field: the vault does not know it."""
    dsn, source = dsns
    changes = _qualifying_changes(source)
    later = [c for c in changes if c["day"] >= 2]
    assert changes and later, "the demo's simulated days change profiles"
    history = query(
        dsn,
        "SELECT candidate_id, valid_from, valid_to, headline, city, availability, desired_rate"
        " FROM marts.dim_candidate_history ORDER BY candidate_id, valid_from",
    )
    for change in changes:
        field, cid = change["field"], change["candidate_id"]
        versions = [v for v in history if v["candidate_id"] == cid]
        starting = [v for v in versions if v["valid_from"] == change["changed_at"]]
        assert len(starting) == 1, change
        assert starting[0][field] == _value(field, change["new_value"]), (change, starting[0])
        before = [v for v in versions if v["valid_to"] <= change["changed_at"]]
        if change["day"] >= 2:
            if change["same_field_that_day"] > 1:
                continue  # the old value of a second change the same day was never extracted
            day_start = dt.datetime.combine(change["change_date"], dt.time(), tzinfo=dt.UTC)
            assert change["profile_created_at"] < day_start, change  # the previous batch saw the profile
            previous = [v for v in versions if v["valid_to"] == change["changed_at"]]
            assert len(previous) == 1, change
            assert previous[0][field] == _value(field, change["old_value"]), (change, previous[0])
        else:
            assert all(v[field] is None for v in before), (change, before)


@pytest.mark.parametrize(("table", "entity", "required"), [("jobs", "job", True), ("employers", "employer", False)])
def test_changes_after_first_batch_are_versions(dsns: tuple[str, str], table: str, entity: str, required: bool) -> None:
    """A job (employer) that existed at the first batch and changed on a later day (its updated_at, set by every
    change, falls after day 1) has a version starting at that change, the current one, and one before it."""
    dsn, source = dsns
    changed = query(
        source,
        f"""SELECT t.{entity}_id AS id, t.updated_at FROM platform.{table} AS t CROSS JOIN sim.run AS s
             WHERE t.created_at < (s.first_day + 1)::timestamp AT TIME ZONE 'UTC'
               AND t.updated_at >= (s.first_day + 1)::timestamp AT TIME ZONE 'UTC'""",
    )
    if required:
        assert changed, f"the demo changes {table} after day 1"
    history = query(dsn, f"SELECT {entity}_id AS id, valid_from, valid_to, is_current FROM marts.dim_{entity}_history")
    for c in changed:
        versions = sorted((v for v in history if v["id"] == c["id"]), key=lambda v: v["valid_from"])
        assert len(versions) >= 2 and versions[-1]["valid_from"] == c["updated_at"], (c, versions)
        assert versions[-1]["is_current"] and versions[-2]["valid_to"] == c["updated_at"], (c, versions)


# ---------------------------------------------------------------- calendar


def test_dim_date_calendar(dsns: tuple[str, str]) -> None:
    dsn, _ = dsns
    rows = query(dsn, "SELECT * FROM marts.dim_date ORDER BY date")
    first, last = dt.date(2024, 1, 1), dt.date(2027, 12, 31)
    assert [r["date"] for r in rows] == [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    for r in rows:
        d: dt.date = r["date"]
        iso = d.isocalendar()
        assert r == {
            "date_key": int(d.strftime("%Y%m%d")),
            "date": d,
            "year": d.year,
            "quarter": (d.month - 1) // 3 + 1,
            "month": d.month,
            "month_name": d.strftime("%B"),
            "day_of_month": d.day,
            "iso_year": iso.year,
            "iso_week": iso.week,
            "week_start": d - dt.timedelta(days=iso.weekday - 1),
            "day_of_week": iso.weekday,
            "day_name": d.strftime("%A"),
            "is_weekend": iso.weekday >= 6,
            "month_start": d.replace(day=1),
        }


def test_dim_date_covers_fact_dates(dsns: tuple[str, str]) -> None:
    """Every date column and every integer date_key / *_date_key column of every fact finds its day in
    dim_date."""
    dsn, _ = dsns
    columns = query(
        dsn,
        """SELECT c.table_name, c.column_name, c.data_type
             FROM information_schema.columns AS c
            WHERE c.table_schema = 'marts' AND c.table_name LIKE 'fact\\_%%'
              AND (c.data_type = 'date' OR (c.data_type = 'integer'
                   AND (c.column_name = 'date_key' OR c.column_name LIKE '%%\\_date\\_key')))
            ORDER BY 1, 2""",
    )
    assert len(columns) >= 10, f"the facts' date columns: {columns}"
    for col in columns:
        target = "date" if col["data_type"] == "date" else "date_key"
        (missing,) = query(
            dsn,
            f"""SELECT count(*) AS n, min(f.{col["column_name"]}::text) AS example
                  FROM marts.{col["table_name"]} AS f
                 WHERE f.{col["column_name"]} IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM marts.dim_date AS d WHERE d.{target} = f.{col["column_name"]})""",
        )
        assert missing["n"] == 0, (col, missing)
