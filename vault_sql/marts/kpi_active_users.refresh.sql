-- generated from model/marts/users.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_active_users (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_active_users;
INSERT INTO marts.kpi_active_users (activity_date, dau, wau, mau, days_7d, days_30d, dau_mau_pct)
SELECT q.activity_date, q.dau, q.wau, q.mau, q.days_7d, q.days_30d, q.dau_mau_pct
  FROM (
-- dv:select here (kpi_active_users.build.sql)
) AS q;
