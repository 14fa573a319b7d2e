-- generated from model/marts/business_jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- computed_satellite cs_employer_response_time (refresh: incremental): the rows of the keys (hk_application) that
-- batches
-- after the last refresh (setting dv.since_batch) touched in raw_vault.sat_application_status; a table
-- without rows loaded since (dv_meta.load_log) is not read at all
CREATE TEMPORARY TABLE dv_changed_keys AS
SELECT hk_application FROM raw_vault.sat_application_status WHERE batch_id > current_setting('dv.since_batch')::bigint
   AND EXISTS (SELECT 1 FROM dv_meta.load_log AS g
                WHERE g.target = 'sat.application_status' AND g.rows_inserted > 0
                  AND g.batch_id > current_setting('dv.since_batch')::bigint)
;
ANALYZE dv_changed_keys;
DELETE FROM business_vault.cs_employer_response_time AS t
 USING dv_changed_keys AS c
 WHERE t.hk_application = c.hk_application;
INSERT INTO business_vault.cs_employer_response_time
SELECT q.* FROM (
WITH v AS (
    SELECT s.hk_application, s.applied_dts, s.applied_seq, s.load_dts, s.load_seq, s.status,
           LEAD(s.status) OVER w      AS next_status,
           LEAD(s.applied_dts) OVER w AS next_status_at,
           MAX(s.load_dts) OVER (PARTITION BY s.hk_application) AS max_load_dts
      FROM raw_vault.sat_application_status AS s
     WHERE s.record_source <> 'SYSTEM.GHOST'
    WINDOW w AS (PARTITION BY s.hk_application ORDER BY s.applied_dts, s.applied_seq, s.load_dts, s.load_seq)
), first_applied AS (
    SELECT v.hk_application, v.applied_dts AS applied_at, v.next_status, v.next_status_at, v.max_load_dts,
           ROW_NUMBER() OVER (PARTITION BY v.hk_application
                              ORDER BY v.applied_dts, v.applied_seq, v.load_dts, v.load_seq) AS rn
      FROM v
     WHERE v.status = 'applied'
)
SELECT f.hk_application,
       h.application_id,
       f.applied_at,
       f.next_status,
       f.next_status_at,
       COALESCE(f.next_status <> 'withdrawn', FALSE) AS is_responded,
       CASE WHEN f.next_status <> 'withdrawn' THEN f.next_status_at END AS first_response_at,
       CASE WHEN f.next_status <> 'withdrawn'
            THEN EXTRACT(EPOCH FROM f.next_status_at - f.applied_at) / 3600 END AS response_hours,
       f.max_load_dts AS load_dts
  FROM first_applied AS f
  JOIN raw_vault.hub_application AS h ON h.hk_application = f.hk_application
 WHERE f.rn = 1
) AS q
-- (= ANY of an array, not IN: a plain condition PostgreSQL pushes into the grouped SELECT, onto its key)
WHERE q.hk_application = ANY (ARRAY(SELECT hk_application FROM dv_changed_keys));
DROP TABLE dv_changed_keys;
