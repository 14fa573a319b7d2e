-- generated from model/marts/business_jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- computed_satellite cs_employer_response_time (refresh: incremental): built in full when missing or when its
-- definition changed
DROP TABLE IF EXISTS business_vault.cs_employer_response_time CASCADE;
CREATE TABLE business_vault.cs_employer_response_time AS
-- dv:select begin (cs_employer_response_time.refresh.sql selects these rows again)
WITH v AS (
    SELECT s.hk_application, s.applied_dts, s.applied_seq, s.load_dts, s.load_seq, s.status,
           LEAD(s.status) OVER w      AS next_status,
           LEAD(s.applied_dts) OVER w AS next_status_at,
           MAX(s.load_dts) OVER (PARTITION BY s.hk_application) AS max_load_dts
      FROM raw_vault.sat_application_status AS s
     WHERE s.record_source <> 'SYSTEM.GHOST'
    WINDOW w AS (PARTITION BY s.hk_application ORDER BY s.applied_dts, s.applied_seq, s.load_dts, s.load_seq)
), first_applied AS (
    SELECT v.hk_application, v.applied_dts AS applied_at, v.next_status, v.next_status_at, v.max_load_dts,
           ROW_NUMBER() OVER (PARTITION BY v.hk_application
                              ORDER BY v.applied_dts, v.applied_seq, v.load_dts, v.load_seq) AS rn
      FROM v
     WHERE v.status = 'applied'
)
SELECT f.hk_application,
       h.application_id,
       f.applied_at,
       f.next_status,
       f.next_status_at,
       COALESCE(f.next_status <> 'withdrawn', FALSE) AS is_responded,
       CASE WHEN f.next_status <> 'withdrawn' THEN f.next_status_at END AS first_response_at,
       CASE WHEN f.next_status <> 'withdrawn'
            THEN EXTRACT(EPOCH FROM f.next_status_at - f.applied_at) / 3600 END AS response_hours,
       f.max_load_dts AS load_dts
  FROM first_applied AS f
  JOIN raw_vault.hub_application AS h ON h.hk_application = f.hk_application
 WHERE f.rn = 1
-- dv:select end
;
ALTER TABLE business_vault.cs_employer_response_time ADD PRIMARY KEY (hk_application);
COMMENT ON TABLE business_vault.cs_employer_response_time IS
    'One row per application with an applied version in its status history. The employer''s response is the first transition out of the first ''applied'' version (versions ordered by applied_dts, applied_seq), unless that transition is ''withdrawn'' (the candidate left before the employer answered: no response). So a response is the first screening or rejection (or any other status but withdrawn) right after applied. response_hours = hours from applied_at to first_response_at (exact, seconds / 3600); NULL without a response (no answer yet, or withdrawn first). [dv:a609ab03ae6f05ab]';
