-- generated from model/business_vault/standardization.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- function business_vault.std_email: created or replaced by dv apply after its plan (pipelines/standardize.py)
CREATE SCHEMA IF NOT EXISTS business_vault;

CREATE OR REPLACE FUNCTION business_vault.std_email(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN NULLIF(lower(regexp_replace(regexp_replace(
           regexp_replace(value, '[[:space:]\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+', '', 'g'),
           '^mailto:', '', 'i'), '^<(.*)>$', '\1')), '');
COMMENT ON FUNCTION business_vault.std_email(text) IS
    'An e-mail address standardized: white space removed, mailto: and <...> removed, lower case; NULL when empty.';
