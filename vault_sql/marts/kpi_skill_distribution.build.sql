-- generated from model/marts/market.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_skill_distribution (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.kpi_skill_distribution CASCADE;
CREATE VIEW marts.kpi_skill_distribution AS
WITH total AS (
    SELECT count(*) AS candidates
      FROM business_vault.cs_candidate_completeness AS c
     WHERE NOT c.is_erased
),
supply AS (
    SELECT f.skill_id, sum(f.candidates) AS candidates, sum(f.available_candidates) AS available_candidates
      FROM marts.fact_candidate_supply AS f
     GROUP BY f.skill_id
)
SELECT h.hk_skill AS skill_key,
       r.skill_id,
       r.skill_name,
       r.category,
       CAST(COALESCE(s.candidates, 0) AS bigint) AS candidates,
       CAST(COALESCE(s.available_candidates, 0) AS bigint) AS available_candidates,
       round(100.0 * COALESCE(s.candidates, 0) / NULLIF(t.candidates, 0), 2) AS share_pct,
       rank() OVER (ORDER BY COALESCE(s.candidates, 0) DESC) AS candidates_rank
  FROM raw_vault.ref_skill_current AS r
  JOIN raw_vault.hub_skill AS h ON h.skill_id = r.skill_id AND h.record_source <> 'SYSTEM.GHOST'
 CROSS JOIN total AS t
  LEFT JOIN supply AS s ON s.skill_id = r.skill_id
 WHERE r.record_source <> 'SYSTEM.GHOST'
;
COMMENT ON VIEW marts.kpi_skill_distribution IS
    'Skills of the current candidates, one row per skill of the taxonomy (zeros included). candidates = current candidates (not erased) having the skill (the sum over fact_candidate_supply); available_candidates = of them, availability not ''not_looking''; share_pct = 100 * candidates / all current candidates (cs_candidate_completeness, not erased, skills or not), rounded to 2 decimals (a candidate has several skills: the shares add up to more than 100); candidates_rank = rank by candidates, most first (ties share a rank). [dv:3f6cca2956bb62ac]';
