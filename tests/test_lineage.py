"""dv lineage and dv impact on the repository's model (fast tier: manifest and generated SQL, no database).

The expected source columns are stated from the YAML, not from the code under test:

- ``kpi_jobs_summary.avg_time_to_fill_days`` = AVG(fact_job_posting.time_to_fill_days) (model/marts/jobs.yml),
  which is cs_job_time_to_fill.time_to_fill_days (model/marts/jobs.yml), = ``CASE WHEN s.status = 'filled'
  THEN EXTRACT(EPOCH FROM s.filled_at - s.posted_at) / 86400 END`` over sat_job_status_current
  (model/marts/business_jobs.yml); sat_job_status loads status, posted_at, filled_at from platform_jobs
  (model/satellites/job.yml), a table source on platform.jobs (model/sources/platform_jobs.yml).
- ``kpi_invoice_amounts.avg_days_to_pay`` = avg(fact_invoice.days_to_pay) (model/marts/finance.yml),
  = ``(s.paid_at AT TIME ZONE 'UTC')::date - d.issued_on`` with s = sat_invoice_status_current and
  d = sat_invoice_details_current; both satellites load from platform_invoices (model/satellites/invoice.yml),
  on platform.invoices.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from generator.manifest_model import HubNode, SqlNode
from pipelines.audit.impact import entity_graph, impact_report
from pipelines.audit.lineage import lineage_report, upstream
from pipelines.audit.lineage_graph import column_graph
from pipelines.audit.sql_lineage import ROWS_HOW, derived_relation, short
from pipelines.cli import main
from pipelines.project import Project
from tests.conftest import REPO


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.open(REPO)


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code = main(["--project", str(REPO), *args, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result: dict[str, Any] = json.loads(captured.out)
    return result


def tree_columns(item: dict[str, Any]) -> set[str]:
    out = {item["column"]}
    for child in item.get("upstream", []):
        out |= tree_columns(child)
    return out


# --- upstream -----------------------------------------------------------------------------------------


def test_jobs_kpi_reaches_platform_jobs_status_and_dates(capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, "lineage", "kpi_jobs_summary.avg_time_to_fill_days", "--upstream-only")
    assert report["column"] == "marts.kpi_jobs_summary.avg_time_to_fill_days"
    assert report["kind"] == "kpi" and report["defined_in"].startswith("model/marts/jobs.yml:")
    assert "downstream" not in report
    up = report["upstream"]
    assert {s["column"] for s in up["sources"]} == {
        "staging.platform_jobs.posted_at",
        "staging.platform_jobs.filled_at",
        "staging.platform_jobs.status",
    }
    for s in up["sources"]:
        assert s["source"] == "platform_jobs"
        assert s["origins"] == [{"kind": "database", "column": f"platform.jobs.{s['source_column']}", "via": "extract"}]
    assert set(up["raw_vault"]) == {
        "raw_vault.sat_job_status.posted_at",
        "raw_vault.sat_job_status.filled_at",
        "raw_vault.sat_job_status.status",
    }
    # the path the YAML states, hop by hop
    assert {
        "marts.fact_job_posting.time_to_fill_days",
        "business_vault.cs_job_time_to_fill.time_to_fill_days",
        "raw_vault.sat_job_status_current.filled_at",
        "raw_vault.sat_job_status.filled_at",
    } <= tree_columns(up["tree"])
    assert not up["outside_model"]


def test_finance_kpi_reaches_platform_invoices_paid_and_issued(capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, "lineage", "marts.kpi_invoice_amounts.avg_days_to_pay")
    up = report["upstream"]
    assert {s["column"] for s in up["sources"]} == {
        "staging.platform_invoices.paid_at",
        "staging.platform_invoices.issued_on",
    }
    origins = {o["column"] for s in up["sources"] for o in s["origins"]}
    assert origins == {"platform.invoices.paid_at", "platform.invoices.issued_on"}
    assert set(up["raw_vault"]) == {
        "raw_vault.sat_invoice_status.paid_at",
        "raw_vault.sat_invoice_details.issued_on",
    }
    assert "marts.fact_invoice.days_to_pay" in tree_columns(up["tree"])
    assert report["downstream"] == []  # a KPI is read by nothing


def test_raw_vault_hops_follow_the_loading_rules(project: Project) -> None:
    """A hub key from every feed of the hub; an event link's payload from its file feed."""
    hub = project.node("hub.job")
    assert isinstance(hub, HubNode)
    expected = {f"staging.{f.source}.{f.columns[0]}" for f in hub.feeds}
    for column in ("job_id", "hk_job"):
        up = lineage_report(project, f"hub_job.{column}", down=False)["upstream"]
        assert {s["column"] for s in up["sources"]} == expected, column
    up = lineage_report(project, "raw_vault.nhl_job_view.view_source", down=False)["upstream"]
    (source,) = up["sources"]
    assert source["column"] == "staging.events_job_views.view_source"
    assert source["origins"] == [
        {"kind": "file", "format": "events_jsonl", "path": "events/*.jsonl", "event_type": "job_view"}
    ]
    # load metadata is a note, not an edge
    report = lineage_report(project, "raw_vault.sat_job_status.load_dts", down=False)
    assert report["upstream"]["sources"] == [] and "dv_meta.batch" in report["notes"][0]


def test_a_count_reads_the_rows_it_counts(project: Project) -> None:
    """COUNT(*) over fact_job_posting (model/marts/jobs.yml) reads its rows: an edge from its key."""
    cg = column_graph(project)
    fact = project.node("fact.fact_job_posting")
    assert isinstance(fact, SqlNode) and fact.key
    for key in fact.key:
        edge = cg.graph.edges[f"marts.fact_job_posting.{key}", "marts.kpi_jobs_summary.jobs"]
        assert edge["how"] == ROWS_HOW
    report = lineage_report(project, "kpi_jobs_summary.jobs", down=False)
    assert report["upstream"]["sources"] and "notes" not in report


def test_the_funnel_conversion_reaches_the_stage_dates_and_the_sources(capsys: pytest.CaptureFixture[str]) -> None:
    """kpi_application_funnel.conversion_pct = 100 * s.converted / s.at_from, s a LATERAL (VALUES …) of COUNT(*)
    FILTER (WHERE f.<stage>_at IS NOT NULL …) over fact_application (model/marts/jobs.yml)."""
    report = run_json(capsys, "lineage", "kpi_application_funnel.conversion_pct", "--upstream-only")
    tree = report["upstream"]["tree"]
    direct = {child["column"]: child.get("how") for child in tree["upstream"]}
    stages = ("applied", "screening", "interview", "offer", "hired")
    assert {f"marts.fact_application.{s}_at" for s in stages} <= set(direct)
    assert direct["marts.fact_application.application_id"] == ROWS_HOW
    sources = {s["column"] for s in report["upstream"]["sources"]}
    assert "staging.platform_applications.applied_at" in sources
    assert "staging.platform_application_status_history.status" in sources
    assert "notes" not in report
    # a constant of the VALUES rows says so, whole
    step = lineage_report(Project.open(REPO), "kpi_application_funnel.step_order", down=False)
    assert step["notes"] == ["a constant in each row of LATERAL (VALUES …) AS s: 1, 2, 3, 4"]
    # the human output says where it comes from instead of "no source column"
    assert main(["--project", str(REPO), "lineage", "kpi_application_funnel.conversion_pct", "--upstream-only"]) == 0
    out = capsys.readouterr().out
    assert "no source column" not in out and "platform.applications.applied_at" in out


def test_a_generate_series_over_columns_reaches_them(project: Project) -> None:
    """fact_skill_demand_daily.demand_date: generate_series(b.first_date, b.last_date, …) over the latest load
    of sat_job_status and others (model/marts/market.yml)."""
    up = lineage_report(project, "fact_skill_demand_daily.demand_date", down=False)["upstream"]
    assert "raw_vault.sat_job_status.load_dts" in up["raw_vault"]


@pytest.mark.parametrize("limit", [20, 40, 80])
def test_notes_are_cut_after_a_whole_word(limit: int) -> None:
    text = "(VALUES (1, 'applied', 'screening', c.n_applied, c.c_screening), (2, 'screening', 'interview', c.n_s))"
    cut = short(text, limit)
    assert cut.endswith(" …") and len(cut) <= limit + 2
    kept = cut.removesuffix(" …")
    assert text.startswith(kept) and text[len(kept)] in " ,("  # the next character ends a word


def test_every_column_reaches_a_source_or_says_why(project: Project) -> None:
    """Every column of every SQL-defined object (and PIT, bridge, business view): each column its upstream
    ends at is a source column (with its origin) or carries a note that is not "outside the model"."""
    cg = column_graph(project)
    unexplained: list[str] = []
    count = 0
    for node in project.manifest.nodes.values():
        derived = derived_relation(node)
        if derived is None:
            continue
        for column in cg.relations[derived.qualified].columns:
            count += 1
            target = f"{derived.qualified}.{column}"
            reached = nx.ancestors(cg.graph, target) | {target}
            for leaf in reached:
                if any(True for _ in cg.graph.predecessors(leaf)) or leaf in cg.origins:
                    continue
                notes = cg.notes.get(leaf, [])
                if not notes or any("not a table or view of the model" in n for n in notes):
                    unexplained.append(f"{target} <- {leaf}: {notes}")
    assert count > 500 and unexplained == []


def test_the_graph_is_the_same_whatever_the_hash_seed() -> None:
    """sqlglot's traversal order follows Python's hash seed: notes and edges must not."""
    script = (
        "import json, sys; from pipelines.project import Project; from tests.conftest import REPO; "
        "from pipelines.audit.lineage_graph import column_graph; cg = column_graph(Project.open(REPO)); "
        "json.dump({'notes': cg.notes, 'edges': sorted(map(list, cg.graph.edges)), 'problems': cg.problems}, "
        "sys.stdout)"
    )
    outputs = []
    for seed in ("0", "3"):  # two seeds under which the notes came in a different order
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]


# --- downstream -------------------------------------------------------------------------------------------


def test_downstream_of_a_raw_vault_column_lists_the_kpis(capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, "lineage", "raw_vault.sat_job_status.posted_at", "--downstream-only")
    assert "upstream" not in report
    reached = {d["relation"]: d for d in report["downstream"]}
    assert {"jobs_posted", "avg_time_to_fill_days"} <= set(reached["marts.kpi_jobs_summary"]["columns"])
    assert reached["marts.kpi_jobs_summary"]["kind"] == "kpi"
    assert "time_to_fill_days" in reached["business_vault.cs_job_time_to_fill"]["columns"]
    assert "posted_at" in reached["marts.fact_job_posting"]["columns"]
    assert "raw_vault.sat_job_status_current" in reached
    # unqualified, the same column
    assert run_json(capsys, "lineage", "sat_job_status.posted_at", "--downstream-only") == report


def test_downstream_and_upstream_agree(project: Project) -> None:
    """Every column downstream of X has X upstream, and the other way round."""
    cg = column_graph(project)
    column = "raw_vault.sat_job_status.filled_at"
    downstream = lineage_report(project, column, up=False)["downstream"]
    assert downstream
    for obj in downstream:
        for name in obj["columns"]:
            assert column in nx.ancestors(cg.graph, f"{obj['relation']}.{name}")
    up = upstream(cg, "marts.kpi_jobs_summary.avg_time_to_fill_days")
    for raw in up["raw_vault"]:
        assert "marts.kpi_jobs_summary.avg_time_to_fill_days" in nx.descendants(cg.graph, raw)


def test_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(REPO), "lineage", "kpi_jobs_summary.avg_time_to_fill_days"]) == 0
    out = capsys.readouterr().out
    assert "upstream of marts.kpi_jobs_summary.avg_time_to_fill_days" in out
    assert "platform.jobs.filled_at" in out
    assert "source columns reached" in out
    assert "nothing in the model reads it" in out


# --- impact -----------------------------------------------------------------------------------------------


def test_impact_of_the_job_satellites(capsys: pytest.CaptureFixture[str], project: Project) -> None:
    report = run_json(capsys, "impact", "model/satellites/job.yml")
    assert report["file"] == "model/satellites/job.yml"
    ids = {e["id"] for e in report["entities"]}
    assert {"sat.job_status", "sat.job_description", "esat.job_employer"} <= ids
    assert {n for n, node in project.nodes.items() if node.file == "model/satellites/job.yml"} == ids
    assert {
        "vault_sql/satellites/job_status.create.sql",
        "vault_sql/satellites/job_status.load.sql",
        "vault_sql/satellites/job_status.views.sql",
        "vault_sql/staging/platform_jobs.stage.sql",  # the stage step computes the satellite's hashdiff
    } <= set(report["generated"])
    assert "checks/generated/satellites/job_status.contract.yml" in report["contracts"]
    assert "checks/rules/job_status.contract.yml" in {r["file"] for r in report["rules"]}
    downstream = {e["id"] for items in report["downstream"].values() for e in items}
    # every derived object whose SELECT reads sat_job_status (its table or views) is downstream
    readers = {
        i
        for i, n in project.nodes.items()
        if any(r.startswith("raw_vault.sat_job_status") for r in getattr(n, "reads", []))
    }
    assert readers and readers <= downstream
    assert {"cs.cs_job_time_to_fill", "pit.pit_job", "fact.fact_job_posting", "kpi.kpi_jobs_summary"} <= downstream
    assert downstream == set().union(*(nx.descendants(entity_graph(project), i) for i in ids)) - ids
    assert {e["id"] for e in report["downstream"]["business_vault"]} >= {"cs.cs_job_time_to_fill", "pit.pit_job"}
    assert {"marts.fact_job_posting", "marts.dim_job"} <= set(report["marts"])
    assert "marts.kpi_jobs_summary" in report["kpis"]
    assert not set(report["kpis"]) & set(report["marts"])


def test_impact_takes_a_path_relative_to_the_current_folder(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO / "model" / "satellites")
    assert impact_report(project, "job.yml")["file"] == "model/satellites/job.yml"
    assert impact_report(project, str(REPO / "model" / "satellites" / "job.yml"))["file"] == "model/satellites/job.yml"


def test_impact_of_the_project_file(project: Project) -> None:
    report = impact_report(project, "model/project.yml")
    assert report["entities"] == [] and "declares no entity" in report["note"]


# --- user errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (
            ["lineage", "kpi_jobs_summary.time_to_fill_avg_days"],
            "has no column 'time_to_fill_avg_days'",
            "avg_time_to_fill_days",
        ),
        (["lineage", "kpi_job_summary.jobs"], "unknown table 'kpi_job_summary'", "kpi_jobs_summary"),
        (
            ["lineage", "marts.sat_job_status.posted_at"],
            "unknown table 'marts.sat_job_status'",
            "raw_vault.sat_job_status",
        ),
        (["lineage", "posted_at"], "'posted_at' is not TABLE.COLUMN", "kpi_jobs_summary"),
        (
            ["impact", "model/satellites/jobs.yml"],
            "no entity and no generated file comes from",
            "model/satellites/job.yml",
        ),
    ],
)
def test_unknown_names_exit_1_without_traceback(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str, hint: str
) -> None:
    assert main(["--project", str(REPO), *args]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert message in captured.err
    hint_line = next(line for line in captured.err.splitlines() if "hint:" in line)
    assert hint in hint_line


def test_lineage_needs_a_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(tmp_path), "lineage", "a.b"]) == 1
    assert "manifest.json not found" in capsys.readouterr().err
