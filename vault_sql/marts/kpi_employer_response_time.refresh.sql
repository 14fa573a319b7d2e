-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_employer_response_time (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_employer_response_time;
INSERT INTO marts.kpi_employer_response_time
    (employer_key, employer_id, applications, responded_applications, avg_response_hours, median_response_hours)
SELECT q.employer_key, q.employer_id, q.applications, q.responded_applications, q.avg_response_hours,
    q.median_response_hours
  FROM (
-- dv:select here (kpi_employer_response_time.build.sql)
) AS q;
