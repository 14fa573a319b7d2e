"""The business-vault and marts framework itself, on the ``marts`` fixture model: modeling mistakes are
reported at their YAML line, the refresh follows the quality gate, definitions and refresh modes change
cleanly, and the built columns must match the YAML."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.errors import ModelError, WarehouseError
from generator.generate import generate
from generator.model import load_model
from pipelines.cli import main
from pipelines.marts import build_marts
from pipelines.project import Project
from pipelines.quality import accept_gate
from pipelines.warehouse import apply, load
from tests import casefiles
from tests.conftest import FIXTURES

MODEL = FIXTURES / "models" / "marts"


def _project_with(tmp_path: Path, extra: str = "", replace: tuple[str, str] | None = None) -> Path:
    root = tmp_path / "project"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(MODEL, root / "model")
    if replace is not None:
        path = root / "model" / "marts.yml"
        path.write_text(path.read_text(encoding="utf-8").replace(*replace), encoding="utf-8")
    if extra:
        (root / "model" / "extra.yml").write_text(extra, encoding="utf-8")
    return root


def _problems(root: Path) -> list[Any]:
    with pytest.raises(ModelError) as caught:
        load_model(root / "model", root)
    return caught.value.problems


KPI = """kind: kpi
name: kpi_extra
description: An extra KPI.
refresh: {refresh}
{key}columns:
  - {{name: n, description: A count}}
sql: |
  SELECT count(*) AS n
  FROM {table}
"""


def test_unknown_reference_is_reported_at_its_sql_line(tmp_path: Path) -> None:
    root = _project_with(tmp_path, KPI.format(refresh="view", key="", table="marts.fact_job_view"))
    (problem,) = _problems(root)
    assert (problem.file, problem.line, problem.entity) == ("model/extra.yml", 9, "kpi 'kpi_extra'")
    assert "'marts.fact_job_view' is not a table or view the model declares" in problem.message
    assert "did you mean 'marts.fact_job_views'" in problem.hint


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (KPI.format(refresh="view", key="", table="dv_meta.batch"), "is not in raw_vault, business_vault, marts"),
        (KPI.format(refresh="table", key="", table="marts.fact_job_views"), "needs 'key: [<columns>]'"),
        (KPI.format(refresh="table", key="key: [m]\n", table="marts.fact_job_views"), "key column 'm' is not"),
        (KPI.format(refresh="view", key="", table="marts.kpi_extra"), "reads itself"),
        (KPI.format(refresh="view", key="", table="marts.fact_job_views;\n  SELECT 1"), "exactly one SELECT"),
        (KPI.format(refresh="view", key="", table="(SELECT"), "does not parse"),
        (
            KPI.replace("name: kpi_extra", "name: extra_kpi").format(refresh="view", key="", table="raw_vault.hub_job"),
            "a kpi is named 'kpi_…'",
        ),
        (
            KPI.format(
                refresh="incremental",
                key="key: [n]\nincremental: {key: n, changes: [raw_vault.hub_job]}\n",
                table="raw_vault.hub_job",
            ),
            "lacks 'n' or batch_id",
        ),
        (
            "kind: pit\nname: pit_employer\nhub: employer\nsatellites: [job_title]\n",
            "'job_title' is not a satellite or multi-active satellite of hub 'employer'",
        ),
        (
            "kind: bridge\nname: bridge_x\nhub: job\nsteps:\n  - {link: job_employer, to: [recruiter]}\n",
            "link 'job_employer' has no other role 'recruiter'",
        ),
    ],
)
def test_modeling_mistakes_of_derived_kinds(tmp_path: Path, extra: str, message: str) -> None:
    problems = _problems(_project_with(tmp_path, extra))
    assert any(message in p.message for p in problems), [p.message for p in problems]
    assert all(p.file == "model/extra.yml" and p.line > 0 for p in problems)


def test_a_cycle_between_marts_is_refused(tmp_path: Path) -> None:
    """kpi_extra reads kpi_views2, which reads kpi_extra: the model resolves (both names are declared),
    the dependency graph refuses it when dv generate builds the manifest."""
    cycle = (
        KPI.format(refresh="view", key="", table="marts.kpi_views2")
        + "---\n"
        + KPI.replace("kpi_extra", "kpi_views2").format(refresh="view", key="", table="marts.kpi_extra")
    )
    root = _project_with(tmp_path, cycle)
    load_model(root / "model", root)
    with pytest.raises(ModelError) as caught:
        generate(root)
    (problem,) = caught.value.problems
    assert "dependency cycle" in problem.message
    assert "kpi.kpi_extra" in problem.message and "kpi.kpi_views2" in problem.message


# --- on PostgreSQL ----------------------------------------------------------------------------------------

ROWS = [
    {"job_id": "J1", "employer_id": "E1", "title": "Welder", "updated_at": "2026-01-01 09:00:00+00", "change_seq": 1}
]


def _loaded(warehouse: Any, root: Path) -> tuple[Project, int]:
    generate(root)
    project = Project.open(root)
    apply(warehouse, project)
    casefiles.land(warehouse, project, {"job_postings": ROWS})
    result = load(warehouse, project, load_dts=dt.datetime(2026, 2, 1, 6, tzinfo=dt.UTC))
    return project, result.batch_id


def _gate(warehouse: Any, batch: int, passed: bool) -> None:
    with warehouse.cursor() as cur:
        cur.execute(
            "INSERT INTO dv_meta.quality_gate (batch_id, run_id, passed, outcome, checks, warned, failed, errors)"
            " VALUES (%s, 1, %s, %s, 10, 0, %s, 0)",
            (batch, passed, "pass" if passed else "fail", 0 if passed else 2),
        )
    warehouse.commit()


@pytest.mark.db
def test_the_marts_follow_the_quality_gate(
    warehouse: Any, tmp_path: Path, test_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project_with(tmp_path)
    project, batch = _loaded(warehouse, root)
    with pytest.raises(WarehouseError, match="its checks have not run"):
        build_marts(warehouse, project)
    _gate(warehouse, batch, passed=False)
    with pytest.raises(WarehouseError, match=r"batch 1: its quality gate failed \(2 failed") as caught:
        build_marts(warehouse, project)
    assert "dv gate accept 1 --reason" in str(caught.value)
    assert main(["--project", str(root), "marts", "--dsn", test_dsn]) == 1
    assert "the marts were not refreshed" in capsys.readouterr().err
    forced = build_marts(warehouse, project, force=True)
    assert forced.forced and forced.batch_id == batch
    with pytest.raises(WarehouseError, match="an acceptance needs a reason"):
        accept_gate(warehouse, batch, "  ")
    accept_gate(warehouse, batch, "known defects, reviewed")
    assert main(["--project", str(root), "gate", "show", "1", "--dsn", test_dsn]) == 0
    assert "failed, accepted" in capsys.readouterr().out
    again = build_marts(warehouse, project)
    assert not again.forced
    # the same batch again: nothing it reads changed, so it stands as it was
    assert {r.node_id: r.mode for r in again.objects}["fact.fact_job_views"] == "skipped"


@pytest.mark.db
def test_definition_and_refresh_mode_changes_rebuild(warehouse: Any, tmp_path: Path) -> None:
    root = _project_with(tmp_path)
    project, batch = _loaded(warehouse, root)
    _gate(warehouse, batch, passed=True)
    modes = {r.node_id: r.mode for r in build_marts(warehouse, project).objects}
    assert modes["fact.fact_job_views"] == "build" and modes["kpi.kpi_views"] == "view"
    # a changed SELECT: its table is built in full; the others refresh
    root = _project_with(tmp_path, replace=("count(*) AS views", "count(DISTINCT v.view_id) AS views"))
    generate(root)
    project = Project.open(root)
    modes = {r.node_id: r.mode for r in build_marts(warehouse, project).objects}
    assert modes["fact.fact_job_views"] == "build" and modes["feed.feed_job_views"] == "refresh"
    # a view turned into a table (and back): the old object goes first
    root = _project_with(
        tmp_path,
        replace=(
            "name: kpi_views\ndescription: Views and jobs viewed in all.\nrefresh: view",
            "name: kpi_views\ndescription: Views and jobs viewed in all.\nrefresh: table\nkey: [views]",
        ),
    )
    generate(root)
    project = Project.open(root)
    modes = {r.node_id: r.mode for r in build_marts(warehouse, project).objects}
    assert modes["kpi.kpi_views"] == "build"
    with warehouse.cursor() as cur:
        cur.execute("SELECT relkind FROM pg_class WHERE oid = 'marts.kpi_views'::regclass")
        assert cur.fetchone()[0] == "r"
    warehouse.rollback()


def _refreshed(warehouse: Any, project: Project, batch: int) -> dict[str, tuple[str, int | None, bool]]:
    _gate(warehouse, batch, passed=True)
    result = build_marts(warehouse, project)
    return {r.node_id: (r.mode, r.changed, r.analyzed) for r in result.objects}


@pytest.mark.db
def test_a_refresh_skips_what_nothing_it_reads_changed(warehouse: Any, tmp_path: Path) -> None:
    root = _project_with(tmp_path)
    project, batch = _loaded(warehouse, root)
    first = _refreshed(warehouse, project, batch)
    assert {m for m, _, _ in first.values()} <= {"build", "view"}
    # every table built is analyzed before what reads it
    assert all(analyzed for node, (mode, _, analyzed) in first.items() if mode == "build")
    # a batch that loads nothing: every object is skipped, and recorded so
    empty = load(warehouse, project, load_dts=dt.datetime(2026, 2, 1, 7, tzinfo=dt.UTC))
    modes = _refreshed(warehouse, project, empty.batch_id)
    assert {m for m, _, _ in modes.values()} == {"skipped"}, modes
    with warehouse.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM dv_meta.mart_refresh WHERE batch_id = %s AND mode = 'skipped'", (empty.batch_id,)
        )
        assert cur.fetchone()[0] == len(modes)
    warehouse.rollback()
    # views of a job only: the incremental fact, the view over it and the feed reading it refresh; the PIT, the
    # bridge and the computed satellite (job titles, employers) are skipped
    casefiles.land(
        warehouse,
        project,
        {"job_views": [{"view_id": "V1", "job_id": "J1", "viewed_at": "2026-02-01 10:00:00+00", "seconds": 30}]},
    )
    views = load(warehouse, project, load_dts=dt.datetime(2026, 2, 2, 6, tzinfo=dt.UTC))
    modes = _refreshed(warehouse, project, views.batch_id)
    assert modes["fact.fact_job_views"][:2] == ("refresh", 1)
    assert modes["kpi.kpi_views"][0] == "view" and modes["feed.feed_job_views"][0] == "refresh"
    assert modes["bridge.bridge_job"][0] == "skipped" and modes["cs.cs_job_title"][0] == "skipped"
    assert modes["dim.dim_job"][0] == "skipped"
    with warehouse.cursor() as cur:
        cur.execute("SELECT views FROM marts.feed_job_views WHERE job_id = 'J1'")
        assert cur.fetchone() == (1,)
    warehouse.rollback()


@pytest.mark.db
def test_a_pit_stores_rows_only_where_something_changed(warehouse: Any, tmp_path: Path) -> None:
    root = _project_with(tmp_path)
    project, batch = _loaded(warehouse, root)
    _refreshed(warehouse, project, batch)
    # two days later J1 gets a new title, J2 (a board sighting, no title) nothing
    casefiles.land(
        warehouse,
        project,
        {
            "job_postings": [
                {**ROWS[0], "title": "Senior Welder", "updated_at": "2026-02-02 09:00:00+00", "change_seq": 2}
            ],
            "job_board": [{"job_id": "J2", "employer_id": "E2", "seen_at": "2026-02-02 12:00:00+00"}],
        },
    )
    second = load(warehouse, project, load_dts=dt.datetime(2026, 2, 3, 6, tzinfo=dt.UTC))
    modes = _refreshed(warehouse, project, second.batch_id)
    assert modes["pit.pit_job"][0] == "refresh" and modes["pit.pit_job_recent"][0] == "refresh"
    with warehouse.cursor() as cur:
        cur.execute(
            "SELECT h.job_id, p.valid_from::text, p.valid_to::text, p.job_title_load_dts = '0001-01-01'"
            " FROM business_vault.pit_job_changes AS p JOIN raw_vault.hub_job AS h USING (hk_job) ORDER BY 1, 2"
        )
        assert cur.fetchall() == [
            ("J1", "2026-02-01", "2026-02-03", False),
            ("J1", "2026-02-03", "infinity", False),
            ("J2", "2026-02-03", "infinity", True),
        ]
        # the view gives every day and key: J1 on the three days, J2 from the day it became known
        cur.execute(
            "SELECT p.snapshot_date::text, h.job_id FROM business_vault.pit_job AS p JOIN raw_vault.hub_job AS h"
            " USING (hk_job) ORDER BY 1, 2"
        )
        assert cur.fetchall() == [
            ("2026-02-01", "J1"),
            ("2026-02-02", "J1"),
            ("2026-02-03", "J1"),
            ("2026-02-03", "J2"),
        ]
        cur.execute("SELECT rows_total FROM dv_meta.mart_refresh WHERE object = 'pit.pit_job' ORDER BY refresh_id DESC")
        assert cur.fetchone() == (3,)  # the rows stored
    warehouse.rollback()


def test_a_select_reading_the_clock_is_never_skipped() -> None:
    from generator.kinds.derived import sql_volatile

    assert sql_volatile("SELECT count(*) FROM raw_vault.hub_job WHERE load_dts > now() - interval '1 day'")
    assert sql_volatile("SELECT current_date AS d") and sql_volatile("SELECT clock_timestamp()")
    assert not sql_volatile("SELECT count(*) AS n FROM raw_vault.hub_job -- as it stands now()")


@pytest.mark.db
def test_columns_must_match_the_yaml(warehouse: Any, tmp_path: Path) -> None:
    root = _project_with(tmp_path, replace=("  - {name: seconds, description: Seconds viewed in all}\n", ""))
    project, batch = _loaded(warehouse, root)
    _gate(warehouse, batch, passed=True)
    with pytest.raises(WarehouseError) as caught:
        build_marts(warehouse, project)
    text = str(caught.value)
    assert text.startswith("model/marts.yml:") and "fact.fact_job_views" in text
    assert "selected but not declared: seconds" in text
    with warehouse.cursor() as cur:  # one transaction: nothing was built
        cur.execute("SELECT to_regclass('business_vault.pit_job') IS NULL, count(*) FROM dv_meta.mart_refresh")
        assert cur.fetchone() == (True, 0)
    warehouse.rollback()
