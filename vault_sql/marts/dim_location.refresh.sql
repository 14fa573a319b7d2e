-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_location (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.dim_location;
INSERT INTO marts.dim_location (location_key, city, country_code, seen_in_candidates, seen_in_jobs)
SELECT q.location_key, q.city, q.country_code, q.seen_in_candidates, q.seen_in_jobs
  FROM (
-- dv:select here (dim_location.build.sql)
) AS q;
