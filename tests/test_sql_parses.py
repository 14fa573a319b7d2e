"""Every generated statement parses as PostgreSQL (sqlglot), without a database.

Files are split into statements by sqlglot's own tokenizer (so ``;`` inside
strings, comments and dollar quotes does not split) and parsed one by one: a
statement sqlglot cannot read fails on its own and never hides the others.
Statement kinds sqlglot cannot parse are skipped by name in ``UNPARSED``, each
with the reason; everything else must parse to a real expression, not to the
opaque ``Command`` sqlglot falls back to for syntax it does not know.
"""

from __future__ import annotations

import functools
import re

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel
from sqlglot.tokens import TokenType

from generator.derived_select import SELECT_HERE, build_select, with_select
from generator.errors import DVError
from tests.conftest import FIXTURES, REPO, rendered_of

DIALECT = "postgres"

# Statement kinds sqlglot (30.x) does not parse, by their leading keywords.
UNPARSED = {
    # An anonymous PL/pgSQL block: sqlglot has no PL/pgSQL grammar and returns an opaque Command.
    # The SQL statements it EXECUTEs ($f$ ... $f$) are extracted and parsed below instead.
    "DO",
}

# Clauses sqlglot (30.x) does not know inside statements it otherwise parses: removed before
# parsing, so the rest of the statement is still checked. (pattern, reason)
UNKNOWN_CLAUSES = [
    (r"\bPARALLEL\s+(SAFE|RESTRICTED|UNSAFE)\b", "CREATE FUNCTION ... PARALLEL SAFE is not in sqlglot's grammar"),
    (r"\bON\s+COMMIT\s+DROP\b", "CREATE TEMPORARY TABLE ... ON COMMIT DROP is not in sqlglot's grammar"),
]

# the repository's model and every fixture model (each uses kinds or settings the others do not)
MODELS = {"repo": REPO / "model"} | {p.name: p for p in sorted((FIXTURES / "models").iterdir()) if p.is_dir()}


def _generated(name: str) -> dict[str, str]:
    # rendered once per session (tests/conftest.py); roles/grants.sql names roles as psql variables (:"loader"):
    # psql runs it (tests/test_roles.py)
    files = rendered_of(MODELS[name])
    # a refresh file as dv marts runs it: with its build file's SELECT (generator/derived_select.py)
    return {
        p: with_select(text, files.get(p.removesuffix(".refresh.sql") + ".build.sql", ""))
        for p, text in files.items()
        if p.endswith(".sql") and p != "roles/grants.sql"
    }


FILES = [(name, path, text) for name in sorted(MODELS) for path, text in _generated(name).items()]


@functools.cache  # each file is split by its own test and again by test_the_skipped_kinds_occur
def split_statements(sql: str) -> tuple[str, ...]:
    """Statements of a file, split on the ``;`` tokens sqlglot's tokenizer finds."""
    tokens = sqlglot.Dialect.get_or_raise(DIALECT).tokenize(sql)
    statements, start = [], 0
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            statements.append(sql[start : token.start])
            start = token.end + 1
    statements.append(sql[start:])
    return tuple(s for s in statements if _without_comments(s).strip())


def _without_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def _leading_keyword(statement: str) -> str:
    return _without_comments(statement).split(None, 1)[0].upper()


def _executed_sql(do_block: str) -> list[str]:
    """The statements a DO block runs with ``EXECUTE $f$ ... $f$``."""
    return re.findall(r"EXECUTE\s+\$f\$(.*?)\$f\$", do_block, flags=re.DOTALL)


# sqlglot forgives a comma before ')' or a clause ("SELECT a, FROM t"); PostgreSQL does not, and a
# template loop that emits one comma too many is the commonest generator slip.
_NOT_AFTER_COMMA = {
    TokenType.R_PAREN,
    TokenType.FROM,
    TokenType.WHERE,
    TokenType.GROUP_BY,
    TokenType.ORDER_BY,
    TokenType.HAVING,
    TokenType.LIMIT,
    TokenType.ON,
    TokenType.JOIN,
    TokenType.UNION,
}


def _check_commas(statement: str) -> None:
    tokens = sqlglot.Dialect.get_or_raise(DIALECT).tokenize(statement)
    for token, after in zip(tokens, [*tokens[1:], None], strict=True):
        if token.token_type == TokenType.COMMA and (after is None or after.token_type in _NOT_AFTER_COMMA):
            following = after.text if after is not None else "the end"
            raise AssertionError(f"comma before {following!r} at line {token.line}")


def parse(statement: str) -> exp.Expression:
    _check_commas(statement)
    for pattern, _reason in UNKNOWN_CLAUSES:
        statement = re.sub(pattern, "", statement, flags=re.IGNORECASE)
    parsed = sqlglot.parse_one(statement, read=DIALECT, error_level=ErrorLevel.RAISE)
    assert not isinstance(parsed, exp.Command), f"sqlglot fell back to an opaque Command for:\n{statement[:500]}"
    return parsed


def test_sqlglot_version() -> None:
    """The dev pin in pyproject.toml (sqlglot>=25,<31) is what this test tier is written against."""
    major = int(sqlglot.__version__.split(".")[0])
    assert 25 <= major < 31, sqlglot.__version__


def test_splitter_respects_strings_comments_and_dollar_quotes() -> None:
    sql = "SELECT ';' AS a; -- x; y\nCOMMENT ON TABLE t IS 'a;b';\nDO $dv$ BEGIN EXECUTE $f$ SELECT 1; $f$; END $dv$;\n"
    parts = split_statements(sql)
    assert [_leading_keyword(p) for p in parts] == ["SELECT", "COMMENT", "DO"]


@pytest.mark.parametrize(
    "bad", ["SELECT a, FROM t", "CREATE TABLE t (a int,)", "INSERT INTO t (a, b VALUES (1)", "SELECT a FROM t WHERE"]
)
def test_parse_rejects_broken_sql(bad: str) -> None:
    with pytest.raises((AssertionError, sqlglot.errors.ParseError)):
        parse(bad)


@pytest.mark.parametrize(("model", "path", "text"), FILES, ids=[f"{m}:{p}" for m, p, _ in FILES])
def test_generated_file_parses(model: str, path: str, text: str) -> None:
    statements = split_statements(text)
    assert statements, f"{path} has no statement"
    failures = []
    for statement in statements:
        keyword = _leading_keyword(statement)
        if keyword in UNPARSED:
            inner = _executed_sql(statement)
            for sql in inner:
                try:
                    parse(sql)
                except Exception as exc:  # report every failing statement of the file
                    failures.append(f"in a {keyword} block: {exc}\n{sql.strip()[:500]}")
            continue
        try:
            parse(statement)
        except Exception as exc:
            failures.append(f"{exc}\n{statement.strip()[:500]}")
    assert not failures, f"{model}:{path}: {len(failures)} statement(s) do not parse:\n\n" + "\n\n".join(failures)


def test_the_skipped_kinds_occur() -> None:
    """A skip that no longer matches anything is dead and should go."""
    seen = {_leading_keyword(s) for _, _, text in FILES for s in split_statements(text)}
    assert seen >= UNPARSED
    do_blocks = [s for _, _, text in FILES for s in split_statements(text) if _leading_keyword(s) == "DO"]
    assert all(_executed_sql(block) for block in do_blocks), "a DO block whose SQL is not checked at all"
    everything = "\n".join(text for _, _, text in FILES)
    for pattern, reason in UNKNOWN_CLAUSES:
        assert re.search(pattern, everything, flags=re.IGNORECASE), f"unused workaround: {reason}"


def test_a_select_is_written_once() -> None:
    """A SQL-defined object's refresh file holds no SELECT of its own: a marker line where its build file's goes."""
    refreshes = {p: t for p, t in rendered_of(MODELS["repo"]).items() if SELECT_HERE in t}
    assert refreshes, "no refresh file marks where its build's SELECT goes"
    for path, text in refreshes.items():
        build = rendered_of(MODELS["repo"])[path.removesuffix(".refresh.sql") + ".build.sql"]
        assert build_select(build) in with_select(text, build)
        assert build_select(build) not in text, f"{path} repeats its build's SELECT"
    with pytest.raises(DVError, match="dv generate"):
        with_select(next(iter(refreshes.values())), "CREATE TABLE t AS SELECT 1;")
