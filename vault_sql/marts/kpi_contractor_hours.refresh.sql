-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_contractor_hours (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_contractor_hours;
INSERT INTO marts.kpi_contractor_hours
SELECT * FROM (
WITH periods AS (
  SELECT 'week' AS period, f.week_start AS period_start, f.*
    FROM marts.fact_contractor_hours AS f
   WHERE f.week_start IS NOT NULL
  UNION ALL
  SELECT 'month' AS period, date_trunc('month', f.week_start::timestamp)::date AS period_start, f.*
    FROM marts.fact_contractor_hours AS f
   WHERE f.week_start IS NOT NULL
)
SELECT p.period,
       p.period_start,
       count(*) AS timesheets,
       count(*) FILTER (WHERE p.status = 'approved') AS timesheets_approved,
       count(DISTINCT p.placement_key) AS placements,
       COALESCE(sum(p.hours), 0) AS hours_submitted,
       COALESCE(sum(p.hours) FILTER (WHERE p.status = 'approved'), 0) AS hours_approved,
       COALESCE(sum(p.hours) FILTER (WHERE p.status = 'rejected'), 0) AS hours_rejected,
       COALESCE(sum(p.hours) FILTER (WHERE p.status = 'submitted'), 0) AS hours_pending
  FROM periods AS p
 GROUP BY p.period, p.period_start
) AS q;
