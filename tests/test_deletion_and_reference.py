"""Status-tracking satellites (deletion detection) and reference tables beyond the load cases:
modeling mistakes reported with file, line, entity and hint (fast tier), and the rerun of an old
batch after a later one (``db`` tier)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.errors import ModelError, Problem
from generator.model import load_model
from pipelines.warehouse import apply, load
from tests import casefiles
from tests.conftest import FIXTURES, make_project

MODELS = FIXTURES / "models"
Edits = dict[str, list[tuple[str, str]]]  # file -> (old, new) text replacements


def model_with(tmp_path: Path, model: str, edits: Edits) -> Path:
    """A copy of a fixture model with text replacements per file (each must match exactly once)."""
    root = tmp_path / "project"
    shutil.copytree(MODELS / model, root / "model")
    for name, replacements in edits.items():
        path = root / "model" / name
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert text.count(old) == 1, f"{name}: {old!r} must occur once"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return root


def one_problem(root: Path) -> Problem:
    with pytest.raises(ModelError) as caught:
        load_model(root / "model", root)
    problems = caught.value.problems
    assert len(problems) == 1, "\n".join(p.render() for p in problems)
    return problems[0]


# (model, edits per file, file and line reported, entity, part of the message, part of the hint)
ERRORS: dict[str, tuple[str, Edits, str, int, str, str, str]] = {
    "sts_incremental_source": (
        "status_tracking",
        {"sources.yml": [("extract: full\npartition_by: [board]\n", "")]},
        "satellites.yml",
        5,
        "status_tracking_satellite 'posting_status'",
        "source 'board_postings' is an incremental extract; a status-tracking satellite needs a full one",
        "set 'extract: full' on source 'board_postings'",
    ),
    "sts_unknown_hub": (
        "status_tracking",
        {"satellites.yml": [("hub: posting\n", "hub: postings\n")]},
        "satellites.yml",
        4,
        "status_tracking_satellite 'posting_status'",
        "unknown hub 'postings'",
        "did you mean 'posting'?",
    ),
    "sts_two_parents": (
        "status_tracking",
        {"satellites.yml": [("hub: posting\n", "hub: posting\nlink: account_owner\n")]},
        "satellites.yml",
        1,
        "status_tracking_satellite 'posting_status'",
        "needs exactly one parent",
        "",
    ),
    "sts_source_does_not_feed_parent": (
        "status_tracking",
        {"satellites.yml": [("hub: posting\nsource: board_postings\n", "hub: posting\nsource: crm_accounts\n")]},
        "satellites.yml",
        5,
        "status_tracking_satellite 'posting_status'",
        "source 'crm_accounts' does not feed hub 'posting'",
        "add '- source: crm_accounts'",
    ),
    "sts_duplicate_name": (
        "status_tracking",
        {"satellites.yml": [("name: account_status\n", "name: posting_status\n")]},
        "satellites.yml",
        8,
        "status_tracking_satellite 'posting_status'",
        "name clash: status_tracking_satellite 'posting_status' is already declared in model/satellites.yml:2",
        "rename one of them",
    ),
    "partition_unknown_column": (
        "status_tracking",
        {"sources.yml": [("partition_by: [board]", "partition_by: [bord]")]},
        "sources.yml",
        6,
        "source 'board_postings'",
        "partition_by column 'bord' is not a column of source 'board_postings'",
        "did you mean 'board'?",
    ),
    "partition_twice": (
        "status_tracking",
        {"sources.yml": [("partition_by: [board]", "partition_by: [board, board]")]},
        "sources.yml",
        6,
        "source 'board_postings'",
        "partition_by column 'board' is listed twice",
        "list each column once",
    ),
    "partition_incremental": (
        "reference",
        {
            "sources.yml": [
                ("record_source: taxonomy.skills\n", "record_source: taxonomy.skills\npartition_by: [taxonomy]\n")
            ]
        },
        "sources.yml",
        17,
        "source 'taxonomy_skills'",
        "partition_by needs a full extract",
        "set 'extract: full'",
    ),
    "partition_json": (
        "status_tracking",
        {"sources.yml": [("{name: board, type: text,", "{name: board, type: jsonb,")]},
        "sources.yml",
        6,
        "source 'board_postings'",
        "partition_by column 'board' is jsonb, which cannot be compared",
        "partition by a text",
    ),
    "partition_clashes_with_status": (
        "status_tracking",
        {
            "sources.yml": [
                ("partition_by: [board]", "partition_by: [status]"),
                ("  - {name: title, type: text}", "  - {name: status, type: text}"),
            ]
        },
        "satellites.yml",
        5,
        "status_tracking_satellite 'posting_status'",
        "partition_by column 'status' of source 'board_postings' clashes with a column of",
        "partition the source by another column",
    ),
    "ref_unknown_source": (
        "reference",
        {"reference_tables.yml": [("source: finance_currencies", "source: finance_currency")]},
        "reference_tables.yml",
        4,
        "reference_table 'currency'",
        "unknown source 'finance_currency'",
        "did you mean 'finance_currencies'?",
    ),
    "ref_unknown_code_column": (
        "reference",
        {"reference_tables.yml": [("code: [currency_code]", "code: [currency]")]},
        "reference_tables.yml",
        5,
        "reference_table 'currency'",
        "code column 'currency' is not a column of source 'finance_currencies'",
        "did you mean 'currency_code'?",
    ),
    "ref_code_twice": (
        "reference",
        {"reference_tables.yml": [("code: [taxonomy, skill_no]", "code: [taxonomy, taxonomy]")]},
        "reference_tables.yml",
        14,
        "reference_table 'skill'",
        "code column 'taxonomy' is listed twice",
        "list each code column once",
    ),
    "ref_payload_is_code": (
        "reference",
        {"reference_tables.yml": [("columns: [label, parent_no]", "columns: [label, skill_no]")]},
        "reference_tables.yml",
        15,
        "reference_table 'skill'",
        "payload column 'skill_no' clashes with a code column",
        "rename it",
    ),
    "ref_payload_unknown": (
        "reference",
        {"reference_tables.yml": [("columns: [label, parent_no]", "columns: [lable, parent_no]")]},
        "reference_tables.yml",
        15,
        "reference_table 'skill'",
        "column 'lable' is not a column of source 'taxonomy_skills'",
        "did you mean 'label'?",
    ),
    "ref_code_named_like_metadata": (
        "reference",
        {
            "sources.yml": [("{name: skill_no, type: integer}", "{name: hashdiff, type: integer}")],
            "reference_tables.yml": [("[taxonomy, skill_no]", "[taxonomy, hashdiff]")],
        },
        "reference_tables.yml",
        14,
        "reference_table 'skill'",
        "code column 'hashdiff' is a metadata column of the reference table",
        "rename the column in the source",
    ),
    "ref_no_columns": (
        "reference",
        {"reference_tables.yml": [("columns: [label, parent_no]", "columns: []")]},
        "reference_tables.yml",
        15,
        "reference_table 'skill'",
        "columns: List should have at least 1 item",
        "",
    ),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_modeling_mistake_is_reported(case: str, tmp_path: Path) -> None:
    model, edits, file, line, entity, message, hint = ERRORS[case]
    root = model_with(tmp_path, model, edits)
    problem = one_problem(root)
    assert (problem.file, problem.line, problem.entity) == (f"model/{file}", line, entity), problem.render()
    assert message in problem.message, problem.render()
    assert hint in problem.hint, problem.render()


def test_models_are_valid() -> None:
    for name in ("status_tracking", "reference"):
        load_model(MODELS / name, MODELS)


def _statuses(conn: Any) -> list[tuple[str, str]]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT h.account_id, s.status FROM raw_vault.sts_account_status AS s"
            " JOIN raw_vault.hub_account AS h USING (hk_account)"
            " WHERE s.record_source <> 'SYSTEM.GHOST' ORDER BY s.load_dts, h.account_id"
        )
        rows = [(str(a), str(b)) for a, b in cur.fetchall()]
    conn.rollback()
    return rows


@pytest.mark.db
def test_rerun_of_an_earlier_batch_compares_as_of_that_batch(warehouse: Any, tmp_path: Path) -> None:
    """Batch 1 delivers A1, A2; batch 2 delivers A1 (A2 deleted) and the new A3. Rerunning batch 1
    afterwards inserts nothing: each key's status is read as of batch 1, so A3 (unknown then) is not
    deleted and A2 is not re-asserted present."""
    project = make_project(tmp_path, MODELS / "status_tracking")
    apply(warehouse, project)
    casefiles.land(warehouse, project, {"crm_accounts": [{"account_id": "A1"}, {"account_id": "A2"}]})
    first = load(warehouse, project, load_dts=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    casefiles.land(warehouse, project, {"crm_accounts": [{"account_id": "A1"}, {"account_id": "A3"}]})
    load(warehouse, project, load_dts=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    before = _statuses(warehouse)
    assert before == [("A1", "present"), ("A2", "present"), ("A2", "deleted"), ("A3", "present")]
    again = load(warehouse, project, batch_id=first.batch_id)
    assert again.inserted("sts.account_status") == 0
    assert _statuses(warehouse) == before


def test_reference_table_hashdiff_column_taken_by_a_satellite(tmp_path: Path) -> None:
    """A satellite named ref_<name> on the same source would own the stage column hd_ref_<name> too."""
    root = model_with(tmp_path, "reference", {})
    (root / "model" / "more.yml").write_text(
        "kind: hub\nname: currency_hub\nbusiness_keys: [{name: code}]\n"
        "sources: [{source: finance_currencies, columns: [currency_code]}]\n"
        "---\nkind: satellite\nname: ref_currency\nhub: currency_hub\nsource: finance_currencies\ncolumns: [name]\n",
        encoding="utf-8",
    )
    problem = one_problem(root)
    assert (problem.file, problem.line, problem.entity) == (
        "model/reference_tables.yml",
        2,
        "reference_table 'currency'",
    )
    assert "stage column 'hd_ref_currency' of source 'finance_currencies' is taken" in problem.message
