"""kind: feed — a feature feed for a downstream system (the ML matching feed), written as one SELECT."""

from __future__ import annotations

from generator.constants import SCHEMA_MARTS
from generator.kinds.derived import sql_kind

KIND = sql_kind(
    "feed",
    "feed",
    SCHEMA_MARTS,
    "feed_",
    "a feature feed for a downstream system (the ML matching feed), written as one SELECT",
    "feed",
    "Feeds",
)
