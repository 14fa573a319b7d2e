"""The group hashdiff of a multi-active satellite (docs/hashing.md, "Multi-active groups").

Fast tier: the Python reference (``generator.hashing.group_hashdiff``) gives pinned bytes, checked by
hand with ``hashlib``, and does not depend on the order of the members. Database tier: the aggregate
the load template uses (``Dialect.group_hashdiff``) gives the same bytes in PostgreSQL, for both
algorithms, whatever order the rows come in.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid
from typing import Any

import psycopg2
import pytest
from psycopg2.extras import register_uuid

from generator import hashing
from generator.dialects import get_dialect

# members: (language_code, proficiency) hashed as a member hashdiff (sub-key, then payload)
MEMBERS = [("en", "C2"), ("de", "B1"), ("fr", None), ("es|x", "A\\1")]
PINNED = {
    "md5": "c6479dbfa61de88523df702b2f40d349",
    "sha256": "31b7b54221d2f4b6af4bc8eae379c79392b7320a91d6849dd86e2911b5d54778",
}


def member_hashdiffs(members: list[tuple[str, str | None]], algorithm: str) -> list[bytes]:
    return [hashing.hashdiff([(code, "text"), (level, "text")], algorithm) for code, level in members]


@pytest.mark.parametrize("algorithm", sorted(PINNED))
def test_pinned_group_hashdiff(algorithm: str) -> None:
    members = member_hashdiffs(MEMBERS[:2], algorithm)
    text = hashing.group_hashdiff_string(members)
    assert text == "|".join(sorted(m.hex() for m in members))
    by_hand = hashlib.new(algorithm, text.encode("ascii")).hexdigest()
    assert hashing.group_hashdiff(members, algorithm).hex() == by_hand == PINNED[algorithm]


@pytest.mark.parametrize("algorithm", sorted(PINNED))
def test_member_order_does_not_matter(algorithm: str) -> None:
    members = member_hashdiffs(MEMBERS, algorithm)
    results = {hashing.group_hashdiff(list(p), algorithm) for p in itertools.permutations(members)}
    assert len(results) == 1
    assert hashing.group_hashdiff(members[:3], algorithm) not in results  # a member less is a change


def _sql_value(raw: bytes, algorithm: str) -> Any:
    return uuid.UUID(bytes=raw) if algorithm == "md5" else psycopg2.Binary(raw)


@pytest.mark.db
@pytest.mark.parametrize("algorithm", sorted(PINNED))
def test_sql_group_hashdiff_equals_python(algorithm: str, test_dsn: str) -> None:
    d = get_dialect()
    expr = d.group_hashdiff("m.member", algorithm)
    hash_type = d.hash_type(algorithm)
    members = member_hashdiffs(MEMBERS, algorithm)
    conn = psycopg2.connect(test_dsn)
    try:
        register_uuid(conn_or_curs=conn)
        with conn.cursor() as cur:
            for size in (1, 2, 4):
                for order in itertools.permutations(members[:size]):
                    rows = ", ".join(["(%s::" + hash_type + ", %s)"] * len(order))
                    params: list[Any] = []
                    for n, raw in enumerate(order):
                        params += [_sql_value(raw, algorithm), n]
                    cur.execute(
                        f"SELECT {expr} FROM (SELECT * FROM (VALUES {rows}) AS v(member, n) ORDER BY n) AS m",
                        params,
                    )
                    got = cur.fetchone()[0]
                    got_bytes = got.bytes if isinstance(got, uuid.UUID) else bytes(got)
                    assert got_bytes == hashing.group_hashdiff(list(order), algorithm), (size, order)
    finally:
        conn.close()
