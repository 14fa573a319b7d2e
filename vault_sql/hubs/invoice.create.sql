-- generated from model/hubs/invoice.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.hub_invoice (
    hk_invoice uuid NOT NULL,
    invoice_number text,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT hub_invoice_pk PRIMARY KEY (hk_invoice)
);
CREATE INDEX IF NOT EXISTS hub_invoice_bid ON raw_vault.hub_invoice USING brin (batch_id);
COMMENT ON TABLE raw_vault.hub_invoice IS 'An invoice JTLD sent an employer, by its invoice number.';
COMMENT ON COLUMN raw_vault.hub_invoice.hk_invoice IS 'Hash key (md5, hash spec v1) of the business key';
COMMENT ON COLUMN raw_vault.hub_invoice.invoice_number IS
    'The invoice number (INV-2026-0000123). (standardized as hashed)';
COMMENT ON COLUMN raw_vault.hub_invoice.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.hub_invoice.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.hub_invoice.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record: the zero key, so satellites, PITs and marts never need outer-join guessing
INSERT INTO raw_vault.hub_invoice (hk_invoice, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_invoice) DO NOTHING;
