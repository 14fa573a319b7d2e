"""Column types a model may declare, parsed into a family the hash spec knows.

The family decides how a value is rendered as text before hashing, so that
PostgreSQL and Python (the golden implementation) produce the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# family -> accepted spellings (regex, case-insensitive, whole string)
_FAMILIES: dict[str, tuple[str, ...]] = {
    "text": (r"text", r"varchar(\(\d+\))?", r"character varying(\(\d+\))?", r"char(\(\d+\))?"),
    "integer": (r"smallint", r"integer", r"int", r"int2", r"int4", r"bigint", r"int8"),
    "numeric": (r"numeric(\(\d+(,\s*\d+)?\))?", r"decimal(\(\d+(,\s*\d+)?\))?"),
    "float": (r"real", r"float4", r"double precision", r"float8"),
    "boolean": (r"boolean", r"bool"),
    "date": (r"date",),
    "time": (r"time", r"time without time zone"),
    "timestamp": (r"timestamp", r"timestamp without time zone"),
    "timestamptz": (r"timestamptz", r"timestamp with time zone"),
    "uuid": (r"uuid",),
    "json": (r"jsonb", r"json"),
}

_CANONICAL = {
    "int": "integer",
    "int2": "smallint",
    "int4": "integer",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "bool": "boolean",
    "decimal": "numeric",
    "time without time zone": "time",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
    "character varying": "varchar",
}

SUPPORTED = sorted({s.split("(")[0].replace("\\", "") for v in _FAMILIES.values() for s in v})


@dataclass(frozen=True)
class DataType:
    """A declared column type: its SQL spelling and its hashing family."""

    sql: str
    family: str

    @property
    def length(self) -> int | None:
        """Declared length of char(n)/varchar(n), else ``None``."""
        match = re.fullmatch(r"(char|varchar)\((\d+)\)", self.sql)
        return int(match.group(2)) if match else None


# PostgreSQL's limits on type modifiers (varchar and char: 10,485,760 characters; numeric: precision 1 to 1,000)
MAX_CHAR_LENGTH = 10_485_760
MAX_NUMERIC_PRECISION = 1000


def type_limit_problem(dtype: DataType) -> str:
    """Why PostgreSQL would refuse a parsed type's modifiers (``varchar(0)``, ``numeric(5000,2)``), or ''."""
    match = re.fullmatch(r"(char|varchar|numeric)\((\d+)(?:,(\d+))?\)", dtype.sql)
    if match is None:
        return ""
    base, first, second = match.group(1), int(match.group(2)), match.group(3)
    if base != "numeric":
        if not 1 <= first <= MAX_CHAR_LENGTH:
            return f"the length of {base} must be 1 to {MAX_CHAR_LENGTH:,}; use text for longer values"
        return ""
    if not 1 <= first <= MAX_NUMERIC_PRECISION:
        return (
            f"the precision of numeric must be 1 to {MAX_NUMERIC_PRECISION:,}; use numeric without (p,s) for any size"
        )
    if second is not None and int(second) > first:
        return (
            f"the scale of numeric ({second}) must not exceed its precision ({first}): numeric({first},{first}) at most"
        )
    return ""


def parse_type(text: str) -> DataType | None:
    """Parse a declared type; ``None`` when it is not one we support."""
    spelled = re.sub(r"\s+", " ", text.strip().lower())
    for family, patterns in _FAMILIES.items():
        for pattern in patterns:
            if re.fullmatch(pattern, spelled):
                base = spelled.split("(")[0].strip()
                rest = spelled[len(base) :].replace(" ", "")
                return DataType(_CANONICAL.get(base, base) + rest, family)
    return None
