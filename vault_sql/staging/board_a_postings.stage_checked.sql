-- generated from 5 model files by dv generate — do not edit:
--   model/hubs/board_posting.yml, model/hubs/requisition.yml, model/links/posting_requisition.yml,
--   model/satellites/partner_boards.yml, model/sources/partner_boards.yml
-- hash spec v1 (md5)
-- Stage one batch of source board_a_postings: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- The checked statement: every value is tested before its cast (a per-type pattern first, the exact
-- test only for what the pattern does not recognise). The runtime runs it when the fast statement
-- (board_a_postings.stage.sql) failed on a value that does not cast.
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
            WHEN NOT (l.country_code IS NULL OR char_length(rtrim(l.country_code, ' ')) <= 2)
                THEN 'column country_code: not a valid char(2): ' || l.country_code
            WHEN NOT (l.salary_currency IS NULL OR char_length(rtrim(l.salary_currency, ' ')) <= 3)
                THEN 'column salary_currency: not a valid char(3): ' || l.salary_currency
            WHEN NOT (
                l.salary_min IS NULL
                OR (
                    (
                        l.salary_min ~ E'^\\s*[-+]?(\\d{1,100}(\\.\\d{0,100})?|\\.\\d{1,100})\\s*$'
                        OR dv_meta.is_castable(l.salary_min, 'numeric')
                    )
                    AND l.salary_min !~* '(^|[^a-z])(infinity|inf|nan)([^a-z]|$)'
                )
            )
                THEN 'column salary_min: not a valid numeric: ' || l.salary_min
            WHEN NOT (
                l.salary_max IS NULL
                OR (
                    (
                        l.salary_max ~ E'^\\s*[-+]?(\\d{1,100}(\\.\\d{0,100})?|\\.\\d{1,100})\\s*$'
                        OR dv_meta.is_castable(l.salary_max, 'numeric')
                    )
                    AND l.salary_max !~* '(^|[^a-z])(infinity|inf|nan)([^a-z]|$)'
                )
            )
                THEN 'column salary_max: not a valid numeric: ' || l.salary_max
            WHEN NOT (
                l.posted_on IS NULL
                OR (
                    (
                        l.posted_on ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))\\s*$'
                        OR dv_meta.is_castable(l.posted_on, 'date')
                    )
                    AND l.posted_on !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column posted_on: not a valid date: ' || l.posted_on
            WHEN NOT (
                l.extracted_on IS NULL
                OR (
                    (
                        l.extracted_on ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))\\s*$'
                        OR dv_meta.is_castable(l.extracted_on, 'date')
                    )
                    AND l.extracted_on !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column extracted_on: not a valid date: ' || l.extracted_on
        END AS dv_cast_error
    FROM staging.board_a_postings AS l
    OFFSET 0  -- a fence: each row's tests run once, not once for every column that reads their result
),
typed AS (
    SELECT
        c.dv_row_no,
        c.dv_cast_error,
        c.board AS board,
        c.posting_id AS posting_id,
        c.reference AS reference,
        c.company AS company,
        c.title AS title,
        c.city AS city,
        CASE WHEN c.dv_cast_error IS NULL THEN c.country_code::char(2) END AS country_code,
        c.remote AS remote,
        c.employment AS employment,
        CASE WHEN c.dv_cast_error IS NULL THEN c.salary_currency::char(3) END AS salary_currency,
        c.salary_period AS salary_period,
        CASE WHEN c.dv_cast_error IS NULL THEN c.salary_min::numeric END AS salary_min,
        CASE WHEN c.dv_cast_error IS NULL THEN c.salary_max::numeric END AS salary_max,
        CASE WHEN c.dv_cast_error IS NULL THEN c.posted_on::date END AS posted_on,
        CASE WHEN c.dv_cast_error IS NULL THEN c.extracted_on::date END AS extracted_on,
        c.landing_file AS landing_file
    FROM checked AS c
),
keyed AS (
    SELECT
        t.*,
        CASE
            WHEN t.board::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.board::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k1,
        CASE
            WHEN t.posting_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.posting_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k2,
        CASE
            WHEN t.reference::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.reference::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k3
    FROM typed AS t
    OFFSET 0  -- a fence: each standardized key value is computed once, however many hash keys use it
),
hashed AS (
    SELECT
        k.*,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_board_posting,
        replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_requisition,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_posting_requisition__board_posting,
        replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_posting_requisition__requisition,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL AND dv_k3 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_posting_requisition
    FROM keyed AS k
),
verdict AS (
    -- every landed row once (the only step materialized: both inserts read it), with why it cannot be
    -- staged: a value that does not cast, else a required key that is empty
    SELECT
        h.*,
        COALESCE(h.dv_cast_error, CASE
            WHEN h.dv_ks_hk_board_posting IS NULL THEN 'hub board_posting: business key (board, posting_id) is empty'
            WHEN h.dv_ks_hk_posting_requisition__board_posting IS NULL THEN
                'link posting_requisition: role board_posting has no key (board, posting_id)'
        END) AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'board_a_postings', l.dv_row_no, v.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM verdict AS v
    JOIN staging.board_a_postings AS l ON l.dv_row_no = v.dv_row_no
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NOT NULL
    RETURNING 1
),
staged AS (
    INSERT INTO staging.board_a_postings_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_board_posting,
        hk_requisition,
        hk_posting_requisition__board_posting,
        hk_posting_requisition__requisition,
        hk_posting_requisition,
        hd_board_a_posting,
        board,
        posting_id,
        reference,
        company,
        title,
        city,
        country_code,
        remote,
        employment,
        salary_currency,
        salary_period,
        salary_min,
        salary_max,
        posted_on,
        extracted_on,
        landing_file
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.partner.board_a',
        v.dv_row_no,
        COALESCE(v.extracted_on::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_board_posting)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_requisition)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(
            md5(v.dv_ks_hk_posting_requisition__board_posting)::uuid,
            '00000000-0000-0000-0000-000000000000'::uuid
        ),
        COALESCE(md5(v.dv_ks_hk_posting_requisition__requisition)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_posting_requisition)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        md5(
            regexp_replace(
                COALESCE(
                    replace(
                        replace(regexp_replace(v.reference::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.company::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.title::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
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
                        replace(regexp_replace(v.employment::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
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
                            regexp_replace(to_char(v.posted_on, 'YYYY-MM-DD'), E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                ),
                E'(\\|\\\\N)+$', ''
            )
        )::uuid,
        v.board,
        v.posting_id,
        v.reference,
        v.company,
        v.title,
        v.city,
        v.country_code,
        v.remote,
        v.employment,
        v.salary_currency,
        v.salary_period,
        v.salary_min,
        v.salary_max,
        v.posted_on,
        v.extracted_on,
        v.landing_file
    FROM verdict AS v
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NULL
    RETURNING 1
)
INSERT INTO dv_meta.batch_source (batch_id, source, rows_read, rows_staged, rows_quarantined)
SELECT
    b.batch_id,
    'board_a_postings',
    (SELECT count(*) FROM staging.board_a_postings),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.board_a_postings;
