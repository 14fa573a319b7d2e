-- generated from model/marts/market.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_skill_demand_weekly (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.kpi_skill_demand_weekly CASCADE;
CREATE VIEW marts.kpi_skill_demand_weekly AS
WITH week AS (
    SELECT CAST(date_trunc('week', f.demand_date) AS date) AS week_start,
           f.skill_key,
           f.skill_id,
           count(*) AS days_covered,
           sum(f.new_jobs) AS jobs_posted,
           sum(f.applications) AS applications
      FROM marts.fact_skill_demand_daily AS f
     GROUP BY 1, 2, 3
),
with_previous AS (
    SELECT w.*,
           lag(w.jobs_posted) OVER (PARTITION BY w.skill_id ORDER BY w.week_start) AS prev_jobs_posted
      FROM week AS w
)
SELECT w.week_start,
       CAST(extract(isoyear FROM w.week_start) AS integer) AS iso_year,
       CAST(extract(week FROM w.week_start) AS integer) AS iso_week,
       w.skill_key,
       w.skill_id,
       r.skill_name,
       CAST(w.days_covered AS integer) AS days_covered,
       w.days_covered = 7 AS is_complete_week,
       CAST(w.jobs_posted AS bigint) AS jobs_posted,
       CAST(w.applications AS bigint) AS applications,
       CAST(w.prev_jobs_posted AS bigint) AS prev_jobs_posted,
       CASE WHEN w.days_covered = 7 AND w.prev_jobs_posted > 0
            THEN round(100.0 * (w.jobs_posted - w.prev_jobs_posted) / w.prev_jobs_posted, 2)
       END AS wow_growth_pct
  FROM with_previous AS w
  LEFT JOIN raw_vault.ref_skill_current AS r ON r.skill_id = w.skill_id AND r.record_source <> 'SYSTEM.GHOST'
;
COMMENT ON VIEW marts.kpi_skill_demand_weekly IS
    'Demand per skill and ISO week (Monday to Sunday, UTC) of the demand calendar (fact_skill_demand_daily: 12 complete weeks and the current one up to as_of_date), zeros included. jobs_posted = the week''s new_jobs; applications = the week''s applications; days_covered = days of the week in the calendar (7, fewer for the current week); prev_jobs_posted = jobs_posted of the week before (NULL for the first week of the calendar); wow_growth_pct = 100 * (jobs_posted - prev_jobs_posted) / prev_jobs_posted rounded to 2 decimals, NULL when prev_jobs_posted is 0 or NULL and for an incomplete week (a part week against a whole one says nothing). [dv:221a6efc18391ffa]';
