-- generated from 6 model files by dv generate — do not edit:
--   model/hubs/job.yml, model/hubs/requisition.yml, model/links/job_employer.yml, model/links/job_requisition.yml,
--   model/satellites/job.yml, model/sources/platform_jobs.yml
-- hash spec v1 (md5)
-- Stage one batch of source platform_jobs: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- The checked statement: every value is tested before its cast (a per-type pattern first, the exact
-- test only for what the pattern does not recognise). The runtime runs it when the fast statement
-- (platform_jobs.stage.sql) failed on a value that does not cast.
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
            WHEN NOT
                (l.job_id IS NULL OR l.job_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$' OR dv_meta.is_castable(l.job_id, 'bigint'))
                THEN 'column job_id: not a valid bigint: ' || l.job_id
            WHEN NOT (
                l.employer_id IS NULL
                OR l.employer_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.employer_id, 'bigint')
            )
                THEN 'column employer_id: not a valid bigint: ' || l.employer_id
            WHEN NOT (l.country_code IS NULL OR char_length(rtrim(l.country_code, ' ')) <= 2)
                THEN 'column country_code: not a valid char(2): ' || l.country_code
            WHEN NOT (
                l.salary_min IS NULL
                OR (
                    (
                        l.salary_min ~ E'^\\s*[-+]?(\\d{1,9}(\\.\\d{0,100})?|\\.\\d{1,100})\\s*$'
                        OR dv_meta.is_castable(l.salary_min, 'numeric(12,2)')
                    )
                    AND l.salary_min !~* '(^|[^a-z])(infinity|inf|nan)([^a-z]|$)'
                )
            )
                THEN 'column salary_min: not a valid numeric(12,2): ' || l.salary_min
            WHEN NOT (
                l.salary_max IS NULL
                OR (
                    (
                        l.salary_max ~ E'^\\s*[-+]?(\\d{1,9}(\\.\\d{0,100})?|\\.\\d{1,100})\\s*$'
                        OR dv_meta.is_castable(l.salary_max, 'numeric(12,2)')
                    )
                    AND l.salary_max !~* '(^|[^a-z])(infinity|inf|nan)([^a-z]|$)'
                )
            )
                THEN 'column salary_max: not a valid numeric(12,2): ' || l.salary_max
            WHEN NOT (l.salary_currency IS NULL OR char_length(rtrim(l.salary_currency, ' ')) <= 3)
                THEN 'column salary_currency: not a valid char(3): ' || l.salary_currency
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
                l.posted_at IS NULL
                OR (
                    (
                        l.posted_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.posted_at, 'timestamptz')
                    )
                    AND l.posted_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column posted_at: not a valid timestamptz: ' || l.posted_at
            WHEN NOT (
                l.expires_at IS NULL
                OR (
                    (
                        l.expires_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.expires_at, 'timestamptz')
                    )
                    AND l.expires_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column expires_at: not a valid timestamptz: ' || l.expires_at
            WHEN NOT (
                l.filled_at IS NULL
                OR (
                    (
                        l.filled_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.filled_at, 'timestamptz')
                    )
                    AND l.filled_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column filled_at: not a valid timestamptz: ' || l.filled_at
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
    FROM staging.platform_jobs AS l
    OFFSET 0  -- a fence: each row's tests run once, not once for every column that reads their result
),
typed AS (
    SELECT
        c.dv_row_no,
        c.dv_cast_error,
        CASE WHEN c.dv_cast_error IS NULL THEN c.job_id::bigint END AS job_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.employer_id::bigint END AS employer_id,
        c.external_ref AS external_ref,
        c.title AS title,
        c.description AS description,
        c.city AS city,
        CASE WHEN c.dv_cast_error IS NULL THEN c.country_code::char(2) END AS country_code,
        c.remote AS remote,
        c.contract_type AS contract_type,
        c.seniority AS seniority,
        CASE WHEN c.dv_cast_error IS NULL THEN c.salary_min::numeric(12,2) END AS salary_min,
        CASE WHEN c.dv_cast_error IS NULL THEN c.salary_max::numeric(12,2) END AS salary_max,
        CASE WHEN c.dv_cast_error IS NULL THEN c.salary_currency::char(3) END AS salary_currency,
        c.salary_period AS salary_period,
        c.status AS status,
        CASE WHEN c.dv_cast_error IS NULL THEN c.created_at::timestamptz END AS created_at,
        CASE WHEN c.dv_cast_error IS NULL THEN c.posted_at::timestamptz END AS posted_at,
        CASE WHEN c.dv_cast_error IS NULL THEN c.expires_at::timestamptz END AS expires_at,
        CASE WHEN c.dv_cast_error IS NULL THEN c.filled_at::timestamptz END AS filled_at,
        CASE WHEN c.dv_cast_error IS NULL THEN c.updated_at::timestamptz END AS updated_at
    FROM checked AS c
),
keyed AS (
    SELECT
        t.*,
        CASE
            WHEN t.job_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.job_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k1,
        CASE
            WHEN t.external_ref::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN
                upper(btrim(regexp_replace(t.external_ref::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k2,
        CASE
            WHEN t.employer_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.employer_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k3
    FROM typed AS t
    OFFSET 0  -- a fence: each standardized key value is computed once, however many hash keys use it
),
hashed AS (
    SELECT
        k.*,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_job,
        replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_requisition,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_job_employer__job,
        replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_job_employer__employer,
        CASE
            WHEN dv_k1 IS NULL AND dv_k3 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_job_employer,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_job_requisition__job,
        replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_job_requisition__requisition,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_job_requisition
    FROM keyed AS k
),
verdict AS (
    -- every landed row once (the only step materialized: both inserts read it), with why it cannot be
    -- staged: a value that does not cast, else a required key that is empty
    SELECT
        h.*,
        COALESCE(h.dv_cast_error, CASE
            WHEN h.dv_ks_hk_job IS NULL THEN 'hub job: business key (job_id) is empty'
            WHEN h.dv_ks_hk_job_employer__job IS NULL THEN 'link job_employer: role job has no key (job_id)'
            WHEN h.dv_ks_hk_job_employer__employer IS NULL THEN
                'link job_employer: role employer has no key (employer_id)'
            WHEN h.dv_ks_hk_job_requisition__job IS NULL THEN 'link job_requisition: role job has no key (job_id)'
        END) AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'platform_jobs', l.dv_row_no, v.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM verdict AS v
    JOIN staging.platform_jobs AS l ON l.dv_row_no = v.dv_row_no
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NOT NULL
    RETURNING 1
),
staged AS (
    INSERT INTO staging.platform_jobs_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_job,
        hk_requisition,
        hk_job_employer__job,
        hk_job_employer__employer,
        hk_job_employer,
        hk_job_requisition__job,
        hk_job_requisition__requisition,
        hk_job_requisition,
        hd_job_description,
        hd_job_status,
        job_id,
        employer_id,
        external_ref,
        title,
        description,
        city,
        country_code,
        remote,
        contract_type,
        seniority,
        salary_min,
        salary_max,
        salary_currency,
        salary_period,
        status,
        created_at,
        posted_at,
        expires_at,
        filled_at,
        updated_at
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.platform.jobs',
        v.dv_row_no,
        COALESCE(v.updated_at::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_job)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_requisition)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_job_employer__job)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_job_employer__employer)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_job_employer)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_job_requisition__job)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_job_requisition__requisition)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_job_requisition)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        md5(
            regexp_replace(
                COALESCE(
                    replace(
                        replace(regexp_replace(v.title::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.description::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.city::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.country_code::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.remote::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.contract_type::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.seniority::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(trim_scale(v.salary_min::numeric)::text, E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(trim_scale(v.salary_max::numeric)::text, E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(v.salary_currency::text, E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.salary_period::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
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
        md5(
            regexp_replace(
                COALESCE(
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
                                to_char(v.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
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
                                to_char(v.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
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
                                to_char(v.filled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
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
        v.job_id,
        v.employer_id,
        v.external_ref,
        v.title,
        v.description,
        v.city,
        v.country_code,
        v.remote,
        v.contract_type,
        v.seniority,
        v.salary_min,
        v.salary_max,
        v.salary_currency,
        v.salary_period,
        v.status,
        v.created_at,
        v.posted_at,
        v.expires_at,
        v.filled_at,
        v.updated_at
    FROM verdict AS v
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NULL
    RETURNING 1
)
INSERT INTO dv_meta.batch_source (batch_id, source, rows_read, rows_staged, rows_quarantined)
SELECT
    b.batch_id,
    'platform_jobs',
    (SELECT count(*) FROM staging.platform_jobs),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.platform_jobs;
