"""Golden vectors of the hash spec (``tests/fixtures/hash_vectors.yml``).

Fast tier: the Python reference (``generator.hashing``) still gives the pinned
hash inputs and bytes, so a silent change of the spec fails here; a few vectors
are also checked against ``hashlib`` by hand.

Database tier: the SQL expressions of the dialect (the ones the stage and load
templates are built from) give byte-identical results in PostgreSQL, for every
vector and both algorithms.

The expected values were computed once by ``python -m tests.test_hash_golden
--write`` and reviewed; run it again only together with a new
``HASH_SPEC_VERSION`` (a spec change is a rehash, never a silent edit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import struct
import sys
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import hashing
from generator.constants import HASH_BYTES, HASH_KEY_BLANKS, HASH_SPEC_VERSION
from generator.dialects import get_dialect
from generator.resolve import KeyPart
from generator.types import DataType, parse_type

VECTORS = Path(__file__).resolve().parent / "fixtures" / "hash_vectors.yml"
ALGORITHMS = ("md5", "sha256")


def _load() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(VECTORS.read_text(encoding="utf-8"))
    return data


DATA = _load()
KEYS: list[dict[str, Any]] = DATA["keys"]
HASHDIFFS: list[dict[str, Any]] = DATA["hashdiffs"]


def _type(name: str) -> DataType:
    parsed = parse_type(name)
    assert parsed is not None, f"unsupported type {name!r} in {VECTORS.name}"
    return parsed


def python_value(part: dict[str, Any]) -> Any:
    """The value as the column holds it, in Python (what psycopg2 would return)."""
    raw, dtype = part["value"], _type(part["type"])
    if raw is None:
        return None
    text = str(raw)
    family = dtype.family
    if family == "text":
        return text
    if family == "integer":
        return int(text)
    if family == "numeric":
        return Decimal(text)
    if family == "float":
        value = float(text)
        if dtype.sql == "real":  # a real holds the nearest 32-bit float
            value = struct.unpack("<f", struct.pack("<f", value))[0]
        return value
    if family == "boolean":
        return {"true": True, "false": False}[text]
    if family == "date":
        return dt.date.fromisoformat(text)
    if family == "time":
        return dt.time.fromisoformat(text)
    if family == "timestamp":
        return dt.datetime.fromisoformat(text)
    if family == "timestamptz":
        value = dt.datetime.fromisoformat(text)
        assert value.tzinfo is not None, f"timestamptz vector {text!r} needs an offset"
        return value
    if family == "uuid":
        return uuid.UUID(text)
    raise AssertionError(f"no Python value for type family {family}")


def key_parts(vector: dict[str, Any]) -> list[tuple[Any, str, bool]]:
    return [(python_value(p), _type(p["type"]).family, bool(p.get("case_sensitive", False))) for p in vector["parts"]]


def hashdiff_parts(vector: dict[str, Any]) -> list[tuple[Any, str]]:
    return [(python_value(p), _type(p["type"]).family) for p in vector["parts"]]


def compute_key(vector: dict[str, Any]) -> dict[str, Any]:
    """Hash input and hex digests of a key vector by the Python reference."""
    parts = key_parts(vector)
    out: dict[str, Any] = {"string": hashing.key_string(parts)}
    for algorithm in ALGORITHMS:
        out[algorithm] = hashing.hash_key(parts, algorithm).hex()
    return out


def compute_hashdiff(vector: dict[str, Any]) -> dict[str, Any]:
    parts = hashdiff_parts(vector)
    case_sensitive = bool(vector.get("case_sensitive", True))
    out: dict[str, Any] = {"string": hashing.hashdiff_string(parts, case_sensitive)}
    for algorithm in ALGORITHMS:
        out[algorithm] = hashing.hashdiff(parts, algorithm, case_sensitive).hex()
    return out


def _ids(vectors: list[dict[str, Any]]) -> list[str]:
    return [v["id"] for v in vectors]


# --- fast tier: the spec is pinned ------------------------------------------------------------


def test_vectors_are_well_formed() -> None:
    assert DATA["spec_version"] == HASH_SPEC_VERSION, "a new hash spec version needs new golden vectors"
    for section in (KEYS, HASHDIFFS):
        ids = _ids(section)
        assert len(ids) == len(set(ids)), "vector ids must be unique in their section"
    for vector in KEYS + HASHDIFFS:
        assert vector["parts"], vector["id"]
        for algorithm in ALGORITHMS:
            assert len(bytes.fromhex(vector[algorithm])) == HASH_BYTES[algorithm], vector["id"]


@pytest.mark.parametrize("vector", KEYS, ids=_ids(KEYS))
def test_key_vector_pinned(vector: dict[str, Any]) -> None:
    got = compute_key(vector)
    assert got == {k: vector[k] for k in got}, f"hash spec changed for key vector {vector['id']}"


@pytest.mark.parametrize("vector", HASHDIFFS, ids=_ids(HASHDIFFS))
def test_hashdiff_vector_pinned(vector: dict[str, Any]) -> None:
    got = compute_hashdiff(vector)
    assert got == {k: vector[k] for k in got}, f"hash spec changed for hashdiff vector {vector['id']}"


def _by_id(vectors: list[dict[str, Any]], id_: str) -> dict[str, Any]:
    return next(v for v in vectors if v["id"] == id_)


def test_hand_checked_vectors() -> None:
    """A few vectors recomputed from first principles with hashlib, not with generator.hashing."""
    plain = _by_id(KEYS, "plain_text")
    assert plain["md5"] == hashlib.md5(b"C1").hexdigest()
    assert plain["sha256"] == hashlib.sha256(b"C1").hexdigest()
    lower = _by_id(KEYS, "lower_case_folded")
    assert lower["md5"] == plain["md5"], "'c1' and 'C1' are one key"
    assert _by_id(KEYS, "spaces_trimmed")["md5"] == plain["md5"]
    assert _by_id(KEYS, "control_chars_removed")["string"] == "CDE"
    assert _by_id(KEYS, "pipe_escaped")["md5"] == hashlib.md5(b"A\\|B").hexdigest()
    assert _by_id(KEYS, "pipe_not_two_parts")["md5"] == hashlib.md5(b"A|B").hexdigest()
    assert _by_id(KEYS, "backslash_escaped")["string"] == "A\\\\B"
    assert _by_id(KEYS, "null_token_in_value")["string"] == "\\\\N|X"
    assert _by_id(KEYS, "null_part_first")["md5"] == hashlib.md5(b"\\N|X").hexdigest()
    assert _by_id(KEYS, "empty_is_null")["string"] == "\\N|X"
    assert _by_id(KEYS, "unicode_accent")["md5"] == hashlib.md5("CAFé".encode()).hexdigest()
    assert _by_id(KEYS, "unicode_emoji")["sha256"] == hashlib.sha256("X😀".encode()).hexdigest()
    assert _by_id(KEYS, "numeric_trailing_zeros")["md5"] == hashlib.md5(b"1.5").hexdigest()
    assert _by_id(KEYS, "numeric_zero")["string"] == "0"
    assert _by_id(KEYS, "float_large")["string"] == "100000000000000000000"
    assert _by_id(KEYS, "float_15_digits")["string"] == "123456789012345"
    assert _by_id(KEYS, "real_tenth")["string"] == "0.100000001490116"
    assert _by_id(KEYS, "real_seven_digits_a")["string"] == "1234567"
    assert _by_id(KEYS, "timestamp_year_1")["string"] == "0001-01-01T00:00:00.000000"
    assert _by_id(KEYS, "timestamptz_offset")["md5"] == hashlib.md5(b"2024-03-11T07:30:00.123456Z").hexdigest()
    # a uuid renders lower case, then a key folds it like any text
    assert _by_id(KEYS, "uuid_upper")["string"] == "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"
    assert "|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|" in _by_id(HASHDIFFS, "typed_row")["string"]
    assert _by_id(KEYS, "composite_mixed")["md5"] == hashlib.md5(b"EU|1001|2024-01-31").hexdigest()
    assert _by_id(KEYS, "composite_case_mixed")["string"] == "aB|AB"
    zeros = ("all_null_one_part", "empty_one_part", "all_null_composite", "control_only_is_null")
    for zero in (*zeros, "nbsp_only_is_null", "zero_width_only_is_null", "unicode_blanks_only_is_null"):
        vector = _by_id(KEYS, zero)
        assert vector["string"] is None
        assert vector["md5"] == "00" * 16 and vector["sha256"] == "00" * 32, zero
    assert _by_id(HASHDIFFS, "case_kept")["md5"] == hashlib.md5(b"ann").hexdigest()
    assert _by_id(HASHDIFFS, "case_insensitive")["md5"] == hashlib.md5(b"ANN").hexdigest()
    assert _by_id(HASHDIFFS, "spaces_kept")["string"] == " Ann "
    assert _by_id(HASHDIFFS, "all_null")["md5"] == hashlib.md5(b"\\N").hexdigest()


def _standardize_before_blank_keys(text: str | None, case_sensitive: bool) -> str | None:
    """Step 3 as version 1 had it before blank keys counted as empty: trim U+0020, fold, '' -> NULL."""
    if text is None:
        return None
    text = "".join(c for c in text if not (ord(c) < 0x20 or ord(c) == 0x7F)).strip(" ")
    if not case_sensitive:
        text = text.translate(str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return text or None


# text that leans on blanks: every key blank, spaces, controls, and a few ordinary letters
_KEYISH = st.text(st.sampled_from([*HASH_KEY_BLANKS, " ", "\t", "\x01", "a", "Z", "é", "|", "\\"])) | st.text()


@settings(max_examples=300, deadline=None)
@given(text=_KEYISH, case_sensitive=st.booleans())
def test_only_blank_keys_changed_meaning(text: str, case_sensitive: bool) -> None:
    """Counting blank-only key parts as empty changed no other key: a part with anything but blanks in it
    has exactly the hash input it had (its blanks of other kinds are not trimmed), so no stored hash key
    of such a part changes; a part of blanks only is NULL."""
    now = hashing.standardize(text, business_key=True, case_sensitive=case_sensitive)
    before = _standardize_before_blank_keys(text, case_sensitive)
    only_blanks = before is None or before.strip(HASH_KEY_BLANKS) == ""
    assert now == (None if only_blanks else before)


def test_trailing_nulls_do_not_change_the_hashdiff() -> None:
    base = _by_id(HASHDIFFS, "trailing_null_base")
    for appended in ("trailing_null_appended", "trailing_nulls_appended"):
        vector = _by_id(HASHDIFFS, appended)
        assert (vector["md5"], vector["sha256"]) == (base["md5"], base["sha256"]), appended
    assert _by_id(HASHDIFFS, "inner_null_kept")["string"] == "\\N|Ann"
    assert _by_id(HASHDIFFS, "trailing_token_text_kept")["string"] == "x|\\|\\\\N"
    assert _by_id(HASHDIFFS, "backslash_then_null")["string"] == "a\\\\"


def test_delimiter_cannot_fake_parts() -> None:
    one = _by_id(KEYS, "pipe_escaped")
    two = _by_id(KEYS, "pipe_not_two_parts")
    assert one["md5"] != two["md5"] and one["sha256"] != two["sha256"]
    assert _by_id(KEYS, "null_token_in_value")["md5"] != _by_id(KEYS, "null_part_first")["md5"]
    assert _by_id(KEYS, "real_seven_digits_a")["md5"] != _by_id(KEYS, "real_seven_digits_b")["md5"]


# --- database tier: SQL == Python, byte for byte ------------------------------------------------


def _sql_value(part: dict[str, Any]) -> str:
    d = get_dialect()
    sql_type = _type(part["type"]).sql
    if part["value"] is None:
        return f"NULL::{sql_type}"
    return f"{d.literal(str(part['value']))}::{sql_type}"


def _as_bytes(expr: str, algorithm: str) -> str:
    return f"uuid_send({expr})" if get_dialect().hash_type(algorithm) == "uuid" else expr


def key_sql(vector: dict[str, Any], algorithm: str) -> str:
    """SELECT of (hash input, hash bytes) built from the dialect, as the stage step builds them."""
    d = get_dialect()
    values = []
    for i, p in enumerate(vector["parts"]):
        dtype = _type(p["type"])
        part = KeyPart(f"c{i}", f"c{i}", dtype, bool(p.get("case_sensitive", False)))
        values.append(d.key_value(_sql_value(p), part))
    string = d.key_string(values)
    return f"SELECT {string}, {_as_bytes(d.hash_key(string, algorithm), algorithm)}"


def hashdiff_sql(vector: dict[str, Any], algorithm: str) -> str:
    d = get_dialect()
    case_sensitive = bool(vector.get("case_sensitive", True))
    exprs = [(_sql_value(p), _type(p["type"])) for p in vector["parts"]]
    # the hash input, spelt as Dialect.hashdiff spells it, only to show what differs
    string = d.strip_trailing_nulls(
        d.concat([d.escape(d.standardize_value(d.render_text(e, t), case_sensitive)) for e, t in exprs])
    )
    return f"SELECT {string}, {_as_bytes(d.hashdiff(exprs, case_sensitive, algorithm), algorithm)}"


@pytest.fixture(scope="module")
def cursor(test_dsn: str) -> Iterator[Any]:
    conn = psycopg2.connect(test_dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'America/New_York'")  # rendering must not depend on the session
            yield cur
    finally:
        conn.close()


def _run(cursor: Any, sql: str) -> tuple[str | None, bytes]:
    cursor.execute(sql)
    string, digest = cursor.fetchone()
    return string, bytes(digest)


@pytest.mark.db
@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("vector", KEYS, ids=_ids(KEYS))
def test_key_sql_matches_python(cursor: Any, vector: dict[str, Any], algorithm: str) -> None:
    string, digest = _run(cursor, key_sql(vector, algorithm))
    expected = compute_key(vector)
    assert (string, digest.hex()) == (expected["string"], expected[algorithm]), (
        f"key vector {vector['id']} ({algorithm}): SQL gives {string!r}, Python {expected['string']!r}"
    )
    assert digest.hex() == vector[algorithm]


@pytest.mark.db
@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("vector", HASHDIFFS, ids=_ids(HASHDIFFS))
def test_hashdiff_sql_matches_python(cursor: Any, vector: dict[str, Any], algorithm: str) -> None:
    string, digest = _run(cursor, hashdiff_sql(vector, algorithm))
    expected = compute_hashdiff(vector)
    assert (string, digest.hex()) == (expected["string"], expected[algorithm]), (
        f"hashdiff vector {vector['id']} ({algorithm}): SQL gives {string!r}, Python {expected['string']!r}"
    )
    assert digest.hex() == vector[algorithm]


# --- regeneration (only with a new HASH_SPEC_VERSION) --------------------------------------------


def _dump(data: dict[str, Any], header: str) -> str:
    def scalar(value: Any) -> str:
        # JSON is YAML; characters that do not print (DEL, no-break space) are escaped too
        text = json.dumps(value, ensure_ascii=False)
        return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)

    lines = [header.rstrip("\n"), f"spec_version: {data['spec_version']}"]
    for section in ("keys", "hashdiffs"):
        lines.append(f"{section}:")
        for v in data[section]:
            lines.append(f"  - id: {v['id']}")
            if v.get("note"):
                lines.append(f"    note: {scalar(v['note'])}")
            if "case_sensitive" in v:
                lines.append(f"    case_sensitive: {scalar(v['case_sensitive'])}")
            lines.append("    parts:")
            for p in v["parts"]:
                lines.append(f"      - {scalar(p)}")
            for k in ("string", *ALGORITHMS):
                lines.append(f"    {k}: {scalar(v[k])}")
    return "\n".join(lines) + "\n"


def write_vectors() -> None:
    text = VECTORS.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    data = _load()
    for v in data["keys"]:
        v.update(compute_key(v))
    for v in data["hashdiffs"]:
        v.update(compute_hashdiff(v))
    VECTORS.write_text(_dump(data, header), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.test_hash_golden --write   (only with a new HASH_SPEC_VERSION)")
    write_vectors()
