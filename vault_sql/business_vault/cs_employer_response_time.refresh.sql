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
INSERT INTO business_vault.cs_employer_response_time (
    hk_application, application_id, applied_at, next_status, next_status_at, is_responded, first_response_at,
    response_hours, load_dts
)
SELECT q.hk_application, q.application_id, q.applied_at, q.next_status, q.next_status_at, q.is_responded,
    q.first_response_at, q.response_hours, q.load_dts
  FROM (
-- dv:select here (cs_employer_response_time.build.sql)
) AS q
-- (= ANY of an array, not IN: a plain condition PostgreSQL pushes into the grouped SELECT, onto its key)
WHERE q.hk_application = ANY (ARRAY(SELECT hk_application FROM dv_changed_keys));
DROP TABLE dv_changed_keys;
