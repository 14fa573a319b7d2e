-- generated from model/marts/market.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_candidate_supply (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_candidate_supply;
INSERT INTO marts.fact_candidate_supply
SELECT * FROM (
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
) AS q;
