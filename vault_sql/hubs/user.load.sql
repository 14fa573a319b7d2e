-- generated from model/hubs/user.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub user from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Each source gives each key of the batch once, with its first landed row (a hash aggregate over the
-- batch's rows, not a sort of every copy); keys the hub holds are left out (a probe of its primary key
-- per distinct key); the winner among the sources is chosen from those few rows, and its key values are
-- read back from its staged row.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.user'));

WITH firsts AS (
    SELECT 1 AS dv_feed, 'jtld.platform.users' AS record_source, g.*
    FROM (
        SELECT s.hk_user AS hk_user, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_users_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_user <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_user
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_user AS t
        WHERE t.hk_user = g.hk_user
    )
    UNION ALL
    SELECT 2 AS dv_feed, 'jtld.platform.candidate_profiles' AS record_source, g.*
    FROM (
        SELECT s.hk_candidate_user__user AS hk_user, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_candidate_profiles_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_candidate_user__user <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_candidate_user__user
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_user AS t
        WHERE t.hk_user = g.hk_user
    )
    UNION ALL
    SELECT 3 AS dv_feed, 'jtld.platform.employer_users' AS record_source, g.*
    FROM (
        SELECT s.hk_employer_user__user AS hk_user, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_employer_users_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_employer_user__user <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_employer_user__user
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_user AS t
        WHERE t.hk_user = g.hk_user
    )
    UNION ALL
    SELECT 4 AS dv_feed, 'jtld.events.job_view' AS record_source, g.*
    FROM (
        SELECT s.hk_job_view__user AS hk_user, min(s.dv_row_no) AS dv_row_no
        FROM staging.events_job_views_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_view__user <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_job_view__user
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_user AS t
        WHERE t.hk_user = g.hk_user
    )
    UNION ALL
    SELECT 5 AS dv_feed, 'jtld.events.search' AS record_source, g.*
    FROM (
        SELECT s.hk_job_search__user AS hk_user, min(s.dv_row_no) AS dv_row_no
        FROM staging.events_searches_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_search__user <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_job_search__user
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_user AS t
        WHERE t.hk_user = g.hk_user
    )
    UNION ALL
    SELECT 6 AS dv_feed, 'jtld.events.login' AS record_source, g.*
    FROM (
        SELECT s.hk_user_login_event__user AS hk_user, min(s.dv_row_no) AS dv_row_no
        FROM staging.events_logins_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_user_login_event__user <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_user_login_event__user
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_user AS t
        WHERE t.hk_user = g.hk_user
    )
    UNION ALL
    SELECT 7 AS dv_feed, 'jtld.events.profile_update' AS record_source, g.*
    FROM (
        SELECT s.hk_profile_update__user AS hk_user, min(s.dv_row_no) AS dv_row_no
        FROM staging.events_profile_updates_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_profile_update__user <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_profile_update__user
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_user AS t
        WHERE t.hk_user = g.hk_user
    )
    UNION ALL
    SELECT 8 AS dv_feed, 'jtld.events.application_submit' AS record_source, g.*
    FROM (
        SELECT s.hk_application_submit__user AS hk_user, min(s.dv_row_no) AS dv_row_no
        FROM staging.events_application_submits_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application_submit__user <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_application_submit__user
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_user AS t
        WHERE t.hk_user = g.hk_user
    )
),
winners AS (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_user
            ORDER BY f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM firsts AS f
)
INSERT INTO raw_vault.hub_user (
    hk_user, user_id, load_dts, record_source, batch_id
)
SELECT
    w.hk_user,
    s.user_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_users_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 1
UNION ALL
SELECT
    w.hk_user,
    s.candidate_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_candidate_profiles_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 2
UNION ALL
SELECT
    w.hk_user,
    s.user_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_employer_users_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 3
UNION ALL
SELECT
    w.hk_user,
    s.user_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.events_job_views_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 4
UNION ALL
SELECT
    w.hk_user,
    s.user_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.events_searches_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 5
UNION ALL
SELECT
    w.hk_user,
    s.user_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.events_logins_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 6
UNION ALL
SELECT
    w.hk_user,
    s.user_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.events_profile_updates_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 7
UNION ALL
SELECT
    w.hk_user,
    s.user_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.events_application_submits_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 8
ON CONFLICT (hk_user) DO NOTHING;
