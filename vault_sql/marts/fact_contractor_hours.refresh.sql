-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_contractor_hours (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_contractor_hours;
INSERT INTO marts.fact_contractor_hours (
    timesheet_key, timesheet_id, placement_key, placement_id, candidate_key, employer_key, invoice_key, week_start,
    hours, submitted_at, status, approved_at, hourly_rate, currency, billable_amount
)
SELECT q.timesheet_key, q.timesheet_id, q.placement_key, q.placement_id, q.candidate_key, q.employer_key,
    q.invoice_key, q.week_start, q.hours, q.submitted_at, q.status, q.approved_at, q.hourly_rate, q.currency,
    q.billable_amount
  FROM (
-- dv:select here (fact_contractor_hours.build.sql)
) AS q;
