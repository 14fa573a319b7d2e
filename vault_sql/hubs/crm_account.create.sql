-- generated from model/hubs/crm_account.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.hub_crm_account (
    hk_crm_account uuid NOT NULL,
    account_id text,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT hub_crm_account_pk PRIMARY KEY (hk_crm_account)
);
CREATE INDEX IF NOT EXISTS hub_crm_account_bid ON raw_vault.hub_crm_account USING brin (batch_id);
COMMENT ON TABLE raw_vault.hub_crm_account IS
    'An account of JTLD''s CRM (an employer on the platform, or a prospect), by the CRM''s account id.';
COMMENT ON COLUMN raw_vault.hub_crm_account.hk_crm_account IS 'Hash key (md5, hash spec v1) of the business key';
COMMENT ON COLUMN raw_vault.hub_crm_account.account_id IS
    'The CRM''s id of the account (001J00000000017). (standardized as hashed)';
COMMENT ON COLUMN raw_vault.hub_crm_account.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.hub_crm_account.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.hub_crm_account.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record: the zero key, so satellites, PITs and marts never need outer-join guessing
INSERT INTO raw_vault.hub_crm_account (hk_crm_account, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_crm_account) DO NOTHING;
