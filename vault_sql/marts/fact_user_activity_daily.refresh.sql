-- generated from model/marts/users.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_user_activity_daily (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_user_activity_daily;
INSERT INTO marts.fact_user_activity_daily
    (activity_date, user_key, user_id, events, job_views, searches, logins, profile_updates, application_submits)
SELECT q.activity_date, q.user_key, q.user_id, q.events, q.job_views, q.searches, q.logins, q.profile_updates,
    q.application_submits
  FROM (
-- dv:select here (fact_user_activity_daily.build.sql)
) AS q;
