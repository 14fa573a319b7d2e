-- generated from model/business_vault/pit.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- PIT pit_application of hub application: for each day and each key known by then, the version of each satellite
-- current as the warehouse knew it at the end of the day (range join on the virtual end dates of the _hist
-- views: load_dts < snapshot_dts <= load_end_dts); the ghost record's key when there was none yet.
-- build: every snapshot from the day of the first batch
DROP TABLE IF EXISTS business_vault.pit_application CASCADE;
CREATE TABLE business_vault.pit_application (
    snapshot_date date NOT NULL,
    snapshot_dts timestamptz NOT NULL,
    hk_application uuid NOT NULL,
    application_details_hk uuid NOT NULL,
    application_details_load_dts timestamptz NOT NULL,
    application_details_load_seq integer NOT NULL,
    application_status_hk uuid NOT NULL,
    application_status_load_dts timestamptz NOT NULL,
    application_status_load_seq integer NOT NULL,
    PRIMARY KEY (snapshot_date, hk_application)
);
COMMENT ON TABLE business_vault.pit_application IS 'Daily snapshots of each application''s details and status as the warehouse knew them at the end of each day. [dv:97f243ca6fc21632]';
CREATE TEMPORARY TABLE dv_snapshots AS
WITH upto AS (
    SELECT load_dts FROM dv_meta.batch WHERE batch_id = current_setting('dv.batch_id')::bigint
),
first_day AS (
    SELECT greatest(COALESCE(
        (SELECT max(snapshot_date) FROM business_vault.pit_application),
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
DELETE FROM business_vault.pit_application WHERE snapshot_date >= (SELECT min(snapshot_date) FROM dv_snapshots);
-- retention (keep_days: 400): the snapshots before the window go
DELETE FROM business_vault.pit_application
 WHERE snapshot_date < (SELECT max(snapshot_date) FROM dv_snapshots) - 399;
INSERT INTO business_vault.pit_application
SELECT
    c.snapshot_date,
    c.snapshot_dts,
    h.hk_application,
    COALESCE(s1.hk_application, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(s1.load_dts, '0001-01-01 00:00:00+00'::timestamptz),
    COALESCE(s1.load_seq, 0),
    COALESCE(s2.hk_application, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(s2.load_dts, '0001-01-01 00:00:00+00'::timestamptz),
    COALESCE(s2.load_seq, 0)
FROM dv_snapshots AS c
JOIN raw_vault.hub_application AS h
  ON h.load_dts < c.snapshot_dts
 AND h.record_source <> 'SYSTEM.GHOST'
LEFT JOIN raw_vault.sat_application_details_hist AS s1
  ON s1.hk_application = h.hk_application
 AND s1.load_dts < c.snapshot_dts
 AND c.snapshot_dts <= s1.load_end_dts
LEFT JOIN raw_vault.sat_application_status_hist AS s2
  ON s2.hk_application = h.hk_application
 AND s2.load_dts < c.snapshot_dts
 AND c.snapshot_dts <= s2.load_end_dts
;
DROP TABLE dv_snapshots;
