-- generated from model/marts/users.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_active_users (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.kpi_active_users CASCADE;
CREATE TABLE marts.kpi_active_users AS
-- dv:select begin (kpi_active_users.refresh.sql selects these rows again)
-- Each user's active days in user order, once (not each user-day once per window it falls in): an active day a
-- puts the user into the windows of the days a .. a+6 (a .. a+29); of those, the days their previous active
-- day p did not cover already start at greatest(a, p + 7) (p + 30). A day's wau (mau) is then the number of
-- such spans that started by it and have not ended: a running sum of +1 at each start and -1 after each end.
WITH day AS (
    SELECT DISTINCT f.activity_date
      FROM marts.fact_platform_activity_daily AS f
),
seen AS (
    SELECT u.activity_date AS a,
           lag(u.activity_date) OVER (PARTITION BY u.user_key ORDER BY u.activity_date) AS p
      FROM marts.fact_user_activity_daily AS u
),
step AS (
    SELECT v.day, sum(v.w) AS w, sum(v.m) AS m
      FROM seen AS s,
           LATERAL (VALUES (greatest(s.a, s.p + 7), 1, 0), (s.a + 7, -1, 0),
                           (greatest(s.a, s.p + 30), 0, 1), (s.a + 30, 0, -1)) AS v(day, w, m)
     GROUP BY v.day
),
daily AS (
    SELECT u.activity_date, count(*) AS dau
      FROM marts.fact_user_activity_daily AS u
     GROUP BY u.activity_date
),
active AS (
    SELECT d.activity_date,
           COALESCE(min(n.dau), 0) AS dau,
           COALESCE(sum(t.w), 0)::bigint AS wau,
           COALESCE(sum(t.m), 0)::bigint AS mau
      FROM day AS d
      LEFT JOIN daily AS n ON n.activity_date = d.activity_date
      LEFT JOIN step AS t ON t.day <= d.activity_date
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
-- dv:select end
;
ALTER TABLE marts.kpi_active_users ADD PRIMARY KEY (activity_date);
COMMENT ON TABLE marts.kpi_active_users IS
    'Active users of the click stream, one row per UTC day d on which the vault holds at least one event (any type, anonymous included; the days of fact_platform_activity_daily). dau = distinct platform users with an event on d; wau = with an event in the 7 days d-6 .. d; mau = in the 30 days d-29 .. d (events as in fact_user_activity_daily). The click stream starts with the platform''s files (the first simulated day): the history before it has no events, so a window reaching back before the first day with events counts fewer days; days_7d and days_30d say how many days of each window have events. dau_mau_pct = 100 * dau / mau, rounded to 2 decimals (NULL when mau is 0). [dv:f361e59feff9ecbf]';
