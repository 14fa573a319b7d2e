"""SQL dialects: every engine-specific spelling lives in one class per engine."""

from generator.dialects.base import Dialect
from generator.dialects.postgres import PostgresDialect

DIALECTS: dict[str, type[Dialect]] = {"postgres": PostgresDialect}


def get_dialect(name: str = "postgres") -> Dialect:
    return DIALECTS[name]()


__all__ = ["DIALECTS", "Dialect", "PostgresDialect", "get_dialect"]
