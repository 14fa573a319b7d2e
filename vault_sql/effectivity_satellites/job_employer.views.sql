-- generated from model/satellites/job.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Virtual end dates: nothing in the raw vault is ever updated to close a relationship.
-- Row order of a relationship: applied_dts, load_dts, load_seq. Each start (is_active) opens a
-- period that the next row of the same relationship closes:
--   start_dts:     applied_dts of the start
--   end_dts:       applied_dts of the next row of the relationship ('infinity' while open)
--   load_end_dts:  load_dts of that next row: when the warehouse learned of the end ('infinity' while open)
--   is_current:    the period is open
-- The partner roles (employer) are read from link job_employer.

CREATE OR REPLACE VIEW raw_vault.esat_job_employer_hist AS
SELECT
    v.hk_job_employer,
    v.hk_job,
    l.hk_employer,
    v.applied_dts AS start_dts,
    COALESCE(v.dv_end_dts, 'infinity'::timestamptz) AS end_dts,
    v.dv_end_dts IS NULL AS is_current,
    v.load_dts,
    COALESCE(v.dv_end_load_dts, 'infinity'::timestamptz) AS load_end_dts,
    v.record_source,
    v.batch_id
FROM (
    SELECT
        s.*,
        lead(s.applied_dts) OVER w AS dv_end_dts,
        lead(s.load_dts) OVER w AS dv_end_load_dts
    FROM raw_vault.esat_job_employer AS s
    WINDOW w AS (PARTITION BY s.hk_job_employer ORDER BY s.applied_dts, s.load_dts, s.load_seq)
) AS v
JOIN raw_vault.link_job_employer AS l ON l.hk_job_employer = v.hk_job_employer
WHERE v.is_active;
COMMENT ON VIEW raw_vault.esat_job_employer_hist IS
    'Every period of each relationship of link job_employer (effectivity satellite job_employer) [dv:d362997441291983]';

-- the open relationships: starts with no later row of the same relationship, an anti-join on the
-- satellite's _ver index, no window over the whole history
CREATE OR REPLACE VIEW raw_vault.esat_job_employer_current AS
SELECT
    s.hk_job_employer,
    s.hk_job,
    l.hk_employer,
    s.applied_dts AS start_dts,
    s.load_dts,
    s.record_source,
    s.batch_id
FROM raw_vault.esat_job_employer AS s
JOIN raw_vault.link_job_employer AS l ON l.hk_job_employer = s.hk_job_employer
WHERE s.is_active
  AND NOT EXISTS (
      SELECT 1
      FROM raw_vault.esat_job_employer AS n
      WHERE n.hk_job_employer = s.hk_job_employer
        AND (n.applied_dts, n.load_dts, n.load_seq) > (s.applied_dts, s.load_dts, s.load_seq)
  );
COMMENT ON VIEW raw_vault.esat_job_employer_current IS
    'Open relationships of link job_employer per driving key (effectivity satellite job_employer) [dv:d362997441291983]';
