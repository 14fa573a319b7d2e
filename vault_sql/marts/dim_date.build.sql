-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_date (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.dim_date CASCADE;
CREATE TABLE marts.dim_date AS
-- dv:select begin (dim_date.refresh.sql selects these rows again)
WITH days AS (
    SELECT g.day::date AS d
      FROM generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2027-12-31', INTERVAL '1 day') AS g(day)
)
SELECT (EXTRACT(YEAR FROM d) * 10000 + EXTRACT(MONTH FROM d) * 100 + EXTRACT(DAY FROM d))::int AS date_key,
       d                                                       AS date,
       EXTRACT(YEAR FROM d)::int                               AS year,
       EXTRACT(QUARTER FROM d)::int                            AS quarter,
       EXTRACT(MONTH FROM d)::int                              AS month,
       to_char(d, 'FMMonth')                                   AS month_name,
       EXTRACT(DAY FROM d)::int                                AS day_of_month,
       EXTRACT(ISOYEAR FROM d)::int                            AS iso_year,
       EXTRACT(WEEK FROM d)::int                               AS iso_week,
       (d - (EXTRACT(ISODOW FROM d)::int - 1))::date           AS week_start,
       EXTRACT(ISODOW FROM d)::int                             AS day_of_week,
       to_char(d, 'FMDay')                                     AS day_name,
       EXTRACT(ISODOW FROM d) IN (6, 7)                        AS is_weekend,
       date_trunc('month', d::timestamp)::date                           AS month_start
  FROM days
-- dv:select end
;
ALTER TABLE marts.dim_date ADD PRIMARY KEY (date_key);
COMMENT ON TABLE marts.dim_date IS
    'The calendar: one row per day from 2024-01-01 to 2027-12-31 (generate_series), covering the platform''s history (the oldest imported registrations are from 2024) and the simulated days. Weeks are ISO weeks (Monday to Sunday). [dv:77d1afae0623185a]';
