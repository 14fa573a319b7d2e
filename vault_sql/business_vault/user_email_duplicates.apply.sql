-- generated from model/business_vault/standardization.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- business view business_vault.user_email_duplicates: created or replaced by dv apply after its plan,
-- when the raw-vault tables it reads exist (pipelines/standardize.py)
CREATE OR REPLACE VIEW business_vault.user_email_duplicates AS
SELECT a.user_id AS user_id, b.user_id AS other_user_id, a.email_std, a.email, b.email AS other_email
FROM business_vault.user_email_std AS a
JOIN business_vault.user_email_std AS b ON b.email_std = a.email_std AND b.user_id > a.user_id
;
COMMENT ON VIEW business_vault.user_email_duplicates IS
    'Pairs of users (user_id < other_user_id) whose current e-mail addresses are equal once standardized: candidate duplicate accounts.';

-- its masked form (docs/security.md): the same rows, its personal values masked; what the reader and the auditor
-- read ([dv:masked] in the comment: dv apply grants it to them although it reads personal data)
CREATE OR REPLACE VIEW business_vault.user_email_duplicates_masked AS
SELECT user_id,
       other_user_id,
       dv_meta.mask_email(email_std::text) AS email_std,
       dv_meta.mask_email(email::text) AS email,
       dv_meta.mask_email(other_email::text) AS other_email
  FROM business_vault.user_email_duplicates;
COMMENT ON VIEW business_vault.user_email_duplicates_masked IS
    '[dv:masked] user_email_duplicates with email_std, email, other_email as the domain only: the same rows.';
