-- generated from model/marts/business_jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- computed_satellite cs_job_time_to_fill (refresh: incremental): the rows of the keys (hk_job) that batches
-- after the last refresh (setting dv.since_batch) touched in raw_vault.sat_job_status, raw_vault.sat_job_description;
-- a table
-- without rows loaded since (dv_meta.load_log) is not read at all
CREATE TEMPORARY TABLE dv_changed_keys AS
SELECT hk_job FROM raw_vault.sat_job_status WHERE batch_id > current_setting('dv.since_batch')::bigint
   AND EXISTS (SELECT 1 FROM dv_meta.load_log AS g
                WHERE g.target = 'sat.job_status' AND g.rows_inserted > 0
                  AND g.batch_id > current_setting('dv.since_batch')::bigint)
UNION
SELECT hk_job FROM raw_vault.sat_job_description WHERE batch_id > current_setting('dv.since_batch')::bigint
   AND EXISTS (SELECT 1 FROM dv_meta.load_log AS g
                WHERE g.target = 'sat.job_description' AND g.rows_inserted > 0
                  AND g.batch_id > current_setting('dv.since_batch')::bigint)
;
ANALYZE dv_changed_keys;
DELETE FROM business_vault.cs_job_time_to_fill AS t
 USING dv_changed_keys AS c
 WHERE t.hk_job = c.hk_job;
INSERT INTO business_vault.cs_job_time_to_fill (
    hk_job, job_id, status, created_at, posted_at, expires_at, filled_at, is_posted, is_filled, is_expired, is_closed,
    time_to_fill_days, load_dts
)
SELECT q.hk_job, q.job_id, q.status, q.created_at, q.posted_at, q.expires_at, q.filled_at, q.is_posted, q.is_filled,
    q.is_expired, q.is_closed, q.time_to_fill_days, q.load_dts
  FROM (
-- dv:select here (cs_job_time_to_fill.build.sql)
) AS q
-- (= ANY of an array, not IN: a plain condition PostgreSQL pushes into the grouped SELECT, onto its key)
WHERE q.hk_job = ANY (ARRAY(SELECT hk_job FROM dv_changed_keys));
DROP TABLE dv_changed_keys;
