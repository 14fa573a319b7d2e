-- generated from model/hubs/invoice.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub invoice from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Each source gives each key of the batch once, with its first landed row (a hash aggregate over the
-- batch's rows, not a sort of every copy); keys the hub holds are left out (a probe of its primary key
-- per distinct key); the winner among the sources is chosen from those few rows, and its key values are
-- read back from its staged row.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.invoice'));

WITH firsts AS (
    SELECT 1 AS dv_feed, 'jtld.platform.invoices' AS record_source, g.*
    FROM (
        SELECT s.hk_invoice AS hk_invoice, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_invoices_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_invoice <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_invoice
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_invoice AS t
        WHERE t.hk_invoice = g.hk_invoice
    )
    UNION ALL
    SELECT 2 AS dv_feed, 'jtld.platform.invoices' AS record_source, g.*
    FROM (
        SELECT s.hk_invoice_billing__invoice AS hk_invoice, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_invoices_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_invoice_billing__invoice <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_invoice_billing__invoice
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_invoice AS t
        WHERE t.hk_invoice = g.hk_invoice
    )
    UNION ALL
    SELECT 3 AS dv_feed, 'jtld.platform.timesheets' AS record_source, g.*
    FROM (
        SELECT s.hk_timesheet_invoice__invoice AS hk_invoice, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_timesheets_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_timesheet_invoice__invoice <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_timesheet_invoice__invoice
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_invoice AS t
        WHERE t.hk_invoice = g.hk_invoice
    )
),
winners AS (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_invoice
            ORDER BY f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM firsts AS f
)
INSERT INTO raw_vault.hub_invoice (
    hk_invoice, invoice_number, load_dts, record_source, batch_id
)
SELECT
    w.hk_invoice,
    CASE
        WHEN s.invoice_number::text !~
            E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
            THEN upper(btrim(regexp_replace(s.invoice_number::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
    END,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_invoices_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 1
UNION ALL
SELECT
    w.hk_invoice,
    CASE
        WHEN s.invoice_number::text !~
            E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
            THEN upper(btrim(regexp_replace(s.invoice_number::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
    END,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_invoices_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 2
UNION ALL
SELECT
    w.hk_invoice,
    CASE
        WHEN s.invoice_number::text !~
            E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
            THEN upper(btrim(regexp_replace(s.invoice_number::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
    END,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_timesheets_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 3
ON CONFLICT (hk_invoice) DO NOTHING;
