-- generated from model/marts/feed.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- feed feed_match_candidate (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.feed_match_candidate;
INSERT INTO marts.feed_match_candidate (
    candidate_id, hk_candidate, city, country_code, years_experience, experience_band, availability, desired_rate,
    rate_currency, registered_at, profile_updated_at, is_erased, skill_count, skill_ids, skill_levels,
    mean_skill_level, language_count, language_codes, applications, hires
)
SELECT q.candidate_id, q.hk_candidate, q.city, q.country_code, q.years_experience, q.experience_band, q.availability,
    q.desired_rate, q.rate_currency, q.registered_at, q.profile_updated_at, q.is_erased, q.skill_count, q.skill_ids,
    q.skill_levels, q.mean_skill_level, q.language_count, q.language_codes, q.applications, q.hires
  FROM (
-- dv:select here (feed_match_candidate.build.sql)
) AS q;
