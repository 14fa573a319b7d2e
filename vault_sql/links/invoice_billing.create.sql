-- generated from model/links/invoice_billing.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_invoice_billing (
    hk_invoice_billing uuid NOT NULL,
    hk_invoice uuid NOT NULL,
    hk_employer uuid NOT NULL,
    hk_placement uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_invoice_billing_pk PRIMARY KEY (hk_invoice_billing)
);
CREATE INDEX IF NOT EXISTS link_invoice_billing_invoice ON raw_vault.link_invoice_billing (hk_invoice);
CREATE INDEX IF NOT EXISTS link_invoice_billing_employer ON raw_vault.link_invoice_billing (hk_employer);
CREATE INDEX IF NOT EXISTS link_invoice_billing_placement ON raw_vault.link_invoice_billing (hk_placement);
CREATE INDEX IF NOT EXISTS link_invoice_billing_bid ON raw_vault.link_invoice_billing USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_invoice_billing IS
    'An invoice with the employer billed and the placement it bills for.';
COMMENT ON COLUMN raw_vault.link_invoice_billing.hk_invoice_billing IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_invoice_billing.hk_invoice IS 'Hash key of hub invoice';
COMMENT ON COLUMN raw_vault.link_invoice_billing.hk_employer IS 'Hash key of hub employer';
COMMENT ON COLUMN raw_vault.link_invoice_billing.hk_placement IS 'Hash key of hub placement';
COMMENT ON COLUMN raw_vault.link_invoice_billing.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_invoice_billing.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_invoice_billing.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_invoice_billing
    (hk_invoice_billing, hk_invoice, hk_employer, hk_placement, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_invoice_billing) DO NOTHING;
