-- generated from model/hubs/employer.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub employer from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.employer'));

INSERT INTO raw_vault.hub_employer (
    hk_employer, employer_id, load_dts, record_source, batch_id
)
SELECT
    r.hk_employer, r.employer_id, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_employer
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_employer AS hk_employer,
            s.employer_id::bigint AS employer_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_employers_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_employer <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_employer AS h
              WHERE h.hk_employer = s.hk_employer
          )
        UNION ALL
        SELECT
            s.hk_crm_account_employer__employer AS hk_employer,
            s.platform_employer_id::bigint AS employer_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.crm_accounts_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_crm_account_employer__employer <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_employer AS h
              WHERE h.hk_employer = s.hk_crm_account_employer__employer
          )
        UNION ALL
        SELECT
            s.hk_employer_user__employer AS hk_employer,
            s.employer_id::bigint AS employer_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_employer_users_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_employer_user__employer <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_employer AS h
              WHERE h.hk_employer = s.hk_employer_user__employer
          )
        UNION ALL
        SELECT
            s.hk_invoice_billing__employer AS hk_employer,
            s.employer_id::bigint AS employer_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_invoices_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_invoice_billing__employer <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_employer AS h
              WHERE h.hk_employer = s.hk_invoice_billing__employer
          )
        UNION ALL
        SELECT
            s.hk_job_employer__employer AS hk_employer,
            s.employer_id::bigint AS employer_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_jobs_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_employer__employer <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_employer AS h
              WHERE h.hk_employer = s.hk_job_employer__employer
          )
        UNION ALL
        SELECT
            s.hk_placement_parties__employer AS hk_employer,
            s.employer_id::bigint AS employer_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_placements_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_placement_parties__employer <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_employer AS h
              WHERE h.hk_employer = s.hk_placement_parties__employer
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_employer) DO NOTHING;
