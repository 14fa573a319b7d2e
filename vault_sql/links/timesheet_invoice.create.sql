-- generated from model/links/timesheet_invoice.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_timesheet_invoice (
    hk_timesheet_invoice uuid NOT NULL,
    hk_timesheet uuid NOT NULL,
    hk_invoice uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_timesheet_invoice_pk PRIMARY KEY (hk_timesheet_invoice)
);
CREATE INDEX IF NOT EXISTS link_timesheet_invoice_timesheet ON raw_vault.link_timesheet_invoice (hk_timesheet);
CREATE INDEX IF NOT EXISTS link_timesheet_invoice_invoice ON raw_vault.link_timesheet_invoice (hk_invoice);
CREATE INDEX IF NOT EXISTS link_timesheet_invoice_bid ON raw_vault.link_timesheet_invoice USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_timesheet_invoice IS
    'The invoice that billed a timesheet''s hours; a timesheet not invoiced yet points to the unknown invoice.';
COMMENT ON COLUMN raw_vault.link_timesheet_invoice.hk_timesheet_invoice IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_timesheet_invoice.hk_timesheet IS 'Hash key of hub timesheet';
COMMENT ON COLUMN raw_vault.link_timesheet_invoice.hk_invoice IS 'Hash key of hub invoice';
COMMENT ON COLUMN raw_vault.link_timesheet_invoice.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_timesheet_invoice.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_timesheet_invoice.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_timesheet_invoice
    (hk_timesheet_invoice, hk_timesheet, hk_invoice, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_timesheet_invoice) DO NOTHING;
