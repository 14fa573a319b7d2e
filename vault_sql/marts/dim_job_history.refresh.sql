-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_job_history (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.dim_job_history;
INSERT INTO marts.dim_job_history (
    job_version_key, job_key, job_id, valid_from, valid_to, is_current, employer_key, employer_id, title, city,
    country_code, location_key, remote, contract_type, seniority, salary_min, salary_max, salary_currency,
    salary_period, status, created_at, posted_at, expires_at, filled_at
)
SELECT q.job_version_key, q.job_key, q.job_id, q.valid_from, q.valid_to, q.is_current, q.employer_key, q.employer_id,
    q.title, q.city, q.country_code, q.location_key, q.remote, q.contract_type, q.seniority, q.salary_min,
    q.salary_max, q.salary_currency, q.salary_period, q.status, q.created_at, q.posted_at, q.expires_at, q.filled_at
  FROM (
-- dv:select here (dim_job_history.build.sql)
) AS q;
