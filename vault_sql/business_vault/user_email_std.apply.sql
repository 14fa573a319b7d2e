-- generated from model/business_vault/standardization.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- business view business_vault.user_email_std: created or replaced by dv apply after its plan,
-- when the raw-vault tables it reads exist (pipelines/standardize.py)
CREATE OR REPLACE VIEW business_vault.user_email_std AS
SELECT h.hk_user, h.user_id, s.email, business_vault.std_email(s.email) AS email_std, s.load_dts, s.batch_id
FROM raw_vault.sat_user_personal AS s
JOIN raw_vault.hub_user AS h ON h.hk_user = s.hk_user
WHERE s.email IS NOT NULL
  AND s.record_source <> 'SYSTEM.GHOST'
  AND NOT EXISTS (SELECT 1 FROM raw_vault.sat_user_personal AS n WHERE n.hk_user = s.hk_user
                  AND (n.applied_dts, n.load_dts, n.load_seq) > (s.applied_dts, s.load_dts, s.load_seq))
;
COMMENT ON VIEW business_vault.user_email_std IS
    'Each user''s current e-mail address, as delivered and standardized (business_vault.std_email); erased addresses left out.';

-- its masked form (docs/security.md): the same rows, its personal values masked; what the reader and the auditor
-- read ([dv:masked] in the comment: dv apply grants it to them although it reads personal data)
CREATE OR REPLACE VIEW business_vault.user_email_std_masked AS
SELECT hk_user,
       user_id,
       dv_meta.mask_email(email::text) AS email,
       dv_meta.mask_email(email_std::text) AS email_std,
       load_dts,
       batch_id
  FROM business_vault.user_email_std;
COMMENT ON VIEW business_vault.user_email_std_masked IS
    '[dv:masked] user_email_std with email, email_std as the domain only: the same rows.';
