"""kind: computed_satellite — a business derivation per key of a hub or link (business vault), written as one SELECT."""

from __future__ import annotations

from generator.constants import SCHEMA_BUSINESS_VAULT
from generator.kinds.derived import sql_kind

KIND = sql_kind(
    "computed_satellite",
    "cs",
    SCHEMA_BUSINESS_VAULT,
    "cs_",
    "a business derivation per key of a hub or link (business vault), written as one SELECT",
    "computed satellite",
    "Computed satellites",
)
