-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_date (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.dim_date;
INSERT INTO marts.dim_date (
    date_key, date, year, quarter, month, month_name, day_of_month, iso_year, iso_week, week_start, day_of_week,
    day_name, is_weekend, month_start
)
SELECT q.date_key, q.date, q.year, q.quarter, q.month, q.month_name, q.day_of_month, q.iso_year, q.iso_week,
    q.week_start, q.day_of_week, q.day_name, q.is_weekend, q.month_start
  FROM (
-- dv:select here (dim_date.build.sql)
) AS q;
