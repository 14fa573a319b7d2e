"""Users and platform-activity marts (model/marts/users.yml) against the platform itself.

Two independent sides, never the raw vault:

- the accounts (kpi_users, kpi_new_registrations): plain SQL on the platform's database (``platform.users``);
- the activity (fact_platform_activity_daily, fact_user_activity_daily, kpi_active_users): the landing event files
  (``landing/events/*.jsonl``) parsed here in Python by the rules the vault follows: a line that is not a JSON
  object, or whose timestamp is no time (ISO 8601 parsing fails: ``2026-02-30T10:15:00Z``, ``31/02/2026 25:61``,
  ``not a time``), is quarantined; an event is counted once per ``event_id`` (the collector writes some twice);
  ``user_id`` null is anonymous; a user id missing from ``platform.users`` is unknown. The marts' plausibility rule
  is applied too: an event before the platform went live (2025-04-01: the epoch of the defect ``bad_timestamp``) or
  after the batch that loaded it is left out (the batch of each file: ``dv_meta.file_log``, its time:
  ``dv_meta.batch``, the run's metadata).

"Now" is the latest load (``dv_meta.batch``): the demo's last batch extracted the platform up to the end of the
last simulated day, so the platform's current rows are what the vault holds now. Every query runs in a session time
zone far from UTC: the marts must bucket by UTC dates all the same.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from generator.hashing import hash_key

pytestmark = pytest.mark.db

LIVE = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)  # the platform went live: no event is older
TYPES = ("job_view", "search", "login", "profile_update", "application_submit")


def rows(dsn: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'Pacific/Kiritimati'")  # UTC+14: a ::date without AT TIME ZONE shows
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        conn.close()


def user_key(user_id: int) -> uuid.UUID:
    """The user hub's hash key, by the Python reference of the hash spec."""
    return uuid.UUID(bytes=hash_key([(user_id, "integer", False)]))


def by_key(found: list[tuple[Any, ...]], width: int) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    out = {tuple(r[:width]): tuple(r) for r in found}
    assert len(out) == len(found), "duplicate keys"
    return out


def assert_same(actual: list[tuple[Any, ...]], expected: list[tuple[Any, ...]], width: int) -> None:
    got, want = by_key(actual, width), by_key(expected, width)
    assert got.keys() == want.keys(), (
        f"missing {sorted(want.keys() - got.keys())[:5]}, unexpected {sorted(got.keys() - want.keys())[:5]}"
    )
    wrong = [(k, got[k], want[k]) for k in sorted(want) if got[k] != want[k]]
    assert not wrong, f"{len(wrong)} of {len(want)} rows differ, e.g. (key, mart, expected) {wrong[:3]}"


# ---------------------------------------------------------------- the click stream, parsed here


@dataclass
class Event:
    type: str
    user_id: int | None
    at: dt.datetime
    loaded: dt.datetime  # load time of the first batch that delivered it


@dataclass
class ClickStream:
    events: dict[str, Event]  # by event_id: the plausible events
    lines: int = 0
    not_json: int = 0
    bad_time: int = 0
    duplicates: int = 0  # deliveries of an event_id seen before
    implausible: set[str] = field(default_factory=set)  # event ids with a time before the launch or after the load
    platform_users: set[int] = field(default_factory=set)

    def date(self, e: Event) -> dt.date:
        return e.at.astimezone(dt.UTC).date()

    def known(self, e: Event) -> bool:
        return e.user_id is not None and e.user_id in self.platform_users


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def parse_click_stream(landing: Path, dsn: str, source_dsn: str) -> ClickStream:
    load_of = {
        path: loaded
        for path, loaded in rows(
            dsn,
            """SELECT f.path, min(b.load_dts)
                 FROM dv_meta.file_log AS f
                 JOIN dv_meta.batch AS b ON b.batch_id = f.batch_id
                WHERE f.path LIKE 'events/%%' AND f.status IN ('loaded', 'truncated')
                GROUP BY f.path""",
        )
    }
    files = sorted((landing / "events").glob("*.jsonl"))
    assert files and len(load_of) == len(files), "every events file of the landing folder was loaded by a batch"
    stream = ClickStream(events={})
    stream.platform_users = {u for (u,) in rows(source_dsn, "SELECT user_id FROM platform.users")}
    seen: dict[str, Event] = {}
    for path in files:
        loaded = load_of[f"events/{path.name}"]
        for line in path.read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            stream.lines += 1
            try:
                obj = json.loads(line)
            except ValueError:
                stream.not_json += 1
                continue
            if not isinstance(obj, dict):
                stream.not_json += 1
                continue
            at = _time(obj.get("timestamp"))
            if at is None:
                stream.bad_time += 1
                continue
            event_id = obj["event_id"]
            if event_id in seen:
                stream.duplicates += 1
                earlier = seen[event_id]
                assert (earlier.type, earlier.user_id, earlier.at) == (obj["type"], obj["user_id"], at)
                earlier.loaded = min(earlier.loaded, loaded)
                continue
            seen[event_id] = Event(obj["type"], obj["user_id"], at, loaded)
    for event_id, e in seen.items():
        if e.at < LIVE or e.at > e.loaded:
            stream.implausible.add(event_id)
        else:
            stream.events[event_id] = e
    return stream


@pytest.fixture(scope="module")
def demo(demo_marts: Any) -> Any:
    return demo_marts


@pytest.fixture(scope="module")
def clicks(demo: Any) -> ClickStream:
    return parse_click_stream(Path(demo.landing), demo.dsn, demo.source_dsn)


def test_the_event_files_hold_every_case_the_marts_define(clicks: ClickStream) -> None:
    """The demo's files exercise each rule: quarantined lines, duplicates, the epoch, anonymous and unknown users."""
    assert clicks.not_json > 0 and clicks.bad_time > 0 and clicks.duplicates > 0
    assert clicks.implausible, "the epoch (defect bad_timestamp) is in the files and left out"
    assert {e.type for e in clicks.events.values()} == set(TYPES)
    assert any(e.user_id is None for e in clicks.events.values())
    assert any(e.user_id is not None and not clicks.known(e) for e in clicks.events.values())


# ---------------------------------------------------------------- activity


def test_fact_platform_activity_daily_equals_event_files(demo: Any, clicks: ClickStream) -> None:
    events: dict[tuple[dt.date, str], int] = defaultdict(int)
    users: dict[tuple[dt.date, str], set[int]] = defaultdict(set)
    anonymous: dict[tuple[dt.date, str], int] = defaultdict(int)
    unknown: dict[tuple[dt.date, str], int] = defaultdict(int)
    for e in clicks.events.values():
        k = (clicks.date(e), e.type)
        events[k] += 1
        if e.user_id is None:
            anonymous[k] += 1
        elif clicks.known(e):
            users[k].add(e.user_id)
        else:
            unknown[k] += 1
    expected = [(d, t, n, len(users[(d, t)]), anonymous[(d, t)], unknown[(d, t)]) for (d, t), n in events.items()]
    actual = rows(
        demo.dsn,
        """SELECT activity_date, event_type, events, users, anonymous_events, unknown_user_events
             FROM marts.fact_platform_activity_daily""",
    )
    assert_same(actual, expected, width=2)
    assert sum(r[2] for r in actual) == len(clicks.events)
    assert min(r[0] for r in actual) >= LIVE.date(), "the epoch is left out"


def test_fact_user_activity_daily_equals_event_files(demo: Any, clicks: ClickStream) -> None:
    counts: dict[tuple[dt.date, int], list[int]] = defaultdict(lambda: [0] * len(TYPES))
    for e in clicks.events.values():
        if clicks.known(e):
            assert e.user_id is not None
            counts[(clicks.date(e), e.user_id)][TYPES.index(e.type)] += 1
    expected = [(d, u, user_key(u), sum(c), *c) for (d, u), c in counts.items()]
    actual = [
        (d, u, uuid.UUID(k), *rest)
        for d, u, k, *rest in rows(
            demo.dsn,
            """SELECT activity_date, user_id, user_key, events, job_views, searches, logins, profile_updates,
                      application_submits
                 FROM marts.fact_user_activity_daily""",
        )
    ]
    assert_same(actual, expected, width=2)


def test_kpi_active_users_equals_event_files(demo: Any, clicks: ClickStream) -> None:
    days = sorted({clicks.date(e) for e in clicks.events.values()})
    active: dict[dt.date, set[int]] = defaultdict(set)
    for e in clicks.events.values():
        if clicks.known(e):
            assert e.user_id is not None
            active[clicks.date(e)].add(e.user_id)

    def window(d: dt.date, n: int) -> tuple[int, int]:
        dates = [d - dt.timedelta(days=i) for i in range(n)]
        return len(set().union(*(active[x] for x in dates))), sum(1 for x in dates if x in days)

    expected = []
    for d in days:
        dau = len(active[d])
        wau, days_7d = window(d, 7)
        mau, days_30d = window(d, 30)
        pct = (Decimal(100 * dau) / Decimal(mau)).quantize(Decimal("0.01"), ROUND_HALF_UP) if mau else None
        expected.append((d, dau, wau, mau, days_7d, days_30d, pct))
    actual = rows(
        demo.dsn, "SELECT activity_date, dau, wau, mau, days_7d, days_30d, dau_mau_pct FROM marts.kpi_active_users"
    )
    assert len(days) >= 3, "the demo's three days"
    assert_same(actual, expected, width=1)
    assert any(r[2] > r[1] for r in expected), "the weekly window holds more users than one day"


# ---------------------------------------------------------------- accounts


def now(demo: Any) -> dt.datetime:
    """The latest load: the moment "now" figures describe."""
    ((at,),) = rows(demo.dsn, "SELECT max(load_dts) FROM dv_meta.batch WHERE status = 'succeeded'")
    return at


def test_kpi_users_equals_platform_users(demo: Any) -> None:
    as_of = now(demo)
    expected = rows(
        demo.source_dsn,
        """WITH now AS (SELECT %s::timestamptz AS as_of)
           SELECT n.as_of, count(*),
                  count(*) FILTER (WHERE u.role = 'candidate'), count(*) FILTER (WHERE u.role = 'employer'),
                  count(*) FILTER (WHERE u.role = 'admin'),
                  count(*) FILTER (WHERE u.status = 'active'), count(*) FILTER (WHERE u.status = 'suspended'),
                  count(*) FILTER (WHERE u.status = 'deleted'),
                  count(*) FILTER (WHERE u.last_login_at > n.as_of - interval '1 day' AND u.last_login_at <= n.as_of),
                  count(*) FILTER (WHERE u.last_login_at > n.as_of - interval '7 days' AND u.last_login_at <= n.as_of),
                  count(*) FILTER (WHERE u.last_login_at > n.as_of - interval '30 days' AND u.last_login_at <= n.as_of),
                  count(*) FILTER (WHERE u.last_login_at IS NULL)
             FROM platform.users AS u
            CROSS JOIN now AS n
            GROUP BY n.as_of""",
        (as_of,),
    )
    actual = rows(
        demo.dsn,
        """SELECT as_of, users, candidates, employer_users, admins, active_users, suspended_users, erased_users,
                  signed_in_1d, signed_in_7d, signed_in_30d, never_signed_in
             FROM marts.kpi_users""",
    )
    assert actual == expected
    (row,) = expected
    assert row[1] == row[2] + row[3] + row[4]
    assert row[7] > 0, "the demo has erased users"
    assert 0 < row[8] < row[9] < row[10] <= row[1], "each login window holds more users than the shorter one"


def test_kpi_new_registrations_equals_platform_users(demo: Any) -> None:
    as_of = now(demo)
    expected = rows(
        demo.source_dsn,
        """SELECT (registered_at AT TIME ZONE 'UTC')::date, role, count(*)
             FROM platform.users
            WHERE registered_at <= %s
            GROUP BY 1, 2""",
        (as_of,),
    )
    actual = rows(demo.dsn, "SELECT registration_date, role, registrations FROM marts.kpi_new_registrations")
    assert_same(actual, expected, width=2)
    # every user is on their registration day, except those the defect registered_in_future dates after the load
    ((users,),) = rows(demo.source_dsn, "SELECT count(*) FROM platform.users")
    ((future,),) = rows(demo.source_dsn, "SELECT count(*) FROM sim.defects WHERE kind = 'registered_in_future'")
    assert future > 0
    assert sum(r[2] for r in actual) == users - future
