-- generated from model/business_vault/standardization.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- function business_vault.company_key: created or replaced by dv apply after its plan (pipelines/standardize.py)
CREATE SCHEMA IF NOT EXISTS business_vault;

CREATE OR REPLACE FUNCTION business_vault.company_key(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN business_vault.std_employer_name(value);
COMMENT ON FUNCTION business_vault.company_key(text) IS
    'Same as std_employer_name: the matching key of any company name (CRM accounts, board postings).';
