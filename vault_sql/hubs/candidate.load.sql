-- generated from model/hubs/candidate.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub candidate from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.candidate'));

INSERT INTO raw_vault.hub_candidate (
    hk_candidate, candidate_id, load_dts, record_source, batch_id
)
SELECT
    r.hk_candidate, r.candidate_id, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_candidate
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_candidate AS hk_candidate,
            s.candidate_id::bigint AS candidate_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_candidate_profiles_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_candidate <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_candidate AS h
              WHERE h.hk_candidate = s.hk_candidate
          )
        UNION ALL
        SELECT
            s.hk_candidate AS hk_candidate,
            s.candidate_id::bigint AS candidate_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_candidate_languages_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_candidate <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_candidate AS h
              WHERE h.hk_candidate = s.hk_candidate
          )
        UNION ALL
        SELECT
            s.hk_candidate AS hk_candidate,
            s.candidate_id::bigint AS candidate_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_candidate_skills_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_candidate <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_candidate AS h
              WHERE h.hk_candidate = s.hk_candidate
          )
        UNION ALL
        SELECT
            s.hk_application_candidate_job__candidate AS hk_candidate,
            s.candidate_id::bigint AS candidate_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_applications_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application_candidate_job__candidate <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_candidate AS h
              WHERE h.hk_candidate = s.hk_application_candidate_job__candidate
          )
        UNION ALL
        SELECT
            s.hk_application_candidate_job__referrer AS hk_candidate,
            s.referrer_candidate_id::bigint AS candidate_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_applications_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application_candidate_job__referrer <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_candidate AS h
              WHERE h.hk_candidate = s.hk_application_candidate_job__referrer
          )
        UNION ALL
        SELECT
            s.hk_candidate_resume__candidate AS hk_candidate,
            s.candidate_id::bigint AS candidate_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_resumes_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_candidate_resume__candidate <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_candidate AS h
              WHERE h.hk_candidate = s.hk_candidate_resume__candidate
          )
        UNION ALL
        SELECT
            s.hk_candidate_skill__candidate AS hk_candidate,
            s.candidate_id::bigint AS candidate_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_candidate_skills_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_candidate_skill__candidate <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_candidate AS h
              WHERE h.hk_candidate = s.hk_candidate_skill__candidate
          )
        UNION ALL
        SELECT
            s.hk_candidate_user__candidate AS hk_candidate,
            s.candidate_id::bigint AS candidate_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_candidate_profiles_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_candidate_user__candidate <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_candidate AS h
              WHERE h.hk_candidate = s.hk_candidate_user__candidate
          )
        UNION ALL
        SELECT
            s.hk_placement_parties__candidate AS hk_candidate,
            s.candidate_id::bigint AS candidate_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_placements_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_placement_parties__candidate <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_candidate AS h
              WHERE h.hk_candidate = s.hk_placement_parties__candidate
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_candidate) DO NOTHING;
