-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_contractor_hours (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.fact_contractor_hours CASCADE;
CREATE TABLE marts.fact_contractor_hours AS
-- dv:select begin (fact_contractor_hours.refresh.sql selects these rows again)
WITH path AS (
  -- placement -> timesheet -> invoice: one row per timesheet, a real invoice before the ghost (not invoiced
  -- when first loaded), then the latest link row
  SELECT DISTINCT ON (b.hk_timesheet)
         b.hk_timesheet, b.hk_placement, b.hk_timesheet_hours, b.hk_invoice
    FROM business_vault.bridge_placement AS b
    LEFT JOIN raw_vault.link_timesheet_invoice AS l ON l.hk_timesheet_invoice = b.hk_timesheet_invoice
    LEFT JOIN raw_vault.nhl_timesheet_hours AS n ON n.hk_timesheet_hours = b.hk_timesheet_hours
   WHERE b.hk_timesheet <> '00000000-0000-0000-0000-000000000000'::uuid
   ORDER BY b.hk_timesheet, b.hk_invoice = '00000000-0000-0000-0000-000000000000'::uuid, l.load_dts DESC,
            n.load_dts, b.hk_timesheet_hours, b.hk_invoice
),
parties AS (
  SELECT DISTINCT ON (l.hk_placement)
         l.hk_placement, l.hk_candidate, l.hk_employer
    FROM raw_vault.link_placement_parties AS l
   WHERE l.record_source <> 'SYSTEM.GHOST'
   ORDER BY l.hk_placement, l.load_dts DESC, l.hk_placement_parties
)
SELECT h.hk_timesheet AS timesheet_key,
       h.timesheet_id,
       COALESCE(b.hk_placement, '00000000-0000-0000-0000-000000000000'::uuid) AS placement_key,
       hp.placement_id,
       COALESCE(p.hk_candidate, '00000000-0000-0000-0000-000000000000'::uuid) AS candidate_key,
       COALESCE(p.hk_employer, '00000000-0000-0000-0000-000000000000'::uuid) AS employer_key,
       COALESCE(b.hk_invoice, '00000000-0000-0000-0000-000000000000'::uuid) AS invoice_key,
       w.week_start,
       w.hours,
       w.submitted_at,
       s.status,
       s.approved_at,
       t.hourly_rate,
       t.currency,
       CASE WHEN s.status = 'approved' THEN round(w.hours * t.hourly_rate, 2) ELSE 0 END AS billable_amount
  FROM raw_vault.hub_timesheet AS h
  LEFT JOIN path AS b ON b.hk_timesheet = h.hk_timesheet
  LEFT JOIN raw_vault.nhl_timesheet_hours AS w ON w.hk_timesheet_hours = b.hk_timesheet_hours
  LEFT JOIN raw_vault.hub_placement AS hp ON hp.hk_placement = b.hk_placement
  LEFT JOIN parties AS p ON p.hk_placement = b.hk_placement
  LEFT JOIN raw_vault.sat_timesheet_status_current AS s ON s.hk_timesheet = h.hk_timesheet
  LEFT JOIN raw_vault.sat_placement_terms_current AS t ON t.hk_placement = b.hk_placement
 WHERE h.record_source <> 'SYSTEM.GHOST'
-- dv:select end
;
ALTER TABLE marts.fact_contractor_hours ADD PRIMARY KEY (timesheet_id);
COMMENT ON TABLE marts.fact_contractor_hours IS
    'One row per timesheet (a contractor''s week; ghost excluded). The path placement -> timesheet -> invoice comes from business_vault.bridge_placement (nhl_timesheet_hours, then link_timesheet_invoice): the hours as submitted (the first delivery), the invoice that billed it (a real invoice before the ghost one a timesheet gets while not invoiced; the zero uuid while not invoiced); the current status and approval time (sat_timesheet_status: submitted, approved, rejected), the placement''s parties (candidate and employer from link_placement_parties) and the placement''s hourly rate and currency (sat_placement_terms). billable_amount = hours x hourly_rate rounded to 2 decimals when the timesheet is approved, 0 otherwise (the agency fee not included; NULL when the rate is unknown). [dv:1a9b4ad6f1c17f9c]';
