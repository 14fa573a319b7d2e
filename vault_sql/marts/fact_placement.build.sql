-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_placement (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.fact_placement CASCADE;
CREATE TABLE marts.fact_placement AS
-- dv:select begin (fact_placement.refresh.sql selects these rows again)
WITH parties AS (
  SELECT DISTINCT ON (l.hk_placement)
         l.hk_placement, l.hk_application, l.hk_candidate, l.hk_job, l.hk_employer
    FROM raw_vault.link_placement_parties AS l
   WHERE l.record_source <> 'SYSTEM.GHOST'
   ORDER BY l.hk_placement, l.load_dts DESC, l.hk_placement_parties
)
SELECT h.hk_placement AS placement_key,
       h.placement_id,
       COALESCE(p.hk_application, '00000000-0000-0000-0000-000000000000'::uuid) AS application_key,
       COALESCE(p.hk_candidate, '00000000-0000-0000-0000-000000000000'::uuid) AS candidate_key,
       COALESCE(p.hk_job, '00000000-0000-0000-0000-000000000000'::uuid) AS job_key,
       COALESCE(p.hk_employer, '00000000-0000-0000-0000-000000000000'::uuid) AS employer_key,
       t.placement_type,
       t.start_date,
       s.end_date,
       t.hourly_rate,
       t.annual_salary,
       t.fee_pct,
       t.currency,
       s.status,
       t.created_at
  FROM raw_vault.hub_placement AS h
  LEFT JOIN parties AS p ON p.hk_placement = h.hk_placement
  LEFT JOIN raw_vault.sat_placement_terms_current AS t ON t.hk_placement = h.hk_placement
  LEFT JOIN raw_vault.sat_placement_status_current AS s ON s.hk_placement = h.hk_placement
 WHERE h.record_source <> 'SYSTEM.GHOST'
-- dv:select end
;
ALTER TABLE marts.fact_placement ADD PRIMARY KEY (placement_id);
COMMENT ON TABLE marts.fact_placement IS
    'One row per placement (a hire through the platform; ghost excluded), as it stands now: its parties (application, candidate, job, employer, from link_placement_parties; the zero uuid where unknown), its terms (sat_placement_terms: type, start date, hourly rate for contracts, annual salary for permanent hires, agency fee, currency, created_at = the hire) and its current status and end date (sat_placement_status: planned, active, ended, terminated; the end date moves with extensions and terminations). [dv:178e21bcae0d0bf0]';
