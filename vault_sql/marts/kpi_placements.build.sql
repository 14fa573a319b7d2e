-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_placements (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.kpi_placements CASCADE;
CREATE TABLE marts.kpi_placements AS
-- dv:select begin (kpi_placements.refresh.sql selects these rows again)
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
-- dv:select end
;
ALTER TABLE marts.kpi_placements ADD PRIMARY KEY (month, placement_type);
COMMENT ON TABLE marts.kpi_placements IS
    'Placements made per month and type: month = the UTC month of created_at (the hire), placement_type contract or permanent. placements_made counts them; planned_now, active_now, ended_now and terminated_now split them by their current status, so SUM(active_now) over all months is the number of placements active now (per type: SUM over the type''s months). Placements without terms (no created_at) are left out. [dv:6f4113237ea6a004]';
