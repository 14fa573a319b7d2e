-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/application.yml, model/links/application_candidate_job.yml, model/satellites/application.yml,
--   model/sources/platform_applications.yml
-- hash spec v1 (md5)
-- Stage one batch of source platform_applications: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- The checked statement: every value is tested before its cast (a per-type pattern first, the exact
-- test only for what the pattern does not recognise). The runtime runs it when the fast statement
-- (platform_applications.stage.sql) failed on a value that does not cast.
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
                l.application_id IS NULL
                OR l.application_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.application_id, 'bigint')
            )
                THEN 'column application_id: not a valid bigint: ' || l.application_id
            WHEN NOT (
                l.candidate_id IS NULL
                OR l.candidate_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.candidate_id, 'bigint')
            )
                THEN 'column candidate_id: not a valid bigint: ' || l.candidate_id
            WHEN NOT
                (l.job_id IS NULL OR l.job_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$' OR dv_meta.is_castable(l.job_id, 'bigint'))
                THEN 'column job_id: not a valid bigint: ' || l.job_id
            WHEN NOT (
                l.referrer_candidate_id IS NULL
                OR l.referrer_candidate_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.referrer_candidate_id, 'bigint')
            )
                THEN 'column referrer_candidate_id: not a valid bigint: ' || l.referrer_candidate_id
            WHEN NOT (
                l.applied_at IS NULL
                OR (
                    (
                        l.applied_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.applied_at, 'timestamptz')
                    )
                    AND l.applied_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column applied_at: not a valid timestamptz: ' || l.applied_at
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
    FROM staging.platform_applications AS l
    OFFSET 0  -- a fence: each row's tests run once, not once for every column that reads their result
),
typed AS (
    SELECT
        c.dv_row_no,
        c.dv_cast_error,
        CASE WHEN c.dv_cast_error IS NULL THEN c.application_id::bigint END AS application_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.candidate_id::bigint END AS candidate_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.job_id::bigint END AS job_id,
        c.channel AS channel,
        CASE WHEN c.dv_cast_error IS NULL THEN c.referrer_candidate_id::bigint END AS referrer_candidate_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.applied_at::timestamptz END AS applied_at,
        CASE WHEN c.dv_cast_error IS NULL THEN c.updated_at::timestamptz END AS updated_at
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
            WHEN t.candidate_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN
                upper(btrim(regexp_replace(t.candidate_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k2,
        CASE
            WHEN t.job_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.job_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k3,
        CASE
            WHEN t.referrer_candidate_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(
                    btrim(regexp_replace(t.referrer_candidate_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE
                        "C"
                )
        END AS dv_k4
    FROM typed AS t
    OFFSET 0  -- a fence: each standardized key value is computed once, however many hash keys use it
),
hashed AS (
    SELECT
        k.*,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_application,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_application_candidate_job__application,
        replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_application_candidate_job__candidate,
        replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_application_candidate_job__job,
        replace(replace(dv_k4, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_application_candidate_job__referrer,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL AND dv_k3 IS NULL AND dv_k4 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k4, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_application_candidate_job
    FROM keyed AS k
),
verdict AS (
    -- every landed row once (the only step materialized: both inserts read it), with why it cannot be
    -- staged: a value that does not cast, else a required key that is empty
    SELECT
        h.*,
        COALESCE(h.dv_cast_error, CASE
            WHEN h.dv_ks_hk_application IS NULL THEN 'hub application: business key (application_id) is empty'
            WHEN h.dv_ks_hk_application_candidate_job__application IS NULL THEN
                'link application_candidate_job: role application has no key (application_id)'
            WHEN h.dv_ks_hk_application_candidate_job__candidate IS NULL THEN
                'link application_candidate_job: role candidate has no key (candidate_id)'
            WHEN h.dv_ks_hk_application_candidate_job__job IS NULL THEN
                'link application_candidate_job: role job has no key (job_id)'
        END) AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'platform_applications', l.dv_row_no, v.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM verdict AS v
    JOIN staging.platform_applications AS l ON l.dv_row_no = v.dv_row_no
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NOT NULL
    RETURNING 1
),
staged AS (
    INSERT INTO staging.platform_applications_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_application,
        hk_application_candidate_job__application,
        hk_application_candidate_job__candidate,
        hk_application_candidate_job__job,
        hk_application_candidate_job__referrer,
        hk_application_candidate_job,
        hd_application_details,
        application_id,
        candidate_id,
        job_id,
        channel,
        referrer_candidate_id,
        applied_at,
        updated_at
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.platform.applications',
        v.dv_row_no,
        COALESCE(v.updated_at::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_application)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(
            md5(v.dv_ks_hk_application_candidate_job__application)::uuid,
            '00000000-0000-0000-0000-000000000000'::uuid
        ),
        COALESCE(
            md5(v.dv_ks_hk_application_candidate_job__candidate)::uuid,
            '00000000-0000-0000-0000-000000000000'::uuid
        ),
        COALESCE(md5(v.dv_ks_hk_application_candidate_job__job)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(
            md5(v.dv_ks_hk_application_candidate_job__referrer)::uuid,
            '00000000-0000-0000-0000-000000000000'::uuid
        ),
        COALESCE(md5(v.dv_ks_hk_application_candidate_job)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        md5(
            regexp_replace(
                COALESCE(
                    replace(
                        replace(regexp_replace(v.channel::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(
                                to_char(v.applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
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
        v.application_id,
        v.candidate_id,
        v.job_id,
        v.channel,
        v.referrer_candidate_id,
        v.applied_at,
        v.updated_at
    FROM verdict AS v
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NULL
    RETURNING 1
)
INSERT INTO dv_meta.batch_source (batch_id, source, rows_read, rows_staged, rows_quarantined)
SELECT
    b.batch_id,
    'platform_applications',
    (SELECT count(*) FROM staging.platform_applications),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.platform_applications;
