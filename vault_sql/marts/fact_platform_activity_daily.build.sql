-- generated from model/marts/users.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_platform_activity_daily (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.fact_platform_activity_daily CASCADE;
CREATE TABLE marts.fact_platform_activity_daily AS
-- dv:select begin (fact_platform_activity_daily.refresh.sql selects these rows again)
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
-- dv:select end
;
ALTER TABLE marts.fact_platform_activity_daily ADD PRIMARY KEY (activity_date, event_type);
COMMENT ON TABLE marts.fact_platform_activity_daily IS
    'One row per UTC day and event type of the click stream (job_view, search, login, profile_update, application_submit) with at least one event that day: events = the events of the non-historized event link of that type (one per event_id, plausible time: not before 2025-04-01, not after its load) dated that day; users = distinct platform users (a row in sat_user_account) among them; anonymous_events = events without a user (user_id NULL, the ghost user); unknown_user_events = events naming a user_id the platform does not know. events = anonymous_events + unknown_user_events + events of platform users. [dv:bcd561d67a6ed087]';
