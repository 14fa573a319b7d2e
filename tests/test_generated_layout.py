"""The generated SQL reads on a screen: every line under 120 characters, laid out without changing a token.

generator/layout.py breaks the long lines a template or the dialect renders (hashdiffs, cast checks, column
lists). The one exception: a string literal longer than a line (a model description in a COMMENT, a regular
expression of the dialect) stands alone on its line, unbroken. PostgreSQL joins adjacent literals only when
a line break separates them, and sqlglot (tests/test_sql_parses.py, the lineage) does not read that form:
breaking one would make the statement unreadable to the tools that check it.
"""

from __future__ import annotations

import re

import pytest
import sqlglot

import generator.render
from generator.layout import LIMIT, layout
from generator.model import load_model
from generator.render import render_all
from tests.conftest import FIXTURES, REPO

# a line that is one string literal (E'…' escapes included), possibly ending a statement, an argument or a
# CASE branch: allowed at any length, for the reason above
LONE_LITERAL = re.compile(r"^\s*E?'(?:[^'\\]|\\.|'')*'[;,)]*$")


def _sql_files() -> list[str]:
    return sorted(str(p.relative_to(REPO)) for p in (REPO / "vault_sql").rglob("*.sql"))


def test_no_generated_line_reaches_120_characters() -> None:
    long = []
    for path in _sql_files():
        for number, line in enumerate((REPO / path).read_text(encoding="utf-8").split("\n"), start=1):
            if len(line) >= LIMIT and not LONE_LITERAL.match(line):
                long.append(f"{path}:{number}: {len(line)} characters: {line[:80]}…")
    assert not long, "\n".join(long[:20])


def _tokens(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The statement's tokens (sqlglot's tokenizer) and the words of its comments: what layout may not change."""
    found = sqlglot.Dialect.get_or_raise("postgres").tokenize(text)
    comments = [w for c in re.findall(r"--([^\n]*)", text) for w in c.split()]
    return [(t.token_type.name, t.text) for t in found], comments


@pytest.mark.parametrize("model_name", ["basic", "jobs"])
def test_layout_changes_whitespace_only(model_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    model_dir = FIXTURES / "models" / model_name
    laid_out = render_all(load_model(model_dir, model_dir.parent))
    monkeypatch.setattr(generator.render, "layout", lambda text: text)
    raw = render_all(load_model(model_dir, model_dir.parent))
    assert raw.keys() == laid_out.keys()
    broken = 0
    for path, text in raw.items():
        if not path.endswith(".sql"):
            assert laid_out[path] == text
            continue
        assert _tokens(laid_out[path]) == _tokens(text), path
        assert all(len(line) < LIMIT or LONE_LITERAL.match(line) for line in laid_out[path].split("\n")), path
        broken += laid_out[path] != text
    assert broken, "the fixture model renders no long line: the test proves nothing"


def test_layout_examples() -> None:
    hashdiff = "    md5(" + " || '|' || ".join(f"COALESCE(upper(v.column_{i}::text), E'\\\\N')" for i in range(6)) + ")"
    assert layout(hashdiff).split("\n") == [
        "    md5(",
        "        COALESCE(upper(v.column_0::text), E'\\\\N')",
        *[f"        || '|' || COALESCE(upper(v.column_{i}::text), E'\\\\N')" for i in range(1, 6)],
        "    )",
    ]
    columns = "INSERT INTO t (" + ", ".join(f"column_number_{i}" for i in range(12)) + ")"
    assert all(len(line) < LIMIT for line in layout(columns).split("\n"))
    assert layout(columns).split("\n")[0] == "INSERT INTO t ("
    comment = "-- " + " ".join(["word"] * 40)
    assert layout(comment).split("\n") == ["-- " + " ".join(["word"] * 23), "-- " + " ".join(["word"] * 17)]
    literal = "COMMENT ON TABLE t IS '" + "x" * 130 + "';"
    assert layout(literal).split("\n") == ["COMMENT ON TABLE t IS", "    '" + "x" * 130 + "';"]
    body = "AS $f$\n" + "SELECT " + ", ".join(["a"] * 60) + "\n$f$;"
    assert layout(body) == body  # a dollar-quoted body is left as written
