"""``dv demo-data``: the synthetic JTLD platform (database and files) at scale 0.01.

One module-scoped fixture runs the generator four times into a source
database of this test run's own (created by the first run, dropped at the
end): seed 1 for 3 days (through the CLI), the same again, seed 2, and seed 1
for 4 days. The tests compare those runs and check the last one's database
and files against the defect manifest.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import psycopg2.extensions
import pytest

from generator.errors import WarehouseError
from pipelines.cli import main
from pipelines.demo.platform.clock import Config
from pipelines.demo.platform.run import run
from pipelines.demo.platform.schema import PLATFORM_TABLES, TABLES
from tests.conftest import drop_database

pytestmark = pytest.mark.db

SCALE = 0.01
DAY_COLUMN = {t: "updated_at" for t in PLATFORM_TABLES} | {
    "job_skills": "created_at",
    "application_status_history": "changed_at",
}
CHILDREN = {"candidate_languages", "candidate_skills"}  # rows vanish when their candidate is erased


@dataclass
class Snapshot:
    checksums: dict[str, str]  # table -> md5 of its ordered COPY output
    rows: dict[str, dict[str, tuple[str, str]]]  # platform table -> key -> (row text, date of its day column)
    files: dict[str, str]  # path under the landing folder -> md5
    landing: Path


@dataclass
class Runs:
    dsn: str
    first: Snapshot  # seed 1, 3 days
    again: Snapshot  # seed 1, 3 days, another landing folder
    other: Snapshot  # seed 2, 3 days
    longer: Snapshot  # seed 1, 4 days: what the database holds at the end


def _key_sql(table: str) -> str:
    key = next(t.key for t in TABLES if t.name == table)
    return " || '|' || ".join(f"{k}::text" for k in key)


def snapshot(dsn: str, landing: Path) -> Snapshot:
    conn = psycopg2.connect(dsn)
    checksums, rows = {}, {}
    try:
        with conn.cursor() as cur:
            for t in TABLES:
                digest = hashlib.md5()
                order = ", ".join(t.key)
                cur.copy_expert(f"COPY (SELECT * FROM {t.qualified} ORDER BY {order}) TO STDOUT", _Hasher(digest))
                checksums[t.qualified] = digest.hexdigest()
                if t.schema == "platform":
                    cur.execute(
                        f"SELECT {_key_sql(t.name)}, x::text, ({DAY_COLUMN[t.name]} AT TIME ZONE 'UTC')::date::text"
                        f" FROM {t.qualified} x"
                    )
                    rows[t.name] = {k: (r, d) for k, r, d in cur.fetchall()}
    finally:
        conn.close()
    files = {
        str(p.relative_to(landing)): hashlib.md5(p.read_bytes()).hexdigest() for p in landing.rglob("*") if p.is_file()
    }
    return Snapshot(checksums, rows, files, landing)


class _Hasher(io.RawIOBase):
    def __init__(self, digest: hashlib._Hash) -> None:
        self.digest = digest

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.digest.update(data)
        return len(data)


@pytest.fixture(scope="module")
def runs(test_dsn: str, server_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    params = psycopg2.extensions.parse_dsn(test_dsn)
    dsn = psycopg2.extensions.make_dsn(**{**params, "dbname": f"{params['dbname']}_platform"})
    base = tmp_path_factory.mktemp("platform")
    try:
        code = main(["demo-data", "--scale", str(SCALE), "--days", "3", "--seed", "1",
                     "--landing", str(base / "first"), "--source-dsn", dsn])  # fmt: skip
        assert code == 0
        first = snapshot(dsn, base / "first")
        run(Config(seed=1, scale=SCALE, days=3), base / "again", dsn)
        again = snapshot(dsn, base / "again")
        run(Config(seed=2, scale=SCALE, days=3), base / "other", dsn)
        other = snapshot(dsn, base / "other")
        run(Config(seed=1, scale=SCALE, days=4), base / "longer", dsn)
        yield Runs(dsn, first, again, other, snapshot(dsn, base / "longer"))
    finally:
        admin = psycopg2.connect(server_dsn)
        admin.autocommit = True
        with admin.cursor() as cur:
            name = psycopg2.extensions.parse_dsn(dsn)["dbname"]
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            drop_database(cur, name)
        admin.close()


def query(dsn: str, sql: str) -> list[tuple]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        conn.close()


def manifest(s: Snapshot) -> list[dict]:
    return json.loads((s.landing / "defects.json").read_text(encoding="utf-8"))["defects"]


def recorded(s: Snapshot, feed: str, kind: str, location: str | None = None) -> set[str]:
    return {d["key"] for d in manifest(s) if d["feed"] == feed and d["kind"] == kind
            and (location is None or d["location"] == location)}  # fmt: skip


# --- reproducibility -------------------------------------------------------------------------------------------


def test_same_seed_gives_identical_tables_and_files(runs: Runs) -> None:
    assert runs.first.checksums == runs.again.checksums
    assert runs.first.files == runs.again.files
    assert {p.split("/")[0] for p in runs.first.files} == {"events", "board_a", "board_b", "crm", "defects.json"}


def test_another_seed_gives_other_data(runs: Runs) -> None:
    same = [t for t, c in runs.first.checksums.items() if runs.other.checksums[t] == c]
    assert same == ["platform.skills"]  # the taxonomy is fixed; everything else is drawn
    for feed in ("events", "board_a", "board_b", "crm"):
        paths = [p for p in runs.first.files if p.startswith(feed)]
        assert any(runs.other.files.get(p) != runs.first.files[p] for p in paths), feed


def test_one_more_day_changes_only_that_day(runs: Runs) -> None:
    day4 = "2026-03-05"
    before, after = runs.first.rows, runs.longer.rows
    profiles = after["candidate_profiles"]
    for table in PLATFORM_TABLES:
        for key, (row, day) in after[table].items():
            old = before[table].get(key)
            if old is None or old[0] != row:
                assert day == day4, f"{table} {key}: new or changed, but its {DAY_COLUMN[table]} is {day}"
        for key in before[table].keys() - after[table].keys():
            assert table in CHILDREN, f"{table} {key} vanished"
            assert profiles[key.split("|")[0]][1] == day4, f"{table} {key} vanished, its candidate did not change"
    assert any(day == day4 for _, day in after["applications"].values())


def test_one_more_day_adds_files_of_that_day_only(runs: Runs) -> None:
    first, longer = runs.first.files, runs.longer.files
    for path, digest in first.items():
        if path != "defects.json":
            assert longer.get(path) == digest, path
    new = sorted(set(longer) - set(first))
    assert new and all("2026-03-05" in p for p in new), new
    assert manifest(runs.longer)[: len(manifest(runs.first))] == manifest(runs.first)


# --- the database ------------------------------------------------------------------------------------------------

FOREIGN_KEYS = [  # (table, column, parent table, parent key, defect kind that breaks it or None)
    ("candidate_profiles", "candidate_id", "users", "user_id", None),
    ("candidate_languages", "candidate_id", "candidate_profiles", "candidate_id", None),
    ("candidate_skills", "candidate_id", "candidate_profiles", "candidate_id", None),
    ("candidate_skills", "skill_id", "skills", "skill_id", None),
    ("resumes", "candidate_id", "candidate_profiles", "candidate_id", None),
    ("skills", "parent_skill_id", "skills", "skill_id", None),
    ("employer_users", "employer_id", "employers", "employer_id", None),
    ("employer_users", "user_id", "users", "user_id", None),
    ("jobs", "employer_id", "employers", "employer_id", "unknown_employer"),
    ("job_skills", "job_id", "jobs", "job_id", None),
    ("job_skills", "skill_id", "skills", "skill_id", None),
    ("applications", "candidate_id", "candidate_profiles", "candidate_id", "unknown_candidate"),
    ("applications", "job_id", "jobs", "job_id", "unknown_job"),
    ("applications", "referrer_candidate_id", "candidate_profiles", "candidate_id", None),
    ("application_status_history", "application_id", "applications", "application_id", None),
    ("placements", "application_id", "applications", "application_id", None),
    ("placements", "candidate_id", "candidate_profiles", "candidate_id", None),
    ("placements", "job_id", "jobs", "job_id", None),
    ("placements", "employer_id", "employers", "employer_id", None),
    ("timesheets", "placement_id", "placements", "placement_id", None),
    ("timesheets", "invoice_id", "invoices", "invoice_id", None),
    ("invoices", "employer_id", "employers", "employer_id", None),
    ("invoices", "placement_id", "placements", "placement_id", None),
]


@pytest.mark.parametrize(("table", "column", "parent", "parent_key", "kind"), FOREIGN_KEYS,
                         ids=[f"{t}.{c}" for t, c, *_ in FOREIGN_KEYS])  # fmt: skip
def test_references_resolve_except_recorded_defects(
    runs: Runs, table: str, column: str, parent: str, parent_key: str, kind: str | None
) -> None:
    pk = _key_sql(table)
    orphans = query(runs.dsn, f"SELECT {pk} FROM platform.{table} t WHERE {column} IS NOT NULL AND NOT EXISTS"
                              f" (SELECT 1 FROM platform.{parent} p WHERE p.{parent_key} = t.{column})")  # fmt: skip
    expected = recorded(runs.longer, "platform", kind, table) if kind else set()
    assert {o for (o,) in orphans} == expected


RULES = [  # (table, a condition every clean row meets, the defect kind of the rows that do not)
    ("jobs", "salary_min <= salary_max", "salary_min_above_max"),
    ("jobs", "expires_at IS NULL OR expires_at > posted_at", "expires_before_posted"),
    ("timesheets", "hours >= 0", "negative_hours"),
    ("placements", "end_date IS NULL OR end_date >= start_date", "end_before_start"),
    ("invoices", "due_on >= issued_on", "due_before_issued"),
    ("users", "registered_at <= updated_at", "registered_in_future"),
]


@pytest.mark.parametrize(("table", "rule", "kind"), RULES, ids=[k for *_, k in RULES])
def test_value_rules_hold_except_recorded_defects(runs: Runs, table: str, rule: str, kind: str) -> None:
    broken = query(runs.dsn, f"SELECT {_key_sql(table)} FROM platform.{table} WHERE NOT ({rule})")
    assert {b for (b,) in broken} == recorded(runs.longer, "platform", kind, table)


def test_defect_share_is_small_and_every_kind_occurs(runs: Runs) -> None:
    kinds = {(d["feed"], d["kind"]) for d in manifest(runs.longer)}
    assert {("platform", "unknown_job"), ("events", "broken_json"), ("crm", "bad_date")} <= kinds
    (apps,) = query(runs.dsn, "SELECT count(*) FROM platform.applications")[0]
    bad = sum(1 for d in manifest(runs.longer) if d["location"] == "applications")
    assert 0 < bad < apps * 0.02


def test_a_profile_change_is_queryable(runs: Runs) -> None:
    """The truth table says who changed what on which day; the profile and the click stream agree."""
    rows = query(runs.dsn, """
        SELECT c.candidate_id, c.new_value, c.changed_at FROM sim.profile_changes c
         WHERE c.day = 3 AND c.field = 'headline'
           AND NOT EXISTS (SELECT 1 FROM sim.profile_changes l WHERE l.candidate_id = c.candidate_id AND l.day > 3)
           AND NOT EXISTS (SELECT 1 FROM platform.users u WHERE u.user_id = c.candidate_id AND u.status = 'deleted')
         ORDER BY c.change_id LIMIT 1""")  # fmt: skip
    assert rows, "no candidate changed a headline on day 3"
    candidate, headline, changed_at = rows[0]
    profile = query(
        runs.dsn, f"SELECT headline, updated_at FROM platform.candidate_profiles WHERE candidate_id = {candidate}"
    )
    assert profile == [(headline, changed_at)]
    stamp = changed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    events = [json.loads(line) for p in (runs.longer.landing / "events").glob("2026-03-04T*.jsonl")
              for line in p.read_text(encoding="utf-8").splitlines() if f'"user_id":{candidate},' in line]  # fmt: skip
    assert any(e["type"] == "profile_update" and e["timestamp"].startswith(stamp) for e in events)


def test_erasure_removes_personal_data(runs: Runs) -> None:
    leftovers = query(
        runs.dsn,
        """
        SELECT u.user_id FROM platform.users u JOIN platform.candidate_profiles c ON c.candidate_id = u.user_id
         WHERE u.status = 'deleted' AND (u.email IS NOT NULL OR u.full_name IS NOT NULL OR c.headline IS NOT NULL
               OR EXISTS (SELECT 1 FROM platform.candidate_skills s WHERE s.candidate_id = u.user_id)
               OR EXISTS (SELECT 1 FROM platform.resumes r
                           WHERE r.candidate_id = u.user_id AND r.resume_text IS NOT NULL))""",
    )
    assert leftovers == []
    assert query(runs.dsn, "SELECT count(*) FROM platform.users WHERE status = 'deleted'")[0][0] > 0


def test_distributions_have_shape(runs: Runs) -> None:
    by_weekday = dict(
        query(runs.dsn, "SELECT extract(isodow FROM applied_at)::int, count(*) FROM platform.applications GROUP BY 1")
    )
    assert min(by_weekday[d] for d in range(1, 6)) > 2 * max(by_weekday[6], by_weekday[7])
    reached = dict(
        query(
            runs.dsn,
            "SELECT status, count(DISTINCT application_id) FROM platform.application_status_history GROUP BY 1",
        )
    )
    assert reached["applied"] > reached["screening"] > reached["interview"] > reached["offer"] > reached["hired"] > 0
    shares = [n for (n,) in query(runs.dsn, "SELECT count(*) FROM platform.jobs GROUP BY employer_id ORDER BY 1 DESC")]
    assert sum(shares[: len(shares) // 10]) > 0.25 * sum(shares)  # a tenth of the employers: 2.5 times their share
    rising = query(
        runs.dsn,
        """
        SELECT avg((s.name = 'LLM')::int) FILTER (WHERE j.created_at < '2025-06-01'),
               avg((s.name = 'LLM')::int) FILTER (WHERE j.created_at >= '2026-01-01')
          FROM platform.job_skills js JOIN platform.skills s USING (skill_id) JOIN platform.jobs j USING (job_id)""",
    )
    assert rising[0][1] > 3 * rising[0][0]


# --- the files ----------------------------------------------------------------------------------------------------


def test_event_files_parse_except_recorded_lines(runs: Runs) -> None:
    landing = runs.longer.landing
    broken = {(d["location"], int(d["key"])) for d in manifest(runs.longer) if d["kind"] == "broken_json"}
    bad_time = {d["detail"] for d in manifest(runs.longer) if d["kind"] == "bad_timestamp"}
    unknown = {d["detail"] for d in manifest(runs.longer) if d["kind"] == "unknown_user"}
    users = {u for (u,) in query(runs.dsn, "SELECT user_id FROM platform.users")}
    seen: dict[str, list[str]] = {}
    late = 0
    for path in sorted((landing / "events").glob("*.jsonl")):
        where = f"events/{path.name}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if (where, number) in broken:
                with pytest.raises(json.JSONDecodeError):
                    json.loads(line)
                continue
            event = json.loads(line)
            seen.setdefault(event["event_id"], []).append(path.name)
            if event["event_id"] in bad_time:
                continue
            stamp = dt.datetime.fromisoformat(event["timestamp"])
            late += stamp.strftime("%Y-%m-%dT%H") < path.name[:13]
            assert event["user_id"] is None or event["user_id"] in users or event["event_id"] in unknown
    assert any(len(files) == 2 and files[0] != files[1] for files in seen.values()), "no duplicate delivery"
    assert late > 0, "no late event"


def test_board_a_parses_except_recorded_dates(runs: Runs) -> None:
    bad = recorded(runs.longer, "board_a", "bad_date")
    refs = {r for (r,) in query(runs.dsn, "SELECT external_ref FROM platform.jobs")}
    resolved = 0
    for path in sorted((runs.longer.landing / "board_a").glob("*.xml")):
        root = ET.parse(path).getroot()
        assert int(root.get("count") or -1) == len(root)
        for job in root:
            posted = job.findtext("posted") or ""
            assert bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", posted) and _is_date(posted)) != (job.get("id") in bad)
            resolved += (job.findtext("reference") or "") in refs
    assert resolved > 0


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def test_board_b_pages_chain_and_parse(runs: Runs) -> None:
    bad_date, bad_salary = (
        recorded(runs.longer, "board_b", "bad_date"),
        recorded(runs.longer, "board_b", "salary_min_above_max"),
    )
    refs = {r for (r,) in query(runs.dsn, "SELECT external_ref FROM platform.jobs")}
    for folder in sorted((runs.longer.landing / "board_b").iterdir()):
        name, items = "page-0001.json", []
        while name:
            page = json.loads((folder / name).read_text(encoding="utf-8"))
            items += page["items"]
            name = page["next_page"]
        assert len(list(folder.iterdir())) == page["pages"]
        for item in items:
            ok = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", item["published_at"]))
            assert ok != (item["id"] in bad_date)
            assert (item["compensation"]["min"] <= item["compensation"]["max"]) != (item["id"] in bad_salary)
        assert any(i["employer_reference"].strip().upper() in refs for i in items)


def test_crm_csv_has_real_quirks_and_parses(runs: Runs) -> None:
    bad_date, unknown = recorded(runs.longer, "crm", "bad_date"), recorded(runs.longer, "crm", "unknown_employer")
    employers = {str(e) for (e,) in query(runs.dsn, "SELECT employer_id FROM platform.employers")}
    path = runs.longer.landing / "crm" / "accounts_2026-03-05.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    rows = [r for r in csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")) if r]
    header, body = rows[0], rows[1:]
    assert header[0] == "Account ID" and all(len(r) == len(header) for r in body)
    assert any("," in r[1] for r in body) or any('"' in r[1] for r in body)
    for account, _, platform_id, *_, modified in body:
        try:
            dt.datetime.strptime(modified, "%d/%m/%Y %H:%M")
            parsed = True
        except ValueError:
            parsed = False
        assert parsed != (account in bad_date)
        assert (platform_id == "" or platform_id in employers) != (account in unknown)


# --- the command ------------------------------------------------------------------------------------------------


def test_refuses_a_database_holding_a_warehouse(runs: Runs, tmp_path: Path) -> None:
    conn = psycopg2.connect(runs.dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA raw_vault")
    conn.close()
    try:
        with pytest.raises(WarehouseError, match="holds a warehouse"):
            run(Config(seed=1, scale=SCALE, days=1), tmp_path / "landing", runs.dsn)
    finally:
        query_conn = psycopg2.connect(runs.dsn)
        query_conn.autocommit = True
        with query_conn.cursor() as cur:
            cur.execute("DROP SCHEMA raw_vault")
        query_conn.close()


@pytest.mark.parametrize("args", [["--scale", "0"], ["--days", "0"], ["--defect-rate", "0.5"]])
def test_bad_arguments_exit_1(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo-data", *args, "--source-dsn", "postgresql://nobody@127.0.0.1:1/none"]) == 1
    assert "must be" in capsys.readouterr().err
