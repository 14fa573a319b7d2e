-- generated from model/marts/business_candidates.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- computed_satellite cs_candidate_completeness (refresh: table): built in full when missing or when its definition
-- changed
DROP TABLE IF EXISTS business_vault.cs_candidate_completeness CASCADE;
CREATE TABLE business_vault.cs_candidate_completeness AS
-- dv:select begin (cs_candidate_completeness.refresh.sql selects these rows again)
WITH candidate AS (
    SELECT h.hk_candidate,
           h.candidate_id,
           p.headline,
           p.city,
           p.years_experience,
           p.availability,
           p.desired_rate,
           COALESCE(bool_or(a.status = 'deleted'), false) AS is_erased,
           GREATEST(p.load_dts, max(a.load_dts)) AS load_dts
      FROM raw_vault.hub_candidate AS h
      JOIN raw_vault.sat_candidate_profile_current AS p
        ON p.hk_candidate = h.hk_candidate AND p.record_source <> 'SYSTEM.GHOST'
      LEFT JOIN raw_vault.link_candidate_user AS cu
        ON cu.hk_candidate = h.hk_candidate AND cu.record_source <> 'SYSTEM.GHOST'
      LEFT JOIN raw_vault.sat_user_account_current AS a
        ON a.hk_user = cu.hk_user AND a.record_source <> 'SYSTEM.GHOST'
     WHERE h.record_source <> 'SYSTEM.GHOST'
     GROUP BY h.hk_candidate, h.candidate_id, p.headline, p.city, p.years_experience, p.availability,
              p.desired_rate, p.load_dts
),
skill AS (
    SELECT DISTINCT s.hk_candidate
      FROM raw_vault.msat_candidate_skills_current AS s
     WHERE s.record_source <> 'SYSTEM.GHOST'
),
language AS (
    SELECT DISTINCT l.hk_candidate
      FROM raw_vault.msat_candidate_languages_current AS l
     WHERE l.record_source <> 'SYSTEM.GHOST'
),
resume AS (
    SELECT DISTINCT cr.hk_candidate
      FROM raw_vault.link_candidate_resume AS cr
      JOIN raw_vault.sat_resume_status_current AS rs
        ON rs.hk_resume = cr.hk_resume AND rs.record_source <> 'SYSTEM.GHOST'
     WHERE cr.record_source <> 'SYSTEM.GHOST'
       AND rs.is_latest
),
parts AS (
    SELECT c.hk_candidate,
           c.candidate_id,
           c.is_erased,
           NOT c.is_erased AND NULLIF(btrim(c.headline), '') IS NOT NULL AS has_headline,
           NOT c.is_erased AND NULLIF(btrim(c.city), '') IS NOT NULL AS has_city,
           NOT c.is_erased AND c.years_experience IS NOT NULL AS has_years_experience,
           NOT c.is_erased AND NULLIF(btrim(c.availability), '') IS NOT NULL AS has_availability,
           NOT c.is_erased AND c.desired_rate IS NOT NULL AS has_desired_rate,
           NOT c.is_erased AND s.hk_candidate IS NOT NULL AS has_skill,
           NOT c.is_erased AND l.hk_candidate IS NOT NULL AS has_language,
           NOT c.is_erased AND r.hk_candidate IS NOT NULL AS has_current_resume,
           c.load_dts
      FROM candidate AS c
      LEFT JOIN skill AS s ON s.hk_candidate = c.hk_candidate
      LEFT JOIN language AS l ON l.hk_candidate = c.hk_candidate
      LEFT JOIN resume AS r ON r.hk_candidate = c.hk_candidate
),
counted AS (
    SELECT p.*,
           p.has_headline::int + p.has_city::int + p.has_years_experience::int + p.has_availability::int
             + p.has_desired_rate::int + p.has_skill::int + p.has_language::int
             + p.has_current_resume::int AS parts_present
      FROM parts AS p
)
SELECT c.hk_candidate,
       c.candidate_id,
       c.is_erased,
       c.has_headline,
       c.has_city,
       c.has_years_experience,
       c.has_availability,
       c.has_desired_rate,
       c.has_skill,
       c.has_language,
       c.has_current_resume,
       c.parts_present,
       CAST(12.5 * c.parts_present AS numeric(5, 2)) AS completeness_score,
       c.load_dts
  FROM counted AS c
-- dv:select end
;
ALTER TABLE business_vault.cs_candidate_completeness ADD PRIMARY KEY (hk_candidate);
COMMENT ON TABLE business_vault.cs_candidate_completeness IS
    'One row per candidate with a profile (raw_vault.sat_candidate_profile_current, ghost excluded; candidate keys that only an application names have no profile and no row). Profile completeness: eight parts of equal weight, each a boolean - has_headline (headline not NULL nor blank), has_city (city not NULL nor blank), has_years_experience (not NULL; 0 counts), has_availability (not NULL nor blank), has_desired_rate (not NULL), has_skill (at least one skill in msat_candidate_skills_current), has_language (at least one language in msat_candidate_languages_current), has_current_resume (a resume of the candidate, link_candidate_resume, whose current sat_resume_status has is_latest = true, the platform''s resumes.is_current). completeness_score = 12.5 * parts_present (0, 12.5, ..., 100). An erased candidate (the user''s current sat_user_account status is ''deleted'') has every part false and scores 0: the platform emptied the profile and deleted the skills and languages, while the vault''s multi-active satellites keep the last lists (a known gap of the kind). [dv:f9c9ab3cccf0b5ca]';
