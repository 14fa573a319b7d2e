-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/crm_account.yml, model/links/crm_account_employer.yml, model/satellites/crm.yml, model/sources/crm.yml
-- hash spec v1 (md5)
-- Stage one batch of source crm_accounts: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- The fast statement: values are cast without a test first, so a value that does not cast fails the
-- statement; the runtime then rolls it back and runs crm_accounts.stage_checked.sql, which tests them.
-- Reconciliation (rows read = staged + quarantined) is recorded in dv_meta.batch_source.
-- Expects: SET dv.batch_id = '<batch id>';

WITH batch AS (
    SELECT b.batch_id, b.load_dts
    FROM dv_meta.batch AS b
    WHERE b.batch_id = current_setting('dv.batch_id')::bigint
),
checked AS (
    -- the landed rows, each with the first value that does not pass its test (inlined: read once)
    SELECT
        l.*,
        CASE
            WHEN NOT (l.billing_country IS NULL OR char_length(rtrim(l.billing_country, ' ')) <= 2)
                THEN 'column billing_country: not a valid char(2): ' || l.billing_country
            WHEN NOT (
                l.last_modified IS NULL
                OR l.last_modified !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
            )
                THEN 'column last_modified: not a valid timestamptz: ' || l.last_modified
            WHEN NOT (
                l.export_date IS NULL
                OR l.export_date !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
            )
                THEN 'column export_date: not a valid date: ' || l.export_date
        END AS dv_cast_error
    FROM staging.crm_accounts AS l
    OFFSET 0  -- a fence: each row's tests run once, not once for every column that reads their result
),
typed AS (
    SELECT
        c.dv_row_no,
        c.dv_cast_error,
        c.account_id AS account_id,
        c.account_name AS account_name,
        c.platform_employer_id::bigint AS platform_employer_id,
        c.account_manager AS account_manager,
        c.contract_tier AS contract_tier,
        c.billing_country::char(2) AS billing_country,
        c.last_modified::timestamptz AS last_modified,
        c.export_date::date AS export_date,
        c.landing_file AS landing_file,
        c.landing_line::integer AS landing_line
    FROM checked AS c
),
keyed AS (
    SELECT
        t.*,
        CASE
            WHEN t.account_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.account_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k1,
        CASE
            WHEN t.platform_employer_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(
                    btrim(regexp_replace(t.platform_employer_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE
                        "C"
                )
        END AS dv_k2
    FROM typed AS t
    OFFSET 0  -- a fence: each standardized key value is computed once, however many hash keys use it
),
hashed AS (
    SELECT
        k.*,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_crm_account,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_crm_account_employer__crm_account,
        replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_crm_account_employer__employer,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_crm_account_employer
    FROM keyed AS k
),
verdict AS (
    -- every landed row once (the only step materialized: both inserts read it), with why it cannot be
    -- staged: a value that does not cast, else a required key that is empty
    SELECT
        h.*,
        COALESCE(h.dv_cast_error, CASE
            WHEN h.dv_ks_hk_crm_account IS NULL THEN 'hub crm_account: business key (account_id) is empty'
            WHEN h.dv_ks_hk_crm_account_employer__crm_account IS NULL THEN
                'link crm_account_employer: role crm_account has no key (account_id)'
        END) AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'crm_accounts', l.dv_row_no, v.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM verdict AS v
    JOIN staging.crm_accounts AS l ON l.dv_row_no = v.dv_row_no
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NOT NULL
    RETURNING 1
),
staged AS (
    INSERT INTO staging.crm_accounts_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_crm_account,
        hk_crm_account_employer__crm_account,
        hk_crm_account_employer__employer,
        hk_crm_account_employer,
        hd_crm_account_details,
        account_id,
        account_name,
        platform_employer_id,
        account_manager,
        contract_tier,
        billing_country,
        last_modified,
        export_date,
        landing_file,
        landing_line
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.crm.accounts',
        v.dv_row_no,
        COALESCE(v.last_modified::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_crm_account)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(
            md5(v.dv_ks_hk_crm_account_employer__crm_account)::uuid,
            '00000000-0000-0000-0000-000000000000'::uuid
        ),
        COALESCE(md5(v.dv_ks_hk_crm_account_employer__employer)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_crm_account_employer)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        md5(
            regexp_replace(
                COALESCE(
                    replace(
                        replace(regexp_replace(v.account_name::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(v.account_manager::text, E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.contract_tier::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(v.billing_country::text, E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                ),
                E'(\\|\\\\N)+$', ''
            )
        )::uuid,
        v.account_id,
        v.account_name,
        v.platform_employer_id,
        v.account_manager,
        v.contract_tier,
        v.billing_country,
        v.last_modified,
        v.export_date,
        v.landing_file,
        v.landing_line
    FROM verdict AS v
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NULL
    RETURNING 1
)
INSERT INTO dv_meta.batch_source (batch_id, source, rows_read, rows_staged, rows_quarantined)
SELECT
    b.batch_id,
    'crm_accounts',
    (SELECT count(*) FROM staging.crm_accounts),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.crm_accounts;
