"""Modeling mistakes in multi-active and record-tracking satellites: each reported once, with its file,
line, entity and a likely fix (fast tier, no database).

Each case adds one document (``model/extra.yml``) to a copy of the ``multi_active`` fixture model,
which is valid on its own; exactly one problem is expected, so a follow-on error fails the case too.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.errors import ModelError, Problem
from generator.model import load_model
from tests.conftest import FIXTURES

BASE = FIXTURES / "models" / "multi_active"


@dataclass(frozen=True)
class Case:
    document: str
    line: int
    entity: str
    message: str  # a part of the message
    hint: str = ""  # a part of the hint
    file: str = "model/extra.yml"


MSAT = """kind: multi_active_satellite
name: languages_again
hub: candidate
source: candidate_languages
"""

CASES: dict[str, Case] = {
    "msat_missing_sub_keys": Case(
        MSAT + "columns: [proficiency]\n",
        1,
        "multi_active_satellite 'languages_again'",
        "missing required field 'sub_keys'",
        "docs/modeling.md",
    ),
    "msat_empty_sub_keys": Case(
        MSAT + "sub_keys: []\n",
        5,
        "multi_active_satellite 'languages_again'",
        "sub_keys: List should have at least 1 item",
    ),
    "msat_sub_key_not_a_column": Case(
        MSAT + "sub_keys: [langauge_code]\ncolumns: [proficiency]\n",
        5,
        "multi_active_satellite 'languages_again'",
        "sub-key 'langauge_code' is not a column of source 'candidate_languages'",
        "did you mean 'language_code'?",
    ),
    "msat_sub_key_also_payload": Case(
        MSAT + "sub_keys: [language_code]\ncolumns:\n  - proficiency\n  - language_code\n",
        8,
        "multi_active_satellite 'languages_again'",
        "payload column 'language_code' clashes with a sub-key",
        "remove it",
    ),
    "msat_sub_key_twice": Case(
        MSAT + "sub_keys: [language_code, language_code]\n",
        5,
        "multi_active_satellite 'languages_again'",
        "sub-key 'language_code' clashes with declared twice",
        "list each sub-key once",
    ),
    "msat_sub_key_float": Case(
        "kind: source\nname: rates\nrecord_source: x\ncolumns:\n  - {name: candidate_id, type: text}\n"
        "  - {name: rate, type: float8}\n---\n"
        "kind: hub\nname: rated\nbusiness_keys: [{name: candidate_id}]\n"
        "sources: [{source: rates, columns: [candidate_id]}]\n"
        "---\nkind: multi_active_satellite\nname: rates\nhub: rated\nsource: rates\nsub_keys: [rate]\n",
        17,
        "multi_active_satellite 'rates'",
        "sub-key 'rate' is double precision; a sub-key must be text, integer, numeric, date or timestamp",
        "numeric",
    ),
    "msat_two_parents": Case(
        MSAT + "link: candidate_job\nsub_keys: [language_code]\n",
        1,
        "multi_active_satellite 'languages_again'",
        "needs exactly one parent",
    ),
    "msat_source_does_not_feed_parent": Case(
        "kind: multi_active_satellite\nname: languages_again\nhub: job\nsource: candidate_languages\n"
        "sub_keys: [language_code]\n",
        4,
        "multi_active_satellite 'languages_again'",
        "source 'candidate_languages' does not feed hub 'job'",
        "add '- source: candidate_languages'",
    ),
    "msat_unknown_link": Case(
        "kind: multi_active_satellite\nname: languages_again\nlink: candidate_jobs\nsource: interview_plans\n"
        "sub_keys: [round_no]\n",
        3,
        "multi_active_satellite 'languages_again'",
        "unknown link 'candidate_jobs'",
        "did you mean 'candidate_job'?",
    ),
    "msat_name_clash_with_satellite": Case(
        "kind: satellite\nname: candidate_phones\nhub: candidate\nsource: candidate_phones\ncolumns: [phone_no]\n",
        10,
        "multi_active_satellite 'candidate_phones'",
        "name clash: satellite 'candidate_phones' is already declared in model/extra.yml:2",
        "share the stage hashdiff column hd_<name>",
        "model/satellites.yml",
    ),
    "msat_declared_twice": Case(
        MSAT.replace("languages_again", "candidate_phones") + "sub_keys: [language_code]\n",
        10,
        "multi_active_satellite 'candidate_phones'",
        "name clash: multi_active_satellite 'candidate_phones' is already declared in model/extra.yml:2",
        "rename one of them",
        "model/satellites.yml",
    ),
    "msat_unknown_kind": Case(
        MSAT.replace("multi_active_satellite", "multi_active_sattelite") + "sub_keys: [language_code]\n",
        1,
        "multi_active_sattelite 'languages_again'",
        "unknown kind 'multi_active_sattelite'",
        "did you mean 'multi_active_satellite'?",
    ),
    "rts_unknown_hub": Case(
        "kind: record_tracking_satellite\nname: seen\nhub: candidat\nsource: candidate_phones\n",
        3,
        "record_tracking_satellite 'seen'",
        "unknown hub 'candidat'",
        "did you mean 'candidate'?",
    ),
    "rts_unknown_field": Case(
        "kind: record_tracking_satellite\nname: seen\nhub: candidate\nsources: candidate_phones\n",
        4,
        "record_tracking_satellite 'seen'",
        "unknown field 'sources'",
        "did you mean 'source'?",
    ),
    "rts_payload_is_not_a_field": Case(
        "kind: record_tracking_satellite\nname: seen\nhub: candidate\nsource: candidate_phones\ncolumns: [phone_no]\n",
        5,
        "record_tracking_satellite 'seen'",
        "unknown field 'columns'",
    ),
    "rts_source_does_not_feed_parent": Case(
        "kind: record_tracking_satellite\nname: seen\nlink: candidate_job\nsource: candidate_phones\n",
        4,
        "record_tracking_satellite 'seen'",
        "source 'candidate_phones' does not feed link 'candidate_job'",
        "record-tracking satellite",
    ),
    "rts_name_too_long": Case(
        "kind: record_tracking_satellite\nname: " + "s" * 60 + "\nhub: candidate\nsource: candidate_phones\n",
        2,
        "record_tracking_satellite '" + "s" * 60 + "'",
        "the record-tracking satellite table name 'rts_" + "s" * 60 + "' is 64 bytes",
        "choose a shorter entity name",
    ),
    "rts_index_name_too_long": Case(
        "kind: record_tracking_satellite\nname: " + "s" * 56 + "\nhub: candidate\nsource: candidate_phones\n",
        2,
        "record_tracking_satellite '" + "s" * 56 + "'",
        "the index name 'rts_" + "s" * 56 + "_batch' is 66 bytes",
        "choose a shorter entity name",
    ),
}


def problems_with(tmp_path: Path, document: str) -> list[Problem]:
    root = tmp_path / "project"
    shutil.copytree(BASE, root / "model")
    (root / "model" / "extra.yml").write_text(document, encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model(root / "model", root)
    return caught.value.problems


def test_the_base_model_is_valid() -> None:
    load_model(BASE, BASE.parent)


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_is_reported_once_with_its_place(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    problems = problems_with(tmp_path, case.document)
    assert len(problems) == 1, "\n".join(p.render() for p in problems)
    problem = problems[0]
    place = (problem.file, problem.line, problem.entity)
    assert place == (case.file, case.line, case.entity), problem.render()
    assert case.message in problem.message, problem.render()
    assert case.hint in problem.hint, problem.render()
