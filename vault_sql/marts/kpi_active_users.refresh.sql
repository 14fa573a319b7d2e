-- generated from model/marts/users.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_active_users (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.kpi_active_users;
INSERT INTO marts.kpi_active_users
SELECT * FROM (
WITH day AS (
    SELECT DISTINCT f.activity_date
      FROM marts.fact_platform_activity_daily AS f
),
active AS (
    SELECT d.activity_date,
           count(DISTINCT u.user_key) FILTER (WHERE u.activity_date = d.activity_date) AS dau,
           count(DISTINCT u.user_key) FILTER (WHERE u.activity_date > d.activity_date - 7) AS wau,
           count(DISTINCT u.user_key) AS mau
      FROM day AS d
      LEFT JOIN marts.fact_user_activity_daily AS u
        ON u.activity_date > d.activity_date - 30
       AND u.activity_date <= d.activity_date
     GROUP BY d.activity_date
),
coverage AS (
    SELECT d.activity_date,
           count(*) FILTER (WHERE w.activity_date > d.activity_date - 7) AS days_7d,
           count(*) AS days_30d
      FROM day AS d
      JOIN day AS w
        ON w.activity_date > d.activity_date - 30
       AND w.activity_date <= d.activity_date
     GROUP BY d.activity_date
)
SELECT a.activity_date,
       a.dau,
       a.wau,
       a.mau,
       c.days_7d,
       c.days_30d,
       round(100.0 * a.dau / NULLIF(a.mau, 0), 2) AS dau_mau_pct
  FROM active AS a
  JOIN coverage AS c ON c.activity_date = a.activity_date
) AS q;
