-- generated from model/hubs/requisition.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub requisition from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.requisition'));

INSERT INTO raw_vault.hub_requisition (
    hk_requisition, requisition_ref, load_dts, record_source, batch_id
)
SELECT
    r.hk_requisition, r.requisition_ref, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_requisition
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_requisition AS hk_requisition,
            NULLIF(upper(btrim(regexp_replace(s.external_ref::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS requisition_ref,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_jobs_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_requisition <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_requisition AS h
              WHERE h.hk_requisition = s.hk_requisition
          )
        UNION ALL
        SELECT
            s.hk_requisition AS hk_requisition,
            NULLIF(upper(btrim(regexp_replace(s.reference::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS requisition_ref,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.board_a_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_requisition <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_requisition AS h
              WHERE h.hk_requisition = s.hk_requisition
          )
        UNION ALL
        SELECT
            s.hk_requisition AS hk_requisition,
            NULLIF(upper(btrim(regexp_replace(s.employer_reference::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS requisition_ref,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.board_b_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_requisition <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_requisition AS h
              WHERE h.hk_requisition = s.hk_requisition
          )
        UNION ALL
        SELECT
            s.hk_job_requisition__requisition AS hk_requisition,
            NULLIF(upper(btrim(regexp_replace(s.external_ref::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS requisition_ref,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_jobs_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_requisition__requisition <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_requisition AS h
              WHERE h.hk_requisition = s.hk_job_requisition__requisition
          )
        UNION ALL
        SELECT
            s.hk_posting_requisition__requisition AS hk_requisition,
            NULLIF(upper(btrim(regexp_replace(s.reference::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS requisition_ref,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.board_a_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_posting_requisition__requisition <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_requisition AS h
              WHERE h.hk_requisition = s.hk_posting_requisition__requisition
          )
        UNION ALL
        SELECT
            s.hk_posting_requisition__requisition AS hk_requisition,
            NULLIF(upper(btrim(regexp_replace(s.employer_reference::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS requisition_ref,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.board_b_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_posting_requisition__requisition <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_requisition AS h
              WHERE h.hk_requisition = s.hk_posting_requisition__requisition
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_requisition) DO NOTHING;
