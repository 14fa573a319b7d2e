-- generated from model/marts/feed.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- feed feed_match_application (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.feed_match_application;
INSERT INTO marts.feed_match_application (
    application_id, hk_application, candidate_id, hk_candidate, job_id, hk_job, applied_at, channel,
    candidate_features_as_of, job_features_as_of, features_point_in_time, candidate_city, candidate_country_code,
    candidate_years_experience, candidate_desired_rate, candidate_rate_currency, candidate_skill_count, job_city,
    job_country_code, job_remote, job_contract_type, job_seniority, job_salary_min, job_salary_max,
    job_salary_currency, job_salary_period, job_required_skill_count, required_skills_matched, required_skill_share,
    job_skill_count, skills_matched, skill_share, seniority_min_years, seniority_max_years, years_below_band,
    years_above_band, experience_fit, same_city, same_country, salary_currency_match, salary_fit, salary_ratio, hired,
    final_status
)
SELECT q.application_id, q.hk_application, q.candidate_id, q.hk_candidate, q.job_id, q.hk_job, q.applied_at, q.channel,
    q.candidate_features_as_of, q.job_features_as_of, q.features_point_in_time, q.candidate_city,
    q.candidate_country_code, q.candidate_years_experience, q.candidate_desired_rate, q.candidate_rate_currency,
    q.candidate_skill_count, q.job_city, q.job_country_code, q.job_remote, q.job_contract_type, q.job_seniority,
    q.job_salary_min, q.job_salary_max, q.job_salary_currency, q.job_salary_period, q.job_required_skill_count,
    q.required_skills_matched, q.required_skill_share, q.job_skill_count, q.skills_matched, q.skill_share,
    q.seniority_min_years, q.seniority_max_years, q.years_below_band, q.years_above_band, q.experience_fit,
    q.same_city, q.same_country, q.salary_currency_match, q.salary_fit, q.salary_ratio, q.hired, q.final_status
  FROM (
-- dv:select here (feed_match_application.build.sql)
) AS q;
