-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_location (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.dim_location CASCADE;
CREATE TABLE marts.dim_location AS
-- dv:select begin (dim_location.refresh.sql selects these rows again)
WITH seen AS (
    SELECT s.city, s.country_code, true AS in_candidates, false AS in_jobs
      FROM raw_vault.sat_candidate_profile AS s
     WHERE s.record_source <> 'SYSTEM.GHOST'
    UNION ALL
    SELECT j.city, j.country_code, false AS in_candidates, true AS in_jobs
      FROM raw_vault.sat_job_description AS j
     WHERE j.record_source <> 'SYSTEM.GHOST'
)
SELECT md5(seen.country_code || '|' || seen.city)::uuid AS location_key,
       seen.city,
       seen.country_code,
       bool_or(seen.in_candidates)                   AS seen_in_candidates,
       bool_or(seen.in_jobs)                         AS seen_in_jobs
  FROM seen
 WHERE seen.city IS NOT NULL AND seen.country_code IS NOT NULL
 GROUP BY seen.city, seen.country_code
-- dv:select end
;
ALTER TABLE marts.dim_location ADD PRIMARY KEY (location_key);
COMMENT ON TABLE marts.dim_location IS
    'One row per (city, country_code) pair seen in any version of a candidate profile (raw_vault.sat_candidate_profile) or of a job ad (raw_vault.sat_job_description), current or past; pairs with a NULL city or country (an erased profile) are left out. location_key = md5(country_code || ''|'' || city)::uuid, the location_key of the candidate and job dimensions. [dv:25dc52b5425db7ef]';
