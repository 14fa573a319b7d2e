-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_application (refresh: incremental): the rows of the keys (hk_application) that batches
-- after the last refresh (setting dv.since_batch) touched in raw_vault.sat_application_status,
-- raw_vault.sat_application_details, raw_vault.link_application_candidate_job; a table
-- without rows loaded since (dv_meta.load_log) is not read at all
CREATE TEMPORARY TABLE dv_changed_keys AS
SELECT hk_application FROM raw_vault.sat_application_status WHERE batch_id > current_setting('dv.since_batch')::bigint
   AND EXISTS (SELECT 1 FROM dv_meta.load_log AS g
                WHERE g.target = 'sat.application_status' AND g.rows_inserted > 0
                  AND g.batch_id > current_setting('dv.since_batch')::bigint)
UNION
SELECT hk_application FROM raw_vault.sat_application_details WHERE batch_id > current_setting('dv.since_batch')::bigint
   AND EXISTS (SELECT 1 FROM dv_meta.load_log AS g
                WHERE g.target = 'sat.application_details' AND g.rows_inserted > 0
                  AND g.batch_id > current_setting('dv.since_batch')::bigint)
UNION
SELECT hk_application FROM raw_vault.link_application_candidate_job WHERE batch_id >
    current_setting('dv.since_batch')::bigint
   AND EXISTS (SELECT 1 FROM dv_meta.load_log AS g
                WHERE g.target = 'link.application_candidate_job' AND g.rows_inserted > 0
                  AND g.batch_id > current_setting('dv.since_batch')::bigint)
;
ANALYZE dv_changed_keys;
DELETE FROM marts.fact_application AS t
 USING dv_changed_keys AS c
 WHERE t.hk_application = c.hk_application;
INSERT INTO marts.fact_application (
    application_id, hk_application, candidate_key, candidate_id, job_key, job_id, employer_key, employer_id,
    referrer_key, referrer_candidate_id, channel, applied_at, applied_date, screening_at, interview_at, offer_at,
    hired_at, rejected_at, withdrawn_at, current_status, current_status_at, reached_stage, reached_stage_order,
    is_hired, is_responded, first_response_at, response_hours
)
SELECT q.application_id, q.hk_application, q.candidate_key, q.candidate_id, q.job_key, q.job_id, q.employer_key,
    q.employer_id, q.referrer_key, q.referrer_candidate_id, q.channel, q.applied_at, q.applied_date, q.screening_at,
    q.interview_at, q.offer_at, q.hired_at, q.rejected_at, q.withdrawn_at, q.current_status, q.current_status_at,
    q.reached_stage, q.reached_stage_order, q.is_hired, q.is_responded, q.first_response_at, q.response_hours
  FROM (
-- dv:select here (fact_application.build.sql)
) AS q
-- (= ANY of an array, not IN: a plain condition PostgreSQL pushes into the grouped SELECT, onto its key)
WHERE q.hk_application = ANY (ARRAY(SELECT hk_application FROM dv_changed_keys));
DROP TABLE dv_changed_keys;
