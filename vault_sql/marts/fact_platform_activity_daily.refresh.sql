-- generated from model/marts/users.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_platform_activity_daily (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_platform_activity_daily;
INSERT INTO marts.fact_platform_activity_daily
    (activity_date, event_type, events, users, anonymous_events, unknown_user_events)
SELECT q.activity_date, q.event_type, q.events, q.users, q.anonymous_events, q.unknown_user_events
  FROM (
-- dv:select here (fact_platform_activity_daily.build.sql)
) AS q;
