-- generated from model/links/events.yml, model/sources/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Stage one batch of source events_application_submits: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- The fast statement: values are cast without a test first, so a value that does not cast fails the
-- statement; the runtime then rolls it back and runs events_application_submits.stage_checked.sql, which tests them.
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
                l.occurred_at IS NULL
                OR l.occurred_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
            )
                THEN 'column occurred_at: not a valid timestamptz: ' || l.occurred_at
        END AS dv_cast_error
    FROM staging.events_application_submits AS l
    OFFSET 0  -- a fence: each row's tests run once, not once for every column that reads their result
),
typed AS (
    SELECT
        c.dv_row_no,
        c.dv_cast_error,
        c.event_id AS event_id,
        c.user_id::bigint AS user_id,
        c.application_id::bigint AS application_id,
        c.job_id::bigint AS job_id,
        c.channel AS channel,
        c.occurred_at::timestamptz AS occurred_at,
        c.landing_file AS landing_file,
        c.landing_line::integer AS landing_line
    FROM checked AS c
),
keyed AS (
    SELECT
        t.*,
        CASE
            WHEN t.application_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN
                upper(btrim(regexp_replace(t.application_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k1,
        CASE
            WHEN t.job_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.job_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k2,
        CASE
            WHEN t.user_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.user_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k3,
        CASE
            WHEN t.event_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN btrim(regexp_replace(t.event_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ')
        END AS dv_k4
    FROM typed AS t
    OFFSET 0  -- a fence: each standardized key value is computed once, however many hash keys use it
),
hashed AS (
    SELECT
        k.*,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_application_submit__application,
        replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_application_submit__job,
        replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_application_submit__user,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL AND dv_k3 IS NULL AND dv_k4 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k4, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_application_submit
    FROM keyed AS k
),
verdict AS (
    -- every landed row once (the only step materialized: both inserts read it), with why it cannot be
    -- staged: a value that does not cast, else a required key that is empty
    SELECT
        h.*,
        COALESCE(h.dv_cast_error, CASE
            WHEN h.dv_ks_hk_application_submit__application IS NULL THEN
                'link application_submit: role application has no key (application_id)'
            WHEN h.dv_ks_hk_application_submit__job IS NULL THEN
                'link application_submit: role job has no key (job_id)'
            WHEN h.dv_ks_hk_application_submit__user IS NULL THEN
                'link application_submit: role user has no key (user_id)'
            WHEN (h.dv_k4 IS NULL) THEN 'nonhistorized link application_submit: event key (event_id) is empty'
        END) AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'events_application_submits', l.dv_row_no, v.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM verdict AS v
    JOIN staging.events_application_submits AS l ON l.dv_row_no = v.dv_row_no
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NOT NULL
    RETURNING 1
),
staged AS (
    INSERT INTO staging.events_application_submits_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_application_submit__application,
        hk_application_submit__job,
        hk_application_submit__user,
        hk_application_submit,
        event_id,
        user_id,
        application_id,
        job_id,
        channel,
        occurred_at,
        landing_file,
        landing_line
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.events.application_submit',
        v.dv_row_no,
        COALESCE(v.occurred_at::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_application_submit__application)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_application_submit__job)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_application_submit__user)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_application_submit)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        v.event_id,
        v.user_id,
        v.application_id,
        v.job_id,
        v.channel,
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
    'events_application_submits',
    (SELECT count(*) FROM staging.events_application_submits),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.events_application_submits;
