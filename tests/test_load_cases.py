"""Runs every case file under tests/fixtures/cases on PostgreSQL (see tests/casefiles.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from psycopg2.extras import execute_values

from pipelines.warehouse import apply, load
from tests import casefiles
from tests.conftest import make_project

CASES = casefiles.all_cases()


def _land(conn: Any, project: Any, landed: dict[str, list[dict[str, Any]]]) -> None:
    with conn.cursor() as cur:
        for source, rows in landed.items():
            node = project.nodes[f"source.{source}"]
            declared = [c["name"] for c in node["columns"]]
            for row in rows:
                unknown = set(row) - set(declared)
                assert not unknown, f"landed columns {unknown} are not columns of source {source}"
            if not rows:
                continue
            execute_values(
                cur,
                f"INSERT INTO staging.{node['landing_table']} ({', '.join(declared)}) VALUES %s",
                [tuple(casefiles.landing_text(r.get(c)) for c in declared) for r in rows],
            )
    conn.commit()


def _check(conn: Any, project: Any, expect: dict[str, list[dict[str, Any]]], batch_id: int, where: str) -> None:
    with conn.cursor() as cur:
        for table, rows in expect.items():
            info = casefiles.TableInfo(project, table)
            if not rows:
                cur.execute(
                    f"SELECT count(*) FROM {info.qualified}"
                    + (f" WHERE batch_id = {batch_id}" if table == "quarantine" else " WHERE batch_id <> 0")
                )
                assert cur.fetchone()[0] == 0, f"{where}: {table} should be empty"
                continue
            columns, expected = casefiles.expected_rows(info, rows)
            actual = casefiles.actual_rows(cur, info, columns, batch_id)
            assert actual == expected, (
                f"{where}: {table} differs\ncolumns: {columns}\nexpected:\n"
                + "\n".join(map(str, expected))
                + "\nactual:\n"
                + "\n".join(map(str, actual))
            )
    conn.rollback()


@pytest.mark.db
@pytest.mark.parametrize("case_path", CASES, ids=[casefiles.case_id(p) for p in CASES])
def test_load_case(case_path: Path, warehouse: Any, tmp_path: Path) -> None:
    case = casefiles.load_case(case_path)
    project = make_project(tmp_path, casefiles.MODELS / case["model"])
    apply(warehouse, project)
    for n, cycle in enumerate(case["cycles"], start=1):
        where = f"{casefiles.case_id(case_path)} cycle {n}"
        _land(warehouse, project, cycle.get("landed", {}))
        result = load(warehouse, project, load_dts=cycle.get("load_dts"))
        for target, rows in cycle.get("inserted", {}).items():
            assert result.inserted(target) == rows, f"{where}: {target} inserted {result.inserted(target)}"
        _check(warehouse, project, cycle.get("expect", {}), result.batch_id, where)
        if cycle.get("rerun"):
            again = load(warehouse, project, batch_id=result.batch_id)
            assert sum(t.rows for t in again.targets) == 0, f"{where}: rerun inserted {again.targets}"
            _check(warehouse, project, cycle.get("expect", {}), result.batch_id, where + " (rerun)")
