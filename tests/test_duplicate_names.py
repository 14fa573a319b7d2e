"""A second entity with the name of one already declared is an error naming both places, for every kind of the
registry (issue 14: a second ``kind: pit`` or ``dimension`` of an existing name used to win silently)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.errors import ModelError
from generator.kinds import KINDS
from generator.model import load_model
from tests.conftest import FIXTURES, REPO

FOLDERS = [REPO / "model", *sorted(p for p in (FIXTURES / "models").iterdir() if p.is_dir())]


def _example(kind: str) -> tuple[Path, str, str] | None:
    """A model folder that declares an entity of ``kind``: the folder, the document's text, its file."""
    for folder in FOLDERS:
        for path in sorted(folder.rglob("*.yml")):
            for text in path.read_text(encoding="utf-8").split("\n---\n"):
                doc = yaml.safe_load(text)
                if isinstance(doc, dict) and doc.get("kind") == kind:
                    return folder, text, str(path.relative_to(folder))
    return None


@pytest.mark.parametrize("kind", [k.kind for k in KINDS])
def test_a_duplicate_name_is_an_error_naming_both_places(tmp_path: Path, kind: str) -> None:
    found = _example(kind)
    assert found is not None, f"no model declares a {kind}: add one to tests/fixtures/models"
    folder, text, origin = found
    root = tmp_path / "project"
    shutil.copytree(folder, root / "model")
    (root / "model" / "zz_duplicate.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model(root / "model", root)
    name = yaml.safe_load(text)["name"]
    clashes = [p for p in caught.value.problems if "name clash" in p.message]
    assert [(p.file, p.entity) for p in clashes] == [("model/zz_duplicate.yml", f"{kind} '{name}'")], [
        p.render() for p in caught.value.problems
    ]
    assert f"model/{origin}:" in clashes[0].message
