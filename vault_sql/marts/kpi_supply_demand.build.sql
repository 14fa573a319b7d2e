-- generated from model/marts/market.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_supply_demand (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.kpi_supply_demand CASCADE;
CREATE VIEW marts.kpi_supply_demand AS
WITH as_of AS (
    SELECT max(f.demand_date) AS as_of_date
      FROM marts.fact_skill_demand_daily AS f
),
supply AS (
    SELECT f.skill_id, f.country_code, sum(f.candidates) AS candidates,
           sum(f.available_candidates) AS available_candidates
      FROM marts.fact_candidate_supply AS f
     GROUP BY f.skill_id, f.country_code
),
demand AS (
    SELECT h.skill_id,
           COALESCE(d.country_code, '??') AS country_code,
           count(DISTINCT w.hk_job) AS open_jobs
      FROM business_vault.cs_job_open_window AS w
      JOIN as_of AS a
        ON w.posted_on <= a.as_of_date
       AND (w.closed_on IS NULL OR w.closed_on > a.as_of_date)
      JOIN raw_vault.link_job_skill AS l ON l.hk_job = w.hk_job AND l.record_source <> 'SYSTEM.GHOST'
      JOIN raw_vault.hub_skill AS h ON h.hk_skill = l.hk_skill
      LEFT JOIN raw_vault.sat_job_description_current AS d
        ON d.hk_job = w.hk_job AND d.record_source <> 'SYSTEM.GHOST'
     GROUP BY h.skill_id, COALESCE(d.country_code, '??')
),
combined AS (
    SELECT COALESCE(s.skill_id, d.skill_id) AS skill_id,
           COALESCE(s.country_code, d.country_code) AS country_code,
           CAST(COALESCE(s.candidates, 0) AS bigint) AS candidates,
           CAST(COALESCE(s.available_candidates, 0) AS bigint) AS available_candidates,
           CAST(COALESCE(d.open_jobs, 0) AS bigint) AS open_jobs
      FROM supply AS s
      FULL JOIN demand AS d ON d.skill_id = s.skill_id AND d.country_code = s.country_code
)
SELECT a.as_of_date,
       h.hk_skill AS skill_key,
       c.skill_id,
       r.skill_name,
       c.country_code,
       c.candidates,
       c.available_candidates,
       c.open_jobs,
       round(1.0 * c.available_candidates / NULLIF(c.open_jobs, 0), 2) AS candidates_per_open_job
  FROM combined AS c
 CROSS JOIN as_of AS a
  JOIN raw_vault.hub_skill AS h ON h.skill_id = c.skill_id AND h.record_source <> 'SYSTEM.GHOST'
  LEFT JOIN raw_vault.ref_skill_current AS r ON r.skill_id = c.skill_id AND r.record_source <> 'SYSTEM.GHOST'
;
COMMENT ON VIEW marts.kpi_supply_demand IS
    'Supply against demand per skill and country, one row per skill and country with any current candidate having the skill or any job listing it open: available_candidates and candidates from fact_candidate_supply (current candidates, not erased, by the country of their profile); open_jobs = jobs listing the skill (link_job_skill) open at the end of as_of_date (the last day of fact_skill_demand_daily; the open rule of cs_job_open_window), by the job''s country (sat_job_description_current.country_code; ''??'' when unknown). candidates_per_open_job = available_candidates / open_jobs rounded to 2 decimals (NULL without open jobs): below 1, fewer available candidates than open jobs. [dv:325e37b45568adf0]';
