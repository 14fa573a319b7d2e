-- generated from model/business_vault/standardization.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- business view business_vault.crm_account_std: created or replaced by dv apply after its plan,
-- when the raw-vault tables it reads exist (pipelines/standardize.py)
CREATE OR REPLACE VIEW business_vault.crm_account_std AS
SELECT h.hk_crm_account, h.account_id, s.account_name,
       s.account_name ~* ',\s*prospect\s*$' AS is_prospect,
       business_vault.std_employer_name(regexp_replace(s.account_name, ',\s*prospect\s*$', '', 'i')) AS name_std,
       s.billing_country, business_vault.std_country_code(s.billing_country) AS billing_country_std,
       e.hk_employer, e.employer_id
FROM raw_vault.sat_crm_account_details AS s
JOIN raw_vault.hub_crm_account AS h ON h.hk_crm_account = s.hk_crm_account
LEFT JOIN raw_vault.link_crm_account_employer AS l
       ON l.hk_crm_account = s.hk_crm_account AND l.record_source <> 'SYSTEM.GHOST'
LEFT JOIN raw_vault.hub_employer AS e ON e.hk_employer = l.hk_employer AND e.record_source <> 'SYSTEM.GHOST'
WHERE s.record_source <> 'SYSTEM.GHOST'
  AND NOT EXISTS (SELECT 1 FROM raw_vault.sat_crm_account_details AS n
                  WHERE n.hk_crm_account = s.hk_crm_account
                    AND (n.applied_dts, n.load_dts, n.load_seq) > (s.applied_dts, s.load_dts, s.load_seq))
;
COMMENT ON VIEW business_vault.crm_account_std IS
    'Each CRM account''s current name (its matching key without the CRM''s ", Prospect" marker), billing country, and the platform employer it names (none for prospects; one row per employer it ever named).';
