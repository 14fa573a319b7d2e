-- generated from model/marts/business_jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- computed_satellite cs_job_time_to_fill (refresh: incremental): built in full when missing or when its definition
-- changed
DROP TABLE IF EXISTS business_vault.cs_job_time_to_fill CASCADE;
CREATE TABLE business_vault.cs_job_time_to_fill AS
-- dv:select begin (cs_job_time_to_fill.refresh.sql selects these rows again)
SELECT s.hk_job,
       h.job_id,
       s.status,
       d.created_at,
       s.posted_at,
       s.expires_at,
       s.filled_at,
       s.posted_at IS NOT NULL AS is_posted,
       s.status = 'filled'     AS is_filled,
       s.status = 'expired'    AS is_expired,
       s.status = 'closed'     AS is_closed,
       CASE WHEN s.status = 'filled'
            THEN EXTRACT(EPOCH FROM s.filled_at - s.posted_at) / 86400 END AS time_to_fill_days,
       GREATEST(s.load_dts, d.load_dts) AS load_dts
  FROM raw_vault.sat_job_status_current AS s
  JOIN raw_vault.hub_job AS h ON h.hk_job = s.hk_job
  LEFT JOIN raw_vault.sat_job_description_current AS d ON d.hk_job = s.hk_job
 WHERE s.record_source <> 'SYSTEM.GHOST'
-- dv:select end
;
ALTER TABLE business_vault.cs_job_time_to_fill ADD PRIMARY KEY (hk_job);
COMMENT ON TABLE business_vault.cs_job_time_to_fill IS
    'One row per job that has a status (raw_vault.sat_job_status_current, ghost excluded; orphan job keys that only an application names have no status and no row). Current status and dates of the job; created_at from sat_job_description_current. is_posted = posted_at is set (left draft); is_filled / is_expired / is_closed = the current status is filled / expired / closed. time_to_fill_days = days from posted_at to filled_at (exact, seconds / 86400) for filled jobs, else NULL. [dv:3b5213f34af5c873]';
