"""kind: dimension — a star-schema dimension (type 1 current or type 2 history), written as one SELECT."""

from __future__ import annotations

from generator.constants import SCHEMA_MARTS
from generator.kinds.derived import sql_kind

KIND = sql_kind(
    "dimension",
    "dim",
    SCHEMA_MARTS,
    "dim_",
    "a star-schema dimension (type 1 current or type 2 history), written as one SELECT",
    "dimension",
    "Dimensions",
)
