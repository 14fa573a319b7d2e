-- generated from model/hubs/invoice.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub invoice from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.invoice'));

INSERT INTO raw_vault.hub_invoice (
    hk_invoice, invoice_number, load_dts, record_source, batch_id
)
SELECT
    r.hk_invoice, r.invoice_number, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_invoice
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_invoice AS hk_invoice,
            NULLIF(upper(btrim(regexp_replace(s.invoice_number::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS invoice_number,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_invoices_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_invoice <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_invoice AS h
              WHERE h.hk_invoice = s.hk_invoice
          )
        UNION ALL
        SELECT
            s.hk_invoice_billing__invoice AS hk_invoice,
            NULLIF(upper(btrim(regexp_replace(s.invoice_number::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS invoice_number,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_invoices_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_invoice_billing__invoice <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_invoice AS h
              WHERE h.hk_invoice = s.hk_invoice_billing__invoice
          )
        UNION ALL
        SELECT
            s.hk_timesheet_invoice__invoice AS hk_invoice,
            NULLIF(upper(btrim(regexp_replace(s.invoice_number::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS invoice_number,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_timesheets_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_timesheet_invoice__invoice <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_invoice AS h
              WHERE h.hk_invoice = s.hk_timesheet_invoice__invoice
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_invoice) DO NOTHING;
