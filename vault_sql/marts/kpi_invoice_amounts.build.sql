-- generated from model/marts/finance.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_invoice_amounts (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.kpi_invoice_amounts CASCADE;
CREATE TABLE marts.kpi_invoice_amounts AS
-- dv:select begin (kpi_invoice_amounts.refresh.sql selects these rows again)
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
-- dv:select end
;
ALTER TABLE marts.kpi_invoice_amounts ADD PRIMARY KEY (month, currency, status);
COMMENT ON TABLE marts.kpi_invoice_amounts IS
    'Invoiced amounts per month of issue (first day of the month of issued_on), currency and current status (open, paid, overdue, written_off): invoices and their amount (sum, in the currency; never converted), of which the timesheet invoices and the placement fees, and for the paid ones the average days_to_pay (2 decimals). The paid, open, overdue and written-off amounts of a month are the rows of that status. [dv:3d48b70b9fc4dba9]';
