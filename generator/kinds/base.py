"""Shared pieces of the entity-kind schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from generator.constants import IDENTIFIER_MAX_BYTES
from generator.resolve import Reporter, did_you_mean
from generator.types import SUPPORTED, parse_type
from generator.yaml_loader import Loc

IDENTIFIER_PATTERN = r"^[a-z_][a-z0-9_]*$"


def _check_identifier(value: str) -> str:
    import re

    if not re.fullmatch(IDENTIFIER_PATTERN, value):
        raise ValueError(
            f"'{value}' is not a safe SQL name: use lower-case letters, digits and '_', starting with a letter"
        )
    if len(value.encode("utf-8")) > IDENTIFIER_MAX_BYTES:
        raise ValueError(f"'{value}' is longer than {IDENTIFIER_MAX_BYTES} bytes (PostgreSQL's limit)")
    return value


def _check_type(value: str) -> str:
    if parse_type(value) is None:
        guess = did_you_mean(value.lower(), SUPPORTED)
        raise ValueError(
            f"unsupported column type '{value}'{f' ({guess})' if guess else ''}; supported: {', '.join(SUPPORTED)}"
        )
    return value


Identifier = Annotated[str, AfterValidator(_check_identifier)]
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
    name: Identifier
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
