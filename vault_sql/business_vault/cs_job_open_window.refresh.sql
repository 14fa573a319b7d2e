-- generated from model/marts/business_candidates.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- computed_satellite cs_job_open_window (refresh: incremental): the rows of the keys (hk_job) that batches
-- after the last refresh (setting dv.since_batch) touched in raw_vault.sat_job_status; a table
-- without rows loaded since (dv_meta.load_log) is not read at all
CREATE TEMPORARY TABLE dv_changed_keys AS
SELECT hk_job FROM raw_vault.sat_job_status WHERE batch_id > current_setting('dv.since_batch')::bigint
   AND EXISTS (SELECT 1 FROM dv_meta.load_log AS g
                WHERE g.target = 'sat.job_status' AND g.rows_inserted > 0
                  AND g.batch_id > current_setting('dv.since_batch')::bigint)
;
ANALYZE dv_changed_keys;
DELETE FROM business_vault.cs_job_open_window AS t
 USING dv_changed_keys AS c
 WHERE t.hk_job = c.hk_job;
INSERT INTO business_vault.cs_job_open_window
SELECT q.* FROM (
WITH version AS (
    SELECT v.hk_job,
           v.status,
           v.applied_dts,
           lag(v.status) OVER (PARTITION BY v.hk_job ORDER BY v.applied_dts, v.load_dts, v.load_seq) AS previous_status
      FROM raw_vault.sat_job_status AS v
     WHERE v.record_source <> 'SYSTEM.GHOST'
),
withdrawn AS (
    SELECT v.hk_job, max(v.applied_dts) AS closed_at
      FROM version AS v
     WHERE v.status = 'closed'
       AND v.previous_status IS DISTINCT FROM 'closed'
     GROUP BY v.hk_job
),
job AS (
    SELECT s.hk_job,
           h.job_id,
           s.status,
           s.posted_at,
           CASE s.status
               WHEN 'filled' THEN s.filled_at
               WHEN 'expired' THEN s.expires_at
               WHEN 'closed' THEN w.closed_at
           END AS closed_at,
           s.load_dts
      FROM raw_vault.sat_job_status_current AS s
      JOIN raw_vault.hub_job AS h ON h.hk_job = s.hk_job
      LEFT JOIN withdrawn AS w ON w.hk_job = s.hk_job
     WHERE s.record_source <> 'SYSTEM.GHOST'
)
SELECT j.hk_job,
       j.job_id,
       j.status,
       j.posted_at,
       j.closed_at,
       (j.posted_at AT TIME ZONE 'UTC')::date AS posted_on,
       (j.closed_at AT TIME ZONE 'UTC')::date AS closed_on,
       j.load_dts
  FROM job AS j
) AS q
-- (= ANY of an array, not IN: a plain condition PostgreSQL pushes into the grouped SELECT, onto its key)
WHERE q.hk_job = ANY (ARRAY(SELECT hk_job FROM dv_changed_keys));
DROP TABLE dv_changed_keys;
