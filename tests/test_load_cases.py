"""Runs every case file under tests/fixtures/cases on PostgreSQL (see tests/casefiles.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.constants import GHOST_RECORD_SOURCE
from generator.dialects.postgres import PostgresDialect
from generator.kinds import KIND_BY_PREFIX, KINDS
from generator.manifest_model import HubNode, LinkNode, NhlNode, SatelliteNode
from pipelines.marts import build_marts
from pipelines.project import Project
from pipelines.standardize import apply_standardization
from pipelines.warehouse import apply, load
from tests import casefiles
from tests.conftest import make_project

CASES = casefiles.all_cases()
# manifest kinds (id prefixes) from the kind registry: satellites are keyed by their parent's hash key (a ghost
# row, and every key in the parent hub or link); links by their own, referencing hubs (every reference in its hub)
SAT_KINDS = tuple(k.id_prefix for k in KINDS if k.is_satellite)
LINK_KINDS = tuple(k.id_prefix for k in KINDS if k.is_link)
KeyedNode = HubNode | LinkNode | NhlNode | SatelliteNode  # the nodes of those kinds and hubs


def _check(conn: Any, project: Any, expect: dict[str, list[dict[str, Any]]], batch_id: int, where: str) -> None:
    with conn.cursor() as cur:
        for table, rows in expect.items():
            info = casefiles.TableInfo(project, table)
            if not rows:
                derived = info.node is not None and KIND_BY_PREFIX[info.node.kind].is_derived  # no ghost rows
                cur.execute(
                    f"SELECT count(*) FROM {info.qualified}"
                    + (f" WHERE batch_id = {batch_id}" if info.is_meta else "" if derived else " WHERE batch_id <> 0")
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


def _check_invariants(conn: Any, project: Project, where: str) -> None:
    """What holds after every load, whatever the case: one ghost row per table and nothing else on the
    zero key of its own hash key; every key a link or satellite points to is in its hub or link."""
    manifest = project.manifest
    zero = PostgresDialect().zero_key(manifest.hash.algorithm)
    ghost = PostgresDialect.literal(GHOST_RECORD_SOURCE)
    with conn.cursor() as cur:
        for node in manifest.ordered("hub", *LINK_KINDS, *SAT_KINDS):
            assert isinstance(node, KeyedNode)
            table = node.qualified
            key = node.parent_key if isinstance(node, SatelliteNode) else node.hash_key
            cur.execute(
                f"SELECT count(*) FILTER (WHERE record_source = {ghost} AND {key} = {zero} AND batch_id = 0),"
                f" count(*) FILTER (WHERE record_source = {ghost}),"
                f" count(*) FILTER (WHERE record_source <> {ghost} AND {key} = {zero})"
                f" FROM {table}"
            )
            assert cur.fetchone() == (1, 1, 0), f"{where}: {node.id} needs exactly one ghost row, alone on the zero key"
            parents: list[tuple[str, str]] = []
            if isinstance(node, LinkNode | NhlNode):
                parents = [(r.column, f"hub.{r.hub}") for r in node.refs]
            elif isinstance(node, SatelliteNode):
                parents = [(node.parent_key, node.parent)]
            for column, parent_id in parents:
                parent = manifest.node(parent_id)
                assert isinstance(parent, HubNode | LinkNode | NhlNode), parent_id
                cur.execute(
                    f"SELECT count(*) FROM {table} AS c WHERE NOT EXISTS (SELECT 1 FROM"
                    f" {parent.qualified} AS p WHERE p.{parent.hash_key} = c.{column})"
                )
                orphans = cur.fetchone()[0]
                assert orphans == 0, f"{where}: {orphans} row(s) of {node.id}.{column} missing from {parent_id}"
    conn.rollback()


def _param(path: Path) -> Any:
    """A case may name a known gap (``known_gap: <issue and reason>``): it must still fail (strict xfail)."""
    gap = casefiles.load_case(path).get("known_gap")
    marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
    return pytest.param(path, id=casefiles.case_id(path), marks=marks)


@pytest.mark.db
@pytest.mark.parametrize("case_path", [_param(p) for p in CASES])
def test_load_case(case_path: Path, warehouse: Any, tmp_path: Path) -> None:
    case = casefiles.load_case(case_path)
    project = make_project(tmp_path, casefiles.MODELS / case["model"])
    apply(warehouse, project)
    apply_standardization(warehouse, project)  # as dv apply does: the business vault's functions and views
    for n, cycle in enumerate(case["cycles"], start=1):
        where = f"{casefiles.case_id(case_path)} cycle {n}"
        with warehouse, warehouse.cursor() as cur:  # a project's own SQL (an INSERT into a lookup table)
            for statement in cycle.get("sql", []):
                cur.execute(statement)
        if cycle.get("apply"):  # dv apply again
            apply(warehouse, project)
            apply_standardization(warehouse, project)
        casefiles.land(warehouse, project, cycle.get("landed", {}))
        result = load(warehouse, project, load_dts=cycle.get("load_dts"))
        for target, rows in cycle.get("inserted", {}).items():
            assert result.inserted(target) == rows, f"{where}: {target} inserted {result.inserted(target)}"
        for target, rows in cycle.get("rejected", {}).items():
            got = sum(t.rejected for t in result.targets if t.target == target)
            assert got == rows, f"{where}: {target} rejected {got} late row(s), expected {rows}"
        if cycle.get("marts"):  # the business vault and marts of the batch (no quality gate in a case)
            build_marts(warehouse, project, result.batch_id, force=True)
        _check(warehouse, project, cycle.get("expect", {}), result.batch_id, where)
        _check_invariants(warehouse, project, where)
        if cycle.get("rerun"):
            again = load(warehouse, project, batch_id=result.batch_id)
            assert not again.targets and not again.staged, f"{where}: rerun loaded {again.targets}"
            assert set(again.skipped) == {t.target for t in result.targets}, f"{where}: rerun skipped {again.skipped}"
            # the load statements themselves insert nothing when run again for the same batch
            again = load(warehouse, project, batch_id=result.batch_id, reload=True)
            assert sum(t.rows for t in again.targets) == 0, f"{where}: rerun inserted {again.targets}"
            _check(warehouse, project, cycle.get("expect", {}), result.batch_id, where + " (rerun)")
            _check_invariants(warehouse, project, where + " (rerun)")
        if cycle.get("marts"):  # a second refresh (incremental, nothing new) changes nothing
            modes = {r.node_id: r.mode for r in build_marts(warehouse, project, result.batch_id, force=True).objects}
            assert all(m in ("refresh", "view", "skipped") for m in modes.values()), (
                f"{where}: second refresh rebuilt {modes}"
            )
            _check(warehouse, project, cycle.get("expect", {}), result.batch_id, where + " (marts refreshed again)")
