"""Every modeling mistake is reported with its file, line, entity and a likely fix.

Each folder under ``tests/fixtures/broken/`` is the ``basic`` fixture model with
one mistake (``several_errors`` has seven). A case expects exactly one problem:
a follow-on error (a reference to the broken entity reported as unknown) would
bury the real one, so it fails the test too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.errors import ModelError, Problem
from generator.model import load_model
from tests.conftest import FIXTURES, REPO

BROKEN = FIXTURES / "broken"


@dataclass(frozen=True)
class Expected:
    file: str
    line: int
    entity: str
    message: str  # a part of the message
    hint: str = ""  # a part of the hint, when one is expected


SYNTAX_HINT = "check indentation, quoting and brackets"

CASES: dict[str, Expected] = {
    # unknown references, with a did-you-mean
    "unknown_hub_source": Expected(
        "model/hubs.yml", 7, "hub 'customer'", "unknown source 'crm_customer'", "did you mean 'crm_customers'?"
    ),
    "unknown_link_hub": Expected(
        "model/links.yml", 17, "link 'order_line'", "unknown hub 'prodcut'", "did you mean 'product'?"
    ),
    "unknown_satellite_parent": Expected(
        "model/satellites.yml", 9, "satellite 'customer_signup'", "unknown hub 'custommer'", "did you mean 'customer'?"
    ),
    "unknown_satellite_source": Expected(
        "model/satellites.yml",
        10,
        "satellite 'customer_signup'",
        "unknown source 'web_signup'",
        "did you mean 'web_signups'?",
    ),
    # names PostgreSQL would refuse or change
    "bad_identifier_upper": Expected(
        "model/hubs.yml", 5, "hub 'customer'", "business_keys.0.name: 'Customer_Id' is not a safe SQL name"
    ),
    "bad_identifier_dash": Expected(
        "model/satellites.yml", 5, "satellite 'customer_details'", "columns.1: 'e-mail' is not a safe SQL name"
    ),
    "bad_identifier_long": Expected(
        "model/sources.yml", 24, "source 'web_signups'", "is longer than 63 bytes (PostgreSQL's limit)"
    ),
    "derived_name_too_long": Expected(
        "model/hubs.yml",
        27,
        "hub 'customer_" + "x" * 51 + "'",
        "the hub table name 'hub_customer_" + "x" * 51 + "' is 64 bytes, longer than PostgreSQL's 63",
        "choose a shorter entity name",
    ),
    # YAML and schema
    "duplicate_key": Expected(
        "model/hubs.yml",
        13,
        "hub 'sales_order'",
        "duplicate key 'name' (first at line 11)",
        "YAML keeps only the last of two equal keys",
    ),
    "unknown_field": Expected(
        "model/hubs.yml", 21, "hub 'product'", "unknown field 'busines_keys'", "did you mean 'business_keys'?"
    ),
    "unknown_nested_field": Expected(
        "model/satellites.yml",
        12,
        "satellite 'customer_signup'",
        "unknown field 'columns.0.sourc_column'",
        "did you mean 'source_column'?",
    ),
    "unknown_kind": Expected("model/hubs.yml", 19, "hubb 'product'", "unknown kind 'hubb'", "did you mean 'hub'?"),
    "missing_required_field": Expected(
        "model/satellites.yml",
        7,
        "satellite 'customer_signup'",
        "missing required field 'source'",
        "docs/modeling.md",
    ),
    "payload_column_absent": Expected(
        "model/satellites.yml",
        17,
        "satellite 'order_line_amounts'",
        "column 'prize' is not a column of source 'shop_orders'",
        "did you mean 'price'?",
    ),
    # name clashes
    "clash_two_hubs": Expected(
        "model/hubs.yml",
        27,
        "hub 'customer'",
        "name clash: hub 'customer' is already declared in model/hubs.yml:2",
        "rename one of them",
    ),
    "clash_hub_and_link": Expected(
        "model/links.yml",
        13,
        "link 'product'",
        "name clash: hub 'product' is already declared in model/hubs.yml:20",
        "hubs and links share the hash-key column hk_<name>",
    ),
    "clash_payload_load_dts": Expected(
        "model/satellites.yml",
        13,
        "satellite 'customer_signup'",
        "payload column 'load_dts' clashes with a metadata column",
        "source_column: customer_ref",
    ),
    "wrong_key_column_count": Expected(
        "model/hubs.yml",
        17,
        "hub 'sales_order'",
        "1 column(s) given for hub 'sales_order', which has 2 key part(s) (region, order_no)",
        "one source column per key part",
    ),
    # YAML syntax: the entity cannot be known, the line is where the mistake starts
    "yaml_unclosed_bracket": Expected(
        "model/satellites.yml", 5, "", "YAML syntax error: expected ',' or ']'", SYNTAX_HINT
    ),
    "yaml_bad_indent": Expected(
        "model/hubs.yml", 12, "", "YAML syntax error: mapping values are not allowed here", SYNTAX_HINT
    ),
    "yaml_missing_colon": Expected(
        "model/links.yml", 13, "", "YAML syntax error: could not find expected ':'", SYNTAX_HINT
    ),
}

# several_errors: every problem of the model, reported at once
SEVERAL = [
    Expected("model/hubs.yml", 7, "hub 'customer'", "unknown source 'crm_customer'", "did you mean 'crm_customers'?"),
    Expected("model/links.yml", 6, "link 'customer_referral'", "'Referrer' is not a safe SQL name"),
    Expected("model/project.yml", 3, "project 'basic'", "unknown field 'hash.algoritm'", "did you mean 'algorithm'?"),
    Expected(
        "model/satellites.yml", 9, "satellite 'customer_signup'", "unknown hub 'custommer'", "did you mean 'customer'?"
    ),
    Expected(
        "model/satellites.yml", 17, "satellite 'order_line_amounts'", "column 'prize' is not", "did you mean 'price'?"
    ),
    Expected("model/sources.yml", 23, "source 'web_signups'", "unsupported column type 'txt' (did you mean 'text'?)"),
    Expected(
        "model/sources.yml",
        29,
        "source 'shop_orders'",
        "duplicate key 'record_source' (first at line 28)",
        "YAML keeps only the last",
    ),
]


def project_with(tmp_path: Path, case: str) -> Path:
    """A project folder whose model/ is a copy of the broken fixture ``case``."""
    root = tmp_path / case
    shutil.copytree(BROKEN / case, root / "model")
    return root


def problems_of(root: Path) -> list[Problem]:
    with pytest.raises(ModelError) as caught:
        load_model(root / "model", root)
    return caught.value.problems


def assert_matches(problem: Problem, expected: Expected) -> None:
    got = (problem.file, problem.line, problem.entity)
    assert got == (expected.file, expected.line, expected.entity), problem.render()
    assert expected.message in problem.message, problem.render()
    if expected.hint:
        assert expected.hint in problem.hint, problem.render()


def test_every_broken_fixture_has_a_case() -> None:
    folders = {p.name for p in BROKEN.iterdir() if p.is_dir()}
    assert folders == set(CASES) | {"several_errors"}


def test_the_base_model_is_valid() -> None:
    """The broken models are the basic one with one edit: their problems come from that edit."""
    load_model(FIXTURES / "models" / "basic", FIXTURES / "models")


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_model_reports_one_located_problem(tmp_path: Path, case: str) -> None:
    problems = problems_of(project_with(tmp_path, case))
    assert len(problems) == 1, "expected one problem, got:\n" + "\n".join(p.render() for p in problems)
    assert_matches(problems[0], CASES[case])
    rendered = problems[0].render()
    assert rendered.startswith(f"{CASES[case].file}:{CASES[case].line}: "), rendered


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    problems = problems_of(project_with(tmp_path, "several_errors"))
    assert len(problems) == len(SEVERAL), "\n".join(p.render() for p in problems)
    for problem, expected in zip(problems, SEVERAL, strict=True):  # problems come sorted by file and line
        assert_matches(problem, expected)


def test_dv_validate_prints_all_problems(tmp_path: Path) -> None:
    root = project_with(tmp_path, "several_errors")
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "--project", str(root), "validate"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    for expected in SEVERAL:
        prefix = f"{expected.file}:{expected.line}: {expected.entity}: "
        line = next((x for x in lines if x.startswith(prefix)), None)
        assert line is not None, f"no line starts with {prefix!r}:\n{run.stderr}"
        assert expected.message in line, f"the message is cut (line wrapped?): {line!r}"
    assert f"{len(SEVERAL)} problem(s) in the model" in run.stderr
