"""The fast paths of `dv generate` (issue 15, `make bench`) give exactly what the plain ones give.

libyaml's parser reads a model file into the same documents and lines as PyYAML's (a file it refuses is read
again by PyYAML's, whose messages the problems quote); the layout pass finds the same fixed lines stepping
over plain token runs as token by token.
"""

from __future__ import annotations

from pathlib import Path

import generator.yaml_loader as Y
from generator.layout import _fixed_lines, tokens
from tests.conftest import FIXTURES, REPO


def _model_files() -> list[Path]:
    return sorted([*(REPO / "model").rglob("*.yml"), *FIXTURES.rglob("*.yml")])


def test_libyaml_reads_every_model_file_as_pyyaml_does() -> None:
    assert Y._FAST, "PyYAML without libyaml: the fast path is not taken"
    compared = 0
    for path in _model_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        slow = Y._parse(text, "f.yml", Y._BoundedLoader)
        try:
            fast = Y._parse(text, "f.yml", Y._FastLoader)
        except Exception:  # refused: parse_documents reads it again with PyYAML
            assert Y.parse_documents(text.encode(), "f.yml")[1:] == slow[1:], path
            continue
        assert [(d.data, d.lines, d.start_line) for d in fast[0]] == [
            (d.data, d.lines, d.start_line) for d in slow[0]
        ], path
        assert fast[1:] == slow[1:], path
        compared += 1
    assert compared > 100


def _fixed_lines_token_by_token(text: str) -> set[int]:
    fixed: set[int] = set()
    body: str | None = None
    for kind, token, start in tokens(text):
        first = text.count("\n", 0, start)
        last = first + token.count("\n")
        if kind == "dollar":
            if body is None:
                body = token
                continue
            if token == body:
                body = None
        if body is not None or (kind != "ws" and last > first) or kind == "rest":
            fixed.update(range(first, last + 1))
    return fixed


def test_fixed_lines_as_token_by_token() -> None:
    cases = [
        "SELECT 'a\nb', E'x\\'\ny' -- c'\n/* a\nb */ \"q\nid\" x-1 a/b $$ body\n $x$ $$ after\n$f$\nin\n$f$ é\nrest\n",
        "SELECT E'unterminated\n x",
        "a/*unterminated\n b $tag$ c\n d",
        "xE'a\\'\nb' --x\n--y",
    ]
    cases += [p.read_text(encoding="utf-8") for p in sorted((REPO / "vault_sql").rglob("*.sql"))]
    for text in cases:
        assert _fixed_lines(text) == _fixed_lines_token_by_token(text), text[:200]
