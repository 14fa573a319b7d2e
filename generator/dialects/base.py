"""The dialect interface the kind templates are written against.

Templates never spell an engine's functions themselves: they call these
methods (as ``d.<method>`` in Jinja). A new engine is a new subclass.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from generator.constants import HASH_NULL_TOKEN
from generator.resolve import KeyPart
from generator.types import DataType


@dataclass(frozen=True)
class SqlTypes:
    """The engine's names of the types the generator itself gives columns (a model's column types are the
    model's own, ``generator/types.py``; hash keys and hashdiffs: :meth:`Dialect.hash_type`)."""

    timestamp: str  # a moment: load_dts, applied_dts, a snapshot's moment (with time zone)
    date: str  # a day: a PIT's snapshot days and spans
    batch_id: str  # dv_meta.batch's key, carried by every vault row
    row_number: str  # the landing order of a source row (filled by the database on landing)
    load_seq: str  # order of the versions of one key loaded in one batch
    text: str  # record_source, a status, a landed value before its cast
    boolean: str  # a flag (an effectivity satellite's is_active)


class Dialect(ABC):
    name: str
    types: SqlTypes

    # --- literals and names -------------------------------------------------------
    @staticmethod
    def literal(value: str) -> str:
        """A string literal that reads the same whatever the server's settings: with a backslash in the
        text, an escape string (``E'...'``, backslashes and quotes doubled), which never depends on
        ``standard_conforming_strings``; a plain ``'...'`` (quotes doubled) otherwise. A NUL cannot be
        written in a PostgreSQL string: the model loader refuses it before anything is rendered."""
        if "\0" in value:
            raise ValueError("a SQL string literal cannot hold a NUL character")
        quoted = value.replace("'", "''")
        if "\\" in value:
            return "E'" + quoted.replace("\\", "\\\\") + "'"
        return "'" + quoted + "'"

    @abstractmethod
    def hash_type(self, algorithm: str) -> str: ...

    @abstractmethod
    def zero_key(self, algorithm: str) -> str: ...

    @abstractmethod
    def hash_expr(self, text_expr: str, algorithm: str) -> str: ...

    @abstractmethod
    def render_text(self, expr: str, dtype: DataType) -> str: ...

    @abstractmethod
    def standardize_key(self, text_expr: str, case_sensitive: bool) -> str: ...

    @abstractmethod
    def standardize_value(self, text_expr: str, case_sensitive: bool) -> str: ...

    @abstractmethod
    def escape_value(self, text_expr: str) -> str:
        """Escape the escape character and the delimiter inside a value (NULL stays NULL)."""

    def escape(self, text_expr: str) -> str:
        """Escaped value, or the null token."""
        return f"COALESCE({self.escape_value(text_expr)}, {self.literal(HASH_NULL_TOKEN)})"

    @abstractmethod
    def strip_trailing_nulls(self, text_expr: str) -> str: ...

    @abstractmethod
    def concat(self, parts: Sequence[str]) -> str: ...

    @abstractmethod
    def cast(self, expr: str, dtype: DataType) -> str: ...

    @abstractmethod
    def is_castable(self, text_expr: str, dtype: DataType, exact: bool = True) -> str:
        """A condition true when the landed text casts to ``dtype`` (NULL casts). Without ``exact``: only
        what a cast does not check itself (lengths, relative times); the cast then fails the statement."""

    @abstractmethod
    def ghost_value(self, dtype: DataType) -> str:
        """A literal of the type for the ghost record's NOT NULL columns."""

    @abstractmethod
    def current_batch_id(self) -> str: ...

    @abstractmethod
    def since_batch_id(self) -> str:
        """The last batch a refreshed object reflects (setting ``dv.since_batch``, set by dv marts)."""

    def as_type(self, expr: str, type_name: str) -> str:
        """``expr`` converted to ``type_name`` (a name of :attr:`types`, or a declared column type)."""
        return f"{expr}::{type_name}"

    def typed_literal(self, value: str, type_name: str) -> str:
        return self.as_type(self.literal(value), type_name)

    # --- days and moments (PIT calendars) ------------------------------------------------
    @abstractmethod
    def utc_day(self, ts_expr: str) -> str:
        """The day (UTC) of a moment."""

    @abstractmethod
    def end_of_days(self) -> str:
        """The open end of a range of days."""

    @abstractmethod
    def day_series(self, first: str, last: str) -> str:
        """A set-returning expression: each day from ``first`` to ``last`` (as a moment; ``as_type`` to a date)."""

    @abstractmethod
    def midnight_after_utc(self, day_expr: str) -> str:
        """The moment the day ends: midnight (UTC) after it."""

    @abstractmethod
    def next_moment(self, ts_expr: str) -> str:
        """The smallest moment after ``ts_expr`` the engine can tell from it."""

    # --- statements the loads and refreshes are made of ------------------------------------
    @abstractmethod
    def drop_temp_table(self, name: str) -> str:
        """A statement dropping the session's temporary table ``name`` when there is one (never a table of
        that name in a schema)."""

    @abstractmethod
    def create_temp_table_as(self, name: str, transaction: bool = False) -> str:
        """The head of a statement creating the temporary table ``name`` from the query written after it;
        with ``transaction``, the table goes when the transaction ends."""

    @abstractmethod
    def analyze(self, table: str) -> str:
        """A statement gathering the planner's statistics of ``table``."""

    @abstractmethod
    def any_of(self, expr: str, query: str) -> str:
        """A condition: ``expr`` is one of the values of the one-column ``query``, written as a plain condition
        the planner pushes into the query it filters (not a semi-join)."""

    @abstractmethod
    def fence(self) -> str:
        """The clause ending a subquery the planner computes once instead of inlining it into its readers."""

    @abstractmethod
    def on_conflict_update(self, columns: Sequence[str], column: str, alias: str) -> str:
        """The end of an ``INSERT INTO … AS <alias>``: a row whose ``columns`` exist already sets ``column`` of
        the stored row to the new value, where they differ."""

    @abstractmethod
    def serialize_loads(self, target: str) -> str:
        """A statement that makes concurrent loads of one target wait for each other (transaction-long)."""

    @abstractmethod
    def on_conflict_ignore(self, columns: Sequence[str]) -> str: ...

    @abstractmethod
    def row_to_json(self, alias: str, without: str) -> str:
        """The row of ``alias`` as a JSON document, leaving out column ``without``."""

    @abstractmethod
    def json_text(self, doc_expr: str, key: str) -> str:
        """The value of ``key`` in a JSON document, as text."""

    @abstractmethod
    def typed_null(self, type_name: str) -> str: ...

    @abstractmethod
    def end_of_time(self) -> str:
        """The open end of a validity range (timestamp with time zone)."""

    @abstractmethod
    def hash_hex(self, hash_expr: str, algorithm: str) -> str:
        """A stored hash as lower-case hex text without separators (32 or 64 characters)."""

    @abstractmethod
    def ordered_text_agg(self, text_expr: str, order_expr: str) -> str:
        """Aggregate: the values of ``text_expr`` joined by the hash delimiter, ordered by ``order_expr``."""

    # --- data-quality contracts (generator/contracts.py) ------------------------------
    @abstractmethod
    def hours_since(self, ts_expr: str) -> str:
        """Hours from a timestamp with time zone to now, as a number (NULL stays NULL)."""

    @abstractmethod
    def catalog_type(self, type_sql: str) -> dict[str, str | int]:
        """A column type as the engine's catalog names it, for a contract's schema check:
        ``data_type`` and, where declared, ``character_maximum_length``, ``numeric_precision``,
        ``numeric_scale``."""

    # --- composite expressions (engine-neutral, built from the methods above) ------
    def key_value(self, source_expr: str, part: KeyPart) -> str:
        """A business-key part, standardized as text (NULL when empty)."""
        return self.standardize_key(self.render_text(source_expr, part.type), part.case_sensitive)

    def key_string(self, exprs: Sequence[str]) -> str:
        """Hash input of a business key from standardized parts; NULL when all parts are NULL."""
        all_null = " AND ".join(f"{e} IS NULL" for e in exprs)
        if len(exprs) == 1:  # one part: NULL stays NULL, no token needed
            return self.escape_value(exprs[0])
        joined = self.concat([self.escape(e) for e in exprs])
        return f"CASE WHEN {all_null} THEN NULL ELSE {joined} END"

    def hash_key(self, key_string_expr: str, algorithm: str) -> str:
        return f"COALESCE({self.hash_expr(key_string_expr, algorithm)}, {self.zero_key(algorithm)})"

    def hashdiff(self, exprs: Sequence[tuple[str, DataType]], case_sensitive: bool, algorithm: str) -> str:
        parts = [self.escape(self.standardize_value(self.render_text(e, t), case_sensitive)) for e, t in exprs]
        return self.hash_expr(self.strip_trailing_nulls(self.concat(parts)), algorithm)

    def group_hashdiff(self, member_expr: str, algorithm: str) -> str:
        """Aggregate: the hashdiff of a multi-active group from its members' hashdiffs, as hex,
        ordered by their bytes, joined by the delimiter (``generator.hashing.group_hashdiff``)."""
        members = self.ordered_text_agg(self.hash_hex(member_expr, algorithm), member_expr)
        return self.hash_expr(members, algorithm)
