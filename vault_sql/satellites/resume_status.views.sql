-- generated from model/satellites/resume.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Virtual end dates: nothing in the raw vault is ever updated to close a version.
-- Version order of a key: applied_dts, load_dts, load_seq.
--   applied_end_dts: applied_dts of the next version in version order ('infinity' for the last)
--   load_end_dts:    when the warehouse learned of a version that stands later ('infinity' if none);
--                    a late (back-dated) version gets an empty range [load_dts, load_dts), because it
--                    was never the current one, so load_dts <= d < load_end_dts picks the version
--                    current as the warehouse knew it at d
--   is_current:      the last version in version order

CREATE OR REPLACE VIEW raw_vault.sat_resume_status_hist AS
SELECT
    s.*,
    COALESCE(lead(s.applied_dts) OVER w_version, 'infinity'::timestamptz) AS applied_end_dts,
    greatest(s.load_dts, COALESCE(min(s.load_dts) OVER w_later, 'infinity'::timestamptz)) AS load_end_dts,
    lead(s.load_dts) OVER w_version IS NULL AS is_current
FROM raw_vault.sat_resume_status AS s
WINDOW
    w_version AS (PARTITION BY s.hk_resume ORDER BY s.applied_dts, s.load_dts, s.load_seq),
    w_later AS (w_version ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING);
COMMENT ON VIEW raw_vault.sat_resume_status_hist IS
    'Every version of satellite resume_status with virtual end dates [dv:587cd83a491bb1b6]';

-- the latest version of each key: an anti-join on the version index, no window over the whole history
CREATE OR REPLACE VIEW raw_vault.sat_resume_status_current AS
SELECT s.*
FROM raw_vault.sat_resume_status AS s
WHERE NOT EXISTS (
    SELECT 1
    FROM raw_vault.sat_resume_status AS n
    WHERE n.hk_resume = s.hk_resume
      AND (n.applied_dts, n.load_dts, n.load_seq)
        > (s.applied_dts, s.load_dts, s.load_seq)
);
COMMENT ON VIEW raw_vault.sat_resume_status_current IS
    'Current version of each key of satellite resume_status [dv:587cd83a491bb1b6]';
