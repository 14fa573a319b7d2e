-- generated from model/business_vault/pit.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- PIT pit_candidate of hub candidate: for each day and each key known by then, the version of each satellite
-- current as the warehouse knew it at the end of the day (range join on the virtual end dates of the _hist
-- views: load_dts < snapshot_dts <= load_end_dts); the ghost record's key when there was none yet.
-- build: every snapshot from the day of the first batch
DROP TABLE IF EXISTS business_vault.pit_candidate CASCADE;
CREATE TABLE business_vault.pit_candidate (
    snapshot_date date NOT NULL,
    snapshot_dts timestamptz NOT NULL,
    hk_candidate uuid NOT NULL,
    candidate_profile_hk uuid NOT NULL,
    candidate_profile_load_dts timestamptz NOT NULL,
    candidate_profile_load_seq integer NOT NULL,
    candidate_languages_hk uuid NOT NULL,
    candidate_languages_load_dts timestamptz NOT NULL,
    candidate_languages_load_seq integer NOT NULL,
    candidate_skills_hk uuid NOT NULL,
    candidate_skills_load_dts timestamptz NOT NULL,
    candidate_skills_load_seq integer NOT NULL,
    PRIMARY KEY (snapshot_date, hk_candidate)
);
COMMENT ON TABLE business_vault.pit_candidate IS 'Daily snapshots of each candidate''s profile, languages and skills as the warehouse knew them at the end of each day. [dv:0047e2bb6ac464ba]';
CREATE TEMPORARY TABLE dv_snapshots AS
WITH upto AS (
    SELECT load_dts FROM dv_meta.batch WHERE batch_id = current_setting('dv.batch_id')::bigint
),
first_day AS (
    SELECT greatest(COALESCE(
        (SELECT max(snapshot_date) FROM business_vault.pit_candidate),
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
DELETE FROM business_vault.pit_candidate WHERE snapshot_date >= (SELECT min(snapshot_date) FROM dv_snapshots);
-- retention (keep_days: 400): the snapshots before the window go
DELETE FROM business_vault.pit_candidate
 WHERE snapshot_date < (SELECT max(snapshot_date) FROM dv_snapshots) - 399;
INSERT INTO business_vault.pit_candidate
SELECT
    c.snapshot_date,
    c.snapshot_dts,
    h.hk_candidate,
    COALESCE(s1.hk_candidate, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(s1.load_dts, '0001-01-01 00:00:00+00'::timestamptz),
    COALESCE(s1.load_seq, 0),
    COALESCE(s2.hk_candidate, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(s2.load_dts, '0001-01-01 00:00:00+00'::timestamptz),
    COALESCE(s2.load_seq, 0),
    COALESCE(s3.hk_candidate, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(s3.load_dts, '0001-01-01 00:00:00+00'::timestamptz),
    COALESCE(s3.load_seq, 0)
FROM dv_snapshots AS c
JOIN raw_vault.hub_candidate AS h
  ON h.load_dts < c.snapshot_dts
 AND h.record_source <> 'SYSTEM.GHOST'
LEFT JOIN raw_vault.sat_candidate_profile_hist AS s1
  ON s1.hk_candidate = h.hk_candidate
 AND s1.load_dts < c.snapshot_dts
 AND c.snapshot_dts <= s1.load_end_dts
LEFT JOIN (
    -- one row per group (version) of the multi-active satellite
    SELECT DISTINCT hk_candidate, load_dts, load_seq, load_end_dts FROM raw_vault.msat_candidate_languages_hist
) AS s2
  ON s2.hk_candidate = h.hk_candidate
 AND s2.load_dts < c.snapshot_dts
 AND c.snapshot_dts <= s2.load_end_dts
LEFT JOIN (
    -- one row per group (version) of the multi-active satellite
    SELECT DISTINCT hk_candidate, load_dts, load_seq, load_end_dts FROM raw_vault.msat_candidate_skills_hist
) AS s3
  ON s3.hk_candidate = h.hk_candidate
 AND s3.load_dts < c.snapshot_dts
 AND c.snapshot_dts <= s3.load_end_dts
;
DROP TABLE dv_snapshots;
