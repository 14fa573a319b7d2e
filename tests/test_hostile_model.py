"""Hostile model input (issue 13): refused with a located message, never a traceback, a hang or silent loss.

No database: the YAML loader and the model-file discovery (generator/yaml_loader.py, generator/model_files.py).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from generator.errors import ModelError, Problem
from generator.model import load_model
from generator.yaml_loader import MAX_DEPTH, MAX_VALUES
from tests.conftest import FIXTURES

BASIC = FIXTURES / "models" / "basic"
HUB = (
    "kind: hub\nname: extra\nbusiness_keys: [{name: extra_id, type: text}]\n"
    "sources: [{source: crm_customers, columns: [customer_id]}]\n"
)


def project(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    """The basic fixture model plus ``extra`` files (path under model/ -> text)."""
    root = tmp_path / "project"
    shutil.copytree(BASIC, root / "model")
    for name, text in (extra or {}).items():
        path = root / "model" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def problems_of(root: Path) -> list[Problem]:
    with pytest.raises(ModelError) as caught:
        load_model(root / "model", root)
    return caught.value.problems


def only_problem(root: Path) -> Problem:
    problems = problems_of(root)
    assert len(problems) == 1, "\n".join(p.render() for p in problems)
    return problems[0]


# --- YAML: alias bombs, depth, recursion ------------------------------------------------------------


def billion_laughs(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "kind: hub\nname: bomb\n" + "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    root = project(tmp_path, {"bomb.yml": billion_laughs(12)})  # 9**12 values once expanded
    started = time.monotonic()
    problem = only_problem(root)
    assert time.monotonic() - started < 5
    assert problem.file == "model/bomb.yml"
    assert f"expands to more than {MAX_VALUES:,} values" in problem.message, problem.render()
    assert "alias" in problem.hint


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    text = (
        "kind: hub\nname: extra\ndescription: &d The extra key.\n"
        "business_keys: [{name: extra_id, type: text, description: *d}]\n"
        "sources: [{source: crm_customers, columns: [customer_id]}]\n"
    )
    root = project(tmp_path, {"aliases.yml": text})
    model = load_model(root / "model", root)
    assert model.hubs["extra"].business_keys[0].description == "The extra key."


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_nesting_is_refused(tmp_path: Path, depth: int) -> None:
    root = project(tmp_path, {"deep.yml": "kind: hub\nname: deep\ndescription: " + "[" * depth + "]" * depth + "\n"})
    problem = only_problem(root)
    assert (problem.file, problem.line) == ("model/deep.yml", 3)
    assert f"nested more than {MAX_DEPTH} levels deep" in problem.message


def test_deep_block_nesting_is_refused(tmp_path: Path) -> None:
    text = "kind: hub\nname: deep\n" + "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "x: 1\n"
    problem = only_problem(project(tmp_path, {"deep.yml": text}))
    assert "levels deep" in problem.message


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    problem = only_problem(project(tmp_path, {"loop.yml": "kind: hub\nname: loop\ndescription: &d [1, *d]\n"}))
    assert (problem.file, problem.line) == ("model/loop.yml", 3)
    assert "recursive value" in problem.message


@pytest.mark.parametrize("value", ["!!int abc", "!!timestamp 2024-13-45", "!!float x", "!!python/object:os.system x"])
def test_a_tag_that_cannot_be_read_is_a_problem(tmp_path: Path, value: str) -> None:
    problem = only_problem(project(tmp_path, {"tag.yml": f"kind: hub\nname: tagged\ndescription: {value}\n"}))
    assert (problem.file, problem.line) == ("model/tag.yml", 3), problem.render()


def test_nul_in_text_is_refused(tmp_path: Path) -> None:
    text = HUB + 'description: "before\\0after"\n'
    problem = only_problem(project(tmp_path, {"nul.yml": text}))
    assert (problem.file, problem.line) == ("model/nul.yml", 5)
    assert "NUL" in problem.message


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "model" / "latin1.yml").write_bytes("kind: hub\nname: caf\xe9\n".encode("latin-1"))
    problem = only_problem(root)
    assert problem.file == "model/latin1.yml" and "not UTF-8" in problem.message


# --- kind given as a list or a mapping ------------------------------------------------------------


@pytest.mark.parametrize(("value", "shape"), [("[hub]", "list"), ("{hub: 1}", "mapping"), ("1", "number")])
def test_kind_that_is_not_a_name(tmp_path: Path, value: str, shape: str) -> None:
    problem = only_problem(project(tmp_path, {"k.yml": f"kind: {value}\nname: k\n"}))
    assert (problem.file, problem.line) == ("model/k.yml", 1)
    assert problem.message == f"kind must be a name, not a {shape}"
    assert "kind: hub" in problem.hint


# --- files and folders: nothing skipped silently -----------------------------------------------------


def test_dangling_link_is_an_error(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "model" / "more.yml").symlink_to("gone.yml")
    problem = only_problem(root)
    assert problem.file == "model/more.yml"
    assert "'gone.yml', which does not exist or is a link loop" in problem.message


def test_editor_lock_links_are_not_model_files(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "model" / ".#hubs.yml").symlink_to("user@host.1234:1700000000")  # what Emacs leaves while editing
    load_model(root / "model", root)


def test_link_loop_is_an_error(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "model" / "a").symlink_to("b")
    (root / "model" / "b").symlink_to("a")
    (root / "model" / "self").symlink_to(".")
    rendered = [p.render() for p in problems_of(root)]
    assert len(rendered) == 3, rendered
    assert rendered[0].startswith("model/a: symbolic link to 'b', which does not exist or is a link loop")
    assert rendered[2].startswith("model/self: symbolic link to a folder read already (model)")


def test_linked_folders_are_read(tmp_path: Path) -> None:
    root = project(tmp_path)
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir()
    (elsewhere / "extra.yml").write_text(HUB, encoding="utf-8")
    (root / "model" / "shared").symlink_to(elsewhere)
    model = load_model(root / "model", root)
    assert model.hubs["extra"].origin.file == "model/shared/extra.yml"


def test_a_pipe_named_yml_is_an_error(tmp_path: Path) -> None:
    root = project(tmp_path)
    os.mkfifo(root / "model" / "pipe.yml")
    problem = only_problem(root)  # reading it would block for ever
    assert problem.file == "model/pipe.yml" and "not a regular file" in problem.message


def test_control_character_in_file_name_is_refused(tmp_path: Path) -> None:
    name = "x\nDROP SCHEMA raw_vault CASCADE;\n.yml"
    problem = only_problem(project(tmp_path, {name: HUB}))
    assert problem.file == "model/x\\nDROP SCHEMA raw_vault CASCADE;\\n.yml"
    assert "control character" in problem.message and "rename" in problem.hint
    assert "\n" not in problem.render().split("\n    hint:")[0]


def test_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"extra.yml": HUB})
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "extra.yml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    problem = only_problem(root)
    assert (problem.file, problem.message) == ("model/extra.yml", "cannot read file: Permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file and a folder whatever their mode")
def test_unreadable_file_and_folder_by_mode(tmp_path: Path) -> None:
    root = project(tmp_path, {"extra.yml": HUB, "locked/more.yml": HUB.replace("extra", "more")})
    (root / "model" / "extra.yml").chmod(0)
    (root / "model" / "locked").chmod(0)
    try:
        rendered = [p.render() for p in problems_of(root)]
    finally:
        (root / "model" / "extra.yml").chmod(0o644)
        (root / "model" / "locked").chmod(0o755)
    assert rendered[0].startswith("model/extra.yml: cannot read file: Permission denied"), rendered
    assert rendered[1].startswith("model/locked: cannot read folder: Permission denied"), rendered


def test_unreadable_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"locked/more.yml": HUB})
    real = os.scandir

    def denied(path: str) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", denied)
    problem = only_problem(root)
    assert (problem.file, problem.message) == ("model/locked", "cannot read folder: Permission denied")
