-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_placements (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_placements;
INSERT INTO marts.kpi_placements
SELECT * FROM (
SELECT date_trunc('month', f.created_at AT TIME ZONE 'UTC')::date AS month,
       f.placement_type,
       count(*) AS placements_made,
       count(*) FILTER (WHERE f.status = 'planned') AS planned_now,
       count(*) FILTER (WHERE f.status = 'active') AS active_now,
       count(*) FILTER (WHERE f.status = 'ended') AS ended_now,
       count(*) FILTER (WHERE f.status = 'terminated') AS terminated_now
  FROM marts.fact_placement AS f
 WHERE f.created_at IS NOT NULL
 GROUP BY 1, 2
) AS q;
