-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_jobs_daily (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.kpi_jobs_daily CASCADE;
CREATE TABLE marts.kpi_jobs_daily AS
-- dv:select begin (kpi_jobs_daily.refresh.sql selects these rows again)
WITH posted AS (
    SELECT j.posted_date AS d, COUNT(*) AS n
      FROM marts.fact_job_posting AS j WHERE j.is_posted GROUP BY j.posted_date
), filled AS (
    SELECT (j.filled_at AT TIME ZONE 'UTC')::date AS d, COUNT(*) AS n
      FROM marts.fact_job_posting AS j WHERE j.is_filled GROUP BY 1
), applied AS (
    SELECT f.applied_date AS d, COUNT(*) AS n
      FROM marts.fact_application AS f WHERE f.applied_date IS NOT NULL GROUP BY f.applied_date
), bounds AS (
    SELECT MIN(x.d) AS lo, MAX(x.d) AS hi
      FROM (SELECT d FROM posted UNION ALL SELECT d FROM filled UNION ALL SELECT d FROM applied) AS x
), days AS (
    SELECT g.ts::date AS activity_date
      FROM bounds AS b
     CROSS JOIN LATERAL generate_series(b.lo::timestamp, b.hi::timestamp, INTERVAL '1 day') AS g(ts)
)
SELECT dd.activity_date,
       COALESCE(p.n, 0) AS jobs_posted,
       COALESCE(fi.n, 0) AS jobs_filled,
       COALESCE(a.n, 0) AS applications,
       SUM(COALESCE(p.n, 0)) OVER (ORDER BY dd.activity_date) AS jobs_posted_to_date
  FROM days AS dd
  LEFT JOIN posted AS p ON p.d = dd.activity_date
  LEFT JOIN filled AS fi ON fi.d = dd.activity_date
  LEFT JOIN applied AS a ON a.d = dd.activity_date
-- dv:select end
;
ALTER TABLE marts.kpi_jobs_daily ADD PRIMARY KEY (activity_date);
COMMENT ON TABLE marts.kpi_jobs_daily IS
    'One row per UTC calendar date, every date from the first to the last date on which a job was posted or filled or an application made (days without any are zeros). jobs_posted = jobs whose posted_at falls on the date; jobs_filled = jobs with status filled whose filled_at falls on it; applications = applications whose applied_at falls on it (every application, orphans included). [dv:d1898df4e47d0f03]';
