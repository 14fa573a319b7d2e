-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/crm_account.yml, model/links/crm_account_employer.yml, model/satellites/crm.yml, model/sources/crm.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.crm_accounts (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    account_id text,
    account_name text,
    platform_employer_id text,
    account_manager text,
    contract_tier text,
    billing_country text,
    last_modified text,
    export_date text,
    landing_file text,
    landing_line text
);
COMMENT ON TABLE staging.crm_accounts IS
    'Landing for source crm_accounts (jtld.crm.accounts): rows as extracted, emptied when staged. Employer accounts from JTLD''s CRM, a daily full CSV export (UTF-8 with a BOM, CRLF, quoted commas, empty lines). The extract step turns "Last Modified" (dd/mm/yyyy HH:MM) into ISO; a value that is not a date is kept as it is and goes to quarantine in the stage step.';
COMMENT ON COLUMN staging.crm_accounts.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.crm_accounts.account_id IS 'The CRM''s key (001J00000000017).';
COMMENT ON COLUMN staging.crm_accounts.platform_employer_id IS
    'employers.employer_id; empty for prospects not on the platform.';
COMMENT ON COLUMN staging.crm_accounts.contract_tier IS 'Bronze, Silver, Gold or Platinum.';
COMMENT ON COLUMN staging.crm_accounts.export_date IS 'Date of the export file.';

CREATE TABLE IF NOT EXISTS staging.crm_accounts_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_crm_account uuid,
    hk_crm_account_employer uuid,
    hk_crm_account_employer__crm_account uuid,
    hk_crm_account_employer__employer uuid,
    hd_crm_account_details uuid,
    account_id text,
    account_name text,
    platform_employer_id bigint,
    account_manager text,
    contract_tier text,
    billing_country char(2),
    last_modified timestamptz,
    export_date date,
    landing_file text,
    landing_line integer,
    CONSTRAINT crm_accounts_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS crm_accounts_stage_k1 ON staging.crm_accounts_stage (hk_crm_account, applied_dts);
COMMENT ON TABLE staging.crm_accounts_stage IS
    'Staged rows of source crm_accounts per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.crm_accounts_stage.account_id IS 'The CRM''s key (001J00000000017).';
COMMENT ON COLUMN staging.crm_accounts_stage.platform_employer_id IS
    'employers.employer_id; empty for prospects not on the platform.';
COMMENT ON COLUMN staging.crm_accounts_stage.contract_tier IS 'Bronze, Silver, Gold or Platinum.';
COMMENT ON COLUMN staging.crm_accounts_stage.export_date IS 'Date of the export file.';
