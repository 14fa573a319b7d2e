"""The stage step's cast tests: a per-type pattern first, the exact test (a cast attempt) for the rest.

A pattern may only accept values that cast: each test runs thousands of generated spellings through
the pattern and through ``dv_meta.is_castable`` (a real cast) and fails on any value the pattern
accepts but the cast refuses, and on any value the full condition judges differently from the cast.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from generator.dialects.postgres import SPECIAL_VALUES, PostgresDialect, castable_pattern
from generator.model import load_model
from generator.types import parse_type
from pipelines.warehouse import apply
from tests.conftest import FIXTURES, make_project

D = PostgresDialect()


def _dates() -> list[str]:
    years = ["0000", "0001", "1900", "2000", "2023", "2024", "2100", "9999"]
    days = ["00", "01", "28", "29", "30", "31", "32"]
    months = [f"{m:02d}" for m in range(0, 14)]
    return [f"{y}-{m}-{d}" for y, m, d in itertools.product(years, months, days)]


def _times() -> list[str]:
    hours, minutes = ["00", "09", "23", "24", "25"], ["00", "59", "60"]
    seconds = ["", ":00", ":59", ":60", ":59.5", ":01.1234567890"]
    return [f"{h}:{m}{s}" for h, m, s in itertools.product(hours, minutes, seconds)]


def _numbers() -> list[str]:
    whole = ["0", "7", "12", "999", "9999", "1234567", "12345678", "99999999", "123456789012345678"]
    whole += ["1234567890123456789", "0000000000000000000001"]
    fractions = ["", ".", ".5", ".995", ".999999", ".0000000000000000000000000000001"]
    signs = ["", "-", "+", " ", "- "]
    values = [f"{s}{w}{f}" for s, w, f in itertools.product(signs, whole, fractions)]
    return [*values, ".5", "-.5", "1e3", "1E-3", "1e400", "NaN", "Infinity", "-infinity", "0x1F", "1_000", "", " "]


VALUES: dict[str, list[str]] = {
    "date": [*_dates(), " 2024-02-29 ", "2026-1-5", "20260105", "Jan 5 2026", "2026-01-05 10:00"],
    "time": [*_times(), "10:00 ", " 10:00:00", "10:00+02", "1000", "10.00", "allballs"],
    "timestamptz": [
        f"{d}{sep}{t}{z}"
        for d in ["2024-02-29", "2023-02-29", "2026-04-31", "2026-12-31", "0000-01-01"]
        for sep in ["T", " ", "  "]
        for t in ["10:00", "23:59:59.999999", "24:00:00", "12:60"]
        for z in ["", "Z", "+02", "+0230", "-05:30", " +02", "+24", "+1:00", "+15", "+16", "-16:00", "+23", "+15:59"]
    ]
    + _dates()[:60]
    + ["2026-01-05T10:00:00Z ", "March 1 2026 10:00 UTC", "epoch", "infinity"],
    "integer": _numbers(),
    "smallint": [*_numbers(), "32767", "32768", "-32768", "-32769", "9999", "99999"],
    "bigint": [*_numbers(), "9223372036854775807", "9223372036854775808"],
    "numeric(10,3)": _numbers(),
    "numeric(5,2)": [*_numbers(), "999.994", "999.995", "99.995", "-99.999"],
    "numeric": _numbers(),
    "real": [*_numbers(), "3.4e38", "3.5e38", "1e-46"],
    "double precision": _numbers(),
    "boolean": ["t", "true", "TRUE", " yes ", "y", "n", "no", "on", "off", "1", "0", "tr", "o", "2", "truee", ""],
    "uuid": [
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
        "a0eebc999c0b4ef8bb6d6bb9bd380a11",
        "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}",
        "a0eebc99-9c0b-4ef8-bb6d",
        "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    ],
}


# spellings the sources deliver every day: the patterns must recognise them
COMMON = {
    "date": ["2000-01-01", "2023-02-28", "2100-12-31", "2024-01-31"],
    "time": ["00:00", "23:59:59", "09:59:59.5"],
    "timestamptz": ["2026-12-31T10:00Z", "2026-12-31 23:59:59.999999+02", "2026-12-31T10:00-05:30", "2000-01-01"],
    "integer": ["0", "7", "-12", "+999", " 12"],
    "numeric": ["0", "-12.5", "9.995", ".5"],
    "float": ["0", "-12.5", "999.995", ".5"],
    "boolean": ["t", "TRUE", " yes ", "off", "0"],
    "uuid": ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"],
}


@pytest.fixture
def meta(warehouse: Any, tmp_path: Any) -> Any:
    model_dir = FIXTURES / "models" / "basic"
    load_model(model_dir, model_dir.parent)
    apply(warehouse, make_project(tmp_path, model_dir))
    return warehouse


@pytest.mark.db
@pytest.mark.parametrize("type_sql", sorted(VALUES))
def test_patterns_accept_only_values_that_cast(meta: Any, type_sql: str) -> None:
    dtype = parse_type(type_sql)
    assert dtype is not None
    pattern = castable_pattern(dtype)
    condition = D.is_castable("v", dtype)
    operator = "~*" if dtype.family == "boolean" else "~"
    with meta.cursor() as cur:
        cur.execute("SET LOCAL TimeZone = 'UTC'")
        cur.execute(
            f"SELECT v, {'false' if pattern is None else f'v {operator} %(pattern)s'}, {condition},"
            " dv_meta.is_castable(v, %(type)s)"
            " FROM unnest(%(values)s::text[]) AS v",
            {"pattern": pattern, "type": type_sql, "values": VALUES[type_sql]},
        )
        rows = cur.fetchall()
    meta.rollback()
    wrongly_accepted = [v for v, by_pattern, _, exact in rows if by_pattern and not exact]
    assert not wrongly_accepted, f"{type_sql}: the pattern accepts values that do not cast: {wrongly_accepted[:10]}"
    special = SPECIAL_VALUES.get(dtype.family, ())
    differ = [v for v, _, full, exact in rows if full != (exact and v.strip().lower() not in special)]
    assert not differ, f"{type_sql}: the stage condition and the cast disagree on {differ[:10]}"
    if pattern is not None:  # the pattern does the work for the common spellings (no exact test for them)
        by_pattern = {v for v, matched, _, _ in rows if matched}
        missed = [
            v for v in COMMON.get(dtype.family, COMMON["integer"]) if v in VALUES[type_sql] and v not in by_pattern
        ]
        assert not missed, f"{type_sql}: common spellings left to the exact test: {missed}"
