-- generated from model/business_vault/standardization.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- business view business_vault.company_duplicate_candidates: created or replaced by dv apply after its plan,
-- when the raw-vault tables it reads exist (pipelines/standardize.py)
CREATE OR REPLACE VIEW business_vault.company_duplicate_candidates AS
SELECT 'employer' AS kind, e.employer_id::text AS id, e.name,
       'employer' AS other_kind, o.employer_id::text AS other_id, o.name AS other_name,
       e.name_std, 'two employers of one country with the same name' AS reason
FROM business_vault.employer_std AS e
JOIN business_vault.employer_std AS o
  ON o.name_std = e.name_std AND o.employer_id > e.employer_id
 AND o.country_code_std IS NOT DISTINCT FROM e.country_code_std
UNION ALL
SELECT 'crm_account', c.account_id, c.account_name, 'employer', e.employer_id::text, e.name, c.name_std,
       CASE WHEN c.employer_id IS NULL THEN 'a CRM prospect with the name of a platform employer'
            ELSE 'a CRM account with the name of another employer than the one it names' END
FROM business_vault.crm_account_std AS c
JOIN business_vault.employer_std AS e ON e.name_std = c.name_std
WHERE c.employer_id IS DISTINCT FROM e.employer_id
UNION ALL
SELECT DISTINCT 'board_posting', b.board || ':' || b.posting_id, b.company, 'employer', e.employer_id::text, e.name,
       b.name_std, 'a partner-board posting of a company with the name of a platform employer'
FROM (SELECT h.board, h.posting_id, a.company, business_vault.std_employer_name(a.company) AS name_std
      FROM raw_vault.sat_board_a_posting AS a
      JOIN raw_vault.hub_board_posting AS h ON h.hk_board_posting = a.hk_board_posting
      WHERE a.record_source <> 'SYSTEM.GHOST'
        AND NOT EXISTS (SELECT 1 FROM raw_vault.sat_board_a_posting AS n
                        WHERE n.hk_board_posting = a.hk_board_posting
                          AND (n.applied_dts, n.load_dts, n.load_seq) > (a.applied_dts, a.load_dts, a.load_seq))
      UNION ALL
      SELECT h.board, h.posting_id, p.employer_name, business_vault.std_employer_name(p.employer_name)
      FROM raw_vault.sat_board_b_posting AS p
      JOIN raw_vault.hub_board_posting AS h ON h.hk_board_posting = p.hk_board_posting
      WHERE p.record_source <> 'SYSTEM.GHOST'
        AND NOT EXISTS (SELECT 1 FROM raw_vault.sat_board_b_posting AS n
                        WHERE n.hk_board_posting = p.hk_board_posting
                          AND (n.applied_dts, n.load_dts, n.load_seq) > (p.applied_dts, p.load_dts, p.load_seq))) AS b
JOIN business_vault.employer_std AS e ON e.name_std = b.name_std
;
COMMENT ON VIEW business_vault.company_duplicate_candidates IS
    'Pairs that may be one company, by equal standardized names: two employers of one country, a CRM account and an employer it does not name, a partner-board posting''s company and an employer. Candidates for a same-as link, to be confirmed.';
