-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_placements (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_placements;
INSERT INTO marts.kpi_placements
    (month, placement_type, placements_made, planned_now, active_now, ended_now, terminated_now)
SELECT q.month, q.placement_type, q.placements_made, q.planned_now, q.active_now, q.ended_now, q.terminated_now
  FROM (
-- dv:select here (kpi_placements.build.sql)
) AS q;
