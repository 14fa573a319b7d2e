-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_job (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.dim_job;
INSERT INTO marts.dim_job (
    job_key, job_id, employer_key, employer_id, title, city, country_code, location_key, remote, contract_type,
    seniority, salary_min, salary_max, salary_currency, salary_period, status, created_at, posted_at, expires_at,
    filled_at, is_orphan
)
SELECT q.job_key, q.job_id, q.employer_key, q.employer_id, q.title, q.city, q.country_code, q.location_key, q.remote,
    q.contract_type, q.seniority, q.salary_min, q.salary_max, q.salary_currency, q.salary_period, q.status,
    q.created_at, q.posted_at, q.expires_at, q.filled_at, q.is_orphan
  FROM (
-- dv:select here (dim_job.build.sql)
) AS q;
