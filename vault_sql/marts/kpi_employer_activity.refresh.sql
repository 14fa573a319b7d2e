-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_employer_activity (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_employer_activity;
INSERT INTO marts.kpi_employer_activity (
    employer_key, employer_id, employer_name, jobs_posted, jobs_filled, hiring_rate_pct, posting_months,
    is_repeat_user, first_posted_at, last_posted_at
)
SELECT q.employer_key, q.employer_id, q.employer_name, q.jobs_posted, q.jobs_filled, q.hiring_rate_pct,
    q.posting_months, q.is_repeat_user, q.first_posted_at, q.last_posted_at
  FROM (
-- dv:select here (kpi_employer_activity.build.sql)
) AS q;
