-- generated from model/satellites/crm.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_crm_account_details (
    hk_crm_account uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    account_name text,
    account_manager text,
    contract_tier text,
    billing_country char(2),
    CONSTRAINT sat_crm_account_details_pk PRIMARY KEY (hk_crm_account, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_crm_account_details_ver ON raw_vault.sat_crm_account_details
    (hk_crm_account, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_crm_account_details_bid ON raw_vault.sat_crm_account_details USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_crm_account_details IS
    'A CRM account''s name, account manager, contract tier (Bronze to Platinum) and billing country.';
COMMENT ON COLUMN raw_vault.sat_crm_account_details.hk_crm_account IS 'Hash key of hub crm_account';
COMMENT ON COLUMN raw_vault.sat_crm_account_details.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_crm_account_details.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_crm_account_details.applied_dts IS
    'When the change happened at the source (crm_accounts)';
COMMENT ON COLUMN raw_vault.sat_crm_account_details.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_crm_account_details.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_crm_account_details.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_crm_account_details.contract_tier IS 'Bronze, Silver, Gold or Platinum.';

-- ghost record
INSERT INTO raw_vault.sat_crm_account_details
    (hk_crm_account, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_crm_account, load_dts, load_seq) DO NOTHING;
