-- generated from model/links/invoice_billing.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load link invoice_billing: new relationships only; the earliest load_dts wins, ties broken by
-- record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Relationships the link holds already are left out of each source first (a probe of its primary key),
-- so only the copies of new relationships are ranked.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.link.invoice_billing'));

INSERT INTO raw_vault.link_invoice_billing (
    hk_invoice_billing, hk_invoice, hk_employer, hk_placement, load_dts, record_source, batch_id
)
SELECT
    r.hk_invoice_billing, r.hk_invoice, r.hk_employer, r.hk_placement, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_invoice_billing
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_invoice_billing AS hk_invoice_billing,
            s.hk_invoice_billing__invoice AS hk_invoice,
            s.hk_invoice_billing__employer AS hk_employer,
            s.hk_invoice_billing__placement AS hk_placement,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_invoices_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_invoice_billing <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.link_invoice_billing AS l
              WHERE l.hk_invoice_billing = s.hk_invoice_billing
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_invoice_billing) DO NOTHING;
