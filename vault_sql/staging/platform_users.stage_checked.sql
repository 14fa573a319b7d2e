-- generated from 3 model files by dv generate — do not edit:
--   model/hubs/user.yml, model/satellites/user.yml, model/sources/platform_users.yml
-- hash spec v1 (md5)
-- Stage one batch of source platform_users: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- The checked statement: every value is tested before its cast (a per-type pattern first, the exact
-- test only for what the pattern does not recognise). The runtime runs it when the fast statement
-- (platform_users.stage.sql) failed on a value that does not cast.
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
                l.user_id IS NULL
                OR l.user_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.user_id, 'bigint')
            )
                THEN 'column user_id: not a valid bigint: ' || l.user_id
            WHEN NOT (
                l.registered_at IS NULL
                OR (
                    (
                        l.registered_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.registered_at, 'timestamptz')
                    )
                    AND l.registered_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column registered_at: not a valid timestamptz: ' || l.registered_at
            WHEN NOT (
                l.last_login_at IS NULL
                OR (
                    (
                        l.last_login_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.last_login_at, 'timestamptz')
                    )
                    AND l.last_login_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column last_login_at: not a valid timestamptz: ' || l.last_login_at
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
    FROM staging.platform_users AS l
    OFFSET 0  -- a fence: each row's tests run once, not once for every column that reads their result
),
typed AS (
    SELECT
        c.dv_row_no,
        c.dv_cast_error,
        CASE WHEN c.dv_cast_error IS NULL THEN c.user_id::bigint END AS user_id,
        c.role AS role,
        c.email AS email,
        c.full_name AS full_name,
        CASE WHEN c.dv_cast_error IS NULL THEN c.registered_at::timestamptz END AS registered_at,
        CASE WHEN c.dv_cast_error IS NULL THEN c.last_login_at::timestamptz END AS last_login_at,
        c.status AS status,
        CASE WHEN c.dv_cast_error IS NULL THEN c.updated_at::timestamptz END AS updated_at
    FROM checked AS c
),
keyed AS (
    SELECT
        t.*,
        CASE
            WHEN t.user_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.user_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k1
    FROM typed AS t
    OFFSET 0  -- a fence: each standardized key value is computed once, however many hash keys use it
),
hashed AS (
    SELECT
        k.*,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_user
    FROM keyed AS k
),
verdict AS (
    -- every landed row once (the only step materialized: both inserts read it), with why it cannot be
    -- staged: a value that does not cast, else a required key that is empty
    SELECT
        h.*,
        COALESCE(h.dv_cast_error, CASE
            WHEN h.dv_ks_hk_user IS NULL THEN 'hub user: business key (user_id) is empty'
        END) AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'platform_users', l.dv_row_no, v.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM verdict AS v
    JOIN staging.platform_users AS l ON l.dv_row_no = v.dv_row_no
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NOT NULL
    RETURNING 1
),
staged AS (
    INSERT INTO staging.platform_users_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_user,
        hd_user_personal,
        hd_user_account,
        hd_user_login,
        user_id,
        role,
        email,
        full_name,
        registered_at,
        last_login_at,
        status,
        updated_at
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.platform.users',
        v.dv_row_no,
        COALESCE(v.updated_at::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_user)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        md5(
            regexp_replace(
                COALESCE(
                    replace(
                        replace(regexp_replace(v.full_name::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.email::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                ),
                E'(\\|\\\\N)+$', ''
            )
        )::uuid,
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
                        replace(regexp_replace(v.status::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(
                                to_char(v.registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
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
        md5(
            regexp_replace(
                COALESCE(
                    replace(
                        replace(
                            regexp_replace(
                                to_char(v.last_login_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
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
        v.user_id,
        v.role,
        v.email,
        v.full_name,
        v.registered_at,
        v.last_login_at,
        v.status,
        v.updated_at
    FROM verdict AS v
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NULL
    RETURNING 1
)
INSERT INTO dv_meta.batch_source (batch_id, source, rows_read, rows_staged, rows_quarantined)
SELECT
    b.batch_id,
    'platform_users',
    (SELECT count(*) FROM staging.platform_users),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.platform_users;
