-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_application_funnel (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_application_funnel;
INSERT INTO marts.kpi_application_funnel
    (step_order, from_stage, to_stage, applications_at_from, applications_converted, conversion_pct)
SELECT q.step_order, q.from_stage, q.to_stage, q.applications_at_from, q.applications_converted, q.conversion_pct
  FROM (
-- dv:select here (kpi_application_funnel.build.sql)
) AS q;
