-- generated from model/satellites/crm.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Status tracking of hub crm_account in the full extracts of source crm_accounts: one row per change
-- of a key's status ('present' / 'deleted').
CREATE TABLE IF NOT EXISTS raw_vault.sts_crm_account_export (
    hk_crm_account uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    status text,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT sts_crm_account_export_pk PRIMARY KEY (hk_crm_account, load_dts)
);
CREATE INDEX IF NOT EXISTS sts_crm_account_export_status ON raw_vault.sts_crm_account_export (status) INCLUDE
    (hk_crm_account, load_dts);
CREATE INDEX IF NOT EXISTS sts_crm_account_export_bid ON raw_vault.sts_crm_account_export USING brin (batch_id);
COMMENT ON TABLE raw_vault.sts_crm_account_export IS
    'Whether an account is in the CRM''s daily full export; an account missing from an export was deleted in the CRM.';
COMMENT ON COLUMN raw_vault.sts_crm_account_export.hk_crm_account IS 'Hash key of hub crm_account';
COMMENT ON COLUMN raw_vault.sts_crm_account_export.load_dts IS 'Load timestamp of the batch that saw the change';
COMMENT ON COLUMN raw_vault.sts_crm_account_export.status IS
    '''present'': in the full extract of this batch (new, reappearing or moved partition); ''deleted'': missing from it. NULL only in the ghost record';
COMMENT ON COLUMN raw_vault.sts_crm_account_export.record_source IS 'Source whose extract showed the change';
COMMENT ON COLUMN raw_vault.sts_crm_account_export.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record (status unknown: NULL)
INSERT INTO raw_vault.sts_crm_account_export (hk_crm_account, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_crm_account, load_dts) DO NOTHING;
