-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_employer_summary (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.kpi_employer_summary CASCADE;
CREATE VIEW marts.kpi_employer_summary AS
WITH act AS (
    SELECT COUNT(*) AS employers,
           COUNT(*) FILTER (WHERE a.jobs_posted > 0) AS employers_posting,
           SUM(a.jobs_posted) AS jobs_posted,
           SUM(a.jobs_filled) AS jobs_filled,
           ROUND(AVG(a.jobs_posted), 2) AS avg_jobs_per_employer,
           COUNT(*) FILTER (WHERE a.is_repeat_user) AS repeat_employers
      FROM marts.kpi_employer_activity AS a
), resp AS (
    SELECT COUNT(*) AS responded_applications,
           ROUND(AVG(f.response_hours), 2) AS avg_response_hours,
           ROUND((PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY f.response_hours::float8))::numeric, 2)
               AS median_response_hours
      FROM marts.fact_application AS f
      JOIN marts.kpi_employer_activity AS a ON a.employer_key = f.employer_key
     WHERE f.is_responded
)
SELECT act.employers,
       act.employers_posting,
       act.jobs_posted,
       act.avg_jobs_per_employer,
       ROUND(100.0 * act.jobs_filled / NULLIF(act.jobs_posted, 0), 2) AS hiring_rate_pct,
       act.repeat_employers,
       ROUND(100.0 * act.repeat_employers / NULLIF(act.employers_posting, 0), 2) AS repeat_usage_pct,
       resp.responded_applications,
       resp.avg_response_hours,
       resp.median_response_hours
  FROM act CROSS JOIN resp
;
COMMENT ON VIEW marts.kpi_employer_summary IS
    'One row: the employers now, over the employers known to the platform (kpi_employer_activity). avg_jobs_per_employer = posted jobs per employer averaged over every employer (those without jobs count as 0; 2 decimals). hiring_rate_pct = 100 * filled posted jobs / posted jobs of all those employers. repeat_usage_pct = 100 * repeat employers (posted in 2+ distinct UTC months) / employers that posted at least one job. Response time: average and median hours from applied to the first response over every responded application to a job of a known employer (2 decimals). [dv:a3f21cc6c8e5d4b8]';
