-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_application (refresh: incremental): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.fact_application CASCADE;
CREATE TABLE marts.fact_application AS
-- dv:select begin (fact_application.refresh.sql selects these rows again)
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
-- dv:select end
;
ALTER TABLE marts.fact_application ADD PRIMARY KEY (application_id);
CREATE INDEX ON marts.fact_application (hk_application);
COMMENT ON TABLE marts.fact_application IS
    'One row per application (raw_vault.hub_application, ghost excluded), every application the platform has, orphans included (an application to an unknown job or candidate keeps the orphan''s hub key; its employer is the zero key). Keys from business_vault.bridge_application (one row per application): candidate, job and referrer of link application_candidate_job, the job''s current employer (open period of esat_job_employer; zero key when unknown). channel and applied_at from sat_application_details; funnel timestamps, current status and response from the computed satellites cs_application_stage_timings and cs_employer_response_time. [dv:91e5b8d4c34e7166]';
