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
INSERT INTO business_vault.cs_job_time_to_fill
SELECT q.* FROM (
SELECT s.hk_job,
       h.job_id,
       s.status,
       d.created_at,
       s.posted_at,
       s.expires_at,
       s.filled_at,
       s.posted_at IS NOT NULL AS is_posted,
       s.status = 'filled'     AS is_filled,
       s.status = 'expired'    AS is_expired,
       s.status = 'closed'     AS is_closed,
       CASE WHEN s.status = 'filled'
            THEN EXTRACT(EPOCH FROM s.filled_at - s.posted_at) / 86400 END AS time_to_fill_days,
       GREATEST(s.load_dts, d.load_dts) AS load_dts
  FROM raw_vault.sat_job_status_current AS s
  JOIN raw_vault.hub_job AS h ON h.hk_job = s.hk_job
  LEFT JOIN raw_vault.sat_job_description_current AS d ON d.hk_job = s.hk_job
 WHERE s.record_source <> 'SYSTEM.GHOST'
) AS q
-- (= ANY of an array, not IN: a plain condition PostgreSQL pushes into the grouped SELECT, onto its key)
WHERE q.hk_job = ANY (ARRAY(SELECT hk_job FROM dv_changed_keys));
DROP TABLE dv_changed_keys;
