"""Models that validate but PostgreSQL would refuse (issue 13, item 9): ``dv validate`` catches them first.

Each case is the basic fixture model with one edit; it must give exactly one problem naming the file, the
line of the field and a likely fix. The database test checks the hard-coded reserved words against the server.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.errors import ModelError, Problem
from generator.kinds.base import RESERVED_WORDS
from generator.model import MAX_TABLE_COLUMNS, load_model
from tests.conftest import FIXTURES

Docs = dict[str, list[dict[str, Any]]]  # file name -> its documents


def edited(tmp_path: Path, edit: Callable[[Docs], None]) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "models" / "basic", root / "model")
    docs = {p.name: list(yaml.safe_load_all(p.read_text(encoding="utf-8"))) for p in (root / "model").glob("*.yml")}
    edit(docs)
    for name, content in docs.items():
        (root / "model" / name).write_text(yaml.safe_dump_all(content, sort_keys=False), encoding="utf-8")
    return root


def only_problem(root: Path) -> Problem:
    with pytest.raises(ModelError) as caught:
        load_model(root / "model", root)
    problems = caught.value.problems
    assert len(problems) == 1, "\n".join(p.render() for p in problems)
    return problems[0]


def doc(docs: Docs, file: str, name: str) -> dict[str, Any]:
    return next(d for d in docs[file] if d["name"] == name)


def rename_source_column(old: str, new: str) -> Callable[[Docs], None]:
    def edit(docs: Docs) -> None:
        for column in doc(docs, "sources.yml", "web_signups")["columns"]:
            if column["name"] == old:
                column["name"] = new
        doc(docs, "hubs.yml", "customer")["sources"][1]["columns"] = [new if c == old else c for c in ["customer_ref"]]
        for sat in docs["satellites.yml"]:
            if sat.get("source") == "web_signups":
                sat["columns"] = [new if c == old else c for c in sat["columns"]]

    return edit


@pytest.mark.parametrize("word", ["user", "order", "left", "table"])
def test_reserved_word_as_column_name(tmp_path: Path, word: str) -> None:
    problem = only_problem(edited(tmp_path, rename_source_column("channel", word)))
    assert (problem.file, problem.entity) == ("model/sources.yml", "source 'web_signups'"), problem.render()
    assert f"columns.1.name: '{word}' is a reserved word of PostgreSQL" in problem.message
    assert f"rename it, e.g. '{word}_name'" in problem.message


def test_reserved_word_as_key_name(tmp_path: Path) -> None:
    def edit(docs: Docs) -> None:
        doc(docs, "hubs.yml", "customer")["business_keys"][0]["name"] = "user"

    problem = only_problem(edited(tmp_path, edit))
    assert (problem.file, problem.entity) == ("model/hubs.yml", "hub 'customer'")
    assert "'user' is a reserved word" in problem.message


def test_reserved_word_as_source_name(tmp_path: Path) -> None:
    """A source's landing table is named as the source (a hub's table is hub_<name>: a hub may be 'user')."""

    def edit(docs: Docs) -> None:
        doc(docs, "sources.yml", "web_signups")["name"] = "select"
        doc(docs, "hubs.yml", "customer")["sources"][1]["source"] = "select"
        for sat in docs["satellites.yml"]:
            if sat.get("source") == "web_signups":
                sat["source"] = "select"

    problem = only_problem(edited(tmp_path, edit))
    assert problem.file == "model/sources.yml" and "'select' is a reserved word" in problem.message


def test_a_hub_may_be_named_user(tmp_path: Path) -> None:
    def edit(docs: Docs) -> None:
        hub = {"kind": "hub", "name": "user", "business_keys": [{"name": "user_id", "type": "text"}]}
        docs["hubs.yml"].append({**hub, "sources": [{"source": "crm_customers", "columns": ["customer_id"]}]})

    model = load_model(edited(tmp_path, edit) / "model", tmp_path / "project")
    assert model.hubs["user"].table == "hub_user"


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("varchar(0)", "the length of varchar must be 1 to 10,485,760"),
        ("char(0)", "the length of char must be 1 to 10,485,760"),
        ("varchar(10485761)", "the length of varchar must be 1 to 10,485,760"),
        ("numeric(5000,2)", "the precision of numeric must be 1 to 1,000"),
        ("numeric(0)", "the precision of numeric must be 1 to 1,000"),
        ("numeric(5,6)", "the scale of numeric (6) must not exceed its precision (5)"),
    ],
)
def test_type_modifiers_postgresql_refuses(tmp_path: Path, declared: str, expected: str) -> None:
    def edit(docs: Docs) -> None:
        doc(docs, "sources.yml", "web_signups")["columns"][1]["type"] = declared

    problem = only_problem(edited(tmp_path, edit))
    assert (problem.file, problem.entity) == ("model/sources.yml", "source 'web_signups'")
    assert f"columns.1.type: column type '{declared}': {expected}" in problem.message, problem.render()


@pytest.mark.parametrize("declared", ["varchar(1)", "varchar(10485760)", "numeric(1000,1000)", "numeric(12,2)"])
def test_type_modifiers_at_the_limits_are_fine(tmp_path: Path, declared: str) -> None:
    def edit(docs: Docs) -> None:
        doc(docs, "sources.yml", "web_signups")["columns"][1]["type"] = declared

    root = edited(tmp_path, edit)
    load_model(root / "model", root)


def test_too_many_columns(tmp_path: Path) -> None:
    def edit(docs: Docs) -> None:
        columns = doc(docs, "sources.yml", "web_signups")["columns"]
        # the landing table (dv_row_no + the columns) fits; the stage table (+ metadata and hash columns) not
        columns += [{"name": f"c{i}", "type": "text"} for i in range(MAX_TABLE_COLUMNS - 1 - len(columns))]

    problem = only_problem(edited(tmp_path, edit))
    assert (problem.file, problem.entity) == ("model/sources.yml", "source 'web_signups'")
    assert "table staging.web_signups_stage would have 1,60" in problem.message, problem.render()
    assert "columns, more than PostgreSQL's 1,600" in problem.message
    assert "split" in problem.hint


def test_applied_ts_must_be_a_time(tmp_path: Path) -> None:
    def edit(docs: Docs) -> None:
        crm = doc(docs, "sources.yml", "crm_customers")
        crm["applied_ts"] = "tier"  # a text column

    problem = only_problem(edited(tmp_path, edit))
    assert (problem.file, problem.entity) == ("model/sources.yml", "source 'crm_customers'")
    assert problem.line == 5  # the applied_ts line
    assert "applied_ts column 'tier' is text, which is not a point in time" in problem.message
    assert "timestamptz" in problem.hint


@pytest.mark.db
def test_reserved_words_match_the_server(warehouse: Any) -> None:
    with warehouse.cursor() as cur:
        cur.execute("SELECT current_setting('server_version_num')::int / 10000")
        major = cur.fetchone()[0]
        cur.execute("SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')")
        words = {w for (w,) in cur.fetchall()}
    missing = words - RESERVED_WORDS
    assert not missing, f"reserved on PostgreSQL {major} but not refused by the generator: {sorted(missing)}"
    if major == 15:
        assert words == RESERVED_WORDS
