-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_invoice_amounts (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_invoice_amounts;
INSERT INTO marts.kpi_invoice_amounts
SELECT * FROM (
SELECT date_trunc('month', f.issued_on::timestamp)::date AS month,
       f.currency,
       f.status,
       count(*) AS invoices,
       sum(f.amount) AS amount,
       COALESCE(sum(f.amount) FILTER (WHERE f.invoice_type = 'timesheets'), 0) AS amount_timesheets,
       COALESCE(sum(f.amount) FILTER (WHERE f.invoice_type = 'placement_fee'), 0) AS amount_placement_fee,
       round(avg(f.days_to_pay), 2) AS avg_days_to_pay
  FROM marts.fact_invoice AS f
 WHERE f.issued_on IS NOT NULL
 GROUP BY 1, 2, 3
) AS q;
