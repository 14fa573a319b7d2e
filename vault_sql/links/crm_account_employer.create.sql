-- generated from model/links/crm_account_employer.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_crm_account_employer (
    hk_crm_account_employer uuid NOT NULL,
    hk_crm_account uuid NOT NULL,
    hk_employer uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_crm_account_employer_pk PRIMARY KEY (hk_crm_account_employer)
);
CREATE INDEX IF NOT EXISTS link_crm_account_employer_crm_account ON raw_vault.link_crm_account_employer
    (hk_crm_account);
CREATE INDEX IF NOT EXISTS link_crm_account_employer_employer ON raw_vault.link_crm_account_employer (hk_employer);
CREATE INDEX IF NOT EXISTS link_crm_account_employer_bid ON raw_vault.link_crm_account_employer USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_crm_account_employer IS
    'The platform employer a CRM account stands for; prospects that are not on the platform point to the unknown employer.';
COMMENT ON COLUMN raw_vault.link_crm_account_employer.hk_crm_account_employer IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_crm_account_employer.hk_crm_account IS 'Hash key of hub crm_account';
COMMENT ON COLUMN raw_vault.link_crm_account_employer.hk_employer IS 'Hash key of hub employer';
COMMENT ON COLUMN raw_vault.link_crm_account_employer.load_dts IS
    'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_crm_account_employer.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_crm_account_employer.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_crm_account_employer
    (hk_crm_account_employer, hk_crm_account, hk_employer, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_crm_account_employer) DO NOTHING;
