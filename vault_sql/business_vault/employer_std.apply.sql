-- generated from model/business_vault/standardization.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- business view business_vault.employer_std: created or replaced by dv apply after its plan,
-- when the raw-vault tables it reads exist (pipelines/standardize.py)
CREATE OR REPLACE VIEW business_vault.employer_std AS
SELECT h.hk_employer, h.employer_id, s.name, business_vault.std_employer_name(s.name) AS name_std,
       s.country_code, business_vault.std_country_code(s.country_code) AS country_code_std
FROM raw_vault.sat_employer_details AS s
JOIN raw_vault.hub_employer AS h ON h.hk_employer = s.hk_employer
WHERE s.record_source <> 'SYSTEM.GHOST'
  AND NOT EXISTS (SELECT 1 FROM raw_vault.sat_employer_details AS n WHERE n.hk_employer = s.hk_employer
                  AND (n.applied_dts, n.load_dts, n.load_seq) > (s.applied_dts, s.load_dts, s.load_seq))
;
COMMENT ON VIEW business_vault.employer_std IS
    'Each platform employer''s current name and country, with the name''s matching key (std_employer_name) and the ISO country code.';
