-- generated from model/business_vault/standardization.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- function business_vault.std_employer_name: created or replaced by dv apply after its plan (pipelines/standardize.py)
CREATE SCHEMA IF NOT EXISTS business_vault;

CREATE OR REPLACE FUNCTION business_vault.std_employer_name(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN NULLIF(
           regexp_replace(                                             -- 5. legal forms at the end
               regexp_replace(                                         -- 4. a leading "the"
                   btrim(regexp_replace(                               -- 3. punctuation as one space
                       regexp_replace(                                 -- 2. & and + read as "and"
                           regexp_replace(                             -- 1. quotes dropped
                               lower(business_vault.fold_accents(value)),
                               '["''`‘’‚‛“”„«»]', '', 'g'),
                           '[&+]', ' and ', 'g'),
                       '[^a-z0-9]+', ' ', 'g')),
                   '^the ', ''),
               -- one or more legal forms at the end, after a space (whole words), as they read once punctuation
               -- became spaces ("B.V." is "b v"), longest first: tests/test_standardize.py lists them
               '([ ](?:gmbh[ ]and[ ]co[ ]kg|ag[ ]and[ ]co[ ]kg|incorporated|corporation|gmbh[ ]co[ ]kg|and[ ]co[ ]kg'
               || '|sp[ ]z[ ]o[ ]o|company|g[ ]m[ ]b[ ]h|limited|s[ ]a[ ]r[ ]l|and[ ]co|co[ ]kg|l[ ]l[ ]c|s[ ]a[ ]s'
               || '|s[ ]l[ ]u|s[ ]p[ ]a|s[ ]r[ ]l|spzoo|v[ ]o[ ]f|bvba|corp|gmbh|sarl|sp[ ]k|sprl|a[ ]b|a[ ]s|aps|asa'
               || '|b[ ]v|e[ ]k|inc|l[ ]p|llc|llp|ltd|mbh|n[ ]v|oyj|plc|s[ ]a|s[ ]c|s[ ]l|sas|slu|spa|srl|vof|ab|ag|as'
               || '|bv|co|ek|kg|lp|nv|oy|sa|se|sl|ug))+$', ''),
           '');
COMMENT ON FUNCTION business_vault.std_employer_name(text) IS
    'The matching key of a company name: accents folded, lower case, quotes dropped, & as and, punctuation as spaces, a leading the and trailing legal forms (GmbH, B.V., Ltd, SAS, ...) removed.';
