-- generated from model/marts/market.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_candidate_supply (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.fact_candidate_supply CASCADE;
CREATE TABLE marts.fact_candidate_supply AS
-- dv:select begin (fact_candidate_supply.refresh.sql selects these rows again)
WITH candidate AS (
    SELECT c.hk_candidate,
           COALESCE(p.country_code, '??') AS country_code,
           COALESCE(p.city, '(unknown)') AS city,
           CASE WHEN p.country_code IS NOT NULL AND p.city IS NOT NULL
                THEN md5(p.country_code || '|' || p.city)::uuid END AS location_key,
           p.availability
      FROM business_vault.cs_candidate_completeness AS c
      JOIN raw_vault.sat_candidate_profile_current AS p ON p.hk_candidate = c.hk_candidate
     WHERE NOT c.is_erased
)
SELECT h.hk_skill AS skill_key,
       h.skill_id,
       c.country_code,
       c.city,
       c.location_key,
       count(DISTINCT c.hk_candidate) AS candidates,
       count(DISTINCT c.hk_candidate) FILTER (WHERE c.availability <> 'not_looking') AS available_candidates
  FROM raw_vault.msat_candidate_skills_current AS s
  JOIN candidate AS c ON c.hk_candidate = s.hk_candidate
  JOIN raw_vault.hub_skill AS h ON h.skill_id = s.skill_id AND h.record_source <> 'SYSTEM.GHOST'
 WHERE s.record_source <> 'SYSTEM.GHOST'
 GROUP BY h.hk_skill, h.skill_id, c.country_code, c.city, c.location_key
-- dv:select end
;
ALTER TABLE marts.fact_candidate_supply ADD PRIMARY KEY (skill_id, country_code, city);
COMMENT ON TABLE marts.fact_candidate_supply IS
    'Current supply of skills, one row per skill, country and city with at least one current candidate: candidates = current candidates (cs_candidate_completeness, not erased) living there (sat_candidate_profile_current''s country_code and city) with the skill in their current skill list (msat_candidate_skills_current); available_candidates = those of them whose availability is not ''not_looking'' (a NULL availability is not available). Erased candidates are left out (the vault keeps their last skill list; the platform deleted it). Each candidate lives in one place, so a skill''s candidates over all rows add up to distinct candidates. [dv:e0a9a4478fe45857]';
