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
INSERT INTO marts.fact_application
SELECT q.* FROM (
SELECT h.application_id,
       h.hk_application,
       b.hk_candidate AS candidate_key,
       hc.candidate_id,
       b.hk_job AS job_key,
       hj.job_id,
       b.hk_employer AS employer_key,
       he.employer_id,
       b.hk_referrer AS referrer_key,
       hr.candidate_id AS referrer_candidate_id,
       d.channel,
       COALESCE(d.applied_at, t.applied_at) AS applied_at,
       (COALESCE(d.applied_at, t.applied_at) AT TIME ZONE 'UTC')::date AS applied_date,
       t.screening_at,
       t.interview_at,
       t.offer_at,
       t.hired_at,
       t.rejected_at,
       t.withdrawn_at,
       t.current_status,
       t.current_status_at,
       t.reached_stage,
       t.reached_stage_order,
       COALESCE(t.hired_at IS NOT NULL, FALSE) AS is_hired,
       COALESCE(r.is_responded, FALSE) AS is_responded,
       r.first_response_at,
       r.response_hours
  FROM raw_vault.hub_application AS h
  JOIN business_vault.bridge_application AS b ON b.hk_application = h.hk_application
  LEFT JOIN raw_vault.hub_candidate AS hc
         ON hc.hk_candidate = b.hk_candidate AND hc.record_source <> 'SYSTEM.GHOST'
  LEFT JOIN raw_vault.hub_job AS hj ON hj.hk_job = b.hk_job AND hj.record_source <> 'SYSTEM.GHOST'
  LEFT JOIN raw_vault.hub_employer AS he
         ON he.hk_employer = b.hk_employer AND he.record_source <> 'SYSTEM.GHOST'
  LEFT JOIN raw_vault.hub_candidate AS hr
         ON hr.hk_candidate = b.hk_referrer AND hr.record_source <> 'SYSTEM.GHOST'
  LEFT JOIN raw_vault.sat_application_details_current AS d ON d.hk_application = h.hk_application
  LEFT JOIN business_vault.cs_application_stage_timings AS t ON t.hk_application = h.hk_application
  LEFT JOIN business_vault.cs_employer_response_time AS r ON r.hk_application = h.hk_application
 WHERE h.record_source <> 'SYSTEM.GHOST'
) AS q
-- (= ANY of an array, not IN: a plain condition PostgreSQL pushes into the grouped SELECT, onto its key)
WHERE q.hk_application = ANY (ARRAY(SELECT hk_application FROM dv_changed_keys));
DROP TABLE dv_changed_keys;
