-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/invoice.yml, model/links/invoice_billing.yml, model/satellites/invoice.yml,
--   model/sources/platform_invoices.yml
-- hash spec v1 (md5)
-- Stage one batch of source platform_invoices: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- The checked statement: every value is tested before its cast (a per-type pattern first, the exact
-- test only for what the pattern does not recognise). The runtime runs it when the fast statement
-- (platform_invoices.stage.sql) failed on a value that does not cast.
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
                l.invoice_id IS NULL
                OR l.invoice_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.invoice_id, 'bigint')
            )
                THEN 'column invoice_id: not a valid bigint: ' || l.invoice_id
            WHEN NOT (
                l.employer_id IS NULL
                OR l.employer_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.employer_id, 'bigint')
            )
                THEN 'column employer_id: not a valid bigint: ' || l.employer_id
            WHEN NOT (
                l.placement_id IS NULL
                OR l.placement_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.placement_id, 'bigint')
            )
                THEN 'column placement_id: not a valid bigint: ' || l.placement_id
            WHEN NOT (
                l.amount IS NULL
                OR (
                    (
                        l.amount ~ E'^\\s*[-+]?(\\d{1,9}(\\.\\d{0,100})?|\\.\\d{1,100})\\s*$'
                        OR dv_meta.is_castable(l.amount, 'numeric(12,2)')
                    )
                    AND l.amount !~* '(^|[^a-z])(infinity|inf|nan)([^a-z]|$)'
                )
            )
                THEN 'column amount: not a valid numeric(12,2): ' || l.amount
            WHEN NOT (l.currency IS NULL OR char_length(rtrim(l.currency, ' ')) <= 3)
                THEN 'column currency: not a valid char(3): ' || l.currency
            WHEN NOT (
                l.issued_on IS NULL
                OR (
                    (
                        l.issued_on ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))\\s*$'
                        OR dv_meta.is_castable(l.issued_on, 'date')
                    )
                    AND l.issued_on !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column issued_on: not a valid date: ' || l.issued_on
            WHEN NOT (
                l.due_on IS NULL
                OR (
                    (
                        l.due_on ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))\\s*$'
                        OR dv_meta.is_castable(l.due_on, 'date')
                    )
                    AND l.due_on !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column due_on: not a valid date: ' || l.due_on
            WHEN NOT (
                l.paid_at IS NULL
                OR (
                    (
                        l.paid_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.paid_at, 'timestamptz')
                    )
                    AND l.paid_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column paid_at: not a valid timestamptz: ' || l.paid_at
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
    FROM staging.platform_invoices AS l
    OFFSET 0  -- a fence: each row's tests run once, not once for every column that reads their result
),
typed AS (
    SELECT
        c.dv_row_no,
        c.dv_cast_error,
        CASE WHEN c.dv_cast_error IS NULL THEN c.invoice_id::bigint END AS invoice_id,
        c.invoice_number AS invoice_number,
        CASE WHEN c.dv_cast_error IS NULL THEN c.employer_id::bigint END AS employer_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.placement_id::bigint END AS placement_id,
        c.invoice_type AS invoice_type,
        CASE WHEN c.dv_cast_error IS NULL THEN c.amount::numeric(12,2) END AS amount,
        CASE WHEN c.dv_cast_error IS NULL THEN c.currency::char(3) END AS currency,
        CASE WHEN c.dv_cast_error IS NULL THEN c.issued_on::date END AS issued_on,
        CASE WHEN c.dv_cast_error IS NULL THEN c.due_on::date END AS due_on,
        CASE WHEN c.dv_cast_error IS NULL THEN c.paid_at::timestamptz END AS paid_at,
        c.status AS status,
        CASE WHEN c.dv_cast_error IS NULL THEN c.updated_at::timestamptz END AS updated_at
    FROM checked AS c
),
keyed AS (
    SELECT
        t.*,
        CASE
            WHEN t.invoice_number::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN
                upper(btrim(regexp_replace(t.invoice_number::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k1,
        CASE
            WHEN t.employer_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(btrim(regexp_replace(t.employer_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k2,
        CASE
            WHEN t.placement_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN
                upper(btrim(regexp_replace(t.placement_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k3
    FROM typed AS t
    OFFSET 0  -- a fence: each standardized key value is computed once, however many hash keys use it
),
hashed AS (
    SELECT
        k.*,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_invoice,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_invoice_billing__invoice,
        replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_invoice_billing__employer,
        replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_invoice_billing__placement,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL AND dv_k3 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_invoice_billing
    FROM keyed AS k
),
verdict AS (
    -- every landed row once (the only step materialized: both inserts read it), with why it cannot be
    -- staged: a value that does not cast, else a required key that is empty
    SELECT
        h.*,
        COALESCE(h.dv_cast_error, CASE
            WHEN h.dv_ks_hk_invoice IS NULL THEN 'hub invoice: business key (invoice_number) is empty'
            WHEN h.dv_ks_hk_invoice_billing__invoice IS NULL THEN
                'link invoice_billing: role invoice has no key (invoice_number)'
            WHEN h.dv_ks_hk_invoice_billing__employer IS NULL THEN
                'link invoice_billing: role employer has no key (employer_id)'
        END) AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'platform_invoices', l.dv_row_no, v.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM verdict AS v
    JOIN staging.platform_invoices AS l ON l.dv_row_no = v.dv_row_no
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NOT NULL
    RETURNING 1
),
staged AS (
    INSERT INTO staging.platform_invoices_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_invoice,
        hk_invoice_billing__invoice,
        hk_invoice_billing__employer,
        hk_invoice_billing__placement,
        hk_invoice_billing,
        hd_invoice_details,
        hd_invoice_status,
        invoice_id,
        invoice_number,
        employer_id,
        placement_id,
        invoice_type,
        amount,
        currency,
        issued_on,
        due_on,
        paid_at,
        status,
        updated_at
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.platform.invoices',
        v.dv_row_no,
        COALESCE(v.updated_at::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_invoice)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_invoice_billing__invoice)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_invoice_billing__employer)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_invoice_billing__placement)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_invoice_billing)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        md5(
            regexp_replace(
                COALESCE(
                    replace(
                        replace(regexp_replace(v.invoice_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(regexp_replace(v.invoice_type::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), E'\\', E'\\\\'),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(trim_scale(v.amount::numeric)::text, E'[\\x01-\\x1f\\x7f]', '', 'g'),
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
                            regexp_replace(to_char(v.issued_on, 'YYYY-MM-DD'), E'[\\x01-\\x1f\\x7f]', '', 'g'),
                            E'\\', E'\\\\'
                        ),
                        '|', E'\\|'
                    ),
                    E'\\N'
                )
                || '|' || COALESCE(
                    replace(
                        replace(
                            regexp_replace(to_char(v.due_on, 'YYYY-MM-DD'), E'[\\x01-\\x1f\\x7f]', '', 'g'),
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
                                to_char(v.paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
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
        v.invoice_id,
        v.invoice_number,
        v.employer_id,
        v.placement_id,
        v.invoice_type,
        v.amount,
        v.currency,
        v.issued_on,
        v.due_on,
        v.paid_at,
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
    'platform_invoices',
    (SELECT count(*) FROM staging.platform_invoices),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.platform_invoices;
