"""Every folder README names each module of its folder (issue 14: the READMEs had gone stale, e.g.
pipelines/README.md listed 10 of its 20 modules). Fast tier."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO

READMES = sorted(
    p
    for top in ("generator", "pipelines", "tests", "checks", "model", "vault_sql")
    for p in (REPO / top).rglob("README.md")
)


@pytest.mark.parametrize("readme", READMES, ids=lambda p: str(p.relative_to(REPO)))
def test_a_folder_readme_names_each_module(readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    modules = sorted(p.name for p in readme.parent.glob("*.py") if p.name not in ("__init__.py", "conftest.py"))
    missing = [m for m in modules if f"`{m}`" not in text]
    assert not missing, f"{readme.relative_to(REPO)} does not name {', '.join(missing)}: add a line for each"


def test_every_package_folder_has_a_readme() -> None:
    packages = sorted(
        p.parent
        for top in ("generator", "pipelines")
        for p in (REPO / top).rglob("__init__.py")
        if ".venv" not in p.parts
    )
    missing = [str(p.relative_to(REPO)) for p in packages if not (p / "README.md").is_file()]
    assert not missing, f"package folders without a README.md: {', '.join(missing)}: add one that names each module"
