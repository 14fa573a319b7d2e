-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_invoice (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.fact_invoice CASCADE;
CREATE TABLE marts.fact_invoice AS
-- dv:select begin (fact_invoice.refresh.sql selects these rows again)
WITH billing AS (
  SELECT DISTINCT ON (l.hk_invoice)
         l.hk_invoice, l.hk_employer, l.hk_placement
    FROM raw_vault.link_invoice_billing AS l
   WHERE l.record_source <> 'SYSTEM.GHOST'
   ORDER BY l.hk_invoice, l.load_dts DESC, l.hk_invoice_billing
)
SELECT h.hk_invoice AS invoice_key,
       h.invoice_number,
       d.invoice_id,
       COALESCE(b.hk_employer, '00000000-0000-0000-0000-000000000000'::uuid) AS employer_key,
       COALESCE(b.hk_placement, '00000000-0000-0000-0000-000000000000'::uuid) AS placement_key,
       d.invoice_type,
       d.amount,
       d.currency,
       d.issued_on,
       d.due_on,
       s.status,
       s.paid_at,
       (s.paid_at AT TIME ZONE 'UTC')::date - d.issued_on AS days_to_pay,
       COALESCE(s.status = 'overdue', false) AS is_overdue
  FROM raw_vault.hub_invoice AS h
  LEFT JOIN billing AS b ON b.hk_invoice = h.hk_invoice
  LEFT JOIN raw_vault.sat_invoice_details_current AS d ON d.hk_invoice = h.hk_invoice
  LEFT JOIN raw_vault.sat_invoice_status_current AS s ON s.hk_invoice = h.hk_invoice
 WHERE h.record_source <> 'SYSTEM.GHOST'
-- dv:select end
;
ALTER TABLE marts.fact_invoice ADD PRIMARY KEY (invoice_number);
COMMENT ON TABLE marts.fact_invoice IS
    'One row per invoice (ghost excluded), as it stands now: who is billed and for which placement (link_invoice_billing; the zero uuid where unknown), its figures (sat_invoice_details: type timesheets or placement_fee, amount, currency, issue and due dates) and its payment (sat_invoice_status: open, paid, overdue, written_off; paid_at). days_to_pay = the UTC date of paid_at minus issued_on (NULL while unpaid); is_overdue = the current status is overdue (unpaid the day after due_on and not written off yet). [dv:6d62f01d1278bad5]';
