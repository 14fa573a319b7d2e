"""The hand-written business rules (``checks/rules/*.contract.yml``) on warehouses loaded from the
simulated JTLD platform by the pipeline (``dv run``, one batch a day, as ``dv demo`` does).

- With defects (``--defect-rate 0.05``, which puts in every kind): each defect the generator
  injected (``sim.defects``) is caught by the check this file names for its kind, twice over: Soda
  reports the check as not passed (``run_checks``, the project's runner), and the check's own
  failed-rows query returns the defective record (its key, its file and line, its event id).
- Without defects (rate 0): every rule passes.

The fast tests check the contracts themselves: names, the runner's data source and variables, and
that docs/quality.md lists every rule.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import psycopg2.extras
import pytest
import yaml

from generator.contracts import BATCH_VAR, DATA_SOURCE, DATABASE_VAR
from pipelines.db import connect
from pipelines.demo import sample as demo
from pipelines.demo.platform.clock import Config
from pipelines.demo.platform.run import run as simulate_platform
from pipelines.demo.platform.schema import SCHEMA as PLATFORM_SCHEMA
from pipelines.demo.platform.schema import SIM_SCHEMA
from pipelines.project import Project
from tests.conftest import REPO, drop_database

os.environ["SODA_CORE_TELEMETRY_ENABLED"] = "false"

RULES = REPO / "checks" / "rules"
RULES_GLOB = "checks/rules/*.contract.yml"
SCALE = 0.005  # about 500 users, 40 employers, 4,600 applications (as dv demo)
DAYS = 2  # day 1: the platform's whole history; day 2: one day's changes
DEFECT_RATE = 0.05  # high enough for every kind of defect at this scale (the test checks it)

# The defect kinds of docs/platform.md ("Injected defects"), the checks that catch each, and what a
# failing row of those checks carries to name the defective record:
#   a column holding the defect's key, "event_id" (the defect's detail), "file_line" (its location
#   and line), "posting_id"/"account_id" (its key; a quarantined row also its file)
CAUGHT_BY: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("platform", "registered_in_future"): (("user_registered_not_in_future",), "user_id"),
    ("platform", "salary_min_above_max"): (("job_salary_min_not_above_max",), "job_id"),
    ("platform", "unknown_employer"): (("job_employer_known",), "job_id"),
    ("platform", "expires_before_posted"): (("job_expires_not_before_posted",), "job_id"),
    ("platform", "unknown_job"): (("application_job_known",), "application_id"),
    ("platform", "unknown_candidate"): (("application_candidate_known",), "application_id"),
    ("platform", "end_before_start"): (("placement_end_not_before_start",), "placement_id"),
    ("platform", "negative_hours"): (("timesheet_weekly_hours_0_to_80",), "timesheet_id"),
    ("platform", "due_before_issued"): (("invoice_due_not_before_issued",), "invoice_id"),
    ("events", "broken_json"): (("event_lines_are_json",), "file_line"),
    # a timestamp that is no time is quarantined; the epoch parses and loads, and is implausible
    ("events", "bad_timestamp"): (("event_time_is_a_timestamp", "event_time_plausible"), "event_id"),
    ("events", "unknown_user"): (("event_user_known",), "event_id"),
    # a date that is no date is quarantined; 'yesterday' parses (to the day before the load runs)
    ("board_a", "bad_date"): (("board_posting_date_is_a_date", "board_a_posted_not_after_extract"), "posting_id"),
    ("board_b", "bad_date"): (("board_posting_date_is_a_date", "board_b_published_not_after_extract"), "posting_id"),
    ("board_b", "salary_min_above_max"): (("board_b_compensation_min_not_above_max",), "posting_id"),
    ("crm", "bad_date"): (("crm_last_modified_is_a_timestamp",), "account_id"),
    ("crm", "unknown_employer"): (("crm_account_employer_known",), "account_id"),
}


# --- the contracts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    file: str
    name: str
    qualifier: str | None
    check_type: str
    column: str | None
    body: dict[str, Any]
    variables: dict[str, Any]

    @property
    def level(self) -> str:
        return str((self.body.get("threshold") or {}).get("level", "fail"))

    def failed_rows_sql(self, batch_id: int = 0) -> str:
        """The check's failed-rows query with the variables as the runner sets them."""
        sql = str(self.body["query"])
        values = {name: (spec or {}).get("default") for name, spec in self.variables.items()}
        values[BATCH_VAR] = batch_id
        return re.sub(r"\$\{var\.(\w+)\}", lambda m: str(values[m.group(1)]), sql)


def contract_files() -> list[Path]:
    return sorted(RULES.glob("*.contract.yml"))


def load_rules() -> list[Rule]:
    rules: list[Rule] = []
    for path in contract_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        variables = data.get("variables") or {}
        located: list[tuple[str | None, dict[str, Any]]] = [(None, c) for c in data.get("checks") or []]
        for column in data.get("columns") or []:
            located += [(column["name"], c) for c in column.get("checks") or []]
        for column_name, check in located:
            ((check_type, body),) = check.items()
            body = body or {}
            rules.append(
                Rule(path.name, body.get("name"), body.get("qualifier"), check_type, column_name, body, variables)
            )
    return rules


def rules_by_name() -> dict[str, Rule]:
    return {r.name: r for r in load_rules()}


def test_every_rule_is_named_once() -> None:
    rules = load_rules()
    assert len(rules) > 60
    names = [r.name for r in rules]
    assert all(isinstance(n, str) and re.fullmatch(r"[a-z][a-z0-9_]+", n) for n in names), names
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    for r in rules:  # Soda tells two checks of one type apart by the qualifier
        assert r.qualifier == r.name, r


def test_contracts_use_the_runners_data_source_and_variables() -> None:
    prefix = f"{DATA_SOURCE}/${{var.{DATABASE_VAR}}}/"
    for path in contract_files():
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        assert str(data["dataset"]).startswith(prefix), (path.name, data["dataset"])
        variables = data["variables"]
        assert DATABASE_VAR in variables and variables[BATCH_VAR] == {"default": 0}, path.name
        used = set(re.findall(r"\$\{var\.(\w+)\}", text))
        assert used <= set(variables), (path.name, used - set(variables))
        assert "columns" in data, path.name  # Soda requires it


def test_failed_rows_queries_judge_no_ghost_and_scope_by_batch() -> None:
    for r in load_rules():
        if r.check_type != "failed_rows" or "query" not in r.body:
            continue
        sql = str(r.body["query"])
        assert f"${{var.{BATCH_VAR}}} = 0 OR" in sql, r.name
        if "raw_vault." in sql:
            assert "record_source <> 'SYSTEM.GHOST'" in sql, r.name


def test_every_defect_kind_has_named_checks() -> None:
    names = rules_by_name()
    for (feed, kind), (checks, _) in CAUGHT_BY.items():
        for check in checks:
            assert check in names, (feed, kind, check)
    documented = _doc_pairs()
    assert set(CAUGHT_BY) == documented, set(CAUGHT_BY) ^ documented


def _platform_doc() -> str:
    return (REPO / "docs" / "platform.md").read_text(encoding="utf-8")


def _doc_pairs() -> set[tuple[str, str]]:
    """(feed, kind) of every row of the table 'Injected defects' (a cell may name two kinds)."""
    text = _platform_doc()
    section = text[text.index("## Injected defects") :]
    section = section[: section.index("\n## ", 5)]
    pairs: set[tuple[str, str]] = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("feed", "") or set(cells[0]) <= {"-"}:
            continue
        for kind in re.findall(r"`(\w+)`", cells[2]):
            pairs.add((cells[0], kind))
    return pairs


def test_docs_list_every_rule() -> None:
    doc = (REPO / "docs" / "quality.md").read_text(encoding="utf-8")
    missing = [r.name for r in load_rules() if f"`{r.name}`" not in doc]
    assert not missing, f"docs/quality.md does not name: {missing}"


# --- warehouses from the simulated platform ----------------------------------------------------------------


def build_platform_warehouse(dsn: str, defect_rate: float, days: int = DAYS, scale: float = SCALE) -> str:
    """Create the warehouse ``dsn`` and its platform database (``<name>_source``), then for each day
    simulate the platform through that day and run one batch of the pipeline (``dv run``), as
    ``dv demo`` does. Returns the platform's DSN."""
    from pipelines.run import run_batch

    source = demo.source_dsn_for(dsn)
    demo.prepare_database(dsn)
    demo.prepare_database(source, (PLATFORM_SCHEMA, SIM_SCHEMA), "a platform database")
    conn = connect(dsn)
    try:
        from pipelines.warehouse import apply

        apply(conn, Project.open(REPO))
    finally:
        conn.close()
    with tempfile.TemporaryDirectory(prefix="dv-rules-") as landing:
        for day in range(1, days + 1):
            simulate_platform(Config(seed=demo.DEMO_SEED, scale=scale, days=day, defect_rate=defect_rate),
                              Path(landing), source)  # fmt: skip
            outcome = run_batch(
                REPO, dsn=dsn, source_dsn=source, landing_dir=landing, workers=2,
                load_dts=demo.day_end(day) + demo.LOAD_HOUR,
            )  # fmt: skip
            assert outcome.succeeded, outcome.failed_tasks
    return source


def drop_databases(server_dsn: str, *names: str) -> None:
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        for name in names:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            drop_database(cur, name)
    admin.close()


@dataclass
class Warehouse:
    dsn: str
    source_dsn: str


def _warehouse(server_dsn: str, tag: str, defect_rate: float) -> Iterator[Warehouse]:
    name = f"dv_rules_{tag}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    params = psycopg2.extensions.parse_dsn(server_dsn)
    dsn = psycopg2.extensions.make_dsn(**{**params, "dbname": name})
    try:
        yield Warehouse(dsn, build_platform_warehouse(dsn, defect_rate))
    finally:
        drop_databases(server_dsn, name, f"{name}_source")


@pytest.fixture(scope="module")
def defective(server_dsn: str) -> Iterator[Warehouse]:
    yield from _warehouse(server_dsn, "defects", DEFECT_RATE)


@pytest.fixture(scope="module")
def clean(server_dsn: str) -> Iterator[Warehouse]:
    yield from _warehouse(server_dsn, "clean", 0.0)


def soda_outcomes(dsn: str, batch_id: int | None = None) -> dict[str, Any]:
    """Every rule verified by the project's runner: check name -> result."""
    from pipelines.quality import run_checks

    conn = connect(dsn)
    try:
        results = run_checks(conn, Project.open(REPO), batch_id=batch_id, contracts=[RULES_GLOB])
    finally:
        conn.close()
    by_name = {r.check: r for r in results}
    assert len(by_name) == len(results) == len(load_rules()), sorted(r.check for r in results)
    return by_name


def failed_rows(dsn: str, rule: Rule, batch_id: int = 0) -> list[dict[str, Any]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(rule.failed_rows_sql(batch_id))
            return [dict(r) for r in cur.fetchall()]
    finally:
        conn.close()


def defects(source_dsn: str) -> list[dict[str, Any]]:
    conn = psycopg2.connect(source_dsn)
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute("SELECT feed, location, key, kind, day, detail FROM sim.defects ORDER BY defect_id")
            return [dict(r) for r in cur.fetchall()]
    finally:
        conn.close()


def names_the_defect(row: dict[str, Any], defect: dict[str, Any], how: str) -> bool:
    """Whether a failing row of a check is the defective record."""
    if how == "event_id":
        return row.get("event_id") == defect["detail"]
    if how == "file_line":
        return (row.get("file"), row.get("line")) == (defect["location"], int(defect["key"]))
    if str(row.get(how)).upper() != defect["key"].upper():  # the hub keeps a posting id upper-cased
        return False
    # a quarantined row came from one file: the one the defect is recorded for (board B: a folder of pages)
    return "file" not in row or str(row["file"]).startswith(defect["location"].split("*")[0])


# --- the tests on data ---------------------------------------------------------------------------------------


@pytest.mark.db
def test_each_defect_is_caught_by_its_named_check(defective: Warehouse) -> None:
    injected = defects(defective.source_dsn)
    kinds = {(d["feed"], d["kind"]) for d in injected}
    assert kinds == set(CAUGHT_BY), f"defect kinds not injected at rate {DEFECT_RATE}: {set(CAUGHT_BY) - kinds}"
    outcomes = soda_outcomes(defective.dsn)
    assert not [r for r in outcomes.values() if r.outcome == "error"], [
        (r.check, r.message) for r in outcomes.values() if r.outcome == "error"
    ]
    rules = rules_by_name()
    rows = {name: failed_rows(defective.dsn, rules[name]) for checks, _ in CAUGHT_BY.values() for name in checks}
    missed: list[str] = []
    for (feed, kind), (checks, how) in sorted(CAUGHT_BY.items()):
        of_kind = [d for d in injected if (d["feed"], d["kind"]) == (feed, kind)]
        caught_by = {name for name in checks if outcomes[name].outcome in ("fail", "warn")}
        assert caught_by, f"{feed} {kind}: none of {checks} reported it ({[outcomes[n].outcome for n in checks]})"
        for name in caught_by:  # Soda's count is the count of the check's own failing rows
            assert outcomes[name].value == len(rows[name]), (name, outcomes[name].value, len(rows[name]))
        for d in of_kind:
            if not any(names_the_defect(row, d, how) for name in checks for row in rows[name]):
                missed.append(f"{feed} {kind} {d['location']} {d['key']} {d['detail'] or ''}: not in {checks}")
    assert not missed, "\n".join(missed)


@pytest.mark.db
def test_severity_fail_for_wrong_rows_warn_for_orphans_and_quarantine(defective: Warehouse) -> None:
    outcomes = soda_outcomes(defective.dsn)
    rules = rules_by_name()
    for name in ("job_salary_min_not_above_max", "timesheet_weekly_hours_0_to_80", "event_time_plausible"):
        assert rules[name].level == "fail" and outcomes[name].outcome == "fail", name
    for name in ("application_job_known", "event_user_known", "event_lines_are_json"):
        assert rules[name].level == "warn" and outcomes[name].outcome == "warn", name
    # negative hours reach the invoice that bills them: a wrong row downstream, also caught
    assert outcomes["invoice_amount_positive"].outcome == "fail"


@pytest.mark.db
def test_batch_variable_judges_the_batchs_rows(defective: Warehouse) -> None:
    """batch_id = 0: every current row; a batch id: the rows that batch loaded. Links are insert-only, so
    an orphan check's failures split exactly over the batches."""
    rule = rules_by_name()["application_job_known"]
    whole = failed_rows(defective.dsn, rule, 0)
    per_batch = [failed_rows(defective.dsn, rule, b) for b in range(1, DAYS + 1)]
    assert whole and per_batch[0]
    assert sorted(r["application_id"] for rows in per_batch for r in rows) == sorted(r["application_id"] for r in whole)
    last = soda_outcomes(defective.dsn, batch_id=DAYS)
    assert last["application_job_known"].value == len(per_batch[-1])
    # the history's registrations in the future were loaded by batch 1, not by the last batch
    assert (
        last["user_registered_not_in_future"].value
        < soda_outcomes(defective.dsn)["user_registered_not_in_future"].value
    )


@pytest.mark.db
def test_every_rule_passes_on_clean_data(clean: Warehouse) -> None:
    assert defects(clean.source_dsn) == []
    outcomes = soda_outcomes(clean.dsn)
    bad = {name: (r.outcome, r.value, r.message) for name, r in outcomes.items() if r.outcome != "pass"}
    assert not bad, bad
    # and the rules had rows to judge: the main tables are not empty
    conn = psycopg2.connect(clean.dsn)
    try:
        with conn.cursor() as cur:
            for view in ("sat_job_description_current", "sat_application_details_current", "nhl_timesheet_hours"):
                cur.execute(f"SELECT count(*) FROM raw_vault.{view} WHERE record_source <> 'SYSTEM.GHOST'")
                assert cur.fetchone()[0] > 0, view
    finally:
        conn.close()


@pytest.mark.db
def test_failing_rows_read_with_the_checks_sql(defective: Warehouse) -> None:
    """A failed check's query returns the business key first and the values that break the rule."""
    rows = failed_rows(defective.dsn, rules_by_name()["job_salary_min_not_above_max"])
    assert rows and list(rows[0]) == ["job_id", "salary_min", "salary_max"]
    assert all(r["salary_min"] > r["salary_max"] for r in rows)
    rows = failed_rows(defective.dsn, rules_by_name()["event_time_plausible"])
    assert rows and all(r["occurred_at"] < dt.datetime(2025, 4, 1, tzinfo=dt.UTC) for r in rows)
