-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_candidate_history (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.dim_candidate_history;
INSERT INTO marts.dim_candidate_history (
    candidate_version_key, candidate_key, candidate_id, user_key, user_id, valid_from, valid_to, is_current,
    registered_at, account_status, is_erased, headline, city, country_code, location_key, years_experience,
    availability, desired_rate, rate_currency
)
SELECT q.candidate_version_key, q.candidate_key, q.candidate_id, q.user_key, q.user_id, q.valid_from, q.valid_to,
    q.is_current, q.registered_at, q.account_status, q.is_erased, q.headline, q.city, q.country_code, q.location_key,
    q.years_experience, q.availability, q.desired_rate, q.rate_currency
  FROM (
-- dv:select here (dim_candidate_history.build.sql)
) AS q;
