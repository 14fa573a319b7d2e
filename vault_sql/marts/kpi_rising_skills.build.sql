-- generated from model/marts/market.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_rising_skills (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.kpi_rising_skills CASCADE;
CREATE VIEW marts.kpi_rising_skills AS
WITH period AS (
    SELECT max(w.week_start) - 21 AS last_4w_start,
           max(w.week_start) - 49 AS prior_4w_start
      FROM marts.kpi_skill_demand_weekly AS w
     WHERE w.is_complete_week
),
skill AS (
    SELECT w.skill_key,
           w.skill_id,
           w.skill_name,
           p.last_4w_start,
           p.prior_4w_start,
           CAST(COALESCE(sum(w.jobs_posted) FILTER (WHERE w.week_start >= p.last_4w_start), 0) AS bigint)
             AS jobs_posted_last_4w,
           CAST(COALESCE(sum(w.jobs_posted) FILTER (WHERE w.week_start < p.last_4w_start), 0) AS bigint)
             AS jobs_posted_prior_4w
      FROM marts.kpi_skill_demand_weekly AS w
      JOIN period AS p
        ON w.week_start >= p.prior_4w_start
       AND w.week_start <= p.last_4w_start + 21
     GROUP BY w.skill_key, w.skill_id, w.skill_name, p.last_4w_start, p.prior_4w_start
),
measured AS (
    SELECT s.*,
           CASE WHEN s.jobs_posted_prior_4w > 0
                THEN round(100.0 * (s.jobs_posted_last_4w - s.jobs_posted_prior_4w) / s.jobs_posted_prior_4w, 2)
           END AS growth_pct,
           s.jobs_posted_prior_4w = 0 AND s.jobs_posted_last_4w > 0 AS is_new
      FROM skill AS s
)
SELECT m.skill_key,
       m.skill_id,
       m.skill_name,
       m.last_4w_start,
       m.prior_4w_start,
       m.jobs_posted_last_4w,
       m.jobs_posted_prior_4w,
       m.growth_pct,
       m.is_new,
       row_number() OVER (ORDER BY m.is_new DESC, m.growth_pct DESC NULLS LAST, m.jobs_posted_last_4w DESC,
                                   m.skill_id) AS rising_rank
  FROM measured AS m
;
COMMENT ON VIEW marts.kpi_rising_skills IS
    'Fastest-rising skills in job demand, one row per skill of the taxonomy. Compares jobs posted (listing the skill) in the last 4 complete ISO weeks of the demand calendar (last_4w_start .. last_4w_start + 27) with the 4 complete weeks before (prior_4w_start .. prior_4w_start + 27), from kpi_skill_demand_weekly. growth_pct = 100 * (jobs_posted_last_4w - jobs_posted_prior_4w) / jobs_posted_prior_4w rounded to 2 decimals (NULL when the prior period had none); is_new = none in the prior period and some in the last. rising_rank orders (1 = fastest riser): new skills first (more jobs first), then by growth_pct descending, then skills without any jobs in either period; ties by more jobs in the last period, then skill_id. [dv:34d43a35faa640eb]';
