-- generated from model/marts/business_jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- computed_satellite cs_application_stage_timings (refresh: incremental): built in full when missing or when its
-- definition changed
DROP TABLE IF EXISTS business_vault.cs_application_stage_timings CASCADE;
CREATE TABLE business_vault.cs_application_stage_timings AS
-- dv:select begin (cs_application_stage_timings.refresh.sql selects these rows again)
WITH v AS (
    SELECT s.hk_application, s.applied_dts, s.applied_seq, s.status, s.load_dts,
           ROW_NUMBER() OVER (PARTITION BY s.hk_application
                              ORDER BY s.applied_dts DESC, s.applied_seq DESC, s.load_dts DESC,
                              s.load_seq DESC) AS rn_desc
      FROM raw_vault.sat_application_status AS s
     WHERE s.record_source <> 'SYSTEM.GHOST'
), agg AS (
    SELECT v.hk_application,
           MIN(v.applied_dts) FILTER (WHERE v.status = 'applied')   AS applied_at,
           MIN(v.applied_dts) FILTER (WHERE v.status = 'screening') AS screening_at,
           MIN(v.applied_dts) FILTER (WHERE v.status = 'interview') AS interview_at,
           MIN(v.applied_dts) FILTER (WHERE v.status = 'offer')     AS offer_at,
           MIN(v.applied_dts) FILTER (WHERE v.status = 'hired')     AS hired_at,
           MIN(v.applied_dts) FILTER (WHERE v.status = 'rejected')  AS rejected_at,
           MIN(v.applied_dts) FILTER (WHERE v.status = 'withdrawn') AS withdrawn_at,
           MAX(v.status) FILTER (WHERE v.rn_desc = 1)               AS current_status,
           MAX(v.applied_dts) FILTER (WHERE v.rn_desc = 1)          AS current_status_at,
           COUNT(*) - 1                                             AS transitions,
           MAX(v.load_dts)                                          AS load_dts
      FROM v
     GROUP BY v.hk_application
)
SELECT a.hk_application,
       h.application_id,
       a.applied_at,
       a.screening_at,
       a.interview_at,
       a.offer_at,
       a.hired_at,
       a.rejected_at,
       a.withdrawn_at,
       a.current_status,
       a.current_status_at,
       CASE WHEN a.hired_at IS NOT NULL THEN 'hired'
            WHEN a.offer_at IS NOT NULL THEN 'offer'
            WHEN a.interview_at IS NOT NULL THEN 'interview'
            WHEN a.screening_at IS NOT NULL THEN 'screening'
            ELSE 'applied' END AS reached_stage,
       CASE WHEN a.hired_at IS NOT NULL THEN 5
            WHEN a.offer_at IS NOT NULL THEN 4
            WHEN a.interview_at IS NOT NULL THEN 3
            WHEN a.screening_at IS NOT NULL THEN 2
            ELSE 1 END AS reached_stage_order,
       a.transitions,
       EXTRACT(EPOCH FROM a.screening_at - a.applied_at) / 86400   AS days_applied_to_screening,
       EXTRACT(EPOCH FROM a.interview_at - a.screening_at) / 86400 AS days_screening_to_interview,
       EXTRACT(EPOCH FROM a.offer_at - a.interview_at) / 86400     AS days_interview_to_offer,
       EXTRACT(EPOCH FROM a.hired_at - a.offer_at) / 86400         AS days_offer_to_hired,
       EXTRACT(EPOCH FROM a.hired_at - a.applied_at) / 86400       AS days_applied_to_hired,
       a.load_dts
  FROM agg AS a
  JOIN raw_vault.hub_application AS h ON h.hk_application = a.hk_application
-- dv:select end
;
ALTER TABLE business_vault.cs_application_stage_timings ADD PRIMARY KEY (hk_application);
COMMENT ON TABLE business_vault.cs_application_stage_timings IS
    'One row per application (hub application, ghost excluded) that has a status history in raw_vault.sat_application_status. All versions of the satellite are read in source order (applied_dts, then applied_seq = the platform''s status-history seq). A funnel stage (applied, screening, interview, offer, hired) is reached when the application ever had that status; its timestamp is the FIRST time it had it (an interview that goes back to screening keeps the first screening time). rejected_at and withdrawn_at are the first time of those statuses. current_status is the status of the last version. The days_* columns are exact (seconds / 86400, not rounded) and NULL unless both ends were reached. [dv:d1794070ef2f167a]';
