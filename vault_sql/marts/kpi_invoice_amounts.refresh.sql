-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_invoice_amounts (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_invoice_amounts;
INSERT INTO marts.kpi_invoice_amounts
    (month, currency, status, invoices, amount, amount_timesheets, amount_placement_fee, avg_days_to_pay)
SELECT q.month, q.currency, q.status, q.invoices, q.amount, q.amount_timesheets, q.amount_placement_fee,
    q.avg_days_to_pay
  FROM (
-- dv:select here (kpi_invoice_amounts.build.sql)
) AS q;
