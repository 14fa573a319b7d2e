-- generated from model/hubs/crm_account.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub crm_account from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.crm_account'));

INSERT INTO raw_vault.hub_crm_account (
    hk_crm_account, account_id, load_dts, record_source, batch_id
)
SELECT
    r.hk_crm_account, r.account_id, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_crm_account
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_crm_account AS hk_crm_account,
            NULLIF(upper(btrim(regexp_replace(s.account_id::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS account_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.crm_accounts_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_crm_account <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_crm_account AS h
              WHERE h.hk_crm_account = s.hk_crm_account
          )
        UNION ALL
        SELECT
            s.hk_crm_account_employer__crm_account AS hk_crm_account,
            NULLIF(upper(btrim(regexp_replace(s.account_id::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS account_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.crm_accounts_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_crm_account_employer__crm_account <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_crm_account AS h
              WHERE h.hk_crm_account = s.hk_crm_account_employer__crm_account
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_crm_account) DO NOTHING;
