-- generated from model/marts/market.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_skill_demand_daily (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.fact_skill_demand_daily;
INSERT INTO marts.fact_skill_demand_daily
    (demand_date, date_key, skill_key, skill_id, open_jobs, new_jobs, applications)
SELECT q.demand_date, q.date_key, q.skill_key, q.skill_id, q.open_jobs, q.new_jobs, q.applications
  FROM (
-- dv:select here (fact_skill_demand_daily.build.sql)
) AS q;
