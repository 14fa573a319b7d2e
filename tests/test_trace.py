"""dv trace and dv asof: a key through the raw vault's history, checked against what the platform recorded.

The demo tests use the ``demo_marts`` session fixture (3 simulated days through the pipeline) and the
platform's own log of profile changes (``sim.profile_changes``): a candidate whose profile changed on a known
day shows exactly that version with exactly that column changed, and ``asof`` between two versions gives the
earlier one. The erasure test loads two batches of ``platform_users`` into a warehouse of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from pipelines.cli import main
from pipelines.project import Project
from pipelines.warehouse import apply, load
from tests import casefiles
from tests.conftest import REPO

pytestmark = pytest.mark.db

FIELDS = ("headline", "city", "availability", "desired_rate")


def _rows(dsn: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall())
    finally:
        conn.close()


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["--project", str(REPO), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _changed_candidate(source_dsn: str) -> tuple[int, str, str | None, str, dt.datetime]:
    """A candidate with exactly one change of a profile column after day 1, never erased."""
    rows = _rows(
        source_dsn,
        """
        SELECT c.candidate_id, c.field, c.old_value, c.new_value, c.changed_at
        FROM sim.profile_changes AS c
        JOIN platform.users AS u ON u.user_id = c.candidate_id AND u.status <> 'deleted'
        WHERE c.day >= 2 AND c.field = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM sim.profile_changes AS o WHERE o.candidate_id = c.candidate_id
                          AND o.day >= 2 AND o.field = ANY(%s) AND o.change_id <> c.change_id)
        ORDER BY c.candidate_id LIMIT 1
        """,
        (list(FIELDS), list(FIELDS)),
    )
    assert rows, "the demo changes candidate profiles after day 1"
    return rows[0]


def _same(column: str, stored: Any, logged: str | None) -> bool:
    if column == "desired_rate":
        return stored is not None and logged is not None and Decimal(str(stored)) == Decimal(logged)
    return stored == logged


def test_trace_shows_the_profile_change_on_its_day(demo_marts: Any, capsys: pytest.CaptureFixture[str]) -> None:
    candidate, column, old, new, changed_at = _changed_candidate(demo_marts.source_dsn)
    found = _cli(capsys, "trace", "candidate", str(candidate), "--dsn", demo_marts.dsn)
    profile = next(s for s in found["satellites"] if s["satellite"] == "sat.candidate_profile")
    versions = profile["versions"]
    assert len(versions) == 2, versions
    first, second = versions
    assert first["changed"] == ["(first)"] and first["batch_id"] == 1
    assert second["changed"] == [column]
    assert dt.datetime.fromisoformat(second["applied_dts"]) == changed_at
    assert _same(column, second["values"][column], new) and _same(column, first["values"][column], old)
    assert second["is_current"] and not first["is_current"]
    assert second["batch_id"] > 1 and second["record_source"] == "jtld.platform.candidate_profiles"
    # the hub row and the links: first seen in batch 1, the candidate's applications with their jobs
    assert found["batch_id"] == 1
    applications = _rows(
        demo_marts.source_dsn,
        "SELECT application_id, job_id FROM platform.applications WHERE candidate_id = %s",
        (candidate,),
    )
    linked = {
        (r["partners"]["application"], r["partners"]["job"])
        for r in found["links"]
        if r["link"] == "link.application_candidate_job" and r["role"] == "candidate"
    }
    assert linked == {(str(a), str(j)) for a, j in applications}


def test_asof_between_two_versions_gives_the_earlier(demo_marts: Any, capsys: pytest.CaptureFixture[str]) -> None:
    candidate, column, old, new, changed_at = _changed_candidate(demo_marts.source_dsn)
    found = _cli(capsys, "trace", "candidate", str(candidate), "--dsn", demo_marts.dsn)
    versions = next(s for s in found["satellites"] if s["satellite"] == "sat.candidate_profile")["versions"]
    loaded_second = dt.datetime.fromisoformat(versions[1]["load_dts"])

    def profile_at(at: dt.datetime, *flags: str) -> dict[str, Any]:
        state = _cli(
            capsys, "asof", "candidate", str(candidate), "--at", at.isoformat(), *flags, "--dsn", demo_marts.dsn
        )
        return state["satellites"]["sat.candidate_profile"]

    # load time: between the two loads the warehouse knew the earlier version; from the second load, the later
    assert _same(column, profile_at(loaded_second - dt.timedelta(seconds=1))["values"][column], old)
    assert _same(column, profile_at(loaded_second)["values"][column], new)
    # applied time: at the source the change happened at changed_at
    assert _same(column, profile_at(changed_at - dt.timedelta(seconds=1), "--applied")["values"][column], old)
    assert _same(column, profile_at(changed_at, "--applied")["values"][column], new)
    # before the first load the warehouse knew nothing of the candidate
    first_load = dt.datetime.fromisoformat(versions[0]["load_dts"])
    before = _cli(
        capsys,
        "asof",
        "candidate",
        str(candidate),
        "--at",
        (first_load - dt.timedelta(days=1)).isoformat(),
        "--dsn",
        demo_marts.dsn,
    )
    assert before["known"] is False and before["satellites"]["sat.candidate_profile"] is None


USER = {"user_id": 7, "role": "candidate", "registered_at": "2026-01-01 10:00:00+00", "last_login_at": None}


def test_trace_shows_an_erasure_with_its_request(
    warehouse: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], test_dsn: str
) -> None:
    project = Project.open(REPO)
    apply(warehouse, project)
    casefiles.land(
        warehouse,
        project,
        {
            "platform_users": [
                {
                    **USER,
                    "full_name": "Zoë O'Brien",
                    "email": "zoe.obrien7@mail.example",
                    "status": "active",
                    "updated_at": "2026-01-01 10:00:00+00",
                }
            ]
        },
    )
    load(warehouse, project, load_dts=dt.datetime(2026, 1, 2, 6, tzinfo=dt.UTC))
    casefiles.land(
        warehouse,
        project,
        {
            "platform_users": [
                {**USER, "full_name": None, "email": None, "status": "deleted", "updated_at": "2026-01-05 09:30:00+00"}
            ]
        },
    )
    load(warehouse, project, load_dts=dt.datetime(2026, 1, 6, 6, tzinfo=dt.UTC))
    found = _cli(capsys, "trace", "user", "7", "--dsn", test_dsn)
    personal = next(s for s in found["satellites"] if s["satellite"] == "sat.user_personal")["versions"]
    assert [v.get("erased", False) for v in personal] == [False, True]
    assert personal[1]["values"] == {"full_name": None, "email": None}
    (erasure,) = found["erasures"]
    assert erasure["satellite"] == "sat.user_personal" and erasure["batch_id"] == 2
    assert erasure["applied_dts"] == "2026-01-05T09:30:00+00:00"
    assert "sat.user_account: status = deleted" in erasure["request"]
    # as the warehouse knew it between the loads, the name is still there: masked for the auditor (dv asof runs as
    # the auditor), in clear for the personal-data role (docs/security.md)
    state = _cli(capsys, "asof", "user", "7", "--at", "2026-01-04T00:00:00Z", "--dsn", test_dsn)
    assert state["satellites"]["sat.user_personal"]["values"]["full_name"] == "***"
    state = _cli(capsys, "asof", "user", "7", "--at", "2026-01-04T00:00:00Z", "--personal", "--dsn", test_dsn)
    assert state["satellites"]["sat.user_personal"]["values"]["full_name"] == "Zoë O'Brien"


def test_unknown_hub_or_key_is_a_clear_error(demo_marts: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(REPO), "trace", "candidat", "1", "--dsn", demo_marts.dsn]) == 1
    assert "did you mean 'candidate'" in capsys.readouterr().err
    assert main(["--project", str(REPO), "trace", "candidate", "99999999", "--dsn", demo_marts.dsn]) == 1
    assert "is not in raw_vault.hub_candidate" in capsys.readouterr().err
    assert main(["--project", str(REPO), "trace", "candidate", "x1", "--dsn", demo_marts.dsn]) == 1
    assert "not a valid candidate_id" in capsys.readouterr().err


def _version(values: dict[str, Any], changed: list[str], day: int) -> Any:
    from pipelines.audit.trace_model import Version

    at = dt.datetime(2025, 5, day, tzinfo=dt.UTC)
    return Version(at, at, day, "platform", values, changed, day == 2)


def test_multi_active_members_show_their_column_names_and_counts_are_pluralized() -> None:
    """A multi-active satellite's members (the shape trace() gives: ``{"members": [{column: value}, …]}``) are
    shown as ``column=value`` pairs, one member per line; ``1 version``, ``2 versions``. No database needed."""
    from rich.console import Console

    from pipelines.audit.asof import AsOf
    from pipelines.audit.trace_model import SatelliteHistory, Trace
    from pipelines.audit.trace_render import show_asof, show_trace

    first = {"members": [{"language": "de", "level": "B2"}, {"language": "en", "level": "C1"}]}
    second = {"members": [{"language": "en", "level": "C2"}]}
    skills = SatelliteHistory(
        "msat.candidate_languages",
        "raw_vault.msat_candidate_languages",
        False,
        [_version(first, ["(first)"], 1), _version(second, ["-de", "~en"], 2)],
    )
    one = SatelliteHistory(
        "sat.candidate_profile", "raw_vault.sat_candidate_profile", False, [_version({"city": "Oslo"}, ["(first)"], 1)]
    )
    found = Trace("candidate", ["7"], "hk", skills.versions[0].load_dts, "platform", 1, [skills, one], [], [], [])
    console = Console(record=True, width=200)
    show_trace(found, console)
    text = console.export_text()
    assert "msat.candidate_languages (2 versions)" in text
    assert "sat.candidate_profile (1 version)" in text and "1 versions" not in text
    assert "language=de, level=B2" in text and "language=en, level=C1" in text
    assert "[" not in text.replace("[dim]", "")  # no bare Python list
    assert "1 member:" in text and "2 members:" in text
    console = Console(record=True, width=200)
    show_asof(
        AsOf("candidate", ["7"], skills.versions[1].load_dts, False, True, {skills.node_id: skills.versions[1]}, []),
        console,
    )
    assert "language=en, level=C2" in console.export_text()
