"""The repository's own model validates, generates, applies and loads."""

from __future__ import annotations

import pytest

from generator.generate import generate
from generator.model import Model
from pipelines.project import Project
from pipelines.warehouse import apply
from tests.conftest import REPO, GeneratedProject


def test_repo_model_validates(repo_model: Model) -> None:
    model = repo_model  # loaded once per session (tests/conftest.py)
    assert model.hubs and model.links and model.satellites


def test_vault_sql_is_current() -> None:
    _, drift = generate(REPO, check=True)
    assert not drift.stale, f"vault_sql/ is stale, run 'dv generate':\n{drift.diff[:3000]}"


@pytest.mark.db
def test_repo_model_applies_twice(warehouse, generated_project: GeneratedProject) -> None:
    project = Project.open(generated_project(REPO / "model"))  # generated once per session
    apply(warehouse, project)
    apply(warehouse, project)  # idempotent
    with warehouse.cursor() as cur:
        cur.execute("SELECT count(*) FROM dv_meta.model_version")
        assert cur.fetchone()[0] == 2
        cur.execute(
            "SELECT table_type, count(*) FROM information_schema.tables WHERE table_schema = 'raw_vault'"
            " GROUP BY table_type"
        )
        found = dict(cur.fetchall())
    physical = project.manifest.physical
    assert found.get("BASE TABLE") == sum(1 for t in physical.tables if t.startswith("raw_vault."))
    assert found.get("VIEW") == sum(1 for v in physical.views if v.startswith("raw_vault."))


def test_every_stage_and_load_statement_gets_the_batch_id_as_a_constant() -> None:
    """The runtime writes the batch id into each statement (the planner then sees the value): no statement
    may read the batch id any other way, or that reading would be left to the planner's guess."""
    from pipelines.warehouse import batch_sql

    project = Project.open(REPO)
    statements = [
        (node_id, rel)
        for node_id, node in project.nodes.items()
        for kind, rel in node.sql.items()
        if kind in ("stage", "stage_checked", "load")
    ]
    assert len(statements) > 50
    for node_id, rel in statements:
        sql = batch_sql(project, rel, 4711)
        assert "dv.batch_id" not in sql.split("-- Expects:")[-1].split("\n", 1)[-1], f"{node_id}: {rel}"
        assert "4711::bigint" in sql, f"{node_id}: {rel} does not read the batch"
