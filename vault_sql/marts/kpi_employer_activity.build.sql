-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_employer_activity (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.kpi_employer_activity CASCADE;
CREATE TABLE marts.kpi_employer_activity AS
-- dv:select begin (kpi_employer_activity.refresh.sql selects these rows again)
WITH jobs AS (
    SELECT j.employer_key,
           COUNT(*) AS jobs_posted,
           COUNT(*) FILTER (WHERE j.is_filled) AS jobs_filled,
           COUNT(DISTINCT date_trunc('month', j.posted_at AT TIME ZONE 'UTC')) AS posting_months,
           MIN(j.posted_at) AS first_posted_at,
           MAX(j.posted_at) AS last_posted_at
      FROM marts.fact_job_posting AS j
     WHERE j.is_posted
     GROUP BY j.employer_key
)
SELECT e.hk_employer AS employer_key,
       h.employer_id,
       e.name AS employer_name,
       COALESCE(j.jobs_posted, 0) AS jobs_posted,
       COALESCE(j.jobs_filled, 0) AS jobs_filled,
       ROUND(100.0 * j.jobs_filled / NULLIF(j.jobs_posted, 0), 2) AS hiring_rate_pct,
       COALESCE(j.posting_months, 0) AS posting_months,
       COALESCE(j.posting_months, 0) >= 2 AS is_repeat_user,
       j.first_posted_at,
       j.last_posted_at
  FROM raw_vault.sat_employer_details_current AS e
  JOIN raw_vault.hub_employer AS h ON h.hk_employer = e.hk_employer
  LEFT JOIN jobs AS j ON j.employer_key = e.hk_employer
 WHERE e.record_source <> 'SYSTEM.GHOST'
-- dv:select end
;
ALTER TABLE marts.kpi_employer_activity ADD PRIMARY KEY (employer_key);
COMMENT ON TABLE marts.kpi_employer_activity IS
    'One row per employer known to the platform (sat_employer_details_current, ghost excluded). jobs_posted = its jobs with posted_at set (the jobs per employer); jobs_filled = of those, the jobs in status filled; hiring_rate_pct = 100 * jobs_filled / jobs_posted (2 decimals, NULL without posted jobs). posting_months = distinct UTC calendar months of posted_at; is_repeat_user = posted in 2 or more distinct months. A job belongs to its current employer (fact_job_posting.employer_key). [dv:f30a7b7a2ed3b20e]';
