"""Modeling mistakes in effectivity satellites and non-historized links are reported with file, line,
entity, message and a likely fix - one problem each, no follow-on errors, no traceback (fast tier).

Each case is the ``jobs`` fixture model with one edit: ``(file, old text, new text)``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import ModelError, Problem
from generator.model import load_model
from tests.conftest import FIXTURES

JOBS = FIXTURES / "models" / "jobs"
ESAT = "model/effectivity_satellites.yml"
NHL = "model/nonhistorized_links.yml"

# name: (file, old, new, line, entity, part of the message, part of the hint)
CASES: dict[str, tuple[str, str, str, int, str, str, str]] = {
    # effectivity satellites
    "esat_unknown_link": (
        ESAT,
        "link: job_employer\ndriving_keys: [job]\nsource: job_postings",
        "link: job_employr\ndriving_keys: [job]\nsource: job_postings",
        4,
        "effectivity_satellite 'job_employer'",
        "unknown link 'job_employr'",
        "did you mean 'job_employer'?",
    ),
    "esat_driving_key_not_a_role": (
        ESAT,
        "driving_keys: [job]\nsource: job_board",
        "driving_keys: [jobs]\nsource: job_board",
        12,
        "effectivity_satellite 'job_employer_board'",
        "'jobs' is not a role of link 'job_employer'",
        "did you mean 'job'?",
    ),
    "esat_every_role_drives": (
        ESAT,
        "driving_keys: [job]\nsource: job_board",
        "driving_keys: [job, employer]\nsource: job_board",
        12,
        "effectivity_satellite 'job_employer_board'",
        "every role of link 'job_employer' is a driving key",
        "the others are their partners",
    ),
    "esat_driving_key_twice": (
        ESAT,
        "driving_keys: [job, employer]",
        "driving_keys: [job, job]",
        19,
        "effectivity_satellite 'job_recruiter'",
        "driving key 'job' is listed twice",
        "list each role once",
    ),
    "esat_no_driving_key": (
        ESAT,
        "driving_keys: [job, employer]",
        "driving_keys: []",
        19,
        "effectivity_satellite 'job_recruiter'",
        "driving_keys: List should have at least 1 item",
        "",
    ),
    "esat_missing_source": (
        ESAT,
        "driving_keys: [job, employer]\nsource: job_postings",
        "driving_keys: [job, employer]",
        15,
        "effectivity_satellite 'job_recruiter'",
        "missing required field 'source'",
        "docs/modeling.md",
    ),
    "esat_unknown_source": (
        ESAT,
        "source: job_board",
        "source: job_bord",
        13,
        "effectivity_satellite 'job_employer_board'",
        "unknown source 'job_bord'",
        "did you mean 'job_board'?",
    ),
    "esat_source_does_not_feed_the_link": (
        ESAT,
        "source: job_board",
        "source: job_views",
        13,
        "effectivity_satellite 'job_employer_board'",
        "source 'job_views' does not feed link 'job_employer'",
        "job_board, job_postings",
    ),
    "esat_nullable_driving_key": (
        ESAT,
        "driving_keys: [job, employer]",
        "driving_keys: [job, recruiter]",
        19,
        "effectivity_satellite 'job_recruiter'",
        "driving key role(s) recruiter may have no key in source 'job_postings'",
        "remove recruiter from the nullable_roles of link 'job_recruiter'",
    ),
    "esat_unknown_field": (
        ESAT,
        "driving_keys: [job]\nsource: job_board",
        "driving_key: [job]\nsource: job_board",
        12,
        "effectivity_satellite 'job_employer_board'",
        "unknown field 'driving_key'",
        "did you mean 'driving_keys'?",
    ),
    "esat_name_clash": (
        ESAT,
        "name: job_employer_board",
        "name: job_recruiter",
        16,
        "effectivity_satellite 'job_recruiter'",
        "name clash: effectivity_satellite 'job_recruiter' is already declared in",
        "rename one of them",
    ),
    "esat_link_with_a_broken_feed": (  # the link's own problem, no follow-on from the satellite
        "model/links.yml",
        "  - source: job_board\n    keys: {job: [job_id], employer: [employer_id]}",
        "  - source: job_board\n    keys: {job: [job_id], employer: [employer_idd]}",
        11,
        "link 'job_employer'",
        "column 'employer_idd' is not a column of source 'job_board'",
        "did you mean 'employer_id'?",
    ),
    # non-historized links
    "nhl_unknown_hub": (
        NHL,
        "  - hub: candidate\n",
        "  - hub: candidat\n",
        6,
        "nonhistorized_link 'job_view'",
        "unknown hub 'candidat'",
        "did you mean 'candidate'?",
    ),
    "nhl_event_key_count": (
        NHL,
        "event_keys: [event_no]",
        "event_keys: [event_no, job_ref]",
        19,
        "nonhistorized_link 'job_view'",
        "2 column(s) given for the event keys, which has 1 key part(s) (view_id)",
        "one source column per key part",
    ),
    "nhl_event_key_column_unknown": (
        NHL,
        "event_keys: [view_id]",
        "event_keys: [view_no]",
        15,
        "nonhistorized_link 'job_view'",
        "column 'view_no' is not a column of source 'job_views'",
        "did you mean 'view_id'?",
    ),
    "nhl_source_without_event_keys": (
        NHL,
        "    event_keys: [event_no]\n",
        "",
        17,
        "nonhistorized_link 'job_view'",
        "missing required field 'sources.1.event_keys'",
        "docs/modeling.md",
    ),
    "nhl_payload_column_absent": (
        NHL,
        "  - seconds\n",
        "  - seconds\n  - minutes\n",
        11,
        "nonhistorized_link 'job_view'",
        "payload column 'minutes' is not a column of any of its sources (job_views, app_views)",
        "known: candidate_id, device, job_id, seconds, view_id, viewed_at",
    ),
    "nhl_payload_column_absent_in_one_source": (
        NHL,
        "columns: {seconds: duration, device: device_type}",
        "columns: {seconds: duration}",
        17,
        "nonhistorized_link 'job_view'",
        "payload column 'device': 'device' is not a column of source 'app_views'",
        "to take it from another column: 'columns: {device: <source column>}'",
    ),
    "nhl_payload_mapping_not_a_column": (
        NHL,
        "columns: {seconds: duration, device: device_type}",
        "columns: {second: duration, device: device_type}",
        21,
        "nonhistorized_link 'job_view'",
        "'second' is not a payload column of this link",
        "did you mean 'seconds'?",
    ),
    "nhl_payload_mapping_unknown_source_column": (
        NHL,
        "columns: {seconds: duration, device: device_type}",
        "columns: {seconds: duraton, device: device_type}",
        21,
        "nonhistorized_link 'job_view'",
        "payload column 'seconds': 'duraton' is not a column of source 'app_views'",
        "did you mean 'duration'?",
    ),
    "nhl_payload_type_family": (
        NHL,
        "columns: {seconds: duration, device: device_type}",
        "columns: {seconds: device_type, device: device_type}",
        21,
        "nonhistorized_link 'job_view'",
        "payload column 'seconds' is integer, but source 'app_views' gives 'device_type', which is text",
        "declare the column's type",
    ),
    "nhl_payload_clashes_with_metadata": (
        NHL,
        "  - seconds\n",
        "  - seconds\n  - load_dts\n",
        11,
        "nonhistorized_link 'job_view'",
        "payload column 'load_dts' clashes with a key or metadata column",
        "rename it",
    ),
    "nhl_payload_clashes_with_event_key": (
        NHL,
        "  - seconds\n",
        "  - seconds\n  - view_id\n",
        11,
        "nonhistorized_link 'job_view'",
        "payload column 'view_id' clashes with a key or metadata column",
        "sources[].columns",
    ),
    "nhl_role_not_nullable_unknown": (
        NHL,
        "    nullable_roles: [candidate]\n    columns",
        "    nullable_roles: [candidat]\n    columns",
        20,
        "nonhistorized_link 'job_view'",
        "'candidat' is not a role of this link",
        "did you mean 'candidate'?",
    ),
    "nhl_name_clashes_with_a_link": (
        NHL,
        "name: job_view",
        "name: job_employer",
        2,
        "nonhistorized_link 'job_employer'",
        "name clash: link 'job_employer' is already declared in model/links.yml:2",
        "hubs and links share the hash-key column hk_<name>",
    ),
}


def problems_with(tmp_path: Path, file: str, old: str, new: str) -> list[Problem]:
    root = tmp_path / "project"
    shutil.copytree(JOBS, root / "model")
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{file}: the edit's old text must occur once: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model(root / "model", root)
    return caught.value.problems


def test_the_jobs_model_is_valid() -> None:
    load_model(JOBS, JOBS.parent)


@pytest.mark.parametrize("case", sorted(CASES))
def test_mistake_is_one_located_problem(tmp_path: Path, case: str) -> None:
    file, old, new, line, entity, message, hint = CASES[case]
    problems = problems_with(tmp_path, file, old, new)
    assert len(problems) == 1, "expected one problem, got:\n" + "\n".join(p.render() for p in problems)
    problem = problems[0]
    assert (problem.file, problem.line, problem.entity) == (file, line, entity), problem.render()
    assert message in problem.message, problem.render()
    assert hint in problem.hint, problem.render()


def test_a_misspelt_payload_column_names_both_sides(tmp_path: Path) -> None:
    """``seconds`` misspelt in ``columns``: the sources lack it, and the rename of app_views names a
    column the link no longer has; both are reported, each where it is, and nothing else."""
    problems = problems_with(tmp_path, NHL, "  - seconds\n", "  - secnds\n")
    got = [(p.line, p.message, p.hint) for p in problems]
    assert got == [
        (
            10,
            "payload column 'secnds' is not a column of any of its sources (job_views, app_views)",
            "did you mean 'seconds'?",
        ),
        (21, "'seconds' is not a payload column of this link", "did you mean 'secnds'?"),
    ], "\n".join(p.render() for p in problems)
