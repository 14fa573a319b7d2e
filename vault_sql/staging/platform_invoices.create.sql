-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/invoice.yml, model/links/invoice_billing.yml, model/satellites/invoice.yml,
--   model/sources/platform_invoices.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_invoices (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    invoice_id text,
    invoice_number text,
    employer_id text,
    placement_id text,
    invoice_type text,
    amount text,
    currency text,
    issued_on text,
    due_on text,
    paid_at text,
    status text,
    updated_at text
);
COMMENT ON TABLE staging.platform_invoices IS
    'Landing for source platform_invoices (jtld.platform.invoices): rows as extracted, emptied when staged. Invoices JTLD sends employers: monthly for the approved hours of contract placements, or a one-off placement fee for permanent hires; with due date, payment and status.';
COMMENT ON COLUMN staging.platform_invoices.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_invoices.invoice_id IS 'The platform''s id of the invoice.';
COMMENT ON COLUMN staging.platform_invoices.invoice_number IS
    'The invoice number the employer sees (INV-2026-0000123).';
COMMENT ON COLUMN staging.platform_invoices.employer_id IS 'The employer billed.';
COMMENT ON COLUMN staging.platform_invoices.placement_id IS 'The placement billed for.';
COMMENT ON COLUMN staging.platform_invoices.invoice_type IS
    'timesheets (monthly hours) or placement_fee (permanent hire).';
COMMENT ON COLUMN staging.platform_invoices.amount IS 'Amount billed.';
COMMENT ON COLUMN staging.platform_invoices.currency IS 'Currency of the amount.';
COMMENT ON COLUMN staging.platform_invoices.issued_on IS 'Invoice date.';
COMMENT ON COLUMN staging.platform_invoices.due_on IS 'Payment due date.';
COMMENT ON COLUMN staging.platform_invoices.paid_at IS 'When it was paid; empty until paid.';
COMMENT ON COLUMN staging.platform_invoices.status IS 'open, paid, overdue or written_off.';
COMMENT ON COLUMN staging.platform_invoices.updated_at IS 'Last change: overdue, paid or written off.';

CREATE TABLE IF NOT EXISTS staging.platform_invoices_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_invoice uuid,
    hk_invoice_billing uuid,
    hk_invoice_billing__invoice uuid,
    hk_invoice_billing__employer uuid,
    hk_invoice_billing__placement uuid,
    hd_invoice_details uuid,
    hd_invoice_status uuid,
    invoice_id bigint,
    invoice_number text,
    employer_id bigint,
    placement_id bigint,
    invoice_type text,
    amount numeric(12,2),
    currency char(3),
    issued_on date,
    due_on date,
    paid_at timestamptz,
    status text,
    updated_at timestamptz,
    CONSTRAINT platform_invoices_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_invoices_stage_k1 ON staging.platform_invoices_stage (hk_invoice, applied_dts);
COMMENT ON TABLE staging.platform_invoices_stage IS
    'Staged rows of source platform_invoices per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_invoices_stage.invoice_id IS 'The platform''s id of the invoice.';
COMMENT ON COLUMN staging.platform_invoices_stage.invoice_number IS
    'The invoice number the employer sees (INV-2026-0000123).';
COMMENT ON COLUMN staging.platform_invoices_stage.employer_id IS 'The employer billed.';
COMMENT ON COLUMN staging.platform_invoices_stage.placement_id IS 'The placement billed for.';
COMMENT ON COLUMN staging.platform_invoices_stage.invoice_type IS
    'timesheets (monthly hours) or placement_fee (permanent hire).';
COMMENT ON COLUMN staging.platform_invoices_stage.amount IS 'Amount billed.';
COMMENT ON COLUMN staging.platform_invoices_stage.currency IS 'Currency of the amount.';
COMMENT ON COLUMN staging.platform_invoices_stage.issued_on IS 'Invoice date.';
COMMENT ON COLUMN staging.platform_invoices_stage.due_on IS 'Payment due date.';
COMMENT ON COLUMN staging.platform_invoices_stage.paid_at IS 'When it was paid; empty until paid.';
COMMENT ON COLUMN staging.platform_invoices_stage.status IS 'open, paid, overdue or written_off.';
COMMENT ON COLUMN staging.platform_invoices_stage.updated_at IS 'Last change: overdue, paid or written off.';
