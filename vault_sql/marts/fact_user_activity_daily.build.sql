-- generated from model/marts/users.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_user_activity_daily (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.fact_user_activity_daily CASCADE;
CREATE TABLE marts.fact_user_activity_daily AS
-- dv:select begin (fact_user_activity_daily.refresh.sql selects these rows again)
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
)
SELECT (e.applied_dts AT TIME ZONE 'UTC')::date AS activity_date,
       h.hk_user AS user_key,
       h.user_id,
       count(*) AS events,
       count(*) FILTER (WHERE e.event_type = 'job_view') AS job_views,
       count(*) FILTER (WHERE e.event_type = 'search') AS searches,
       count(*) FILTER (WHERE e.event_type = 'login') AS logins,
       count(*) FILTER (WHERE e.event_type = 'profile_update') AS profile_updates,
       count(*) FILTER (WHERE e.event_type = 'application_submit') AS application_submits
  FROM event AS e
  JOIN raw_vault.hub_user AS h ON h.hk_user = e.hk_user
 WHERE e.record_source <> 'SYSTEM.GHOST'
   AND h.record_source <> 'SYSTEM.GHOST'
   AND e.applied_dts >= TIMESTAMPTZ '2025-04-01 00:00:00+00'
   AND e.applied_dts <= e.load_dts
   AND EXISTS (SELECT 1
                 FROM raw_vault.sat_user_account AS s
                WHERE s.hk_user = e.hk_user
                  AND s.record_source <> 'SYSTEM.GHOST')
 GROUP BY 1, 2, 3
-- dv:select end
;
ALTER TABLE marts.fact_user_activity_daily ADD PRIMARY KEY (activity_date, user_id);
COMMENT ON TABLE marts.fact_user_activity_daily IS
    'One row per platform user (a row in sat_user_account) and UTC day on which that user has at least one event in the click stream (the same events as fact_platform_activity_daily: one per event_id, plausible time), with the number of events of each type. Anonymous events and events of user ids the platform does not know are not here. The base of the active-user counts (kpi_active_users). [dv:bbdb73426d6957b3]';
