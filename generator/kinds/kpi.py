"""kind: kpi — a KPI view or table over facts and dimensions, written as one SELECT."""

from __future__ import annotations

from generator.constants import SCHEMA_MARTS
from generator.kinds.derived import sql_kind

KIND = sql_kind(
    "kpi",
    "kpi",
    SCHEMA_MARTS,
    "kpi_",
    "a KPI view or table over facts and dimensions, written as one SELECT",
    "KPI",
    "KPIs",
)
