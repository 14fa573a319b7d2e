-- generated from model/marts/market.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_candidate_supply (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_candidate_supply;
INSERT INTO marts.fact_candidate_supply
    (skill_key, skill_id, country_code, city, location_key, candidates, available_candidates)
SELECT q.skill_key, q.skill_id, q.country_code, q.city, q.location_key, q.candidates, q.available_candidates
  FROM (
-- dv:select here (fact_candidate_supply.build.sql)
) AS q;
