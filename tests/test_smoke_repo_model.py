"""The repository's own model validates, generates, applies and loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.generate import generate
from generator.model import load_model
from pipelines.warehouse import apply
from tests.conftest import REPO, make_project


def test_repo_model_validates() -> None:
    model = load_model(REPO / "model", REPO)
    assert model.hubs and model.links and model.satellites


def test_vault_sql_is_current() -> None:
    _, drift = generate(REPO, check=True)
    assert not drift.stale, f"vault_sql/ is stale, run 'dv generate':\n{drift.diff[:3000]}"


@pytest.mark.db
def test_repo_model_applies_twice(warehouse, tmp_path: Path) -> None:
    project = make_project(tmp_path, REPO / "model")
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
    physical = project.manifest["physical"]
    assert found.get("BASE TABLE") == sum(1 for t in physical["tables"] if t.startswith("raw_vault."))
    assert found.get("VIEW") == sum(1 for v in physical["views"] if v.startswith("raw_vault."))
