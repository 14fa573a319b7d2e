-- generated from model/marts/market.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_availability (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.kpi_availability CASCADE;
CREATE VIEW marts.kpi_availability AS
WITH candidate AS (
    SELECT COALESCE(p.availability, 'unknown') AS availability
      FROM business_vault.cs_candidate_completeness AS c
      JOIN raw_vault.sat_candidate_profile_current AS p ON p.hk_candidate = c.hk_candidate
     WHERE NOT c.is_erased
)
SELECT c.availability,
       c.availability NOT IN ('not_looking', 'unknown') AS is_available,
       count(*) AS candidates,
       round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS share_pct
  FROM candidate AS c
 GROUP BY c.availability
;
COMMENT ON VIEW marts.kpi_availability IS
    'Current candidates (cs_candidate_completeness, not erased) by availability (sat_candidate_profile_current: immediately, 2_weeks, 1_month, 3_months, not_looking; ''unknown'' when NULL), one row per value that occurs. share_pct = 100 * candidates / all current candidates, rounded to 2 decimals; is_available = the value is not ''not_looking'' nor ''unknown'' (the candidates counted as available supply). [dv:be555c93ec6232ed]';
