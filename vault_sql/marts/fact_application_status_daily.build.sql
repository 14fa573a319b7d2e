-- generated from model/marts/snapshots.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_application_status_daily (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.fact_application_status_daily CASCADE;
CREATE TABLE marts.fact_application_status_daily AS
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
;
ALTER TABLE marts.fact_application_status_daily ADD PRIMARY KEY (snapshot_date, status);
COMMENT ON TABLE marts.fact_application_status_daily IS 'A periodic snapshot from business_vault.pit_application: per snapshot day and status, the applications in that status as the warehouse knew them at the end of the day. A day''s batch loads the platform up to the midnight before it, so a snapshot day D counts each application''s latest status changed before D 00:00 UTC. Applications the warehouse knew only from a reference (no status yet) count as ''(unknown)''. [dv:954c6082fa5d600c]';
