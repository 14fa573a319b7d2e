-- generated from model/marts/business_candidates.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- computed_satellite cs_job_open_window (refresh: incremental): built in full when missing or when its definition
-- changed
DROP TABLE IF EXISTS business_vault.cs_job_open_window CASCADE;
CREATE TABLE business_vault.cs_job_open_window AS
-- dv:select begin (cs_job_open_window.refresh.sql selects these rows again)
WITH version AS (
    SELECT v.hk_job,
           v.status,
           v.applied_dts,
           lag(v.status) OVER (PARTITION BY v.hk_job ORDER BY v.applied_dts, v.load_dts, v.load_seq) AS previous_status
      FROM raw_vault.sat_job_status AS v
     WHERE v.record_source <> 'SYSTEM.GHOST'
),
withdrawn AS (
    SELECT v.hk_job, max(v.applied_dts) AS closed_at
      FROM version AS v
     WHERE v.status = 'closed'
       AND v.previous_status IS DISTINCT FROM 'closed'
     GROUP BY v.hk_job
),
job AS (
    SELECT s.hk_job,
           h.job_id,
           s.status,
           s.posted_at,
           CASE s.status
               WHEN 'filled' THEN s.filled_at
               WHEN 'expired' THEN s.expires_at
               WHEN 'closed' THEN w.closed_at
           END AS closed_at,
           s.load_dts
      FROM raw_vault.sat_job_status_current AS s
      JOIN raw_vault.hub_job AS h ON h.hk_job = s.hk_job
      LEFT JOIN withdrawn AS w ON w.hk_job = s.hk_job
     WHERE s.record_source <> 'SYSTEM.GHOST'
)
SELECT j.hk_job,
       j.job_id,
       j.status,
       j.posted_at,
       j.closed_at,
       (j.posted_at AT TIME ZONE 'UTC')::date AS posted_on,
       (j.closed_at AT TIME ZONE 'UTC')::date AS closed_on,
       j.load_dts
  FROM job AS j
-- dv:select end
;
ALTER TABLE business_vault.cs_job_open_window ADD PRIMARY KEY (hk_job);
COMMENT ON TABLE business_vault.cs_job_open_window IS
    'One row per job that has a status (raw_vault.sat_job_status_current, ghost excluded). When the job was open on the platform, from business dates and the status: it opened at posted_at (NULL while a draft: never open) and stopped being open at closed_at = filled_at when the current status is ''filled'', expires_at when ''expired'', the time it was withdrawn when ''closed'' (the applied_dts of the sat_job_status version that started the current ''closed'' run: the platform''s updated_at at that change, closing being final), and NULL while ''open'' or ''draft''. A job is open at the end of UTC day d when posted_on <= d and (closed_on IS NULL or closed_on > d), the rule of fact_skill_demand_daily and kpi_supply_demand. An extended job''s expires_at has moved: it counts as open through the extension, as it was. [dv:5f48d7366fb2bcd6]';
