-- generated from model/business_vault/standardization.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- function business_vault.country_key: created or replaced by dv apply after its plan (pipelines/standardize.py)
CREATE SCHEMA IF NOT EXISTS business_vault;

CREATE OR REPLACE FUNCTION business_vault.country_key(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN NULLIF(regexp_replace(regexp_replace(upper(business_vault.fold_accents(btrim(value))), '^THE[^A-Z]+', ''),
                             '[^A-Z]', '', 'g'), '');
COMMENT ON FUNCTION business_vault.country_key(text) IS
    'The key a country is looked up by (business_vault.country_alias): accents folded, upper case, a leading THE dropped, letters only.';
