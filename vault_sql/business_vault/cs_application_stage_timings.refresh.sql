-- generated from model/marts/business_jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- computed_satellite cs_application_stage_timings (refresh: incremental): the rows of the keys (hk_application) that
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
DELETE FROM business_vault.cs_application_stage_timings AS t
 USING dv_changed_keys AS c
 WHERE t.hk_application = c.hk_application;
INSERT INTO business_vault.cs_application_stage_timings (
    hk_application, application_id, applied_at, screening_at, interview_at, offer_at, hired_at, rejected_at,
    withdrawn_at, current_status, current_status_at, reached_stage, reached_stage_order, transitions,
    days_applied_to_screening, days_screening_to_interview, days_interview_to_offer, days_offer_to_hired,
    days_applied_to_hired, load_dts
)
SELECT q.hk_application, q.application_id, q.applied_at, q.screening_at, q.interview_at, q.offer_at, q.hired_at,
    q.rejected_at, q.withdrawn_at, q.current_status, q.current_status_at, q.reached_stage, q.reached_stage_order,
    q.transitions, q.days_applied_to_screening, q.days_screening_to_interview, q.days_interview_to_offer,
    q.days_offer_to_hired, q.days_applied_to_hired, q.load_dts
  FROM (
-- dv:select here (cs_application_stage_timings.build.sql)
) AS q
-- (= ANY of an array, not IN: a plain condition PostgreSQL pushes into the grouped SELECT, onto its key)
WHERE q.hk_application = ANY (ARRAY(SELECT hk_application FROM dv_changed_keys));
DROP TABLE dv_changed_keys;
