-- generated from 5 model files by dv generate — do not edit:
--   model/hubs/timesheet.yml, model/links/timesheet_hours.yml, model/links/timesheet_invoice.yml,
--   model/satellites/timesheet.yml, model/sources/platform_timesheets.yml
-- hash spec v1 (md5)
-- Stage one batch of source platform_timesheets: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- The checked statement: every value is tested before its cast (a per-type pattern first, the exact
-- test only for what the pattern does not recognise). The runtime runs it when the fast statement
-- (platform_timesheets.stage.sql) failed on a value that does not cast.
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
                l.timesheet_id IS NULL
                OR l.timesheet_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.timesheet_id, 'bigint')
            )
                THEN 'column timesheet_id: not a valid bigint: ' || l.timesheet_id
            WHEN NOT (
                l.placement_id IS NULL
                OR l.placement_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.placement_id, 'bigint')
            )
                THEN 'column placement_id: not a valid bigint: ' || l.placement_id
            WHEN NOT (
                l.week_start IS NULL
                OR (
                    (
                        l.week_start ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))\\s*$'
                        OR dv_meta.is_castable(l.week_start, 'date')
                    )
                    AND l.week_start !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column week_start: not a valid date: ' || l.week_start
            WHEN NOT (
                l.hours IS NULL
                OR (
                    (
                        l.hours ~ E'^\\s*[-+]?(\\d{1,2}(\\.\\d{0,100})?|\\.\\d{1,100})\\s*$'
                        OR dv_meta.is_castable(l.hours, 'numeric(5,2)')
                    )
                    AND l.hours !~* '(^|[^a-z])(infinity|inf|nan)([^a-z]|$)'
                )
            )
                THEN 'column hours: not a valid numeric(5,2): ' || l.hours
            WHEN NOT (
                l.submitted_at IS NULL
                OR (
                    (
                        l.submitted_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.submitted_at, 'timestamptz')
                    )
                    AND l.submitted_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column submitted_at: not a valid timestamptz: ' || l.submitted_at
            WHEN NOT (
                l.approved_at IS NULL
                OR (
                    (
                        l.approved_at ~
                            E'^\\s*(?!0000)\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?\\s*(Z|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?)?\\s*$'
                        OR dv_meta.is_castable(l.approved_at, 'timestamptz')
                    )
                    AND l.approved_at !~* '(^|[^a-z])(yesterday|infinity|tomorrow|epoch|today|now)([^a-z]|$)'
                )
            )
                THEN 'column approved_at: not a valid timestamptz: ' || l.approved_at
            WHEN NOT (
                l.invoice_id IS NULL
                OR l.invoice_id ~ E'^\\s*[-+]?\\d{1,18}\\s*$'
                OR dv_meta.is_castable(l.invoice_id, 'bigint')
            )
                THEN 'column invoice_id: not a valid bigint: ' || l.invoice_id
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
    FROM staging.platform_timesheets AS l
    OFFSET 0  -- a fence: each row's tests run once, not once for every column that reads their result
),
typed AS (
    SELECT
        c.dv_row_no,
        c.dv_cast_error,
        CASE WHEN c.dv_cast_error IS NULL THEN c.timesheet_id::bigint END AS timesheet_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.placement_id::bigint END AS placement_id,
        CASE WHEN c.dv_cast_error IS NULL THEN c.week_start::date END AS week_start,
        CASE WHEN c.dv_cast_error IS NULL THEN c.hours::numeric(5,2) END AS hours,
        c.status AS status,
        CASE WHEN c.dv_cast_error IS NULL THEN c.submitted_at::timestamptz END AS submitted_at,
        CASE WHEN c.dv_cast_error IS NULL THEN c.approved_at::timestamptz END AS approved_at,
        CASE WHEN c.dv_cast_error IS NULL THEN c.invoice_id::bigint END AS invoice_id,
        c.invoice_number AS invoice_number,
        CASE WHEN c.dv_cast_error IS NULL THEN c.updated_at::timestamptz END AS updated_at
    FROM checked AS c
),
keyed AS (
    SELECT
        t.*,
        CASE
            WHEN t.timesheet_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN
                upper(btrim(regexp_replace(t.timesheet_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k1,
        CASE
            WHEN t.invoice_number::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN
                upper(btrim(regexp_replace(t.invoice_number::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k2,
        CASE
            WHEN t.placement_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN
                upper(btrim(regexp_replace(t.placement_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
        END AS dv_k3,
        CASE
            WHEN to_char(t.week_start, 'YYYY-MM-DD') !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN upper(
                    btrim(regexp_replace(to_char(t.week_start, 'YYYY-MM-DD'), E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ')
                        COLLATE "C"
                )
        END AS dv_k4
    FROM typed AS t
    OFFSET 0  -- a fence: each standardized key value is computed once, however many hash keys use it
),
hashed AS (
    SELECT
        k.*,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_timesheet,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_timesheet_invoice__timesheet,
        replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_timesheet_invoice__invoice,
        CASE
            WHEN dv_k1 IS NULL AND dv_k2 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k2, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_timesheet_invoice,
        replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_timesheet_hours__timesheet,
        replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|') AS dv_ks_hk_timesheet_hours__placement,
        CASE
            WHEN dv_k1 IS NULL AND dv_k3 IS NULL AND dv_k4 IS NULL THEN NULL
            ELSE COALESCE(replace(replace(dv_k1, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k3, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
                || '|' || COALESCE(replace(replace(dv_k4, E'\\', E'\\\\'), '|', E'\\|'), E'\\N')
        END AS dv_ks_hk_timesheet_hours
    FROM keyed AS k
),
verdict AS (
    -- every landed row once (the only step materialized: both inserts read it), with why it cannot be
    -- staged: a value that does not cast, else a required key that is empty
    SELECT
        h.*,
        COALESCE(h.dv_cast_error, CASE
            WHEN h.dv_ks_hk_timesheet IS NULL THEN 'hub timesheet: business key (timesheet_id) is empty'
            WHEN h.dv_ks_hk_timesheet_invoice__timesheet IS NULL THEN
                'link timesheet_invoice: role timesheet has no key (timesheet_id)'
            WHEN h.dv_ks_hk_timesheet_hours__timesheet IS NULL THEN
                'link timesheet_hours: role timesheet has no key (timesheet_id)'
            WHEN h.dv_ks_hk_timesheet_hours__placement IS NULL THEN
                'link timesheet_hours: role placement has no key (placement_id)'
            WHEN (h.dv_k4 IS NULL) THEN 'nonhistorized link timesheet_hours: event key (week_start) is empty'
        END) AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'platform_timesheets', l.dv_row_no, v.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM verdict AS v
    JOIN staging.platform_timesheets AS l ON l.dv_row_no = v.dv_row_no
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NOT NULL
    RETURNING 1
),
staged AS (
    INSERT INTO staging.platform_timesheets_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_timesheet,
        hk_timesheet_invoice__timesheet,
        hk_timesheet_invoice__invoice,
        hk_timesheet_invoice,
        hk_timesheet_hours__timesheet,
        hk_timesheet_hours__placement,
        hk_timesheet_hours,
        hd_timesheet_status,
        timesheet_id,
        placement_id,
        week_start,
        hours,
        status,
        submitted_at,
        approved_at,
        invoice_id,
        invoice_number,
        updated_at
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.platform.timesheets',
        v.dv_row_no,
        COALESCE(v.updated_at::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_timesheet)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_timesheet_invoice__timesheet)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_timesheet_invoice__invoice)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_timesheet_invoice)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_timesheet_hours__timesheet)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_timesheet_hours__placement)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        COALESCE(md5(v.dv_ks_hk_timesheet_hours)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
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
                                to_char(v.approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
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
        v.timesheet_id,
        v.placement_id,
        v.week_start,
        v.hours,
        v.status,
        v.submitted_at,
        v.approved_at,
        v.invoice_id,
        v.invoice_number,
        v.updated_at
    FROM verdict AS v
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NULL
    RETURNING 1
)
INSERT INTO dv_meta.batch_source (batch_id, source, rows_read, rows_staged, rows_quarantined)
SELECT
    b.batch_id,
    'platform_timesheets',
    (SELECT count(*) FROM staging.platform_timesheets),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.platform_timesheets;
