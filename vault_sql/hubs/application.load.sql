-- generated from model/hubs/application.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub application from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Each source gives each key of the batch once, with its first landed row (a hash aggregate over the
-- batch's rows, not a sort of every copy); keys the hub holds are left out (a probe of its primary key
-- per distinct key); the winner among the sources is chosen from those few rows, and its key values are
-- read back from its staged row.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.application'));

WITH firsts AS (
    SELECT 1 AS dv_feed, 'jtld.platform.applications' AS record_source, g.*
    FROM (
        SELECT s.hk_application AS hk_application, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_applications_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_application
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_application AS t
        WHERE t.hk_application = g.hk_application
    )
    UNION ALL
    SELECT 2 AS dv_feed, 'jtld.platform.application_status_history' AS record_source, g.*
    FROM (
        SELECT s.hk_application AS hk_application, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_application_status_history_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_application
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_application AS t
        WHERE t.hk_application = g.hk_application
    )
    UNION ALL
    SELECT 3 AS dv_feed, 'jtld.platform.applications' AS record_source, g.*
    FROM (
        SELECT s.hk_application_candidate_job__application AS hk_application, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_applications_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application_candidate_job__application <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_application_candidate_job__application
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_application AS t
        WHERE t.hk_application = g.hk_application
    )
    UNION ALL
    SELECT 4 AS dv_feed, 'jtld.platform.placements' AS record_source, g.*
    FROM (
        SELECT s.hk_placement_parties__application AS hk_application, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_placements_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_placement_parties__application <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_placement_parties__application
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_application AS t
        WHERE t.hk_application = g.hk_application
    )
    UNION ALL
    SELECT 5 AS dv_feed, 'jtld.events.application_submit' AS record_source, g.*
    FROM (
        SELECT s.hk_application_submit__application AS hk_application, min(s.dv_row_no) AS dv_row_no
        FROM staging.events_application_submits_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application_submit__application <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_application_submit__application
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_application AS t
        WHERE t.hk_application = g.hk_application
    )
),
winners AS (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_application
            ORDER BY f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM firsts AS f
)
INSERT INTO raw_vault.hub_application (
    hk_application, application_id, load_dts, record_source, batch_id
)
SELECT
    w.hk_application,
    s.application_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_applications_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 1
UNION ALL
SELECT
    w.hk_application,
    s.application_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_application_status_history_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 2
UNION ALL
SELECT
    w.hk_application,
    s.application_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_applications_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 3
UNION ALL
SELECT
    w.hk_application,
    s.application_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_placements_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 4
UNION ALL
SELECT
    w.hk_application,
    s.application_id::bigint,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.events_application_submits_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 5
ON CONFLICT (hk_application) DO NOTHING;
