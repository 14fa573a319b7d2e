"""The documentation is tested against the code (fast tier, no database).

Every entity kind has a template folder, a section of docs/modeling.md with an
example that validates and a row for each of its fields, and fixture load
cases; every ``dv`` command is documented in README.md.
"""

from __future__ import annotations

import argparse
import re
import typing
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from generator.kinds import SPEC_BY_KIND
from pipelines.cli import COMMANDS, build_parser
from tests.conftest import REPO

MODELING = REPO / "docs" / "modeling.md"
README = REPO / "README.md"
TEMPLATES = REPO / "generator" / "templates"
CASES = REPO / "tests" / "fixtures" / "cases"

KINDS = sorted(SPEC_BY_KIND)
ENTITY_KINDS = [k for k in KINDS if k != "project"]  # project has no tables, hence no templates
CASE_KINDS = [k for k in ENTITY_KINDS if k != "source"]  # sources are exercised by every case


def sections(text: str) -> dict[str, str]:
    """``## `kind: <kind>` `` sections of a Markdown text, up to the next level-2 heading."""
    out: dict[str, str] = {}
    for match in re.finditer(r"^## `kind: (\w+)`\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S):
        out[match.group(1)] = match.group(2)
    return out


def _models_in(annotation: Any) -> Iterator[tuple[type[BaseModel], bool]]:
    """Pydantic classes inside an annotation, each with whether it sits in a list."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, False
        return
    in_list = origin in (list, tuple, set)
    for arg in typing.get_args(annotation):
        for model, nested_list in _models_in(arg):
            yield model, in_list or nested_list


def field_paths(cls: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Every field of a spec class, nested ones as ``parent[].child`` or ``parent.child``."""
    for name, info in cls.model_fields.items():
        path = prefix + name
        yield path
        for model, in_list in _models_in(info.annotation):
            yield from field_paths(model, path + ("[]." if in_list else "."))


def common_fields() -> set[str]:
    """Fields every kind has (documented once, before the sections)."""
    return set.intersection(*(set(cls.model_fields) for cls in SPEC_BY_KIND.values()))


@pytest.fixture(scope="module")
def modeling() -> str:
    return MODELING.read_text(encoding="utf-8")


def template_folder(kind: str) -> str:
    """The SQL-defined kinds share the refresh templates of ``derived/``; sources render ``staging/``."""
    from generator.kinds import KINDS
    from generator.kinds.derived import TIER_SQL

    if kind == "source":
        return "staging"
    return "derived" if next(k for k in KINDS if k.kind == kind).tier == TIER_SQL else kind


@pytest.mark.parametrize("kind", ENTITY_KINDS)
def test_kind_has_a_template_folder(kind: str) -> None:
    folder = TEMPLATES / template_folder(kind)
    assert folder.is_dir() and any(folder.glob("*.sql.j2")), f"no templates for kind '{kind}' in {folder}"


@pytest.mark.parametrize("kind", KINDS)
def test_kind_has_a_section_in_modeling_md(kind: str, modeling: str) -> None:
    assert kind in sections(modeling), f"docs/modeling.md needs a section '## `kind: {kind}`'"


@pytest.mark.parametrize("kind", CASE_KINDS)
def test_kind_has_fixture_cases(kind: str) -> None:
    folder = CASES / kind
    assert folder.is_dir() and any(folder.glob("*.yml")), f"no load cases in tests/fixtures/cases/{kind}/"


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_is_documented(kind: str, modeling: str) -> None:
    section = sections(modeling).get(kind, "")
    shared = common_fields()
    missing = [
        path for path in field_paths(SPEC_BY_KIND[kind]) if f"`{path}`" not in (modeling if path in shared else section)
    ]
    assert not missing, f"docs/modeling.md, section kind: {kind}, does not document: {', '.join(missing)}"


@pytest.mark.parametrize("kind", KINDS)
def test_section_example_validates(kind: str, modeling: str) -> None:
    section = sections(modeling).get(kind, "")
    examples = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    assert examples, f"the section of kind '{kind}' needs a complete YAML example"
    for example in examples:
        SPEC_BY_KIND[kind].model_validate(yaml.safe_load(example))


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """The ``dv`` subcommands as the parser declares them."""
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("dv has no subcommands")


def test_every_dv_command_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    commands = set(COMMANDS) | set(subcommands())
    missing = sorted(c for c in commands if f"`dv {c}" not in readme)
    assert not missing, f"README.md does not document: {', '.join('dv ' + c for c in missing)}"


def test_every_dv_option_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = []
    for name, sub in subcommands().items():
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and option not in readme:
                    missing.append(f"dv {name} {option}")
    assert not missing, f"README.md does not document: {', '.join(missing)}"
