-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_contractor_hours (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.kpi_contractor_hours CASCADE;
CREATE TABLE marts.kpi_contractor_hours AS
-- dv:select begin (kpi_contractor_hours.refresh.sql selects these rows again)
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
-- dv:select end
;
ALTER TABLE marts.kpi_contractor_hours ADD PRIMARY KEY (period, period_start);
COMMENT ON TABLE marts.kpi_contractor_hours IS
    'Contractor hours per week and per month of the week worked: period ''week'' (period_start = the week_start Monday) or ''month'' (period_start = first day of the month of week_start; a week belongs wholly to the month it starts in). Over the timesheets of the period: timesheets, placements (distinct placements with hours), hours_submitted (every timesheet''s hours, whatever its status), hours_approved / hours_rejected / hours_pending (current status approved / rejected / submitted). Hours are summed as the platform holds them (negative hours, a known source defect, included). [dv:d58cb60c4e36d84a]';
