-- generated from model/hubs/job.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub job from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.job'));

INSERT INTO raw_vault.hub_job (
    hk_job, job_id, load_dts, record_source, batch_id
)
SELECT
    r.hk_job, r.job_id, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_job
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_job AS hk_job,
            s.job_id::bigint AS job_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_jobs_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_job AS h
              WHERE h.hk_job = s.hk_job
          )
        UNION ALL
        SELECT
            s.hk_application_candidate_job__job AS hk_job,
            s.job_id::bigint AS job_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_applications_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application_candidate_job__job <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_job AS h
              WHERE h.hk_job = s.hk_application_candidate_job__job
          )
        UNION ALL
        SELECT
            s.hk_job_employer__job AS hk_job,
            s.job_id::bigint AS job_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_jobs_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_employer__job <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_job AS h
              WHERE h.hk_job = s.hk_job_employer__job
          )
        UNION ALL
        SELECT
            s.hk_job_requisition__job AS hk_job,
            s.job_id::bigint AS job_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_jobs_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_requisition__job <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_job AS h
              WHERE h.hk_job = s.hk_job_requisition__job
          )
        UNION ALL
        SELECT
            s.hk_job_skill__job AS hk_job,
            s.job_id::bigint AS job_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_job_skills_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_skill__job <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_job AS h
              WHERE h.hk_job = s.hk_job_skill__job
          )
        UNION ALL
        SELECT
            s.hk_placement_parties__job AS hk_job,
            s.job_id::bigint AS job_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_placements_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_placement_parties__job <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_job AS h
              WHERE h.hk_job = s.hk_placement_parties__job
          )
        UNION ALL
        SELECT
            s.hk_job_view__job AS hk_job,
            s.job_id::bigint AS job_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.events_job_views_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_view__job <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_job AS h
              WHERE h.hk_job = s.hk_job_view__job
          )
        UNION ALL
        SELECT
            s.hk_application_submit__job AS hk_job,
            s.job_id::bigint AS job_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.events_application_submits_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application_submit__job <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_job AS h
              WHERE h.hk_job = s.hk_application_submit__job
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_job) DO NOTHING;
