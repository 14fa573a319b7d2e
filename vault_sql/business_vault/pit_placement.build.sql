-- generated from model/business_vault/pit.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- PIT pit_placement of hub placement: for each day and each key known by then, the version of each satellite
-- current as the warehouse knew it at the end of the day (the ghost record's key when there was none yet).
-- Stored where something changed: business_vault.pit_placement_changes holds a row per key and day one of its
-- versions changed (valid_from .. valid_to, the end exclusive); business_vault.pit_placement_calendar the snapshot
-- days;
-- the view business_vault.pit_placement gives every (day, key).
-- build: the storage, the view, then every key
DROP VIEW IF EXISTS business_vault.pit_placement CASCADE;
DROP TABLE IF EXISTS business_vault.pit_placement_changes CASCADE;
DROP TABLE IF EXISTS business_vault.pit_placement_calendar CASCADE;
CREATE TABLE business_vault.pit_placement_calendar (
    snapshot_date date PRIMARY KEY,
    snapshot_dts timestamptz NOT NULL
);
COMMENT ON TABLE business_vault.pit_placement_calendar IS
    'The snapshot days of business_vault.pit_placement and the moment of each: midnight after the day, or the refreshed batchs load + 1 microsecond for its own day';
CREATE TABLE business_vault.pit_placement_changes (
    valid_from date NOT NULL,
    valid_to date NOT NULL,
    hk_placement uuid NOT NULL,
    placement_terms_hk uuid NOT NULL,
    placement_terms_load_dts timestamptz NOT NULL,
    placement_terms_load_seq integer NOT NULL,
    placement_status_hk uuid NOT NULL,
    placement_status_load_dts timestamptz NOT NULL,
    placement_status_load_seq integer NOT NULL,
    PRIMARY KEY (hk_placement, valid_from)
);
COMMENT ON TABLE business_vault.pit_placement_changes IS
    'The rows of business_vault.pit_placement stored where something changed: a row per key and day one of its satellite versions changed, standing from valid_from to valid_to (exclusive; infinity while current)';
CREATE VIEW business_vault.pit_placement AS
SELECT c.snapshot_date, c.snapshot_dts, p.hk_placement, p.placement_terms_hk, p.placement_terms_load_dts,
    p.placement_terms_load_seq, p.placement_status_hk, p.placement_status_load_dts, p.placement_status_load_seq
FROM business_vault.pit_placement_calendar AS c
JOIN business_vault.pit_placement_changes AS p
  ON p.valid_from <= c.snapshot_date
 AND c.snapshot_date < p.valid_to;
COMMENT ON VIEW business_vault.pit_placement IS
    'Daily snapshots of each placement''s terms and status as the warehouse knew them at the end of each day. [dv:2f68f3184cb833ce]';
CREATE TEMPORARY TABLE dv_pit_window AS
WITH upto AS (
    SELECT load_dts FROM dv_meta.batch WHERE batch_id = current_setting('dv.batch_id')::bigint
)
SELECT
greatest((SELECT (min(load_dts) AT TIME ZONE 'UTC')::date FROM dv_meta.batch WHERE status = 'succeeded'),
        -- keep_days: no snapshot older than 400 days before the latest
        (upto.load_dts AT TIME ZONE 'UTC')::date - 399) AS first_day,
    (upto.load_dts AT TIME ZONE 'UTC')::date AS last_day,
    upto.load_dts AS upto,
    (SELECT min(snapshot_date) FROM business_vault.pit_placement_calendar) AS kept_first_day,
    (SELECT max(snapshot_dts) FROM business_vault.pit_placement_calendar) AS kept_dts
FROM upto;
-- the calendar: only the days that differ change (a refresh with nothing new on the same day changes nothing
-- but the last day's moment)
DELETE FROM business_vault.pit_placement_calendar
 WHERE snapshot_date < (SELECT first_day FROM dv_pit_window)
    OR snapshot_date > (SELECT last_day FROM dv_pit_window);
INSERT INTO business_vault.pit_placement_calendar AS c (snapshot_date, snapshot_dts)
SELECT d::date, least(((d::date + 1)::timestamp AT TIME ZONE 'UTC'), w.upto + interval '1 microsecond')
FROM dv_pit_window AS w, generate_series(w.first_day, w.last_day, interval '1 day') AS d
ON CONFLICT (snapshot_date) DO UPDATE SET snapshot_dts = EXCLUDED.snapshot_dts
 WHERE c.snapshot_dts IS DISTINCT FROM EXCLUDED.snapshot_dts;
INSERT INTO business_vault.pit_placement_changes (
    valid_from, valid_to, hk_placement, placement_terms_hk, placement_terms_load_dts, placement_terms_load_seq,
    placement_status_hk, placement_status_load_dts, placement_status_load_seq
)
-- A version stands on the days from its load_dts's day up to (not including) its load_end_dts's day (UTC): the
-- days whose snapshot moment (midnight after the day; the refreshed batch's load + 1 µs for its own day) lies in
-- (load_dts, load_end_dts]. A late version (empty load range) and one superseded on its own day stand on none.
WITH w AS (SELECT * FROM dv_pit_window),
hub AS (
    SELECT h.hk_placement AS hk, (h.load_dts AT TIME ZONE 'UTC')::date AS first_day
    FROM raw_vault.hub_placement AS h, w
    WHERE h.record_source <> 'SYSTEM.GHOST'
      AND h.load_dts <= w.upto
),
s1 AS (
    SELECT v.hk_placement AS hk, v.load_dts, v.load_seq,
           (v.load_dts AT TIME ZONE 'UTC')::date AS from_day,
           CASE WHEN v.load_end_dts > w.upto THEN 'infinity'::date
                ELSE (v.load_end_dts AT TIME ZONE 'UTC')::date END AS to_day
    FROM raw_vault.sat_placement_terms_hist AS v, w
    WHERE v.record_source <> 'SYSTEM.GHOST'
      AND v.load_dts <= w.upto
),
s2 AS (
    SELECT v.hk_placement AS hk, v.load_dts, v.load_seq,
           (v.load_dts AT TIME ZONE 'UTC')::date AS from_day,
           CASE WHEN v.load_end_dts > w.upto THEN 'infinity'::date
                ELSE (v.load_end_dts AT TIME ZONE 'UTC')::date END AS to_day
    FROM raw_vault.sat_placement_status_hist AS v, w
    WHERE v.record_source <> 'SYSTEM.GHOST'
      AND v.load_dts <= w.upto
),
-- the days a key's versions change: the day it became known, and the first day of each version after it
point AS (
    SELECT hk, first_day AS day FROM hub
    UNION
    SELECT s.hk, greatest(s.from_day, hub.first_day)
    FROM s1 AS s JOIN hub ON hub.hk = s.hk
    WHERE s.from_day < s.to_day AND s.to_day > hub.first_day
    UNION
    SELECT s.hk, greatest(s.from_day, hub.first_day)
    FROM s2 AS s JOIN hub ON hub.hk = s.hk
    WHERE s.from_day < s.to_day AND s.to_day > hub.first_day
),
span AS (
    SELECT hk, day AS valid_from,
           COALESCE(lead(day) OVER (PARTITION BY hk ORDER BY day), 'infinity'::date) AS valid_to
    FROM point
)
SELECT
    p.valid_from,
    p.valid_to,
    p.hk,
    COALESCE(s1.hk, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(s1.load_dts, '0001-01-01 00:00:00+00'::timestamptz),
    COALESCE(s1.load_seq, 0),
    COALESCE(s2.hk, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(s2.load_dts, '0001-01-01 00:00:00+00'::timestamptz),
    COALESCE(s2.load_seq, 0)
FROM span AS p
LEFT JOIN s1
  ON s1.hk = p.hk
 AND s1.from_day <= p.valid_from
 AND p.valid_from < s1.to_day
LEFT JOIN s2
  ON s2.hk = p.hk
 AND s2.from_day <= p.valid_from
 AND p.valid_from < s2.to_day
-- retention: spans that end before the first snapshot day kept are not stored
WHERE p.valid_to > (SELECT first_day FROM dv_pit_window);
DROP TABLE dv_pit_window;
