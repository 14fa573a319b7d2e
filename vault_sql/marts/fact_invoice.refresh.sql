-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_invoice (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_invoice;
INSERT INTO marts.fact_invoice (
    invoice_key, invoice_number, invoice_id, employer_key, placement_key, invoice_type, amount, currency, issued_on,
    due_on, status, paid_at, days_to_pay, is_overdue
)
SELECT q.invoice_key, q.invoice_number, q.invoice_id, q.employer_key, q.placement_key, q.invoice_type, q.amount,
    q.currency, q.issued_on, q.due_on, q.status, q.paid_at, q.days_to_pay, q.is_overdue
  FROM (
-- dv:select here (fact_invoice.build.sql)
) AS q;
