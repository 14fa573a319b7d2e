"""kind: fact — a star-schema fact table: one row per event, transaction or snapshot, written as one SELECT."""

from __future__ import annotations

from generator.constants import SCHEMA_MARTS
from generator.kinds.derived import sql_kind

KIND = sql_kind(
    "fact",
    "fact",
    SCHEMA_MARTS,
    "fact_",
    "a star-schema fact table: one row per event, transaction or snapshot, written as one SELECT",
    "fact",
    "Facts",
)
