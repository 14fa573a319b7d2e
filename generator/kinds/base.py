"""Shared pieces of the entity-kind schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from generator.constants import IDENTIFIER_MAX_BYTES
from generator.resolve import Reporter, did_you_mean
from generator.types import SUPPORTED, parse_type, type_limit_problem
from generator.yaml_loader import Loc

IDENTIFIER_PATTERN = r"^[a-z_][a-z0-9_]*$"

# PostgreSQL 15's reserved key words (SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')): the
# generated SQL writes names unquoted, and these cannot be a column or table name without quotes ('T': reserved
# but allowed as a function or type name, e.g. left, join, similar). Hard-coded: the generator never connects.
_RESERVED = """
all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create
current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc
distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral
leading limit localtime localtimestamp not null offset on only or order placing primary references returning
select session_user some symmetric table then to trailing true union unique user using variadic when where
window with authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull
join left like natural notnull outer overlaps right similar tablesample verbose
"""
RESERVED_WORDS = frozenset(_RESERVED.split())


def _check_identifier(value: str) -> str:
    import re

    if not re.fullmatch(IDENTIFIER_PATTERN, value):
        raise ValueError(
            f"'{value}' is not a safe SQL name: use lower-case letters, digits and '_', starting with a letter"
        )
    if len(value.encode("utf-8")) > IDENTIFIER_MAX_BYTES:
        raise ValueError(f"'{value}' is longer than {IDENTIFIER_MAX_BYTES} bytes (PostgreSQL's limit)")
    return value


def _check_sql_name(value: str) -> str:
    """A name written as is into the generated SQL (a column, a table named after its entity)."""
    _check_identifier(value)
    if value in RESERVED_WORDS:
        raise ValueError(
            f"'{value}' is a reserved word of PostgreSQL and cannot name a table or column unquoted; "
            f"rename it, e.g. '{value}_name' or a more telling name (a source column is renamed in its extract "
            f"query or feed)"
        )
    return value


def _check_type(value: str) -> str:
    parsed = parse_type(value)
    if parsed is None:
        guess = did_you_mean(value.lower(), SUPPORTED)
        raise ValueError(
            f"unsupported column type '{value}'{f' ({guess})' if guess else ''}; supported: {', '.join(SUPPORTED)}"
        )
    problem = type_limit_problem(parsed)
    if problem:
        raise ValueError(f"column type '{value}': {problem}")
    return value


Identifier = Annotated[str, AfterValidator(_check_identifier)]
SqlName = Annotated[str, AfterValidator(_check_sql_name)]
TypeName = Annotated[str, AfterValidator(_check_type)]


class Strict(BaseModel):
    """Every schema class: unknown fields are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class EntitySpec(Strict):
    """Fields every YAML document of the model has."""

    kind: str
    name: Identifier
    description: str = ""


class ColumnSpec(Strict):
    name: SqlName
    type: TypeName
    description: str = ""


def check_identifier(report: Reporter, loc: Loc, derived: str, what: str) -> None:
    """A name derived from the model (table, column, index) must fit PostgreSQL's limit."""
    size = len(derived.encode("utf-8"))
    if size > IDENTIFIER_MAX_BYTES:
        report.error(
            loc,
            f"the {what} name '{derived}' is {size} bytes, longer than PostgreSQL's {IDENTIFIER_MAX_BYTES}",
            "choose a shorter entity name",
        )
