-- generated from model/marts/users.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_platform_activity_daily (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_platform_activity_daily;
INSERT INTO marts.fact_platform_activity_daily
SELECT * FROM (
WITH event AS (
    SELECT 'job_view' AS event_type, hk_user, applied_dts, load_dts, record_source
      FROM raw_vault.nhl_job_view
    UNION ALL
    SELECT 'search', hk_user, applied_dts, load_dts, record_source
      FROM raw_vault.nhl_job_search
    UNION ALL
    SELECT 'login', hk_user, applied_dts, load_dts, record_source
      FROM raw_vault.nhl_user_login_event
    UNION ALL
    SELECT 'profile_update', hk_user, applied_dts, load_dts, record_source
      FROM raw_vault.nhl_profile_update
    UNION ALL
    SELECT 'application_submit', hk_user, applied_dts, load_dts, record_source
      FROM raw_vault.nhl_application_submit
),
platform_user AS (
    SELECT DISTINCT s.hk_user
      FROM raw_vault.sat_user_account AS s
     WHERE s.record_source <> 'SYSTEM.GHOST'
)
SELECT (e.applied_dts AT TIME ZONE 'UTC')::date AS activity_date,
       e.event_type,
       count(*) AS events,
       count(DISTINCT p.hk_user) AS users,
       count(*) FILTER (WHERE e.hk_user = '00000000-0000-0000-0000-000000000000'::uuid) AS anonymous_events,
       count(*) FILTER (WHERE e.hk_user <> '00000000-0000-0000-0000-000000000000'::uuid
                          AND p.hk_user IS NULL) AS unknown_user_events
  FROM event AS e
  LEFT JOIN platform_user AS p ON p.hk_user = e.hk_user
 WHERE e.record_source <> 'SYSTEM.GHOST'
   AND e.applied_dts >= TIMESTAMPTZ '2025-04-01 00:00:00+00'
   AND e.applied_dts <= e.load_dts
 GROUP BY 1, 2
) AS q;
