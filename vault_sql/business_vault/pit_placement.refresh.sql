-- generated from model/business_vault/pit.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- PIT pit_placement of hub placement: for each day and each key known by then, the version of each satellite
-- current as the warehouse knew it at the end of the day (range join on the virtual end dates of the _hist
-- views: load_dts < snapshot_dts <= load_end_dts); the ghost record's key when there was none yet.
-- refresh: the last snapshot kept again (its day may have had later batches), and the days after it
CREATE TEMPORARY TABLE dv_snapshots AS
WITH upto AS (
    SELECT load_dts FROM dv_meta.batch WHERE batch_id = current_setting('dv.batch_id')::bigint
),
first_day AS (
    SELECT greatest(COALESCE(
        (SELECT max(snapshot_date) FROM business_vault.pit_placement),
        (SELECT (min(load_dts) AT TIME ZONE 'UTC')::date FROM dv_meta.batch WHERE status = 'succeeded')
    ),
        -- keep_days: no snapshot older than 400 days before the latest
        (SELECT (load_dts AT TIME ZONE 'UTC')::date - 399 FROM upto)
    ) AS day
)
SELECT
    d::date AS snapshot_date,
    least(((d::date + 1)::timestamp AT TIME ZONE 'UTC'), upto.load_dts + interval '1 microsecond') AS snapshot_dts
FROM upto, first_day,
     generate_series(first_day.day, (upto.load_dts AT TIME ZONE 'UTC')::date, interval '1 day') AS d;
DELETE FROM business_vault.pit_placement WHERE snapshot_date >= (SELECT min(snapshot_date) FROM dv_snapshots);
-- retention (keep_days: 400): the snapshots before the window go
DELETE FROM business_vault.pit_placement
 WHERE snapshot_date < (SELECT max(snapshot_date) FROM dv_snapshots) - 399;
-- the snapshot kept before them: keys with nothing loaded since carry its versions forward; the keys the
-- hub or a satellite got rows for since are found again by the range join, restricted to them
CREATE TEMPORARY TABLE dv_kept AS
SELECT max(snapshot_date) AS snapshot_date, max(snapshot_dts) AS snapshot_dts
FROM business_vault.pit_placement WHERE snapshot_date = (SELECT max(snapshot_date) FROM business_vault.pit_placement);
CREATE TEMPORARY TABLE dv_changed_keys AS
SELECT hk_placement FROM raw_vault.hub_placement
WHERE load_dts >= COALESCE((SELECT snapshot_dts FROM dv_kept), '-infinity')
UNION
SELECT hk_placement FROM raw_vault.sat_placement_terms
WHERE load_dts >= COALESCE((SELECT snapshot_dts FROM dv_kept), '-infinity')
UNION
SELECT hk_placement FROM raw_vault.sat_placement_status
WHERE load_dts >= COALESCE((SELECT snapshot_dts FROM dv_kept), '-infinity')
;
INSERT INTO business_vault.pit_placement
SELECT c.snapshot_date, c.snapshot_dts, p.hk_placement,
       p.placement_terms_hk, p.placement_terms_load_dts, p.placement_terms_load_seq,
       p.placement_status_hk, p.placement_status_load_dts, p.placement_status_load_seq
FROM dv_snapshots AS c
JOIN business_vault.pit_placement AS p ON p.snapshot_date = (SELECT snapshot_date FROM dv_kept)
WHERE NOT EXISTS (SELECT 1 FROM dv_changed_keys AS k WHERE k.hk_placement = p.hk_placement)
UNION ALL
SELECT
    c.snapshot_date,
    c.snapshot_dts,
    h.hk_placement,
    COALESCE(s1.hk_placement, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(s1.load_dts, '0001-01-01 00:00:00+00'::timestamptz),
    COALESCE(s1.load_seq, 0),
    COALESCE(s2.hk_placement, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(s2.load_dts, '0001-01-01 00:00:00+00'::timestamptz),
    COALESCE(s2.load_seq, 0)
FROM dv_snapshots AS c
JOIN raw_vault.hub_placement AS h
  ON h.load_dts < c.snapshot_dts
 AND h.record_source <> 'SYSTEM.GHOST'
 AND h.hk_placement = ANY (ARRAY(SELECT hk_placement FROM dv_changed_keys))
LEFT JOIN raw_vault.sat_placement_terms_hist AS s1
  ON s1.hk_placement = h.hk_placement
 AND s1.load_dts < c.snapshot_dts
 AND c.snapshot_dts <= s1.load_end_dts
 AND s1.hk_placement = ANY (ARRAY(SELECT hk_placement FROM dv_changed_keys))
LEFT JOIN raw_vault.sat_placement_status_hist AS s2
  ON s2.hk_placement = h.hk_placement
 AND s2.load_dts < c.snapshot_dts
 AND c.snapshot_dts <= s2.load_end_dts
 AND s2.hk_placement = ANY (ARRAY(SELECT hk_placement FROM dv_changed_keys))
;
DROP TABLE dv_kept;
DROP TABLE dv_changed_keys;
DROP TABLE dv_snapshots;
