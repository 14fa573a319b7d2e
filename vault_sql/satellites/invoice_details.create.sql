-- generated from model/satellites/invoice.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_invoice_details (
    hk_invoice uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    invoice_id bigint,
    invoice_type text,
    amount numeric(12,2),
    currency char(3),
    issued_on date,
    due_on date,
    CONSTRAINT sat_invoice_details_pk PRIMARY KEY (hk_invoice, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_invoice_details_ver ON raw_vault.sat_invoice_details
    (hk_invoice, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_invoice_details_bid ON raw_vault.sat_invoice_details USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_invoice_details IS
    'What an invoice bills - type, amount, currency, issue and due dates - and its id on the platform.';
COMMENT ON COLUMN raw_vault.sat_invoice_details.hk_invoice IS 'Hash key of hub invoice';
COMMENT ON COLUMN raw_vault.sat_invoice_details.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_invoice_details.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_invoice_details.applied_dts IS
    'When the change happened at the source (platform_invoices)';
COMMENT ON COLUMN raw_vault.sat_invoice_details.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_invoice_details.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_invoice_details.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_invoice_details.invoice_id IS 'The platform''s id of the invoice.';
COMMENT ON COLUMN raw_vault.sat_invoice_details.invoice_type IS
    'timesheets (monthly hours) or placement_fee (permanent hire).';
COMMENT ON COLUMN raw_vault.sat_invoice_details.amount IS 'Amount billed.';
COMMENT ON COLUMN raw_vault.sat_invoice_details.currency IS 'Currency of the amount.';
COMMENT ON COLUMN raw_vault.sat_invoice_details.issued_on IS 'Invoice date.';
COMMENT ON COLUMN raw_vault.sat_invoice_details.due_on IS 'Payment due date.';

-- ghost record
INSERT INTO raw_vault.sat_invoice_details
    (hk_invoice, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_invoice, load_dts, load_seq) DO NOTHING;
