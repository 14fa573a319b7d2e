-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_job_posting (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.fact_job_posting CASCADE;
CREATE TABLE marts.fact_job_posting AS
-- dv:select begin (fact_job_posting.refresh.sql selects these rows again)
WITH apps AS (
    SELECT f.job_key, COUNT(*) AS applications_count, COUNT(*) FILTER (WHERE f.is_hired) AS hires_count
      FROM marts.fact_application AS f
     GROUP BY f.job_key
)
SELECT c.hk_job AS job_key,
       c.job_id,
       COALESCE(je.hk_employer, '00000000-0000-0000-0000-000000000000'::uuid) AS employer_key,
       he.employer_id,
       c.status,
       c.created_at,
       c.posted_at,
       (c.posted_at AT TIME ZONE 'UTC')::date AS posted_date,
       c.expires_at,
       c.filled_at,
       c.is_posted,
       c.is_filled,
       c.is_expired,
       c.is_closed,
       c.time_to_fill_days,
       COALESCE(a.applications_count, 0) AS applications_count,
       COALESCE(a.hires_count, 0) AS hires_count
  FROM business_vault.cs_job_time_to_fill AS c
  LEFT JOIN raw_vault.esat_job_employer_current AS je
         ON je.hk_job = c.hk_job AND je.record_source <> 'SYSTEM.GHOST'
  LEFT JOIN raw_vault.hub_employer AS he
         ON he.hk_employer = je.hk_employer AND he.record_source <> 'SYSTEM.GHOST'
  LEFT JOIN apps AS a ON a.job_key = c.hk_job
-- dv:select end
;
ALTER TABLE marts.fact_job_posting ADD PRIMARY KEY (job_id);
COMMENT ON TABLE marts.fact_job_posting IS
    'One row per job with a status (business_vault.cs_job_time_to_fill: every platform job, drafts included; orphan job keys known only from an application have no row). Employer = the job''s current employer (esat_job_employer_current; zero uuid when unknown). applications_count = the applications to the job (every status), hires_count = those that ever reached hired. Rebuilt each refresh (the counts change with every application). [dv:ffdf3410e5e05b52]';
