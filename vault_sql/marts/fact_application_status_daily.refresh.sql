-- generated from model/marts/snapshots.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_application_status_daily (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_application_status_daily;
INSERT INTO marts.fact_application_status_daily
SELECT * FROM (
SELECT p.snapshot_date,
       to_char(p.snapshot_date, 'YYYYMMDD')::integer AS date_key,
       COALESCE(s.status, '(unknown)')              AS status,
       count(*)                                     AS applications
  FROM business_vault.pit_application AS p
  -- the version the PIT names: an inner join (the ghost record stands for "none yet")
  JOIN raw_vault.sat_application_status AS s
    ON s.hk_application = p.application_status_hk
   AND s.load_dts = p.application_status_load_dts
   AND s.load_seq = p.application_status_load_seq
 GROUP BY p.snapshot_date, COALESCE(s.status, '(unknown)')
) AS q;
