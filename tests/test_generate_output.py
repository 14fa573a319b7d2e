"""What ``dv generate``, ``dv docs`` and ``dv demo-data`` do with their output folders (issue 13, items 7, 12).

A hand-written file in vault_sql/ is reported and left alone, never deleted; a folder that cannot be written
(a file in the way, a full disk) is a message naming the path with a hint, exit 1, no traceback.
"""

from __future__ import annotations

import errno
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from generator.errors import DVError
from generator.generate import generate
from pipelines import cli
from tests.conftest import FIXTURES, GeneratedProject, _with_database
from tests.test_cli import assert_user_error, dv, new_project

BASIC = FIXTURES / "models" / "basic"


def _generated_basic(tmp_path: Path, generated_project: GeneratedProject) -> Path:
    """A copy of the basic model's project as ``dv generate`` leaves it (generated once per session)."""
    root = tmp_path / "project"
    shutil.copytree(generated_project(BASIC), root)
    return root


def test_hand_written_file_is_left_alone_and_reported(tmp_path: Path, generated_project: GeneratedProject) -> None:
    root = _generated_basic(tmp_path, generated_project)
    mine = root / "vault_sql" / "hubs" / "my_fix.sql"
    mine.write_text("-- a hand-written fix\nSELECT 1;\n", encoding="utf-8")
    stale = root / "vault_sql" / "hubs" / "old_hub.load.sql"  # generated once, by a model since changed
    stale.write_text("-- generated from model/hubs.yml by dv generate — do not edit\nSELECT 1;\n", encoding="utf-8")

    check = dv("--project", str(root), "generate", "--check")
    assert check.returncode == 1, check.stderr  # the stale generated file
    assert "vault_sql/hubs/my_fix.sql was not written by dv generate" in check.stderr
    assert "old_hub.load.sql" in check.stderr and "1 not generated any more" in check.stderr

    run = dv("--project", str(root), "generate")
    assert run.returncode == 0, run.stderr
    assert "1 removed" in run.stdout
    assert "vault_sql/hubs/my_fix.sql was not written by dv generate" in run.stderr
    assert mine.read_text(encoding="utf-8") == "-- a hand-written fix\nSELECT 1;\n"
    assert not stale.exists()

    again = dv("--project", str(root), "generate", "--check")
    assert again.returncode == 0, again.stderr  # up to date; the hand-written file is still named
    assert "my_fix.sql was not written by dv generate" in again.stderr


def test_generate_into_a_file_in_the_way(tmp_path: Path) -> None:
    root = new_project(tmp_path, BASIC)
    (root / "vault_sql").write_text("not a folder\n", encoding="utf-8")
    run = dv("--project", str(root), "generate")
    assert_user_error(run)
    assert f"cannot write the generated vault_sql/ to {root / 'vault_sql'}" in run.stderr
    assert "a part of the path is a file, not a folder" in run.stderr


def test_generate_onto_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    root = new_project(tmp_path, BASIC)

    def full(self: Path, *args: Any, **kwargs: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(DVError, match="No space left on device"):
        generate(root)
    assert cli.main(["--project", str(root), "generate"]) == 1
    message = capsys.readouterr().err
    assert "cannot write the generated vault_sql/ to" in message and "the disk is full" in message


def test_docs_into_a_file_in_the_way(tmp_path: Path, generated_project: GeneratedProject) -> None:
    root = _generated_basic(tmp_path, generated_project)
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    run = dv("--project", str(root), "docs", "--out", str(tmp_path / "a_file" / "site"))
    assert_user_error(run)
    assert "cannot write the documentation site to" in run.stderr and "a_file" in run.stderr
    assert "hint:" in run.stderr


@pytest.mark.db
def test_demo_data_into_a_file_in_the_way(tmp_path: Path, server_dsn: str) -> None:
    root = new_project(tmp_path, BASIC)
    (root / "a_file").write_text("x", encoding="utf-8")
    name = f"dv_demo_src_{os.getpid()}_{uuid.uuid4().hex[:8]}"  # demo-data creates the platform's database
    try:
        run = _demo_data(root, _with_database(server_dsn, name))
    finally:
        admin = psycopg2.connect(server_dsn)
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
    assert_user_error(run)
    assert "cannot write the simulated platform's files to" in run.stderr and "a_file/landing" in run.stderr
    assert "a part of the path is a file, not a folder" in run.stderr


def _demo_data(root: Path, source_dsn: str) -> Any:
    return dv(
        "--project",
        str(root),
        "demo-data",
        "--scale",
        "0.0005",
        "--days",
        "1",
        "--landing",
        "a_file/landing",
        "--source-dsn",
        source_dsn,
    )
