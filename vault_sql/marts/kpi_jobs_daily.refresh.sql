-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_jobs_daily (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_jobs_daily;
INSERT INTO marts.kpi_jobs_daily
SELECT * FROM (
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
) AS q;
