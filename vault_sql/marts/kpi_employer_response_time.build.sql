-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_employer_response_time (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.kpi_employer_response_time CASCADE;
CREATE TABLE marts.kpi_employer_response_time AS
-- dv:select begin (kpi_employer_response_time.refresh.sql selects these rows again)
WITH r AS (
    SELECT f.employer_key,
           COUNT(*) AS applications,
           COUNT(*) FILTER (WHERE f.is_responded) AS responded_applications,
           ROUND(AVG(f.response_hours), 2) AS avg_response_hours,
           ROUND((PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY f.response_hours::float8))::numeric, 2)
               AS median_response_hours
      FROM marts.fact_application AS f
     GROUP BY f.employer_key
)
SELECT e.hk_employer AS employer_key,
       h.employer_id,
       COALESCE(r.applications, 0) AS applications,
       COALESCE(r.responded_applications, 0) AS responded_applications,
       r.avg_response_hours,
       r.median_response_hours
  FROM raw_vault.sat_employer_details_current AS e
  JOIN raw_vault.hub_employer AS h ON h.hk_employer = e.hk_employer
  LEFT JOIN r ON r.employer_key = e.hk_employer
 WHERE e.record_source <> 'SYSTEM.GHOST'
-- dv:select end
;
ALTER TABLE marts.kpi_employer_response_time ADD PRIMARY KEY (employer_key);
COMMENT ON TABLE marts.kpi_employer_response_time IS
    'One row per employer known to the platform (sat_employer_details_current, ghost excluded). Over the applications to its jobs (fact_application.employer_key): applications, responded_applications (the first transition out of applied is not withdrawn), and the average and median hours from applied to that first response over the responded applications (2 decimals; NULL without any). [dv:63ef462df9e26dad]';
