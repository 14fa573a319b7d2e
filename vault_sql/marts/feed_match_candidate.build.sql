-- generated from model/marts/feed.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- feed feed_match_candidate (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.feed_match_candidate CASCADE;
CREATE TABLE marts.feed_match_candidate AS
-- dv:select begin (feed_match_candidate.refresh.sql selects these rows again)
WITH profile AS (
    SELECT h.candidate_id, h.hk_candidate, p.city, p.country_code, p.years_experience, p.availability,
           p.desired_rate, p.rate_currency, p.created_at, p.applied_dts
      FROM raw_vault.hub_candidate AS h
      JOIN raw_vault.sat_candidate_profile_current AS p
        ON p.hk_candidate = h.hk_candidate AND p.record_source <> 'SYSTEM.GHOST'
     WHERE h.record_source <> 'SYSTEM.GHOST'
),
erased AS (
    SELECT DISTINCT l.hk_candidate
      FROM raw_vault.link_candidate_user AS l
      JOIN raw_vault.sat_user_account_current AS u
        ON u.hk_user = l.hk_user AND u.record_source <> 'SYSTEM.GHOST'
     WHERE l.record_source <> 'SYSTEM.GHOST' AND u.status = 'deleted'
),
skills AS (
    SELECT m.hk_candidate, count(*) AS skill_count,
           array_agg(m.skill_id ORDER BY m.skill_id) AS skill_ids,
           array_agg(m.level ORDER BY m.skill_id) AS skill_levels,
           round(avg(m.level), 2) AS mean_level, max(m.applied_dts) AS applied_dts
      FROM raw_vault.msat_candidate_skills_current AS m
     WHERE m.record_source <> 'SYSTEM.GHOST'
     GROUP BY m.hk_candidate
),
languages AS (
    SELECT m.hk_candidate, count(*) AS language_count,
           array_agg(m.language_code::text ORDER BY m.language_code) AS language_codes,
           max(m.applied_dts) AS applied_dts
      FROM raw_vault.msat_candidate_languages_current AS m
     WHERE m.record_source <> 'SYSTEM.GHOST'
     GROUP BY m.hk_candidate
),
app_link AS (
    SELECT l.hk_application, l.hk_candidate, l.hk_job,
           ROW_NUMBER() OVER (PARTITION BY l.hk_application
                              ORDER BY l.load_dts DESC, l.hk_application_candidate_job) AS rn
      FROM raw_vault.link_application_candidate_job AS l
     WHERE l.record_source <> 'SYSTEM.GHOST'
),
hired AS (
    SELECT DISTINCT s.hk_application
      FROM raw_vault.sat_application_status AS s
     WHERE s.record_source <> 'SYSTEM.GHOST' AND s.status = 'hired'
),
applications AS (
    SELECT a.hk_candidate, count(*) AS applications, count(hd.hk_application) AS hires
      FROM app_link AS a
      LEFT JOIN hired AS hd ON hd.hk_application = a.hk_application
     WHERE a.rn = 1
     GROUP BY a.hk_candidate
)
SELECT p.candidate_id,
       p.hk_candidate,
       p.city,
       p.country_code,
       p.years_experience,
       CASE WHEN p.years_experience < 0 THEN NULL
            WHEN p.years_experience <= 2 THEN 'junior'
            WHEN p.years_experience <= 5 THEN 'medior'
            WHEN p.years_experience <= 9 THEN 'senior'
            WHEN p.years_experience <= 14 THEN 'lead'
            WHEN p.years_experience >= 15 THEN 'principal' END AS experience_band,
       p.availability,
       p.desired_rate,
       p.rate_currency,
       p.created_at AS registered_at,
       GREATEST(p.applied_dts, s.applied_dts, l.applied_dts) AS profile_updated_at,
       e.hk_candidate IS NOT NULL AS is_erased,
       (CASE WHEN e.hk_candidate IS NULL THEN COALESCE(s.skill_count, 0) ELSE 0 END)::integer AS skill_count,
       CASE WHEN e.hk_candidate IS NULL THEN COALESCE(s.skill_ids, '{}') ELSE '{}' END::integer[] AS skill_ids,
       CASE WHEN e.hk_candidate IS NULL THEN COALESCE(s.skill_levels, '{}') ELSE '{}' END::smallint[]
           AS skill_levels,
       CASE WHEN e.hk_candidate IS NULL THEN s.mean_level END::numeric(4, 2) AS mean_skill_level,
       (CASE WHEN e.hk_candidate IS NULL THEN COALESCE(l.language_count, 0) ELSE 0 END)::integer
           AS language_count,
       CASE WHEN e.hk_candidate IS NULL THEN COALESCE(l.language_codes, '{}') ELSE '{}' END::text[]
           AS language_codes,
       COALESCE(a.applications, 0)::integer AS applications,
       COALESCE(a.hires, 0)::integer AS hires
  FROM profile AS p
  LEFT JOIN erased AS e ON e.hk_candidate = p.hk_candidate
  LEFT JOIN skills AS s ON s.hk_candidate = p.hk_candidate
  LEFT JOIN languages AS l ON l.hk_candidate = p.hk_candidate
  LEFT JOIN applications AS a ON a.hk_candidate = p.hk_candidate
-- dv:select end
;
ALTER TABLE marts.feed_match_candidate ADD PRIMARY KEY (candidate_id);
COMMENT ON TABLE marts.feed_match_candidate IS
    'One row per candidate with a profile (raw_vault.hub_candidate with a sat_candidate_profile row, ghost excluded; orphan candidate ids that only applications name are left out): the candidate''s CURRENT features (the _current views, as of the latest batch), for scoring new pairs. An erased candidate (the user account''s status ''deleted'') keeps its row with the profile''s NULLs and empty skill and language lists (the multi-active satellites cannot record an emptied group, so they are not read for erased candidates). Application counts are as of the latest batch. [dv:c1b1a3b981d61035]';
