"""Property-based fuzzing (Hypothesis) of the stage step's cast checks, on a real PostgreSQL.

For arbitrary text and every type a model may declare, the stage's verdict (the value stages, or its row is
quarantined) is what PostgreSQL's own cast says: the value casts, and what it casts to is a fixed, finite
value (not infinity or NaN, not a time read from the clock: ``now``, ``today 10:00``, ``tomorrow UTC``...),
or, for ``varchar(n)``/``char(n)``, it fits. And the checked stage statement itself never raises: it stages
or quarantines every landed row, as the verdicts say, and its reconciliation balances.

The oracle casts each value alone, in a savepoint, with PostgreSQL's cast (``%s::<type>``), independently of
the stage's patterns and of ``dv_meta.is_castable``. The fast tier runs a bounded number of examples;
``make fuzz`` (marker ``fuzz``) runs many more.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.dialects.postgres import PostgresDialect
from generator.types import DataType, parse_type
from pipelines.warehouse import apply, batch_sql, open_batch
from tests.conftest import make_project

pytestmark = pytest.mark.db

D = PostgresDialect()
FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
DEEP = settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))

TYPES = [
    "smallint", "integer", "bigint", "numeric", "numeric(5,2)", "numeric(10,3)", "real", "double precision",
    "boolean", "date", "time", "timestamp", "timestamptz", "uuid", "json", "jsonb", "varchar(5)", "char(3)", "text",
]  # fmt: skip
_CLOCK = re.compile(r"(?<![a-z])(now|today|yesterday|tomorrow|epoch)(?![a-z])", re.IGNORECASE | re.ASCII)
_CLOCK_FAMILIES = ("date", "time", "timestamp", "timestamptz")
# what the cast gives that no source value may be: a non-finite time or number (SQL on the cast value x)
_NOT_FIXED = {
    "date": "NOT isfinite(x)",
    "timestamp": "NOT isfinite(x)",
    "timestamptz": "NOT isfinite(x)",
    "numeric": "x::numeric IN ('NaN', 'Infinity', '-Infinity')",
    "float": "x::float8 IN ('NaN', 'Infinity', '-Infinity')",
}


# --- generated text: anything, and spellings near the types' own ---------------------------------------------

_BLANKS = [" ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\u00a0", ""]
_WORDS = [
    "now", "today", "yesterday", "tomorrow", "epoch", "infinity", "-infinity", "+Infinity", "NaN", "inf",
    "-inf", "allballs", "true", "yes", "off", "t", "0", "1", "null", "Jan", "UTC", "Z", "T", "AM",
]  # fmt: skip
_PIECES = [
    "2024-02-29", "2023-02-29", "2026-12-31", "0001-01-01", "9999-12-31", "10:00", "23:59:59.999999", "24:00:00",
    "+02", "-05:30", "+16", "1e3", "1e400", ".5", "-0", "999.995", "32768", "9223372036854775808", "0x1F",
    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{}", "[1, 2]", '{"a": 1}', "'", '"', "\\", "é", "𝟘",
]  # fmt: skip


def _text() -> st.SearchStrategy[str]:
    near = st.lists(st.sampled_from(_BLANKS + _WORDS + _PIECES), min_size=1, max_size=4).map("".join)
    chars = st.text(st.sampled_from(list("0123456789+-.:eE TtZz/")), max_size=24)
    return st.one_of(near, chars, st.text(max_size=24)).map(lambda s: s.replace("\x00", ""))


VALUES = st.lists(_text(), min_size=1, max_size=25)


# --- the oracle: PostgreSQL's cast of each value, alone ----------------------------------------------------------


def oracle(cur: Any, value: str, dtype: DataType) -> bool:
    """Whether ``value`` may stage as ``dtype``, by PostgreSQL's own cast (in a savepoint)."""
    if dtype.sql == "text":
        return True
    if dtype.length is not None:  # the cast would truncate silently: the stage checks the length
        kept = value.rstrip(" ") if dtype.sql.startswith("char(") else value
        return len(kept) <= dtype.length
    if dtype.family in _CLOCK_FAMILIES and _CLOCK.search(value):
        return False  # read from the clock (or 'epoch', refused as a word): never a source's value
    cast = D.cast("%s", dtype)  # the stage's cast (a boolean's blanks trimmed first, as boolin does too)
    fixed = _NOT_FIXED.get(dtype.family)
    cur.execute("SAVEPOINT oracle")
    try:
        if fixed is None:
            cur.execute(f"SELECT {cast}", (value,))
            ok = True
        else:
            cur.execute(f"SELECT {fixed} FROM (SELECT {cast} AS x) AS c", (value,))
            ok = not cur.fetchone()[0]
        cur.execute("RELEASE SAVEPOINT oracle")
    except Exception:
        cur.execute("ROLLBACK TO SAVEPOINT oracle")
        ok = False
    return ok


# --- the properties ------------------------------------------------------------------------------------------------


def _both(check: Callable[..., None], **strategies: Any) -> tuple[Any, Any]:
    """The property as two tests: a bounded run in the fast tier, a long one under ``-m fuzz``."""
    return FAST(given(**strategies)(check)), DEEP(given(**strategies)(check))


@pytest.fixture(scope="module")
def casts_db(test_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The warehouse of the fuzz model: one source with a column of every type (``dv_meta.is_castable`` and
    the checked stage statement); the session's test database, its dv schemas reset."""
    from pipelines.db import connect
    from tests.conftest import reset_schemas

    reset_schemas(test_dsn)
    root = tmp_path_factory.mktemp("fuzz_casts")
    model = root / "model_src"
    model.mkdir()
    columns = "\n".join(f"  - {{name: {_column(t)}, type: {t!r}}}" for t in TYPES)
    (model / "project.yml").write_text("kind: project\nname: fuzz_casts\n")
    (model / "model.yml").write_text(
        "kind: source\nname: everything\nrecord_source: fuzz\ncolumns:\n  - {name: rid, type: text}\n"
        f"{columns}\n---\nkind: hub\nname: row\nbusiness_keys: [{{name: rid, type: text}}]\n"
        "sources:\n  - {source: everything, columns: [rid]}\n"
    )
    project = make_project(root, model)
    conn = connect(test_dsn)
    apply(conn, project)
    yield conn, project
    conn.close()
    reset_schemas(test_dsn)


def _column(type_sql: str) -> str:
    return "c_" + re.sub(r"[^a-z0-9]+", "_", type_sql).strip("_")


def _verdicts_match(casts_db: Any, values: list[str]) -> None:
    conn, _ = casts_db
    with conn.cursor() as cur:
        cur.execute("SET LOCAL TimeZone = 'UTC'")
        for type_sql in TYPES:
            dtype = parse_type(type_sql)
            assert dtype is not None
            cur.execute(
                f"SELECT {D.is_castable('v', dtype)} FROM unnest(%s::text[]) WITH ORDINALITY AS u(v, i) ORDER BY i",
                (values,),
            )
            stage = [bool(v) for (v,) in cur.fetchall()]
            expected = [oracle(cur, v, dtype) for v in values]
            wrong = [(v, s) for v, s, e in zip(values, stage, expected, strict=True) if s != e]
            assert not wrong, f"{type_sql}: the stage's verdict (value, stages?) differs from the cast: {wrong[:5]}"
    conn.rollback()


test_stage_verdict_is_the_cast, test_stage_verdict_is_the_cast_fuzz = _both(_verdicts_match, values=VALUES)
test_stage_verdict_is_the_cast_fuzz = pytest.mark.fuzz(test_stage_verdict_is_the_cast_fuzz)


_STAMP = [dt.datetime(2020, 1, 1, tzinfo=dt.UTC)]


def _checked_statement_stages_by_verdict(casts_db: Any, rows: list[list[str]]) -> None:
    """Land the rows, run the checked stage statement: no error, each row staged exactly when every value's
    verdict says so (its key is never empty: ``rid``), every other row quarantined, the counts balanced."""
    conn, project = casts_db
    node = project.nodes["source.everything"]
    _STAMP[0] += dt.timedelta(seconds=1)
    batch_id, _ = open_batch(conn, _STAMP[0])
    names = ["rid", *(_column(t) for t in TYPES)]
    landed = [[str(i), *row] for i, row in enumerate(rows)]
    with conn.cursor() as cur:
        cur.execute("TRUNCATE staging.everything")
        cur.executemany(
            f"INSERT INTO staging.everything ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})", landed
        )
        cur.execute(f"SET dv.batch_id = '{batch_id}'")
        cur.execute(batch_sql(project, node.sql["stage_checked"], batch_id))  # must not raise
        cur.execute("SELECT rid FROM staging.everything_stage WHERE batch_id = %s", (batch_id,))
        staged = {int(r) for (r,) in cur.fetchall()}
        cur.execute("SELECT source_row->>'rid' FROM dv_meta.quarantine WHERE batch_id = %s", (batch_id,))
        quarantined = {int(r) for (r,) in cur.fetchall()}
        cur.execute(
            "SELECT rows_read, rows_staged, rows_quarantined FROM dv_meta.batch_source WHERE batch_id = %s", (batch_id,)
        )
        assert cur.fetchone() == (len(rows), len(staged), len(quarantined))
        expected = {
            i
            for i, row in enumerate(rows)
            if all(oracle(cur, v, parse_type(t)) for v, t in zip(row, TYPES, strict=True))  # type: ignore[arg-type]
        }
    conn.commit()
    assert staged == expected, f"staged {sorted(staged)}, the casts say {sorted(expected)}: rows {rows}"
    assert quarantined == set(range(len(rows))) - staged


ROWS = st.lists(st.lists(_text(), min_size=len(TYPES), max_size=len(TYPES)), min_size=1, max_size=8)
test_checked_stage_statement, test_checked_stage_statement_fuzz = _both(_checked_statement_stages_by_verdict, rows=ROWS)
test_checked_stage_statement_fuzz = pytest.mark.fuzz(test_checked_stage_statement_fuzz)


def test_known_holes_are_closed(casts_db: Any) -> None:
    """Spellings the fuzzing found: a clock word with more to it, an infinite value with blanks other than
    spaces around it. Each casts in PostgreSQL (to a time read from the clock, or to infinity) and each
    must be refused by the stage."""
    conn, _ = casts_db
    cases = {
        "timestamptz": ["today 10:00", "10:00 today", "\tinfinity", "infinity\n", "infinity +02", "epoch +05"],
        "timestamp": ["yesterday allballs", "tomorrow 23:59"],
        "date": ["tomorrow UTC", "now\t", "\tInfinity"],
        "time": ["now +02", "\tnow"],
        "numeric": ["\tNaN", "Infinity\r"],
        "double precision": ["nan\r", "\t-inf"],
    }
    with conn.cursor() as cur:
        for type_sql, values in cases.items():
            dtype = parse_type(type_sql)
            assert dtype is not None
            for exact in (True, False):  # the checked statement's condition, and the fast statement's own
                cur.execute(
                    f"SELECT v FROM unnest(%s::text[]) AS v WHERE {D.is_castable('v', dtype, exact=exact)}", (values,)
                )
                assert cur.fetchall() == [], f"{type_sql} (exact={exact}): accepted"
    conn.rollback()


def test_the_fuzz_model_has_every_type(casts_db: Any, tmp_path: Path) -> None:
    from generator.types import SUPPORTED

    families = {parse_type(t).family for t in TYPES}  # type: ignore[union-attr]
    assert families == {parse_type(s).family for s in SUPPORTED if parse_type(s) is not None}
