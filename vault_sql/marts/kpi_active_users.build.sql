-- generated from model/marts/users.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_active_users (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.kpi_active_users CASCADE;
CREATE TABLE marts.kpi_active_users AS
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
;
ALTER TABLE marts.kpi_active_users ADD PRIMARY KEY (activity_date);
COMMENT ON TABLE marts.kpi_active_users IS 'Active users of the click stream, one row per UTC day d on which the vault holds at least one event (any type, anonymous included; the days of fact_platform_activity_daily). dau = distinct platform users with an event on d; wau = with an event in the 7 days d-6 .. d; mau = in the 30 days d-29 .. d (events as in fact_user_activity_daily). The click stream starts with the platform''s files (the first simulated day): the history before it has no events, so a window reaching back before the first day with events counts fewer days; days_7d and days_30d say how many days of each window have events. dau_mau_pct = 100 * dau / mau, rounded to 2 decimals (NULL when mau is 0). [dv:4f68fb7468431bc7]';
