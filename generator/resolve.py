"""Resolved model: what templates, the manifest and the pipelines see.

Specs (pydantic, one per YAML document) are checked against each other by the
kind modules and turned into these plain, fully-resolved objects: every table
name, column, type and stage column is decided here, once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.constants import COL_APPLIED_DTS, COL_APPLIED_SEQ, COL_LOAD_DTS, COL_LOAD_SEQ, COL_ROW_NO
from generator.errors import Problem
from generator.types import DataType, parse_type
from generator.yaml_loader import Loc


@dataclass(frozen=True)
class Column:
    name: str
    type: DataType
    description: str = ""


@dataclass(frozen=True)
class KeyPart:
    """One business-key part: the source column feeding it and how it is hashed."""

    source_column: str
    name: str  # name of the key column in the hub (or link dependent key)
    type: DataType  # type the value is rendered by before hashing (the source column's type)
    case_sensitive: bool
    description: str = ""


@dataclass(frozen=True)
class Origin:
    """Where an entity was declared, for error messages and the manifest."""

    file: str
    line: int


@dataclass
class Source:
    id: str
    name: str
    description: str
    record_source: str
    table: str
    extract: str
    columns: list[Column]
    business_keys: list[str]
    applied_ts: str | None
    sequence: str | None
    origin: Origin
    landing_table: str = ""
    stage_table: str = ""
    hub_keys: list[HubKeyMapping] = field(default_factory=list)
    link_keys: list[LinkKeyMapping] = field(default_factory=list)
    hashdiffs: list[HashdiffMapping] = field(default_factory=list)
    # further stage key columns loads look up staged history by (an effectivity satellite's driving key)
    lookup_keys: list[str] = field(default_factory=list)
    # full extracts: the columns whose values name the partitions one extract covers (deletion detection)
    partition_by: list[str] = field(default_factory=list)
    required_keys: list[RequiredKey] = field(default_factory=list)
    # how the extract step reads it: a database query, or a file feed under the landing folder
    query: str = ""
    watermark: str | None = None
    feed: dict[str, str | None] | None = None  # format, path, event_type
    freshness_hours: float | None = None

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class HubKeyMapping:
    """A source feeds a hub: stage column ``stage_column`` holds the hash key."""

    hub: str
    stage_column: str
    parts: list[KeyPart]
    on_null: str  # reject | zero_key
    label: str  # for messages: "hub candidate"


@dataclass(frozen=True)
class LinkRoleMapping:
    role: str
    hub: str
    stage_column: str
    parts: list[KeyPart]
    nullable: bool


@dataclass(frozen=True)
class LinkKeyMapping:
    link: str
    owner: str  # manifest id of the entity that declared it (a link, a non-historized link)
    stage_column: str
    roles: list[LinkRoleMapping]
    dependent: list[KeyPart]

    def all_parts(self) -> list[KeyPart]:
        return [p for r in self.roles for p in r.parts] + list(self.dependent)


@dataclass(frozen=True)
class HashdiffMapping:
    satellite: str
    owner: str  # manifest id of the satellite-like entity that declared it
    stage_column: str
    columns: list[Column]  # source columns in declared order
    case_sensitive: bool
    # stage hash-key column of the rows this hashdiff versions; when the source has an applied
    # timestamp the stage table gets an index on (key_column, applied_dts) for late-data lookups
    key_column: str | None = None


@dataclass(frozen=True)
class RequiredKey:
    """Key parts every staged row of a source must have (a reference table's code): a row with a part
    NULL, or empty after standardization, goes to quarantine with ``reason``."""

    owner: str  # manifest id of the entity that declared it
    parts: list[KeyPart]
    reason: str


@dataclass(frozen=True)
class HubFeed:
    """One stream of keys into a hub: a stage table's hash-key column and its key parts."""

    source: str
    stage_table: str
    stage_column: str
    parts: list[KeyPart]


@dataclass
class Hub:
    id: str
    name: str
    description: str
    table: str
    hash_key: str
    business_keys: list[KeyPart]
    origin: Origin
    feeds: list[HubFeed] = field(default_factory=list)


@dataclass(frozen=True)
class LinkRef:
    role: str
    hub: str
    column: str  # hash key column in the link table


@dataclass(frozen=True)
class LinkFeed:
    source: str
    stage_table: str
    stage_column: str
    role_columns: list[str]  # stage columns, in the order of Link.refs
    dependent_parts: list[KeyPart]  # in the order of Link.dependent_keys


@dataclass
class Link:
    id: str
    name: str
    description: str
    table: str
    hash_key: str
    refs: list[LinkRef]
    dependent_keys: list[KeyPart]
    origin: Origin
    feeds: list[LinkFeed] = field(default_factory=list)


@dataclass(frozen=True)
class SatColumn:
    name: str
    source_column: str
    type: DataType
    description: str


@dataclass
class Satellite:
    id: str
    name: str
    description: str
    table: str
    parent_kind: str  # hub | link
    parent: str
    parent_key: str  # hash key column (same name in satellite and parent)
    source: str
    stage_table: str
    stage_key_column: str
    hashdiff_column: str
    columns: list[SatColumn]
    case_sensitive: bool
    late_data: str
    applied_from_source: bool
    sequence_column: str | None  # the source's sequence column, stored as applied_seq
    sequence_type: DataType | None
    origin: Origin
    personal: bool = False  # personal data, erasable on request (dv trace shows erasures)

    @property
    def position_columns(self) -> list[str]:
        """Where a version stands on the source's timeline: applied_dts, then applied_seq if any."""
        return [COL_APPLIED_DTS, COL_APPLIED_SEQ] if self.sequence_column else [COL_APPLIED_DTS]

    def order_columns(self, stored: bool) -> list[str]:
        """Version order: the position, then load order (stored rows) or landing order (a batch)."""
        tail = [COL_LOAD_DTS, COL_LOAD_SEQ] if stored else [COL_ROW_NO]
        return [*self.position_columns, *tail]


class Reporter:
    """Collects problems for one YAML document, locating them by path."""

    def __init__(self, doc_file: str, line_of: dict[Loc, int], start_line: int, entity: str) -> None:
        self.file = doc_file
        self._lines = line_of
        self._start = start_line
        self.entity = entity
        self.problems: list[Problem] = []

    def line(self, loc: Loc) -> int:
        probe = tuple(loc)
        while probe:
            if probe in self._lines:
                return self._lines[probe]
            probe = probe[:-1]
        return self._start

    def error(self, loc: Loc, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.file, self.line(loc), self.entity, message, hint))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def known(choices: Iterable[str]) -> str:
    items = sorted(set(choices))
    return f"known: {', '.join(items)}" if items else "none are declared"


def hint_for(word: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    return did_you_mean(word, choices) or known(choices)


def must_type(text: str) -> DataType:
    parsed = parse_type(text)
    assert parsed is not None, text  # validated by the schema
    return parsed
