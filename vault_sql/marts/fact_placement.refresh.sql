-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_placement (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_placement;
INSERT INTO marts.fact_placement (
    placement_key, placement_id, application_key, candidate_key, job_key, employer_key, placement_type, start_date,
    end_date, hourly_rate, annual_salary, fee_pct, currency, status, created_at
)
SELECT q.placement_key, q.placement_id, q.application_key, q.candidate_key, q.job_key, q.employer_key,
    q.placement_type, q.start_date, q.end_date, q.hourly_rate, q.annual_salary, q.fee_pct, q.currency, q.status,
    q.created_at
  FROM (
-- dv:select here (fact_placement.build.sql)
) AS q;
