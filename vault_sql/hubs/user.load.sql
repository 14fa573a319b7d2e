-- generated from model/hubs/user.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub user from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.user'));

INSERT INTO raw_vault.hub_user (
    hk_user, user_id, load_dts, record_source, batch_id
)
SELECT
    r.hk_user, r.user_id, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_user
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_user AS hk_user,
            s.user_id::bigint AS user_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_users_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_user <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_user AS h
              WHERE h.hk_user = s.hk_user
          )
        UNION ALL
        SELECT
            s.hk_candidate_user__user AS hk_user,
            s.candidate_id::bigint AS user_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_candidate_profiles_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_candidate_user__user <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_user AS h
              WHERE h.hk_user = s.hk_candidate_user__user
          )
        UNION ALL
        SELECT
            s.hk_employer_user__user AS hk_user,
            s.user_id::bigint AS user_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_employer_users_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_employer_user__user <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_user AS h
              WHERE h.hk_user = s.hk_employer_user__user
          )
        UNION ALL
        SELECT
            s.hk_job_view__user AS hk_user,
            s.user_id::bigint AS user_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.events_job_views_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_view__user <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_user AS h
              WHERE h.hk_user = s.hk_job_view__user
          )
        UNION ALL
        SELECT
            s.hk_job_search__user AS hk_user,
            s.user_id::bigint AS user_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.events_searches_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_search__user <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_user AS h
              WHERE h.hk_user = s.hk_job_search__user
          )
        UNION ALL
        SELECT
            s.hk_user_login_event__user AS hk_user,
            s.user_id::bigint AS user_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.events_logins_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_user_login_event__user <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_user AS h
              WHERE h.hk_user = s.hk_user_login_event__user
          )
        UNION ALL
        SELECT
            s.hk_profile_update__user AS hk_user,
            s.user_id::bigint AS user_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.events_profile_updates_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_profile_update__user <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_user AS h
              WHERE h.hk_user = s.hk_profile_update__user
          )
        UNION ALL
        SELECT
            s.hk_application_submit__user AS hk_user,
            s.user_id::bigint AS user_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.events_application_submits_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application_submit__user <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_user AS h
              WHERE h.hk_user = s.hk_application_submit__user
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_user) DO NOTHING;
