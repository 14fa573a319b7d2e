-- generated from model/business_vault/standardization.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- business view business_vault.crm_employer_name_check: created or replaced by dv apply after its plan,
-- when the raw-vault tables it reads exist (pipelines/standardize.py)
CREATE OR REPLACE VIEW business_vault.crm_employer_name_check AS
SELECT c.account_id, c.employer_id, c.account_name, e.name AS employer_name, c.name_std AS account_name_std,
       e.name_std AS employer_name_std, c.name_std = e.name_std AS names_match
FROM business_vault.crm_account_std AS c
JOIN business_vault.employer_std AS e ON e.hk_employer = c.hk_employer
;
COMMENT ON VIEW business_vault.crm_employer_name_check IS
    'Each CRM account that names a platform employer, with both names and whether they are the same company name once standardized.';
