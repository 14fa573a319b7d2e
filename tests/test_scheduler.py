"""The central scheduler and resuming failed batches (issue 15), on real PostgreSQL and a real ``luigid``.

- ``make scheduler``'s preparation (``python -m pipelines.scheduler``) creates luigid's missing task-history
  database, and says in two lines what to do when it cannot (no traceback);
- a batch that failed on ``luigid`` (whose configuration disables a failed task) resumes there once the
  cause is fixed, as it does on the local scheduler;
- a failure that a later attempt fixed is no longer reported by ``dv run`` or ``dv status``; the failed
  attempts stay in ``dv_meta.task_run``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import psycopg2.extensions
import pytest

from pipelines.audit.status import collect
from pipelines.db import connect
from pipelines.project import Project
from pipelines.run import run_batch
from tests.conftest import drop_database
from tests.test_pipeline import _dsn_with, _dv, applied, project, shop_dsn  # noqa: F401  # fixtures

pytestmark = pytest.mark.db

DOWN = "no_such_shop_database"  # a source database that does not exist: every extract fails


def _prepare(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.scheduler", *args], capture_output=True, text=True, timeout=60
    )


def _history_url(dsn: str) -> str:
    p = psycopg2.extensions.parse_dsn(dsn)
    return (
        f"postgresql+psycopg2://{p.get('user', 'postgres')}@{p.get('host', '127.0.0.1')}:{p.get('port', '5432')}"
        f"/{p['dbname']}"
    )


def test_scheduler_creates_its_history_database_or_says_what_to_do(test_dsn: str, tmp_path: Path) -> None:
    """`make scheduler` after `make demo` used to fail with a 130-line SQLAlchemy traceback."""
    name = psycopg2.extensions.parse_dsn(test_dsn)["dbname"] + "_luigi"
    history = _history_url(_dsn_with(test_dsn, name))
    cfg, state = tmp_path / "luigid.cfg", tmp_path / "state.pickle"
    admin = psycopg2.connect(_dsn_with(test_dsn, "postgres"))
    admin.autocommit = True
    try:
        first = _prepare("--history", history, "--config", str(cfg), "--state", str(state))
        assert first.returncode == 0, first.stderr
        assert "created luigid's task-history database" in first.stdout
        with admin.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            assert cur.fetchone() is not None
        again = _prepare("--history", history, "--config", str(cfg), "--state", str(state))
        assert again.returncode == 0 and again.stdout == "", again.stdout + again.stderr
        text = cfg.read_text()
        assert f"db_connection = {history}" in text and "record_task_history = true" in text
        assert "retry_count = 1" in text and f"state_path = {state}" in text
    finally:
        with admin.cursor() as cur:
            drop_database(cur, name)
        admin.close()
    down = _prepare("--history", "postgresql+psycopg2://postgres@127.0.0.1:1/x", "--config", str(cfg), "--state", "s")
    assert down.returncode == 1
    assert "Traceback" not in down.stderr and len(down.stderr.strip().splitlines()) == 2, down.stderr
    assert "hint:" in down.stderr and "LUIGI_HISTORY_DSN" in down.stderr
    none = _prepare("--history", "", "--config", str(cfg), "--state", str(state))
    assert none.returncode == 0 and "record_task_history = false" in cfg.read_text()
    makefile = (Path(__file__).parents[1] / "Makefile").read_text()
    recipe = makefile[makefile.index("\nscheduler:") :].split("\n\n")[0]
    assert recipe.index("-m pipelines.scheduler --history '$(LUIGI_HISTORY_DSN)'") < recipe.index("/luigid ")
    assert "LUIGI_HISTORY_DSN ?= postgresql+psycopg2://postgres@127.0.0.1:5432/luigi_history" in makefile


@pytest.fixture
def luigid(test_dsn: str, tmp_path: Path) -> Iterator[int]:
    """luigid as `make scheduler` configures it (retry_count = 1, task history in PostgreSQL) on a free port
    of 127.0.0.1, its state and logs in tmp_path; stopped at the end. Yields the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    name = psycopg2.extensions.parse_dsn(test_dsn)["dbname"] + "_luigi"
    cfg, state = tmp_path / "luigid" / "luigid.cfg", tmp_path / "luigid" / "state.pickle"
    prepared = _prepare(
        "--history", _history_url(_dsn_with(test_dsn, name)), "--config", str(cfg), "--state", str(state)
    )
    assert prepared.returncode == 0, prepared.stderr
    (tmp_path / "luigid" / "logs").mkdir()
    server = subprocess.Popen(
        [
            *(str(Path(sys.executable).parent / "luigid"), "--address", "127.0.0.1", "--port", str(port)),
            *("--state-path", str(state), "--logdir", str(tmp_path / "luigid" / "logs")),
        ],
        env={**os.environ, "LUIGI_CONFIG_PATH": str(cfg)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/task_list?data={{}}", timeout=1)
                break
            except OSError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "luigid did not start"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        admin = psycopg2.connect(_dsn_with(test_dsn, "postgres"))
        admin.autocommit = True
        with admin.cursor() as cur:
            drop_database(cur, name)
        admin.close()


def _tasks(port: int, status: str) -> dict[str, dict[str, object]]:
    query = urllib.parse.quote(json.dumps({"status": status, "upstream_status": "", "limit": False}))
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/task_list?data={query}", timeout=5) as answer:
        tasks: dict[str, dict[str, object]] = json.loads(answer.read())["response"]
    return tasks


def _failed_rows(dsn: str, batch_id: int) -> int:
    conn = connect(dsn)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM dv_meta.task_run WHERE batch_id = %s AND status = 'failed'", (batch_id,))
        (rows,) = cur.fetchone()
    conn.close()
    return int(rows)


def test_a_failed_batch_resumes_through_the_central_scheduler(
    applied: str,  # noqa: F811
    shop_dsn: str,  # noqa: F811
    project: Project,  # noqa: F811
    luigid: int,
) -> None:
    """A failure (the source is down), the fix (it is back), the resume through luigid: it used to end
    NOT_RUN with exit 1, the old errors and the same advice again, because luigid disabled the failed tasks."""
    on_luigid = ("--scheduler-host", "127.0.0.1", "--scheduler-port", str(luigid))
    failed = run_batch(
        project.root,
        dsn=applied,
        source_dsn=_dsn_with(shop_dsn, DOWN),
        scheduler_host="127.0.0.1",
        scheduler_port=luigid,
    )
    assert not failed.succeeded and failed.failed_tasks
    assert all(DOWN in task for task in failed.failed_tasks), failed.failed_tasks
    disabled = _tasks(luigid, "DISABLED")
    assert {t["name"] for t in disabled.values()} == {"Extract"}, disabled  # what luigid did to them
    resumed = _dv(
        project, "run", "--dsn", applied, "--source-dsn", shop_dsn, "--batch", str(failed.batch_id), *on_luigid
    )
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, out + err
    assert "SUCCESS" in out and "extract." not in out and "resume with" not in out, out
    assert _tasks(luigid, "DISABLED") == {}
    assert {"Extract", "Stage", "Load", "Batch", "Marts"} <= {t["name"] for t in _tasks(luigid, "DONE").values()}
    assert _failed_rows(applied, failed.batch_id) == len(failed.failed_tasks)  # the history stays


def test_fixed_failures_are_not_reported(
    applied: str,  # noqa: F811
    shop_dsn: str,  # noqa: F811
    project: Project,  # noqa: F811
) -> None:
    """dv run and dv status report the failures that are still failures (each task's last one); after a
    successful resume there are none, while dv_meta.task_run keeps every failed attempt."""
    down = _dsn_with(shop_dsn, DOWN)
    first = run_batch(project.root, dsn=applied, source_dsn=down)
    assert not first.succeeded and first.failed_tasks
    again = run_batch(project.root, dsn=applied, source_dsn=down, batch_id=first.batch_id)  # still down
    assert not again.succeeded
    assert sorted(again.failed_tasks) == sorted(first.failed_tasks), again.failed_tasks  # once each, not twice
    conn = connect(applied)
    try:
        failures = collect(conn, project)["failures"]
        assert sorted(f["task"] for f in failures) == sorted(t.split(":")[0] for t in first.failed_tasks)
        resumed = run_batch(project.root, dsn=applied, source_dsn=shop_dsn, batch_id=first.batch_id)
        assert resumed.succeeded and resumed.failed_tasks == [], resumed.failed_tasks
        report = collect(conn, project)
        assert report["failures"] == [], report["failures"]
        assert report["batches"][0]["status"] == "succeeded"
    finally:
        conn.close()
    assert _failed_rows(applied, first.batch_id) == 2 * len(first.failed_tasks)


def test_a_scheduler_that_does_not_answer_is_a_user_error() -> None:
    from generator.errors import WarehouseError
    from pipelines.scheduler import re_enable

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])  # closed once the block ends: nobody listens there
    with pytest.raises(WarehouseError, match=r"does not answer.*\n    hint: start it \(make scheduler\)"):
        re_enable("127.0.0.1", port, ["Extract_x"])
