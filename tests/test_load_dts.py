"""A new batch's load_dts: later than every batch before it, not far ahead of the server's clock, not
before 1900. A far-future load_dts (9999-12-31) accepted once would block every later batch for ever
(load dates must increase); 0001-01-01 is a typo or a default, never a load time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from generator.errors import WarehouseError
from pipelines.warehouse import LOAD_DTS_AHEAD_ENV, apply, check_load_dts, open_batch
from tests.conftest import FIXTURES, make_project
from tests.test_cli import assert_user_error, dv

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "stamp",
    [
        dt.datetime(9999, 12, 31, tzinfo=dt.UTC),
        NOW + dt.timedelta(hours=24, seconds=1),
        dt.datetime(1, 1, 1, tzinfo=dt.UTC),
        dt.datetime(1899, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
    ],
)
def test_far_load_dates_are_refused(stamp: dt.datetime) -> None:
    with pytest.raises(WarehouseError) as refused:
        check_load_dts(stamp, NOW)
    message = str(refused.value)
    assert stamp.isoformat() in message and "hint:" in message
    assert ("ahead of the server's clock" in message) == (stamp > NOW)


@pytest.mark.parametrize(
    "stamp",
    [NOW, NOW + dt.timedelta(hours=24), dt.datetime(1900, 1, 1, tzinfo=dt.UTC), dt.datetime(2000, 1, 1, tzinfo=dt.UTC)],
)
def test_load_dates_within_bounds_are_accepted(stamp: dt.datetime) -> None:
    check_load_dts(stamp, NOW)


def test_the_tolerance_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LOAD_DTS_AHEAD_ENV, "48")
    check_load_dts(NOW + dt.timedelta(hours=47), NOW)
    monkeypatch.setenv(LOAD_DTS_AHEAD_ENV, "0")
    with pytest.raises(WarehouseError, match="more than 0 h ahead"):
        check_load_dts(NOW + dt.timedelta(seconds=1), NOW)
    monkeypatch.setenv(LOAD_DTS_AHEAD_ENV, "a day")
    with pytest.raises(WarehouseError, match="not a number of hours"):
        check_load_dts(NOW, NOW)


@pytest.mark.db
def test_open_batch_refuses_far_dates_and_later_batches_still_load(warehouse: Any, tmp_path: Path) -> None:
    apply(warehouse, make_project(tmp_path, FIXTURES / "models" / "basic"))
    for far in (dt.datetime(9999, 12, 31, tzinfo=dt.UTC), dt.datetime(1, 1, 1, tzinfo=dt.UTC)):
        with pytest.raises(WarehouseError):
            open_batch(warehouse, far)
    with warehouse.cursor() as cur:
        cur.execute("SELECT count(*) FROM dv_meta.batch")
        assert cur.fetchone() == (0,)
    warehouse.rollback()
    first, _ = open_batch(warehouse, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    second, _ = open_batch(warehouse)  # now: later than the first
    assert second > first


@pytest.mark.db
@pytest.mark.parametrize("stamp", ["9999-12-31", "9999-12-31T23:59:59+00:00", "0001-01-01", "1899-12-31T00:00:00Z"])
def test_dv_load_refuses_a_far_load_dts_with_a_message(stamp: str, tmp_path: Path, test_dsn: str) -> None:
    from tests.conftest import reset_schemas

    root = make_project(tmp_path, FIXTURES / "models" / "basic").root
    reset_schemas(test_dsn)
    assert dv("--project", str(root), "apply", "--dsn", test_dsn).returncode == 0
    run = dv("--project", str(root), "load", "--dsn", test_dsn, "--load-dts", stamp)
    assert_user_error(run)
    assert "load_dts" in run.stderr and "hint:" in run.stderr, run.stderr
    run = dv("--project", str(root), "load", "--dsn", test_dsn)  # the next batch is not blocked
    assert run.returncode == 0, run.stderr
