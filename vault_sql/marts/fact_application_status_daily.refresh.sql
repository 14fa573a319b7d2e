-- generated from model/marts/snapshots.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_application_status_daily (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_application_status_daily;
INSERT INTO marts.fact_application_status_daily (snapshot_date, date_key, status, applications)
SELECT q.snapshot_date, q.date_key, q.status, q.applications
  FROM (
-- dv:select here (fact_application_status_daily.build.sql)
) AS q;
