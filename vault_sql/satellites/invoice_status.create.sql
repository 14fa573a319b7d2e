-- generated from model/satellites/invoice.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_invoice_status (
    hk_invoice uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    status text,
    paid_at timestamptz,
    CONSTRAINT sat_invoice_status_pk PRIMARY KEY (hk_invoice, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_invoice_status_ver ON raw_vault.sat_invoice_status
    (hk_invoice, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_invoice_status_bid ON raw_vault.sat_invoice_status USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_invoice_status IS
    'Whether an invoice is open, paid, overdue or written off, and when it was paid.';
COMMENT ON COLUMN raw_vault.sat_invoice_status.hk_invoice IS 'Hash key of hub invoice';
COMMENT ON COLUMN raw_vault.sat_invoice_status.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_invoice_status.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_invoice_status.applied_dts IS
    'When the change happened at the source (platform_invoices)';
COMMENT ON COLUMN raw_vault.sat_invoice_status.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_invoice_status.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_invoice_status.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_invoice_status.status IS 'open, paid, overdue or written_off.';
COMMENT ON COLUMN raw_vault.sat_invoice_status.paid_at IS 'When it was paid; empty until paid.';

-- ghost record
INSERT INTO raw_vault.sat_invoice_status
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
