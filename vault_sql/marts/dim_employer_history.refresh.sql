-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_employer_history (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.dim_employer_history;
INSERT INTO marts.dim_employer_history (
    employer_version_key, employer_key, employer_id, valid_from, valid_to, is_current, name, industry, size_band,
    country_code, created_at
)
SELECT q.employer_version_key, q.employer_key, q.employer_id, q.valid_from, q.valid_to, q.is_current, q.name,
    q.industry, q.size_band, q.country_code, q.created_at
  FROM (
-- dv:select here (dim_employer_history.build.sql)
) AS q;
