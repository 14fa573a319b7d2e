-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/placement.yml, model/links/placement_parties.yml, model/satellites/placement.yml,
--   model/sources/platform_placements.yml
-- hash spec v1 (md5)
-- Stage one batch of source platform_placements: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- The checked statement: every value is tested before its cast (a per-type pattern first, the exact
-- test only for what the pattern does not recognise). The runtime runs it when the fast statement
-- (platform_placements.stage.sql) failed on a value that does not cast.
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
                l.placement_id IS NULL
                OR l.placement_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.placement_id, 'bigint')
            )
                THEN 'column placement_id: not a valid bigint: ' || l.placement_id
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
                l.employer_id IS NULL
                OR l.employer_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.employer_id, 'bigint')
            )
                THEN 'column employer_id: not a valid bigint: ' || l.employer_id
            WHEN NOT (
                l.start_date IS NULL
                OR (
                    (
                        l.start_date ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))\\s*$'
                        OR dv_meta.is_castable(l.start_date, 'date')
                    )
                    AND l.start_date !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column start_date: not a valid date: ' || l.start_date
            WHEN NOT (
                l.end_date IS NULL
                OR (
                    (
                        l.end_date ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))\\s*$'
                        OR dv_meta.is_castable(l.end_date, 'date')
                    )
                    AND l.end_date !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column end_date: not a valid date: ' || l.end_date
            WHEN NOT (
                l.hourly_rate IS NULL
                OR (
                    (
                        l.hourly_rate ~ E'^\\s*[-+]?(\\d{1,7}(\\.\\d{0,100})?|\\.\\d{1,100})\\s*$'
                        OR dv_meta.is_castable(l.hourly_rate, 'numeric(10,2)')
                    )
                    AND l.hourly_rate !~* '(^|[^a-z])(infinity|inf|nan)([^a-z]|$)'
                )
            )
                THEN 'column hourly_rate: not a valid numeric(10,2): ' || l.hourly_rate
            WHEN NOT (
                l.annual_salary IS NULL
                OR (
                    (
                        l.annual_salary ~ E'^\\s*[-+]?(\\d{1,9}(\\.\\d{0,100})?|\\.\\d{1,100})\\s*$'
                        OR dv_meta.is_castable(l.annual_salary, 'numeric(12,2)')
                    )
                    AND l.annual_salary !~* '(^|[^a-z])(infinity|inf|nan)([^a-z]|$)'
                )
            )
                THEN 'column annual_salary: not a valid numeric(12,2): ' || l.annual_salary
            WHEN NOT (
                l.fee_pct IS NULL
                OR (
                    (
                        l.fee_pct ~ E'^\\s*[-+]?(\\d{1,2}(\\.\\d{0,100})?|\\.\\d{1,100})\\s*$'
                        OR dv_meta.is_castable(l.fee_pct, 'numeric(5,2)')
                    )
                    AND l.fee_pct !~* '(^|[^a-z])(infinity|inf|nan)([^a-z]|$)'
                )
            )
                THEN 'column fee_pct: not a valid numeric(5,2): ' || l.fee_pct
            WHEN NOT (l.currency IS NULL OR char_length(rtrim(l.currency, ' ')) <= 3)
                THEN 'column currency: not a valid char(3): ' || l.currency
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
    FROM staging.platform_placements AS l
    OFFSET 0  -- a fence: each row's tests run once, not once for every column that reads their result
),
typed AS (
    SELECT
        c.dv_row_no,
        c.dv_cast_error,
        CASE WHEN c.dv_cast_error IS NULL THEN c.placement_id::bigint END AS placement_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.application_id::bigint END AS application_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.candidate_id::bigint END AS candidate_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.job_id::bigint END AS job_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.employer_id::bigint END AS employer_id,
        c.placement_type AS placement_type,
        CASE WHEN c.dv_cast_error IS NULL THEN c.start_date::date END AS start_date,
        CASE WHEN c.dv_cast_error IS NULL THEN c.end_date::date END AS end_date,
        CASE WHEN c.dv_cast_error IS NULL THEN c.hourly_rate::numeric(10,2) END AS hourly_rate,
        CASE WHEN c.dv_cast_error IS NULL THEN c.annual_salary::numeric(12,2) END AS annual_salary,
        CASE WHEN c.dv_cast_error IS NULL THEN c.fee_pct::numeric(5,2) END AS fee_pct,
        CASE WHEN c.dv_cast_error IS NULL THEN c.currency::char(3) END AS currency,
        c.status AS status,
        CASE WHEN c.dv_cast_error IS NULL THEN c.created_at::timestamptz END AS created_at,
        CASE WHEN c.dv_cast_error IS NULL THEN c.updated_at::timestamptz END AS updated_at
    FROM checked AS c
),
keyed AS (
    SELECT
        t.*,
        CASE
            WHEN t.placement_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN
                upper(btrim(regexp_replace(t.placement_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k1,
        CASE
            WHEN t.application_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN
                upper(btrim(regexp_replace(t.application_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k2,
        CASE
            WHEN t.candidate_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN
                upper(btrim(regexp_replace(t.candidate_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k3,
        CASE
            WHEN t.job_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.job_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k4,
        CASE
            WHEN t.employer_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.employer_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k5
    FROM typed AS t
    OFFSET 0  -- a fence: each standardized key value is computed once, however many hash keys use it
),
hashed AS (
    SELECT
        k.*,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_placement,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_placement_parties__placement,
        replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_placement_parties__application,
        replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_placement_parties__candidate,
        replace(replace(dv_k4, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_placement_parties__job,
        replace(replace(dv_k5, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_placement_parties__employer,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL AND dv_k3 IS NULL AND dv_k4 IS NULL AND dv_k5 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k4, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k5, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_placement_parties
    FROM keyed AS k
),
verdict AS (
    -- every landed row once (the only step materialized: both inserts read it), with why it cannot be
    -- staged: a value that does not cast, else a required key that is empty
    SELECT
        h.*,
        COALESCE(h.dv_cast_error, CASE
            WHEN h.dv_ks_hk_placement IS NULL THEN 'hub placement: business key (placement_id) is empty'
            WHEN h.dv_ks_hk_placement_parties__placement IS NULL THEN
                'link placement_parties: role placement has no key (placement_id)'
            WHEN h.dv_ks_hk_placement_parties__application IS NULL THEN
                'link placement_parties: role application has no key (application_id)'
            WHEN h.dv_ks_hk_placement_parties__candidate IS NULL THEN
                'link placement_parties: role candidate has no key (candidate_id)'
            WHEN h.dv_ks_hk_placement_parties__job IS NULL THEN 'link placement_parties: role job has no key (job_id)'
            WHEN h.dv_ks_hk_placement_parties__employer IS NULL THEN
                'link placement_parties: role employer has no key (employer_id)'
        END) AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'platform_placements', l.dv_row_no, v.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM verdict AS v
    JOIN staging.platform_placements AS l ON l.dv_row_no = v.dv_row_no
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NOT NULL
    RETURNING 1
),
staged AS (
    INSERT INTO staging.platform_placements_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_placement,
        hk_placement_parties__placement,
        hk_placement_parties__application,
        hk_placement_parties__candidate,
        hk_placement_parties__job,
        hk_placement_parties__employer,
        hk_placement_parties,
        hd_placement_terms,
        hd_placement_status,
        placement_id,
        application_id,
        candidate_id,
        job_id,
        employer_id,
        placement_type,
        start_date,
        end_date,
        hourly_rate,
        annual_salary,
        fee_pct,
        currency,
        status,
        created_at,
        updated_at
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.platform.placements',
        v.dv_row_no,
        COALESCE(v.updated_at::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_placement)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_placement_parties__placement)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_placement_parties__application)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_placement_parties__candidate)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_placement_parties__job)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_placement_parties__employer)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_placement_parties)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        md5(
            regexp_replace(
                COALESCE(
                    replace(
                        replace(
                            regexp_replace(v.placement_type::text, E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(to_char(v.start_date, 'YYYY-MM-DD'), E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(trim_scale(v.hourly_rate::numeric)::text, E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(trim_scale(v.annual_salary::numeric)::text, E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(trim_scale(v.fee_pct::numeric)::text, E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.currency::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
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
                            regexp_replace(to_char(v.end_date, 'YYYY-MM-DD'), E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                ),
                E'(\\|\\\\N)+$', ''
            )
        )::uuid,
        v.placement_id,
        v.application_id,
        v.candidate_id,
        v.job_id,
        v.employer_id,
        v.placement_type,
        v.start_date,
        v.end_date,
        v.hourly_rate,
        v.annual_salary,
        v.fee_pct,
        v.currency,
        v.status,
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
    'platform_placements',
    (SELECT count(*) FROM staging.platform_placements),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.platform_placements;
