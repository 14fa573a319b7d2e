-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_jobs_summary (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.kpi_jobs_summary CASCADE;
CREATE VIEW marts.kpi_jobs_summary AS
SELECT COUNT(*) AS jobs,
       COUNT(*) FILTER (WHERE j.status = 'draft') AS jobs_draft,
       COUNT(*) FILTER (WHERE j.is_posted) AS jobs_posted,
       COUNT(*) FILTER (WHERE j.status = 'open') AS jobs_open,
       COUNT(*) FILTER (WHERE j.is_filled) AS jobs_filled,
       COUNT(*) FILTER (WHERE j.is_expired) AS jobs_expired,
       COUNT(*) FILTER (WHERE j.is_closed) AS jobs_closed,
       ROUND(AVG(j.time_to_fill_days), 2) AS avg_time_to_fill_days,
       ROUND((PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY j.time_to_fill_days::float8))::numeric, 2)
           AS median_time_to_fill_days,
       ROUND(100.0 * COUNT(*) FILTER (WHERE j.is_expired)
             / NULLIF(COUNT(*) FILTER (WHERE j.is_filled OR j.is_expired OR j.is_closed), 0), 2) AS expiry_rate_pct,
       ROUND(100.0 * COUNT(*) FILTER (WHERE j.is_filled)
             / NULLIF(COUNT(*) FILTER (WHERE j.is_filled OR j.is_expired OR j.is_closed), 0), 2) AS fill_rate_pct,
       ROUND(AVG(j.applications_count) FILTER (WHERE j.is_posted), 2) AS avg_applications_per_job
  FROM marts.fact_job_posting AS j
;
COMMENT ON VIEW marts.kpi_jobs_summary IS
    'One row: the jobs now. Counts by current status over every job of fact_job_posting. Time to fill = days from posted_at to filled_at of the filled jobs (average and median, rounded to 2 decimals). expiry_rate_pct = 100 * expired / (filled + expired + closed): of the jobs that are no longer open, the share that expired without a hire (rounded to 2 decimals); fill_rate_pct the same with filled. avg_applications_per_job = average applications_count over posted jobs (posted_at set, jobs without applications count as 0), rounded to 2 decimals. [dv:2e8732023053c4a6]';
