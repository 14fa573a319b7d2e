-- generated from 3 model files by dv generate — do not edit:
--   model/links/employer_user.yml, model/satellites/employer.yml, model/sources/platform_employer_users.yml
-- hash spec v1 (md5)
-- Stage one batch of source platform_employer_users: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- The checked statement: every value is tested before its cast (a per-type pattern first, the exact
-- test only for what the pattern does not recognise). The runtime runs it when the fast statement
-- (platform_employer_users.stage.sql) failed on a value that does not cast.
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
            WHEN NOT (
                l.employer_id IS NULL
                OR l.employer_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.employer_id, 'bigint')
            )
                THEN 'column employer_id: not a valid bigint: ' || l.employer_id
            WHEN NOT (
                l.user_id IS NULL
                OR l.user_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.user_id, 'bigint')
            )
                THEN 'column user_id: not a valid bigint: ' || l.user_id
            WHEN NOT (
                l.is_active IS NULL
                OR l.is_active ~* E'^\\s*(t|true|f|false|y|yes|n|no|on|off|1|0)\\s*$'
                OR dv_meta.is_castable(l.is_active, 'boolean')
            )
                THEN 'column is_active: not a valid boolean: ' || l.is_active
            WHEN NOT (
                l.created_at IS NULL
                OR (
                    (
                        l.created_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.created_at, 'timestamptz')
                    )
                    AND l.created_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column created_at: not a valid timestamptz: ' || l.created_at
            WHEN NOT (
                l.updated_at IS NULL
                OR (
                    (
                        l.updated_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.updated_at, 'timestamptz')
                    )
                    AND l.updated_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column updated_at: not a valid timestamptz: ' || l.updated_at
        END AS dv_cast_error
    FROM staging.platform_employer_users AS l
    OFFSET 0  -- a fence: each row's tests run once, not once for every column that reads their result
),
typed AS (
    SELECT
        c.dv_row_no,
        c.dv_cast_error,
        CASE WHEN c.dv_cast_error IS NULL THEN c.employer_id::bigint END AS employer_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.user_id::bigint END AS user_id,
        c.role AS role,
        CASE WHEN c.dv_cast_error IS NULL THEN btrim(c.is_active)::boolean END AS is_active,
        CASE WHEN c.dv_cast_error IS NULL THEN c.created_at::timestamptz END AS created_at,
        CASE WHEN c.dv_cast_error IS NULL THEN c.updated_at::timestamptz END AS updated_at
    FROM checked AS c
),
keyed AS (
    SELECT
        t.*,
        CASE
            WHEN t.employer_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.employer_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k1,
        CASE
            WHEN t.user_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.user_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k2
    FROM typed AS t
    OFFSET 0  -- a fence: each standardized key value is computed once, however many hash keys use it
),
hashed AS (
    SELECT
        k.*,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_employer_user__employer,
        replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_employer_user__user,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_employer_user
    FROM keyed AS k
),
verdict AS (
    -- every landed row once (the only step materialized: both inserts read it), with why it cannot be
    -- staged: a value that does not cast, else a required key that is empty
    SELECT
        h.*,
        COALESCE(h.dv_cast_error, CASE
            WHEN h.dv_ks_hk_employer_user__employer IS NULL THEN
                'link employer_user: role employer has no key (employer_id)'
            WHEN h.dv_ks_hk_employer_user__user IS NULL THEN 'link employer_user: role user has no key (user_id)'
        END) AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'platform_employer_users', l.dv_row_no, v.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM verdict AS v
    JOIN staging.platform_employer_users AS l ON l.dv_row_no = v.dv_row_no
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NOT NULL
    RETURNING 1
),
staged AS (
    INSERT INTO staging.platform_employer_users_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_employer_user__employer,
        hk_employer_user__user,
        hk_employer_user,
        hd_employer_user_role,
        employer_id,
        user_id,
        role,
        is_active,
        created_at,
        updated_at
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.platform.employer_users',
        v.dv_row_no,
        COALESCE(v.updated_at::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_employer_user__employer)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_employer_user__user)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_employer_user)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        md5(
            regexp_replace(
                COALESCE(
                    replace(
                        replace(regexp_replace(v.role::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(
                                CASE WHEN v.is_active THEN 'true' WHEN NOT v.is_active THEN 'false' END,
                                E'[\\x01-\\x1f\\x7f]', '', 'g'
                            ),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(
                                to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                E'[\\x01-\\x1f\\x7f]', '', 'g'
                            ),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                ),
                E'(\\|\\\\N)+$', ''
            )
        )::uuid,
        v.employer_id,
        v.user_id,
        v.role,
        v.is_active,
        v.created_at,
        v.updated_at
    FROM verdict AS v
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NULL
    RETURNING 1
)
INSERT INTO dv_meta.batch_source (batch_id, source, rows_read, rows_staged, rows_quarantined)
SELECT
    b.batch_id,
    'platform_employer_users',
    (SELECT count(*) FROM staging.platform_employer_users),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.platform_employer_users;
