-- generated from model/marts/feed.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- feed feed_match_job (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.feed_match_job;
INSERT INTO marts.feed_match_job (
    job_id, hk_job, employer_id, hk_employer, title, city, country_code, remote, contract_type, seniority,
    seniority_min_years, seniority_max_years, salary_min, salary_max, salary_currency, salary_period, status,
    created_at, posted_at, expires_at, filled_at, required_skill_count, required_skill_ids, nice_to_have_skill_ids,
    applications, hires
)
SELECT q.job_id, q.hk_job, q.employer_id, q.hk_employer, q.title, q.city, q.country_code, q.remote, q.contract_type,
    q.seniority, q.seniority_min_years, q.seniority_max_years, q.salary_min, q.salary_max, q.salary_currency,
    q.salary_period, q.status, q.created_at, q.posted_at, q.expires_at, q.filled_at, q.required_skill_count,
    q.required_skill_ids, q.nice_to_have_skill_ids, q.applications, q.hires
  FROM (
-- dv:select here (feed_match_job.build.sql)
) AS q;
