-- generated from model/marts/business_candidates.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- computed_satellite cs_candidate_completeness (refresh: table): every row selected again, in the build's transaction
TRUNCATE business_vault.cs_candidate_completeness;
INSERT INTO business_vault.cs_candidate_completeness (
    hk_candidate, candidate_id, is_erased, has_headline, has_city, has_years_experience, has_availability,
    has_desired_rate, has_skill, has_language, has_current_resume, parts_present, completeness_score, load_dts
)
SELECT q.hk_candidate, q.candidate_id, q.is_erased, q.has_headline, q.has_city, q.has_years_experience,
    q.has_availability, q.has_desired_rate, q.has_skill, q.has_language, q.has_current_resume, q.parts_present,
    q.completeness_score, q.load_dts
  FROM (
-- dv:select here (cs_candidate_completeness.build.sql)
) AS q;
