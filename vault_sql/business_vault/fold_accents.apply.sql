-- generated from model/business_vault/standardization.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- function business_vault.fold_accents: created or replaced by dv apply after its plan (pipelines/standardize.py)
CREATE SCHEMA IF NOT EXISTS business_vault;

CREATE OR REPLACE FUNCTION business_vault.fold_accents(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN replace(replace(replace(replace(translate(
           regexp_replace(normalize(value, NFKD), '[\u0300-\u036f]', '', 'g'),
           'łŁøØđĐħĦıŀĿ', 'lLoOdDhHilL'), 'ß', 'ss'), 'æ', 'ae'), 'Æ', 'AE'), 'œ', 'oe');
COMMENT ON FUNCTION business_vault.fold_accents(text) IS
    'The text with accents and diacritics removed (Zoë -> Zoe, Łódź -> Lodz, ß -> ss).';
