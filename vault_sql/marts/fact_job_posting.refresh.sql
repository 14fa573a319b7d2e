-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_job_posting (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_job_posting;
INSERT INTO marts.fact_job_posting (
    job_key, job_id, employer_key, employer_id, status, created_at, posted_at, posted_date, expires_at, filled_at,
    is_posted, is_filled, is_expired, is_closed, time_to_fill_days, applications_count, hires_count
)
SELECT q.job_key, q.job_id, q.employer_key, q.employer_id, q.status, q.created_at, q.posted_at, q.posted_date,
    q.expires_at, q.filled_at, q.is_posted, q.is_filled, q.is_expired, q.is_closed, q.time_to_fill_days,
    q.applications_count, q.hires_count
  FROM (
-- dv:select here (fact_job_posting.build.sql)
) AS q;
