-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_location (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.dim_location;
INSERT INTO marts.dim_location
SELECT * FROM (
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
) AS q;
