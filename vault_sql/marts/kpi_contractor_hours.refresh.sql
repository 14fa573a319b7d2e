-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_contractor_hours (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_contractor_hours;
INSERT INTO marts.kpi_contractor_hours (
    period, period_start, timesheets, timesheets_approved, placements, hours_submitted, hours_approved, hours_rejected,
    hours_pending
)
SELECT q.period, q.period_start, q.timesheets, q.timesheets_approved, q.placements, q.hours_submitted,
    q.hours_approved, q.hours_rejected, q.hours_pending
  FROM (
-- dv:select here (kpi_contractor_hours.build.sql)
) AS q;
