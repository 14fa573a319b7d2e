"""Profiling of each batch's staged rows, and anomaly warnings against the batches before it.

The API (the pipeline calls both after a batch's stage steps; ``dv profile --batch B`` too)::

    profile_batch(conn, project, batch_id) -> list[ColumnProfile]
    detect_anomalies(conn, project, batch_id, window=10, width=3.0, relative=None, min_history=3)
        -> list[Anomaly]

``profile_batch`` profiles every source column of every source the batch staged, from the stage
table (``staging.<source>_stage``, the batch's rows only): rows, NULLs and their share, distinct
values, min and max (typed comparison, stored as text), the 5 most frequent values with their
counts, and every value with its count when the batch has at most ``LOW_CARDINALITY`` of them.
One ``INSERT … SELECT`` per source computes every column at once (a ``LATERAL VALUES`` unpivot for
the frequencies, one aggregate row for the typed min and max): no query per column. A rerun
replaces the batch's profile of that source.

``detect_anomalies`` compares the batch's profile with the last ``window`` batches that profiled the
same source, and stores a warning in ``dv_meta.anomaly`` (replacing the batch's earlier ones) for

- ``row_count``, ``null_share``, ``distinct_count`` outside the band ``mean ± width·σ`` (population
  σ of the window), or ``mean·(1 ± relative)`` when ``relative`` is given; a band is never narrower
  than ``MIN_RELATIVE_BAND`` of the mean (counts) or ``MIN_NULL_SHARE_BAND`` (null share), so a
  window of equal values does not flag the smallest wobble; the band's bounds are rounded to the
  metric's precision (whole rows and values, a null share to 6 decimals, as stored and shown) and a
  value on a bound is inside; a key-like column (every value distinct, in the batch and in the window)
  has no distinct-count warning of its own: its row count has one;
- ``new_value``: a value the window never had, in a categorical column: at most ``LOW_CARDINALITY``
  distinct values over the window, which recur (in more than one batch, and the window has at least
  twice as many non-NULL rows as values: a high-cardinality column has new values all the time), not
  free text (half its values or more have a space: titles, names); never
  in an identifier column (``identifier_columns``: the source's business keys, every column of a hash
  key, its sequence, event keys, columns named ``id``, ``*_id``, ``*_key``, ``*_ref``, ``*_uuid``: a
  new key is a new entity, not an anomaly), nor in a date, time or decimal column (a new day, moment
  or amount is no new category); the batch's values are its ``value_counts`` (or its top 5 when it
  has more than ``LOW_CARDINALITY`` values).

Nothing is judged before ``min_history`` earlier batches profiled the source. The anomalies are
also logged (warnings) and, when there are any, raised as one alert of kind ``anomaly``
(``dv_meta.alert``, and the webhook when one is configured). They are warnings: a batch with
anomalies loads and passes its quality gate.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

import psycopg2.extensions
from psycopg2.extras import execute_values

from generator.constants import SCHEMA_META
from generator.errors import WarehouseError
from generator.manifest_model import Manifest, NhlNode, SourceNode
from generator.types import parse_type
from pipelines.alerts import raise_alert
from pipelines.db import transaction
from pipelines.project import Project
from pipelines.warehouse import staged_sources

log = logging.getLogger("dv.profile")

Conn: TypeAlias = psycopg2.extensions.connection

TOP_VALUES = 5  # most frequent values kept per column and batch
LOW_CARDINALITY = 20  # at most this many distinct values: every value is kept (value_counts), new ones are flagged
VALUE_CHARS = 200  # values are cut to this many characters (min, max, top_values, value_counts)
SAMPLE_ROWS = 100_000  # a source's batch with more rows: frequencies from every k-th row (about this many)
DEFAULT_WINDOW = 10  # batches before this one that make the baseline
DEFAULT_WIDTH = 3.0  # band: mean ± width·σ
DEFAULT_MIN_HISTORY = 3  # fewer earlier batches: nothing is judged
MIN_RELATIVE_BAND = 0.1  # a count's band is at least mean ± 10%, and ± 1
NEAR_UNIQUE = 0.95  # a column whose distinct values are >= 95% of its non-NULL rows is key-like
MIN_NULL_SHARE_BAND = 0.01  # a null share's band is at least ± 1 percentage point

# type families whose min and max compare as the type does; others compare as text (jsonb, uuid) or as
# false < true (boolean, which has no min/max aggregate)
_ORDERED = {"text", "integer", "numeric", "float", "date", "time", "timestamp", "timestamptz"}


@dataclass(frozen=True)
class ColumnProfile:
    """One column of one source in one batch."""

    batch_id: int
    source: str
    column: str
    data_type: str
    row_count: int
    null_count: int
    null_share: float | None  # None when the batch staged no row
    distinct_count: int
    min_value: str | None
    max_value: str | None
    top_values: list[dict[str, Any]]  # [{"value": text, "count": n}], most frequent first
    sample_rows: int = 0  # rows the frequencies read (row_count: every row; fewer: a sample, counts estimated)


@dataclass(frozen=True)
class Anomaly:
    """A batch that departs from the recent ones."""

    batch_id: int
    source: str
    column: str | None  # None: the source's row count
    metric: str  # row_count | null_share | distinct_count | new_value
    observed: str  # the batch's value (a number as text), or the new value itself
    low: float | None  # the band (None for new_value)
    high: float | None
    baseline: int  # batches in the window
    message: str

    def __str__(self) -> str:
        return self.message


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sample_step(rows_staged: int, sample_rows: int = SAMPLE_ROWS) -> int:
    """One staged row in how many the frequencies read: 1 (every row) up to ``sample_rows`` rows, else
    enough to read about ``sample_rows`` of them."""
    return max(1, -(-rows_staged // sample_rows)) if sample_rows > 0 else 1


def _sampled(row_no: str) -> str:
    """Whether a staged row is in the sample: one in ``%(step)s`` by a hash of its row number."""
    return f"(hashint8({row_no}) & 2147483647) %% %(step)s = 0"


def profile_sql(node: SourceNode) -> str:
    """The one statement that profiles a source's stage rows of batch ``%(batch_id)s`` into
    ``dv_meta.profile``: every column at once (set-based; no query per column), one row per column.

    Exact over every row of the batch (one aggregate pass on the stage table's primary key
    ``(batch_id, dv_row_no)``): rows, NULLs, typed min and max. Over one row in ``%(step)s`` (chosen
    by a hash of ``dv_row_no``: deterministic, and blind to a period in the landing order; every row
    when ``step`` is 1): the frequencies, hence the distinct count (an
    estimate scaled up from the sample when sampled: Haas and Stokes' Duj1, as ANALYZE does), the top
    values and the value counts (their counts scaled to the batch). Every aggregate into ``jsonb``
    is bounded (``TOP_VALUES`` items, or ``LOW_CARDINALITY`` for the value counts)."""
    columns = node.columns
    stage = node.qualified
    aggregates = ["count(*) AS row_count", f"count(*) FILTER (WHERE {_sampled('dv_row_no')}) AS sample_rows"]
    unpivot = []
    per_column = []
    for i, column in enumerate(columns, start=1):
        name = _ident(column.name)
        dtype = parse_type(column.type)
        family = dtype.family if dtype is not None else "text"
        if family in _ORDERED:
            low, high = f"min({name})::text", f"max({name})::text"
        elif family == "boolean":
            low, high = f"bool_and({name})::text", f"bool_or({name})::text"
        else:
            low, high = f"min({name}::text)", f"max({name}::text)"
        aggregates.append(
            f"count({name}) AS n_{i}, left({low}, {VALUE_CHARS}) AS min_{i}, left({high}, {VALUE_CHARS}) AS max_{i}"
        )
        unpivot.append(f"({_literal(column.name)}, s.{name}::text)")
        per_column.append(f"({_literal(column.name)}, {i}, {_literal(column.type)}, t.n_{i}, t.min_{i}, t.max_{i})")
    newline = ",\n            "
    item = f"jsonb_build_object('value', left(r.value, {VALUE_CHARS}), 'count', round(r.n * r.scale))"
    return f"""-- profile of source {node.name}: the rows the batch staged in {stage}, every column at once
WITH totals AS (  -- one row, every staged row of the batch: the row count, the sample's size, and per
                  -- column the non-NULL count and the typed min and max
    SELECT {newline.join(aggregates)}
    FROM {stage}
    WHERE batch_id = %(batch_id)s
),
frequencies AS (  -- one row per column and distinct value of the sample (one row in %(step)s)
    SELECT v.column_name, v.value, count(*) AS n
    FROM {stage} AS s
    CROSS JOIN LATERAL (VALUES
            {newline.join(unpivot)}
    ) AS v (column_name, value)
    WHERE s.batch_id = %(batch_id)s AND {_sampled("s.dv_row_no")}
      AND v.value IS NOT NULL
    GROUP BY v.column_name, v.value
),
columns AS (
    SELECT c.*
    FROM totals AS t
    CROSS JOIN LATERAL (VALUES
            {newline.join(per_column)}
    ) AS c (column_name, ordinal, data_type, non_null, min_value, max_value)
),
ranked AS (
    SELECT f.column_name, f.value, f.n,
           c.non_null::numeric / sum(f.n) OVER (PARTITION BY f.column_name) AS scale,
           row_number() OVER (PARTITION BY f.column_name ORDER BY f.n DESC, f.value) AS rank,
           count(*) OVER (PARTITION BY f.column_name) AS sample_distinct
    FROM frequencies AS f
    JOIN columns AS c ON c.column_name = f.column_name
),
values_per_column AS (  -- bounded: at most {TOP_VALUES} top values, {LOW_CARDINALITY} value counts per column
    SELECT r.column_name, count(*) AS sample_distinct, count(*) FILTER (WHERE r.n = 1) AS singletons,
           sum(r.n) AS sample_non_null,
           jsonb_agg({item} ORDER BY r.rank) FILTER (WHERE r.rank <= {TOP_VALUES}) AS top_values,
           jsonb_agg({item} ORDER BY r.rank) FILTER (WHERE r.sample_distinct <= {LOW_CARDINALITY}) AS value_counts
    FROM ranked AS r
    GROUP BY r.column_name
)
INSERT INTO {SCHEMA_META}.profile (batch_id, source, column_name, ordinal, data_type, row_count, null_count,
                                   null_share, distinct_count, min_value, max_value, top_values, value_counts,
                                   sample_rows)
SELECT %(batch_id)s, %(source)s, c.column_name, c.ordinal, c.data_type, t.row_count, t.row_count - c.non_null,
       CASE WHEN t.row_count > 0 THEN round((t.row_count - c.non_null)::numeric / t.row_count, 6) END,
       CASE WHEN p.sample_non_null IS NULL THEN 0
            WHEN p.sample_non_null >= c.non_null THEN p.sample_distinct
            ELSE least(c.non_null, greatest(p.sample_distinct, round(  -- Duj1: n·d / (n - f1 + f1·n/N)
                 p.sample_non_null * p.sample_distinct
                 / (p.sample_non_null - p.singletons + p.singletons * p.sample_non_null::numeric / c.non_null))))
       END,
       c.min_value, c.max_value, COALESCE(p.top_values, '[]'::jsonb),
       CASE WHEN t.row_count = 0 THEN '[]'::jsonb ELSE p.value_counts END,
       t.sample_rows
FROM totals AS t
CROSS JOIN columns AS c
LEFT JOIN values_per_column AS p ON p.column_name = c.column_name
ORDER BY c.ordinal
RETURNING column_name, data_type, row_count, null_count, null_share, distinct_count, min_value, max_value,
          top_values, sample_rows"""


def profile_batch(
    conn: Conn,
    project: Project,
    batch_id: int,
    sources: Sequence[str] | None = None,
    sample_rows: int = SAMPLE_ROWS,
) -> list[ColumnProfile]:
    """Profile every source the batch staged (or the named ones) into ``dv_meta.profile``, in one
    transaction; a source profiled before for the batch is profiled again (its rows replaced).
    A source whose batch staged more than ``sample_rows`` rows has its frequencies read from a sample
    of about that many rows (0: never sample)."""
    with transaction(conn) as cur:
        cur.execute(f"SELECT source, rows_staged FROM {SCHEMA_META}.batch_source WHERE batch_id = %s", (batch_id,))
        staged = {row[0]: int(row[1]) for row in cur.fetchall()}
        if not staged:
            cur.execute(f"SELECT 1 FROM {SCHEMA_META}.batch WHERE batch_id = %s", (batch_id,))
            if cur.fetchone() is None:
                raise WarehouseError(f"batch {batch_id} does not exist\n    hint: dv status lists the batches")
        profiles: list[ColumnProfile] = []
        for node in staged_sources(project):
            name = node.name
            if name not in staged or (sources is not None and name not in sources):
                continue
            cur.execute(f"DELETE FROM {SCHEMA_META}.profile WHERE batch_id = %s AND source = %s", (batch_id, name))
            step = sample_step(staged[name], sample_rows)
            cur.execute(profile_sql(node), {"batch_id": batch_id, "source": name, "step": step})
            for column, dtype, rows, nulls, share, distinct, low, high, top, sampled in cur.fetchall():
                profiles.append(
                    ColumnProfile(
                        batch_id,
                        name,
                        column,
                        dtype,
                        int(rows),
                        int(nulls),
                        None if share is None else float(share),
                        int(distinct),
                        low,
                        high,
                        list(top),
                        int(sampled),
                    )
                )
    return profiles


# --- anomalies ------------------------------------------------------------------------------------------

ANOMALY_SQL = f"""
WITH batch_profile AS (
    SELECT * FROM {SCHEMA_META}.profile WHERE batch_id = %(batch_id)s
),
window_batches AS (  -- per source, the last %(window)s batches before this one that profiled it
    SELECT w.source, w.batch_id
    FROM (SELECT s.source, s.batch_id,
                 row_number() OVER (PARTITION BY s.source ORDER BY s.batch_id DESC) AS recency
          FROM (SELECT DISTINCT p.source, p.batch_id
                FROM {SCHEMA_META}.profile AS p
                WHERE p.batch_id < %(batch_id)s
                  AND p.source IN (SELECT source FROM batch_profile)) AS s) AS w
    WHERE w.recency <= %(window)s
),
history AS (
    SELECT p.*
    FROM {SCHEMA_META}.profile AS p
    JOIN window_batches AS w ON w.source = p.source AND w.batch_id = p.batch_id
),
stats AS (
    SELECT h.source, h.column_name, count(*) AS batches,
           avg(h.row_count) AS rows_mean, stddev_pop(h.row_count) AS rows_sd,
           avg(h.null_share) AS nulls_mean, stddev_pop(h.null_share) AS nulls_sd,
           avg(h.distinct_count) AS distinct_mean, stddev_pop(h.distinct_count) AS distinct_sd,
           bool_and(h.distinct_count >= {NEAR_UNIQUE} * (h.row_count - h.null_count)) AS key_like,
           bool_and(h.value_counts IS NOT NULL) AS every_value_known,
           sum(h.distinct_count) AS distinct_sum, sum(h.row_count - h.null_count) AS non_null_sum
    FROM history AS h
    GROUP BY h.source, h.column_name
),
history_values AS (
    SELECT DISTINCT h.source, h.column_name, e.item ->> 'value' AS value
    FROM history AS h
    CROSS JOIN LATERAL jsonb_array_elements(h.value_counts) AS e (item)
),
categorical AS (  -- few distinct values over the window, which recur from batch to batch and row to row;
                  -- never an identifier column (identifier_columns)
    SELECT s.source, s.column_name
    FROM stats AS s
    JOIN (SELECT source, column_name, count(*) AS n, count(*) FILTER (WHERE value ~ '[[:space:]]') AS spaced
          FROM history_values GROUP BY source, column_name) AS v
      ON v.source = s.source AND v.column_name = s.column_name
    WHERE s.batches >= %(min_history)s AND s.every_value_known
      AND v.n <= {LOW_CARDINALITY} AND v.n < s.distinct_sum AND 2 * v.n <= s.non_null_sum
      AND 2 * v.spaced < v.n  -- free text: most values are words with spaces (titles, names), no categories
      AND (s.source, s.column_name) NOT IN (SELECT * FROM unnest(%(id_sources)s::text[], %(id_columns)s::text[]))
),
measures AS (  -- the batch's value of each metric with the window's mean and spread
    SELECT b.source, NULL::text AS column_name, 'row_count' AS metric, b.row_count::numeric AS observed,
           s.rows_mean AS mean, s.rows_sd AS sd, s.batches,
           greatest(%(min_relative)s * abs(s.rows_mean), 1) AS floor, 0 AS digits  -- the bounds' precision
    FROM batch_profile AS b
    JOIN stats AS s ON s.source = b.source AND s.column_name = b.column_name
    WHERE b.ordinal = 1
    UNION ALL
    SELECT b.source, b.column_name, 'null_share', b.null_share, s.nulls_mean, s.nulls_sd, s.batches,
           %(min_null_share)s, 6
    FROM batch_profile AS b
    JOIN stats AS s ON s.source = b.source AND s.column_name = b.column_name
    WHERE b.null_share IS NOT NULL AND s.nulls_mean IS NOT NULL
    UNION ALL
    SELECT b.source, b.column_name, 'distinct_count', b.distinct_count, s.distinct_mean, s.distinct_sd, s.batches,
           greatest(%(min_relative)s * abs(s.distinct_mean), 1), 0
    FROM batch_profile AS b
    JOIN stats AS s ON s.source = b.source AND s.column_name = b.column_name
    WHERE NOT (s.key_like AND b.distinct_count >= {NEAR_UNIQUE} * (b.row_count - b.null_count))
),
half_widths AS (
    SELECT m.*,
           greatest(CASE WHEN %(relative)s::numeric IS NULL THEN %(width)s * COALESCE(m.sd, 0)
                         ELSE %(relative)s::numeric * abs(m.mean) END,
                    m.floor) AS half_width
    FROM measures AS m
    WHERE m.batches >= %(min_history)s
),
bands AS (  -- the bounds at the metric's precision, as shown: 285 is on a bound of 285.00000000000000003
    SELECT h.*, round(h.mean - h.half_width, h.digits) AS low, round(h.mean + h.half_width, h.digits) AS high
    FROM half_widths AS h
),
outside AS (  -- a value on a bound is inside
    SELECT * FROM bands WHERE observed < low OR observed > high
)
SELECT o.source, o.column_name, o.metric, o.observed::text, o.low, o.high, o.batches
FROM outside AS o
WHERE NOT (o.metric = 'distinct_count'  -- a distinct count that moves with an anomalous row count: said once
           AND EXISTS (SELECT 1 FROM outside AS r
                       WHERE r.source = o.source AND r.metric = 'row_count'
                         AND sign(r.observed - r.mean) = sign(o.observed - o.mean)))
UNION ALL
SELECT b.source, b.column_name, 'new_value', e.item ->> 'value', NULL, NULL, s.batches
FROM batch_profile AS b
JOIN categorical AS c ON c.source = b.source AND c.column_name = b.column_name
JOIN stats AS s ON s.source = b.source AND s.column_name = b.column_name
CROSS JOIN LATERAL jsonb_array_elements(COALESCE(b.value_counts, b.top_values)) AS e (item)
WHERE b.data_type !~ '^(date|time)'  -- a new day or moment is no new category
  AND NOT EXISTS (SELECT 1 FROM history_values AS v
                  WHERE v.source = b.source AND v.column_name = b.column_name AND v.value = e.item ->> 'value')
ORDER BY 1, 2 NULLS FIRST, 3, 4
"""


IDENTIFIER_NAME = re.compile(r"(.*_)?(id|key|ref|uuid)", re.IGNORECASE)  # id, customer_id, event_key, user_ref …
_MEASURES = {"numeric", "float", "date", "time", "timestamp", "timestamptz"}  # amounts and moments: no categories


def identifier_columns(manifest: Manifest) -> set[tuple[str, str]]:
    """The (source, column) pairs where a new value is no anomaly: identifiers (the source's business keys,
    the columns of every hash key it computes, its sequence, the event keys of a non-historized link it
    feeds, a column named ``id``, ``*_id``, ``*_key``, ``*_ref`` or ``*_uuid``) and measures (decimal,
    date and time columns)."""
    found: set[tuple[str, str]] = set()
    for node in manifest.of_type(SourceNode):
        named = set(node.business_keys) | {node.sequence or ""}
        named |= {part.column for h in node.hash_columns if h.kind == "key" for part in h.parts}
        for column in node.columns:
            dtype = parse_type(column.type)
            measure = dtype is not None and dtype.family in _MEASURES
            if column.name in named or IDENTIFIER_NAME.fullmatch(column.name) or measure:
                found.add((node.name, column.name))
    for nhl in manifest.of_type(NhlNode):
        found |= {(feed.source, column) for feed in nhl.feeds for column in feed.event_key_columns}
    return found


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def _describe(batch_id: int, source: str, column: str | None, metric: str, observed: str, low: float | None,
              high: float | None, baseline: int) -> str:  # fmt: skip
    where = f"{source}.{column}" if column else source
    if metric == "new_value":
        return f"batch {batch_id}: {where} has a new value {observed!r} (not in the last {baseline} batches)"
    label = {"row_count": "row count", "null_share": "null share", "distinct_count": "distinct count"}[metric]
    assert low is not None and high is not None
    shown, lo, hi = (_shown(float(x), metric) for x in (observed, max(low, 0), high))
    return f"batch {batch_id}: {where} {label} {shown} outside [{lo}, {hi}] (the last {baseline} batches)"


def _shown(value: float, metric: str) -> str:
    """A metric's value as the band compares it: whole numbers of rows and values, a share to 6 decimals."""
    return f"{value:.6f}".rstrip("0").rstrip(".") if metric == "null_share" else f"{value:.0f}"


def detect_anomalies(
    conn: Conn,
    project: Project,
    batch_id: int,
    window: int = DEFAULT_WINDOW,
    width: float = DEFAULT_WIDTH,
    relative: float | None = None,
    min_history: int = DEFAULT_MIN_HISTORY,
    alert: bool = True,
) -> list[Anomaly]:
    """Compare the batch's profile (``profile_batch`` first) with the last ``window`` batches of each
    source; store the anomalies in ``dv_meta.anomaly`` (replacing the batch's earlier ones), log them,
    raise one ``anomaly`` alert when there are any (``alert=False``: none), and return them."""
    if window < 1 or width <= 0 or (relative is not None and relative <= 0) or min_history < 1:
        raise WarehouseError(
            f"anomaly settings out of range: window {window}, width {width}, relative {relative}, "
            f"min_history {min_history}\n    hint: window >= 1, width > 0, relative > 0, min_history >= 1"
        )
    identifiers = sorted(identifier_columns(project.manifest))
    params = {
        "id_sources": [source for source, _ in identifiers],
        "id_columns": [column for _, column in identifiers],
        "batch_id": batch_id,
        "window": window,
        "width": width,
        "relative": relative,
        "min_history": min_history,
        "min_relative": MIN_RELATIVE_BAND,
        "min_null_share": MIN_NULL_SHARE_BAND,
    }
    anomalies: list[Anomaly] = []
    with transaction(conn) as cur:
        cur.execute(ANOMALY_SQL, params)
        for source, column, metric, observed, low, high, baseline in cur.fetchall():
            lo, hi = _number(low), _number(high)
            message = _describe(batch_id, source, column, metric, observed, lo, hi, int(baseline))
            anomalies.append(Anomaly(batch_id, source, column, metric, observed, lo, hi, int(baseline), message))
        cur.execute(f"DELETE FROM {SCHEMA_META}.anomaly WHERE batch_id = %s", (batch_id,))
        execute_values(
            cur,
            f"INSERT INTO {SCHEMA_META}.anomaly (batch_id, source, column_name, metric, observed, expected_low,"
            " expected_high, baseline_batches, message) VALUES %s",
            [
                (a.batch_id, a.source, a.column, a.metric, a.observed, a.low, a.high, a.baseline, a.message)
                for a in anomalies
            ],
        )
        for a in anomalies:
            log.warning("anomaly: %s", a.message)
        if anomalies and alert:
            shown = "; ".join(a.message for a in anomalies[:5])
            more = f" (and {len(anomalies) - 5} more)" if len(anomalies) > 5 else ""
            raise_alert(cur, "anomaly", f"batch {batch_id}", f"{len(anomalies)} anomalies: {shown}{more}", batch_id)
    return anomalies
