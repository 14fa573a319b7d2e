-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_jobs_daily (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_jobs_daily;
INSERT INTO marts.kpi_jobs_daily (activity_date, jobs_posted, jobs_filled, applications, jobs_posted_to_date)
SELECT q.activity_date, q.jobs_posted, q.jobs_filled, q.applications, q.jobs_posted_to_date
  FROM (
-- dv:select here (kpi_jobs_daily.build.sql)
) AS q;
