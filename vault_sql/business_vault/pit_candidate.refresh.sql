-- generated from model/business_vault/pit.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- PIT pit_candidate of hub candidate: for each day and each key known by then, the version of each satellite
-- current as the warehouse knew it at the end of the day (the ghost record's key when there was none yet).
-- Stored where something changed: business_vault.pit_candidate_changes holds a row per key and day one of its
-- versions changed (valid_from .. valid_to, the end exclusive); business_vault.pit_candidate_calendar the snapshot
-- days;
-- the view business_vault.pit_candidate gives every (day, key).
-- refresh: the calendar, and the keys whose hub or satellite rows were loaded since the last refresh
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
    (SELECT min(snapshot_date) FROM business_vault.pit_candidate_calendar) AS kept_first_day,
    (SELECT max(snapshot_dts) FROM business_vault.pit_candidate_calendar) AS kept_dts
FROM upto;
-- the calendar: only the days that differ change (a refresh with nothing new on the same day changes nothing
-- but the last day's moment)
DELETE FROM business_vault.pit_candidate_calendar
 WHERE snapshot_date < (SELECT first_day FROM dv_pit_window)
    OR snapshot_date > (SELECT last_day FROM dv_pit_window);
INSERT INTO business_vault.pit_candidate_calendar AS c (snapshot_date, snapshot_dts)
SELECT d::date, least(((d::date + 1)::timestamp AT TIME ZONE 'UTC'), w.upto + interval '1 microsecond')
FROM dv_pit_window AS w, generate_series(w.first_day, w.last_day, interval '1 day') AS d
ON CONFLICT (snapshot_date) DO UPDATE SET snapshot_dts = EXCLUDED.snapshot_dts
 WHERE c.snapshot_dts IS DISTINCT FROM EXCLUDED.snapshot_dts;
-- the keys the hub or a satellite got rows for since the last refresh (by batch, or loaded after the last
-- snapshot's moment); a table without rows loaded since (dv_meta.load_log) is not read at all
CREATE TEMPORARY TABLE dv_changed_keys AS
SELECT hk_candidate AS hk FROM raw_vault.hub_candidate, dv_pit_window AS w
WHERE (batch_id > current_setting('dv.since_batch')::bigint OR load_dts >= w.kept_dts)
  AND EXISTS (SELECT 1 FROM dv_meta.load_log AS g
         WHERE g.target = 'hub.candidate' AND g.rows_inserted > 0
           AND g.batch_id > current_setting('dv.since_batch')::bigint)
UNION
SELECT hk_candidate FROM raw_vault.sat_candidate_profile, dv_pit_window AS w
WHERE (batch_id > current_setting('dv.since_batch')::bigint OR load_dts >= w.kept_dts)
  AND EXISTS (SELECT 1 FROM dv_meta.load_log AS g
         WHERE g.target = 'sat.candidate_profile' AND g.rows_inserted > 0
           AND g.batch_id > current_setting('dv.since_batch')::bigint)
UNION
SELECT hk_candidate FROM raw_vault.msat_candidate_languages, dv_pit_window AS w
WHERE (batch_id > current_setting('dv.since_batch')::bigint OR load_dts >= w.kept_dts)
  AND EXISTS (SELECT 1 FROM dv_meta.load_log AS g
         WHERE g.target = 'msat.candidate_languages' AND g.rows_inserted > 0
           AND g.batch_id > current_setting('dv.since_batch')::bigint)
UNION
SELECT hk_candidate FROM raw_vault.msat_candidate_skills, dv_pit_window AS w
WHERE (batch_id > current_setting('dv.since_batch')::bigint OR load_dts >= w.kept_dts)
  AND EXISTS (SELECT 1 FROM dv_meta.load_log AS g
         WHERE g.target = 'msat.candidate_skills' AND g.rows_inserted > 0
           AND g.batch_id > current_setting('dv.since_batch')::bigint)
;
ANALYZE dv_changed_keys;
-- a changed key's rows are computed again from its whole history (the same rows a build gives it)
DELETE FROM business_vault.pit_candidate_changes AS p
 USING dv_changed_keys AS k
 WHERE p.hk_candidate = k.hk;
INSERT INTO business_vault.pit_candidate_changes (
    valid_from, valid_to, hk_candidate, candidate_profile_hk, candidate_profile_load_dts, candidate_profile_load_seq,
    candidate_languages_hk, candidate_languages_load_dts, candidate_languages_load_seq, candidate_skills_hk,
    candidate_skills_load_dts, candidate_skills_load_seq
)
-- A version stands on the days from its load_dts's day up to (not including) its load_end_dts's day (UTC): the
-- days whose snapshot moment (midnight after the day; the refreshed batch's load + 1 µs for its own day) lies in
-- (load_dts, load_end_dts]. A late version (empty load range) and one superseded on its own day stand on none.
WITH w AS (SELECT * FROM dv_pit_window),
hub AS (
    SELECT h.hk_candidate AS hk, (h.load_dts AT TIME ZONE 'UTC')::date AS first_day
    FROM raw_vault.hub_candidate AS h, w
    WHERE h.record_source <> 'SYSTEM.GHOST'
      AND h.load_dts <= w.upto
      AND h.hk_candidate = ANY (ARRAY(SELECT hk FROM dv_changed_keys))
),
s1 AS (
    SELECT v.hk_candidate AS hk, v.load_dts, v.load_seq,
           (v.load_dts AT TIME ZONE 'UTC')::date AS from_day,
           CASE WHEN v.load_end_dts > w.upto THEN 'infinity'::date
                ELSE (v.load_end_dts AT TIME ZONE 'UTC')::date END AS to_day
    FROM raw_vault.sat_candidate_profile_hist AS v, w
    WHERE v.record_source <> 'SYSTEM.GHOST'
      AND v.load_dts <= w.upto
      AND v.hk_candidate = ANY (ARRAY(SELECT hk FROM dv_changed_keys))
),
s2 AS (
    SELECT v.hk_candidate AS hk, v.load_dts, v.load_seq,
           (v.load_dts AT TIME ZONE 'UTC')::date AS from_day,
           CASE WHEN v.load_end_dts > w.upto THEN 'infinity'::date
                ELSE (v.load_end_dts AT TIME ZONE 'UTC')::date END AS to_day
    -- one row per group (version) of the multi-active satellite
    FROM (SELECT DISTINCT hk_candidate, load_dts, load_seq, load_end_dts FROM raw_vault.msat_candidate_languages_hist
          WHERE record_source <> 'SYSTEM.GHOST'
            AND hk_candidate = ANY (ARRAY(SELECT hk FROM dv_changed_keys))
         ) AS v, w
    WHERE v.load_dts <= w.upto
),
s3 AS (
    SELECT v.hk_candidate AS hk, v.load_dts, v.load_seq,
           (v.load_dts AT TIME ZONE 'UTC')::date AS from_day,
           CASE WHEN v.load_end_dts > w.upto THEN 'infinity'::date
                ELSE (v.load_end_dts AT TIME ZONE 'UTC')::date END AS to_day
    -- one row per group (version) of the multi-active satellite
    FROM (SELECT DISTINCT hk_candidate, load_dts, load_seq, load_end_dts FROM raw_vault.msat_candidate_skills_hist
          WHERE record_source <> 'SYSTEM.GHOST'
            AND hk_candidate = ANY (ARRAY(SELECT hk FROM dv_changed_keys))
         ) AS v, w
    WHERE v.load_dts <= w.upto
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
    UNION
    SELECT s.hk, greatest(s.from_day, hub.first_day)
    FROM s3 AS s JOIN hub ON hub.hk = s.hk
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
    COALESCE(s2.load_seq, 0),
    COALESCE(s3.hk, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(s3.load_dts, '0001-01-01 00:00:00+00'::timestamptz),
    COALESCE(s3.load_seq, 0)
FROM span AS p
LEFT JOIN s1
  ON s1.hk = p.hk
 AND s1.from_day <= p.valid_from
 AND p.valid_from < s1.to_day
LEFT JOIN s2
  ON s2.hk = p.hk
 AND s2.from_day <= p.valid_from
 AND p.valid_from < s2.to_day
LEFT JOIN s3
  ON s3.hk = p.hk
 AND s3.from_day <= p.valid_from
 AND p.valid_from < s3.to_day
-- retention: spans that end before the first snapshot day kept are not stored
WHERE p.valid_to > (SELECT first_day FROM dv_pit_window);
-- retention (keep_days: 400): when the first day kept moved, the spans that end before it go
DELETE FROM business_vault.pit_candidate_changes
 WHERE valid_to <= (SELECT first_day FROM dv_pit_window)
   AND (SELECT first_day > kept_first_day FROM dv_pit_window);
DROP TABLE dv_changed_keys;
DROP TABLE dv_pit_window;
