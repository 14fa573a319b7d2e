-- generated from model/marts/market.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_skill_demand_daily (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.fact_skill_demand_daily CASCADE;
CREATE TABLE marts.fact_skill_demand_daily AS
-- dv:select begin (fact_skill_demand_daily.refresh.sql selects these rows again)
WITH latest_load AS (
    SELECT max(t.load_dts) AS load_dts
      FROM (SELECT max(s.load_dts) AS load_dts
              FROM raw_vault.sat_job_status AS s
             WHERE s.record_source <> 'SYSTEM.GHOST'
            UNION ALL
            SELECT max(p.load_dts)
              FROM raw_vault.sat_candidate_profile AS p
             WHERE p.record_source <> 'SYSTEM.GHOST'
            UNION ALL
            SELECT max(a.load_dts)
              FROM raw_vault.sat_application_details AS a
             WHERE a.record_source <> 'SYSTEM.GHOST') AS t
),
bounds AS (
    SELECT CAST(date_trunc('week', (l.load_dts AT TIME ZONE 'UTC')::date - 1) AS date) - 84 AS first_date,
           (l.load_dts AT TIME ZONE 'UTC')::date - 1 AS last_date
      FROM latest_load AS l
     WHERE l.load_dts IS NOT NULL
),
calendar AS (
    SELECT CAST(d AS date) AS demand_date
      FROM bounds AS b
     CROSS JOIN LATERAL generate_series(b.first_date, b.last_date, interval '1 day') AS d
),
skill AS (
    SELECT h.hk_skill, h.skill_id
      FROM raw_vault.hub_skill AS h
      JOIN raw_vault.ref_skill_current AS r ON r.skill_id = h.skill_id AND r.record_source <> 'SYSTEM.GHOST'
     WHERE h.record_source <> 'SYSTEM.GHOST'
),
job_skill AS (
    SELECT DISTINCT l.hk_job, l.hk_skill
      FROM raw_vault.link_job_skill AS l
     WHERE l.record_source <> 'SYSTEM.GHOST'
),
open_day AS (
    SELECT w.hk_job, CAST(d AS date) AS demand_date
      FROM business_vault.cs_job_open_window AS w
     CROSS JOIN bounds AS b
     CROSS JOIN LATERAL generate_series(GREATEST(w.posted_on, b.first_date),
                                        LEAST(COALESCE(w.closed_on - 1, b.last_date), b.last_date),
                                        interval '1 day') AS d
     WHERE w.posted_on IS NOT NULL
),
open_jobs AS (
    SELECT o.demand_date, js.hk_skill, count(DISTINCT o.hk_job) AS open_jobs
      FROM open_day AS o
      JOIN job_skill AS js ON js.hk_job = o.hk_job
     GROUP BY o.demand_date, js.hk_skill
),
new_jobs AS (
    SELECT w.posted_on AS demand_date, js.hk_skill, count(DISTINCT w.hk_job) AS new_jobs
      FROM business_vault.cs_job_open_window AS w
      JOIN bounds AS b ON w.posted_on BETWEEN b.first_date AND b.last_date
      JOIN job_skill AS js ON js.hk_job = w.hk_job
     GROUP BY w.posted_on, js.hk_skill
),
applications AS (
    SELECT (d.applied_at AT TIME ZONE 'UTC')::date AS demand_date,
           js.hk_skill,
           count(DISTINCT a.hk_application) AS applications
      FROM raw_vault.link_application_candidate_job AS a
      JOIN raw_vault.sat_application_details_current AS d
        ON d.hk_application = a.hk_application AND d.record_source <> 'SYSTEM.GHOST'
      JOIN bounds AS b ON (d.applied_at AT TIME ZONE 'UTC')::date BETWEEN b.first_date AND b.last_date
      JOIN job_skill AS js ON js.hk_job = a.hk_job
     WHERE a.record_source <> 'SYSTEM.GHOST'
     GROUP BY 1, 2
)
SELECT c.demand_date,
       CAST(to_char(c.demand_date, 'YYYYMMDD') AS integer) AS date_key,
       s.hk_skill AS skill_key,
       s.skill_id,
       COALESCE(o.open_jobs, 0) AS open_jobs,
       COALESCE(n.new_jobs, 0) AS new_jobs,
       COALESCE(a.applications, 0) AS applications
  FROM calendar AS c
 CROSS JOIN skill AS s
  LEFT JOIN open_jobs AS o ON o.demand_date = c.demand_date AND o.hk_skill = s.hk_skill
  LEFT JOIN new_jobs AS n ON n.demand_date = c.demand_date AND n.hk_skill = s.hk_skill
  LEFT JOIN applications AS a ON a.demand_date = c.demand_date AND a.hk_skill = s.hk_skill
-- dv:select end
;
ALTER TABLE marts.fact_skill_demand_daily ADD PRIMARY KEY (demand_date, skill_id);
COMMENT ON TABLE marts.fact_skill_demand_daily IS
    'One row per UTC day of the demand calendar (the 12 complete ISO weeks before the current one, plus the current week up to as_of_date, the last complete day before the latest load) and skill of the taxonomy, zeros included. open_jobs = jobs listing the skill (link_job_skill, required or nice-to-have) open at the end of the day: posted on or before it (posted_at''s UTC date <= the day) and not yet filled, expired or withdrawn (closed_on, see cs_job_open_window, after the day or NULL); new_jobs = jobs listing the skill whose posted_at falls on the day; applications = applications (link_application_candidate_job) to jobs listing the skill whose applied_at (sat_application_details) falls on the day, whatever their status now. [dv:8541a73b35b27353]';
