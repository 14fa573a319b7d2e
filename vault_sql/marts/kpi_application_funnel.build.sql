-- generated from model/marts/jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_application_funnel (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.kpi_application_funnel CASCADE;
CREATE TABLE marts.kpi_application_funnel AS
-- dv:select begin (kpi_application_funnel.refresh.sql selects these rows again)
WITH c AS (
    SELECT COUNT(*) FILTER (WHERE f.applied_at IS NOT NULL) AS n_applied,
           COUNT(*) FILTER (WHERE f.screening_at IS NOT NULL) AS n_screening,
           COUNT(*) FILTER (WHERE f.interview_at IS NOT NULL) AS n_interview,
           COUNT(*) FILTER (WHERE f.offer_at IS NOT NULL) AS n_offer,
           COUNT(*) FILTER (WHERE f.applied_at IS NOT NULL AND f.screening_at IS NOT NULL) AS c_screening,
           COUNT(*) FILTER (WHERE f.screening_at IS NOT NULL AND f.interview_at IS NOT NULL) AS c_interview,
           COUNT(*) FILTER (WHERE f.interview_at IS NOT NULL AND f.offer_at IS NOT NULL) AS c_offer,
           COUNT(*) FILTER (WHERE f.offer_at IS NOT NULL AND f.hired_at IS NOT NULL) AS c_hired
      FROM marts.fact_application AS f
)
SELECT s.step_order,
       s.from_stage,
       s.to_stage,
       s.at_from AS applications_at_from,
       s.converted AS applications_converted,
       ROUND(100.0 * s.converted / NULLIF(s.at_from, 0), 2) AS conversion_pct
  FROM c
 CROSS JOIN LATERAL (VALUES (1, 'applied', 'screening', c.n_applied, c.c_screening),
                            (2, 'screening', 'interview', c.n_screening, c.c_interview),
                            (3, 'interview', 'offer', c.n_interview, c.c_offer),
                            (4, 'offer', 'hired', c.n_offer, c.c_hired))
       AS s(step_order, from_stage, to_stage, at_from, converted)
-- dv:select end
;
ALTER TABLE marts.kpi_application_funnel ADD PRIMARY KEY (step_order);
COMMENT ON TABLE marts.kpi_application_funnel IS
    'One row per funnel step (applied -> screening -> interview -> offer -> hired) over every application of fact_application. An application reached a stage when it ever had that status. applications_at_from = applications that reached from_stage; applications_converted = those of them that also reached to_stage; conversion_pct = 100 * converted / at_from (2 decimals). [dv:5850bb98748af803]';
