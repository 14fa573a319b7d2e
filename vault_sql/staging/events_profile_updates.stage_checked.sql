-- generated from model/links/events.yml, model/sources/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Stage one batch of source events_profile_updates: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- The checked statement: every value is tested before its cast (a per-type pattern first, the exact
-- test only for what the pattern does not recognise). The runtime runs it when the fast statement
-- (events_profile_updates.stage.sql) failed on a value that does not cast.
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
                l.occurred_at IS NULL
                OR (
                    (
                        l.occurred_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.occurred_at, 'timestamptz')
                    )
                    AND l.occurred_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column occurred_at: not a valid timestamptz: ' || l.occurred_at
            WHEN NOT (
                l.landing_line IS NULL
                OR l.landing_line ~ E'^\\s*[-+]?\\d{1,9}\\s*$'
                OR dv_meta.is_castable(l.landing_line, 'integer')
            )
                THEN 'column landing_line: not a valid integer: ' || l.landing_line
        END AS dv_cast_error
    FROM staging.events_profile_updates AS l
    OFFSET 0  -- a fence: each row's tests run once, not once for every column that reads their result
),
typed AS (
    SELECT
        c.dv_row_no,
        c.dv_cast_error,
        c.event_id AS event_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.user_id::bigint END AS user_id,
        c.updated_fields AS updated_fields,
        CASE WHEN c.dv_cast_error IS NULL THEN c.occurred_at::timestamptz END AS occurred_at,
        c.landing_file AS landing_file,
        CASE WHEN c.dv_cast_error IS NULL THEN c.landing_line::integer END AS landing_line
    FROM checked AS c
),
keyed AS (
    SELECT
        t.*,
        CASE
            WHEN t.user_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.user_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k1,
        CASE
            WHEN t.event_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN btrim(regexp_replace(t.event_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ')
        END AS dv_k2
    FROM typed AS t
    OFFSET 0  -- a fence: each standardized key value is computed once, however many hash keys use it
),
hashed AS (
    SELECT
        k.*,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_profile_update__user,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_profile_update
    FROM keyed AS k
),
verdict AS (
    -- every landed row once (the only step materialized: both inserts read it), with why it cannot be
    -- staged: a value that does not cast, else a required key that is empty
    SELECT
        h.*,
        COALESCE(h.dv_cast_error, CASE
            WHEN h.dv_ks_hk_profile_update__user IS NULL THEN 'link profile_update: role user has no key (user_id)'
            WHEN (h.dv_k2 IS NULL) THEN 'nonhistorized link profile_update: event key (event_id) is empty'
        END) AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'events_profile_updates', l.dv_row_no, v.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM verdict AS v
    JOIN staging.events_profile_updates AS l ON l.dv_row_no = v.dv_row_no
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NOT NULL
    RETURNING 1
),
staged AS (
    INSERT INTO staging.events_profile_updates_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_profile_update__user,
        hk_profile_update,
        event_id,
        user_id,
        updated_fields,
        occurred_at,
        landing_file,
        landing_line
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.events.profile_update',
        v.dv_row_no,
        COALESCE(v.occurred_at::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_profile_update__user)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_profile_update)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        v.event_id,
        v.user_id,
        v.updated_fields,
        v.occurred_at,
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
    'events_profile_updates',
    (SELECT count(*) FROM staging.events_profile_updates),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.events_profile_updates;
