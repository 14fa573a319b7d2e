"""Property-based fuzzing of the YAML model loader and validator (issue 13): whatever the text of a model
file, loading it either succeeds or raises ModelError (a user error, printed without a traceback), quickly.

The fast tier runs a bounded number of examples; ``make fuzz`` (marker ``fuzz``) runs many more.
No database.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ModelError
from generator.model import load_model
from tests.conftest import FIXTURES

BASIC = FIXTURES / "models" / "basic"
FILES = sorted(p.name for p in BASIC.glob("*.yml"))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LONG = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# words a model uses, so that mutations reach the validator and the resolvers, not only the YAML parser
WORDS = [
    "kind", "name", "hub", "link", "satellite", "source", "columns", "business_keys", "sources", "type", "text",
    "integer", "numeric(5000,2)", "varchar(0)", "applied_ts", "sequence", "record_source", "customer", "user",
    "order", "crm_customers", "shop_orders", "hubs", "role", "keys", "case_sensitive", "description", "true",
    "null", "~", "&a", "*a", "[", "]", "{", "}", ":", "-", "'", '"', "\\0", "\n", "  ", "!!int", "!!binary",
]  # fmt: skip

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20), st.sampled_from(WORDS)
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), inner)
    ),
    max_leaves=30,
)


def _load(root: Path) -> None:
    try:
        load_model(root / "model", root)
    except ModelError as exc:
        assert exc.problems, "a ModelError without a problem"
        for problem in exc.problems:
            assert problem.message and problem.render()


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "fuzz"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(BASIC, root / "model")
    return root


def _mutate(text: str, rnd: random.Random, n: int) -> str:
    """Insert, delete, replace or duplicate pieces of a valid model file."""
    chars = list(text)
    for _ in range(n):
        op = rnd.randrange(4)
        at = rnd.randrange(len(chars) + 1)
        if op == 0:
            chars[at:at] = list(rnd.choice(WORDS))
        elif op == 1 and chars:
            del chars[at : at + rnd.randrange(1, 8)]
        elif op == 2 and chars:
            chars[min(at, len(chars) - 1)] = rnd.choice(" :-[]{}#&*!|>'\"\n\t0a")
        else:
            start = rnd.randrange(len(chars) + 1)
            chars[at:at] = chars[start : start + rnd.randrange(1, 40)]
    return "".join(chars)


def _any_text(tmp_path: Path, text: str) -> None:
    root = _project(tmp_path)
    (root / "model" / "fuzz.yml").write_text(text, encoding="utf-8", errors="surrogatepass")
    _load(root)


def _any_document(tmp_path: Path, doc: Any, kind: str) -> None:
    root = _project(tmp_path)
    if isinstance(doc, dict):
        doc = {"kind": kind, **doc}
    (root / "model" / "fuzz.yml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    _load(root)


def _mutated_file(tmp_path: Path, file: str, seed: int, n: int) -> None:
    root = _project(tmp_path)
    path = root / "model" / file
    path.write_text(_mutate(path.read_text(encoding="utf-8"), random.Random(seed), n), encoding="utf-8")
    _load(root)


kinds = st.sampled_from(["hub", "link", "satellite", "source", "pit", "bridge", "multi_active_satellite", "kpi"])
texts = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
mutations = (st.sampled_from(FILES), st.integers(0, 2**32), st.integers(1, 12))


@FAST
@given(text=texts)
def test_any_text(tmp_path: Path, text: str) -> None:
    _any_text(tmp_path, text)


@FAST
@given(doc=values, kind=kinds)
def test_any_document(tmp_path: Path, doc: Any, kind: str) -> None:
    _any_document(tmp_path, doc, kind)


@FAST
@given(*mutations)
def test_mutated_model_file(tmp_path: Path, file: str, seed: int, n: int) -> None:
    _mutated_file(tmp_path, file, seed, n)


@pytest.mark.fuzz
@LONG
@given(text=texts)
def test_any_text_long(tmp_path: Path, text: str) -> None:
    _any_text(tmp_path, text)


@pytest.mark.fuzz
@LONG
@given(doc=values, kind=kinds)
def test_any_document_long(tmp_path: Path, doc: Any, kind: str) -> None:
    _any_document(tmp_path, doc, kind)


@pytest.mark.fuzz
@LONG
@given(*mutations)
def test_mutated_model_file_long(tmp_path: Path, file: str, seed: int, n: int) -> None:
    _mutated_file(tmp_path, file, seed, n)
