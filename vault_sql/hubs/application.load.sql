-- generated from model/hubs/application.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub application from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.application'));

INSERT INTO raw_vault.hub_application (
    hk_application, application_id, load_dts, record_source, batch_id
)
SELECT
    r.hk_application, r.application_id, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_application
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_application AS hk_application,
            s.application_id::bigint AS application_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_applications_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_application AS h
              WHERE h.hk_application = s.hk_application
          )
        UNION ALL
        SELECT
            s.hk_application AS hk_application,
            s.application_id::bigint AS application_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_application_status_history_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_application AS h
              WHERE h.hk_application = s.hk_application
          )
        UNION ALL
        SELECT
            s.hk_application_candidate_job__application AS hk_application,
            s.application_id::bigint AS application_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_applications_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application_candidate_job__application <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_application AS h
              WHERE h.hk_application = s.hk_application_candidate_job__application
          )
        UNION ALL
        SELECT
            s.hk_placement_parties__application AS hk_application,
            s.application_id::bigint AS application_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_placements_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_placement_parties__application <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_application AS h
              WHERE h.hk_application = s.hk_placement_parties__application
          )
        UNION ALL
        SELECT
            s.hk_application_submit__application AS hk_application,
            s.application_id::bigint AS application_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.events_application_submits_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application_submit__application <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_application AS h
              WHERE h.hk_application = s.hk_application_submit__application
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_application) DO NOTHING;
