"""PostgreSQL (13+): the only engine today."""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.constants import HASH_BYTES, HASH_DELIMITER, HASH_KEY_BLANKS
from generator.dialects.base import Dialect, SqlTypes
from generator.types import DataType

# Integer types whose text form can be recognised by a regex without a cast attempt.
_INT_DIGITS = {"smallint": 4, "integer": 9, "bigint": 18}
# Patterns of text that certainly casts (whole value, blanks around it allowed). A value they do not match
# may still cast: it takes the exact test. Dates: every day of every month but 29 February (leap years
# take the exact test); year 0000 does not exist.
_DATE = (
    r"(?!0000)\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)"
    r"|02-(0[1-9]|1\d|2[0-8]))"
)
# regular expressions of the hash spec (written through literal(): backslashes read the same on any server)
_CONTROLS = r"[\x01-\x1f\x7f]"


def _char_class(chars: str) -> str:
    """A bracket expression's body for ``chars``, as PostgreSQL regex escapes (``\\uXXXX``), runs as ranges."""
    points = sorted({ord(c) for c in chars})
    runs: list[list[int]] = []
    for point in points:
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in runs)


# A text made only of control characters and key blanks: an empty business key (generator.hashing.standardize)
_KEY_BLANK_ONLY = rf"^[\x01-\x1f\x7f{_char_class(HASH_KEY_BLANKS)}]*$"
_TRAILING_NULLS = r"(\|\\N)+$"
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?"
_ZONE = r"(Z|[+-](0\d|1[0-5])(:?[0-5]\d)?)"  # PostgreSQL refuses offsets beyond 15:59
_PATTERNS = {
    "date": _DATE,
    "time": _TIME,
    "timestamp": _DATE + r"([T ]" + _TIME + r"\s*" + _ZONE + "?)?",  # a zone is read and ignored
    "timestamptz": _DATE + r"([T ]" + _TIME + r"\s*" + _ZONE + "?)?",
    "float": r"[-+]?(\d{1,15}(\.\d{0,30})?|\.\d{1,30})",
    "boolean": r"(t|true|f|false|y|yes|n|no|on|off|1|0)",
    "uuid": r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})",
}


# Spellings PostgreSQL casts but a source value must not be: 'now', 'today', 'yesterday', 'tomorrow' read the
# clock of the cast (a rerun on another day would stage another value); 'epoch' is a word for 1970; an
# infinite time stays current for ever in an insert-only vault (every later correction would be stored
# back-dated) and NaN or an infinite number fails every comparison and sum downstream. Refused by family,
# wherever they stand as a word in the value, whatever their case and the blanks around them (PostgreSQL
# also casts 'today 10:00', 'tomorrow UTC', 'now +02' as a time, and a tab or line break before 'infinity').
_CLOCK = ("now", "today", "yesterday", "tomorrow", "epoch")
_INFINITE = ("infinity", "-infinity", "+infinity")
SPECIAL_VALUES: dict[str, tuple[str, ...]] = {
    "date": _CLOCK + _INFINITE,
    "timestamp": _CLOCK + _INFINITE,
    "timestamptz": _CLOCK + _INFINITE,
    "time": _CLOCK,  # a time with a clock word in it (PostgreSQL reads "10:00 today" as 10:00): not a source value
    "numeric": ("nan", "+nan", "-nan", *_INFINITE, "inf", "-inf", "+inf"),
    "float": ("nan", "+nan", "-nan", *_INFINITE, "inf", "-inf", "+inf"),
}


def special_pattern(words: Sequence[str]) -> str:
    """A case-insensitive regex finding any of ``words`` (signs dropped) as a word of a value: PostgreSQL casts
    'today 10:00', 'tomorrow UTC', 'now +02' (a time) and a tab before 'infinity' too."""
    bare = sorted({w.lstrip("+-") for w in words}, key=lambda w: (-len(w), w))
    return f"(^|[^a-z])({'|'.join(bare)})([^a-z]|$)"


def castable_pattern(dtype: DataType) -> str | None:
    """A regular expression that only values castable to ``dtype`` match, or ``None`` (exact test only)."""
    digits = _INT_DIGITS.get(dtype.sql)
    if digits is not None:
        body = rf"[-+]?\d{{1,{digits}}}"
    elif dtype.family == "numeric":
        match = re.fullmatch(r"numeric\((\d+)(?:,(\d+))?\)", dtype.sql)
        # numeric(p,s): at most p-s-1 integer digits can never overflow, even rounded up to scale s
        whole = 100 if match is None else int(match.group(1)) - int(match.group(2) or 0) - 1
        if whole < 1:
            return None
        body = rf"[-+]?(\d{{1,{whole}}}(\.\d{{0,100}})?|\.\d{{1,100}})"
    elif dtype.family == "uuid":  # uuid_in takes no blank around the value (the other types' inputs do)
        return rf"^{_PATTERNS['uuid'].replace('0-9a-f', '0-9a-fA-F')}$"
    else:
        found = _PATTERNS.get(dtype.family)
        if found is None:
            return None
        body = found
    return rf"^\s*{body}\s*$"


# Catalog (information_schema) names of types whose canonical spelling differs.
_CATALOG_NAMES = {
    "char": "character",
    "varchar": "character varying",
    "timestamptz": "timestamp with time zone",
    "timestamp": "timestamp without time zone",
    "time": "time without time zone",
}


class PostgresDialect(Dialect):
    name = "postgres"
    types = SqlTypes(
        timestamp="timestamptz",
        date="date",
        batch_id="bigint",
        row_number="bigint",
        load_seq="integer",
        text="text",
        boolean="boolean",
    )

    def hash_type(self, algorithm: str) -> str:
        return "uuid" if algorithm == "md5" else "bytea"

    def zero_key(self, algorithm: str) -> str:
        if algorithm == "md5":
            return "'00000000-0000-0000-0000-000000000000'::uuid"
        return self.literal("\\x" + "00" * HASH_BYTES[algorithm]) + "::bytea"

    def hash_expr(self, text_expr: str, algorithm: str) -> str:
        if algorithm == "md5":
            return f"md5({text_expr})::uuid"
        return f"sha256(convert_to({text_expr}, 'UTF8'))"

    def render_text(self, expr: str, dtype: DataType) -> str:
        family = dtype.family
        if family == "text":
            return f"{expr}::text"
        if family == "integer":
            return f"{expr}::text"
        if family == "numeric":
            return f"trim_scale({expr}::numeric)::text"
        if family == "float":
            # through float8: real::numeric keeps only 6 digits (1234567 and 1234568 collide)
            return f"trim_scale({expr}::float8::numeric)::text"
        if family == "boolean":
            return f"CASE WHEN {expr} THEN 'true' WHEN NOT {expr} THEN 'false' END"
        if family == "date":
            return f"to_char({expr}, 'YYYY-MM-DD')"
        if family == "time":
            return f"to_char({expr}, 'HH24:MI:SS.US')"
        if family == "timestamp":
            return f"to_char({expr}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
        if family == "timestamptz":
            return f"to_char({expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        if family == "uuid":
            return f"{expr}::text"
        if family == "json":
            return f"{expr}::jsonb::text"
        raise ValueError(f"no text rendering for {dtype}")

    def standardize_key(self, text_expr: str, case_sensitive: bool) -> str:
        cleaned = f"btrim({self._no_controls(text_expr)}, ' ')"
        if not case_sensitive:
            cleaned = f'upper({cleaned} COLLATE "C")'
        # NULL when nothing but control characters and blanks (U+0020, no-break, zero-width, ...: the key is
        # empty); any other key keeps exactly the text it had, its hash unchanged
        return f"CASE WHEN {text_expr} !~ {self.literal(_KEY_BLANK_ONLY)} THEN {cleaned} END"

    def standardize_value(self, text_expr: str, case_sensitive: bool) -> str:
        cleaned = self._no_controls(text_expr)
        return cleaned if case_sensitive else f'upper({cleaned} COLLATE "C")'

    def _no_controls(self, text_expr: str) -> str:
        return f"regexp_replace({text_expr}, {self.literal(_CONTROLS)}, '', 'g')"

    def escape_value(self, text_expr: str) -> str:
        d, b = HASH_DELIMITER, "\\"
        return f"replace(replace({text_expr}, {self.literal(b)}, {self.literal(b + b)}), '{d}', {self.literal(b + d)})"

    def strip_trailing_nulls(self, text_expr: str) -> str:
        return f"regexp_replace({text_expr}, {self.literal(_TRAILING_NULLS)}, '')"

    def concat(self, parts: Sequence[str]) -> str:
        return f" || '{HASH_DELIMITER}' || ".join(parts)

    def cast(self, expr: str, dtype: DataType) -> str:
        if dtype.sql == "text":
            return expr
        if dtype.family == "boolean":
            return f"btrim({expr})::boolean"
        return f"{expr}::{dtype.sql}"

    def is_castable(self, text_expr: str, dtype: DataType, exact: bool = True) -> str:
        """Whether a landed text casts to ``dtype``. A per-type pattern recognises the common spellings
        (ISO dates and times, plain numbers) at a few microseconds a value; only a value the pattern does
        not recognise takes the exact test (``dv_meta.is_castable``: a cast attempt, ~50 us on PostgreSQL
        before 16). Without ``exact``, only the checks a cast would not make itself (lengths, relative
        times): the fast stage statement lets a failing cast fail the statement instead."""
        if dtype.sql == "text":
            return "true"
        if dtype.length is not None:  # an explicit cast would silently truncate: check the length instead
            trimmed = f"rtrim({text_expr}, ' ')" if dtype.sql.startswith("char(") else text_expr
            return f"({text_expr} IS NULL OR char_length({trimmed}) <= {dtype.length})"
        relative = ""
        words = SPECIAL_VALUES.get(dtype.family)
        if words:
            relative = f"{text_expr} !~* {self.literal(special_pattern(words))}"
        if not exact:
            return f"({text_expr} IS NULL OR {relative})" if relative else "true"
        check = f"dv_meta.is_castable({text_expr}, {self.literal(dtype.sql)})"
        pattern = castable_pattern(dtype)
        if pattern is not None:
            operator = "~*" if dtype.family == "boolean" else "~"
            check = f"{text_expr} {operator} {self.literal(pattern)} OR {check}"
        if relative:
            return f"({text_expr} IS NULL OR (({check}) AND {relative}))"
        return f"({text_expr} IS NULL OR {check})"

    def ghost_value(self, dtype: DataType) -> str:
        if dtype.family in ("integer", "numeric", "float"):
            return f"0::{dtype.sql}"
        if dtype.family in ("date", "timestamp", "timestamptz"):
            return f"'-infinity'::{dtype.sql}"
        return f"''::{dtype.sql}"

    def current_batch_id(self) -> str:
        return self.as_type("current_setting('dv.batch_id')", self.types.batch_id)

    def since_batch_id(self) -> str:
        return self.as_type("current_setting('dv.since_batch')", self.types.batch_id)

    def utc_day(self, ts_expr: str) -> str:
        return self.as_type(f"({ts_expr} AT TIME ZONE 'UTC')", self.types.date)

    def end_of_days(self) -> str:
        return self.typed_literal("infinity", self.types.date)

    def day_series(self, first: str, last: str) -> str:
        return f"generate_series({first}, {last}, interval '1 day')"

    def midnight_after_utc(self, day_expr: str) -> str:
        return f"(({day_expr} + 1)::timestamp AT TIME ZONE 'UTC')"

    def next_moment(self, ts_expr: str) -> str:
        return f"{ts_expr} + interval '1 microsecond'"

    def drop_temp_table(self, name: str) -> str:
        return f"DROP TABLE IF EXISTS pg_temp.{name}"

    def create_temp_table_as(self, name: str, transaction: bool = False) -> str:
        return f"CREATE TEMPORARY TABLE {name}{' ON COMMIT DROP' if transaction else ''} AS"

    def analyze(self, table: str) -> str:
        return f"ANALYZE {table}"

    def any_of(self, expr: str, query: str) -> str:
        # = ANY of an array, not IN (query): PostgreSQL pushes the plain condition into a grouped query
        return f"{expr} = ANY (ARRAY({query}))"

    def fence(self) -> str:
        return "OFFSET 0"  # PostgreSQL never inlines a subquery with an OFFSET

    def on_conflict_update(self, columns: Sequence[str], column: str, alias: str) -> str:
        return (
            f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET {column} = EXCLUDED.{column}\n"
            f" WHERE {alias}.{column} IS DISTINCT FROM EXCLUDED.{column}"
        )

    def serialize_loads(self, target: str) -> str:
        return f"SELECT pg_advisory_xact_lock(hashtext({self.literal('dv.load.' + target)}))"

    def on_conflict_ignore(self, columns: Sequence[str]) -> str:
        return f"ON CONFLICT ({', '.join(columns)}) DO NOTHING"

    def row_to_json(self, alias: str, without: str) -> str:
        return f"to_jsonb({alias}) - {self.literal(without)}"

    def json_text(self, doc_expr: str, key: str) -> str:
        return f"{doc_expr} ->> {self.literal(key)}"

    def typed_null(self, type_name: str) -> str:
        return f"NULL::{type_name}"

    def end_of_time(self) -> str:
        return self.typed_literal("infinity", self.types.timestamp)

    def hash_hex(self, hash_expr: str, algorithm: str) -> str:
        if algorithm == "md5":  # uuid text is lower-case hex with dashes
            return f"replace({hash_expr}::text, '-', '')"
        return f"encode({hash_expr}, 'hex')"

    def ordered_text_agg(self, text_expr: str, order_expr: str) -> str:
        # uuid and bytea sort by their bytes (memcmp), whatever the collation
        return f"string_agg({text_expr}, '{HASH_DELIMITER}' ORDER BY {order_expr})"

    def hours_since(self, ts_expr: str) -> str:
        return f"extract(epoch FROM now() - ({ts_expr})) / 3600"

    def catalog_type(self, type_sql: str) -> dict[str, str | int]:
        # information_schema's spelling of the canonical types of generator/types.py (and bytea)
        match = re.fullmatch(r"(char|varchar|numeric)\((\d+)(?:,(\d+))?\)", type_sql)
        if match is None:
            return {"data_type": _CATALOG_NAMES.get(type_sql, type_sql)}
        base, first, second = match.groups()
        if base == "numeric":
            return {"data_type": "numeric", "numeric_precision": int(first), "numeric_scale": int(second or 0)}
        return {"data_type": _CATALOG_NAMES[base], "character_maximum_length": int(first)}
