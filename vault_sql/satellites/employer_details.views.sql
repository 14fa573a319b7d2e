-- generated from model/satellites/employer.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Virtual end dates: nothing in the raw vault is ever updated to close a version.
-- Version order of a key: applied_dts, load_dts, load_seq.
--   applied_end_dts: applied_dts of the next version in version order ('infinity' for the last)
--   load_end_dts:    when the warehouse learned of a version that stands later ('infinity' if none);
--                    a late (back-dated) version gets an empty range [load_dts, load_dts), because it
--                    was never the current one, so load_dts <= d < load_end_dts picks the version
--                    current as the warehouse knew it at d
--   is_current:      the last version in version order

CREATE OR REPLACE VIEW raw_vault.sat_employer_details_hist AS
SELECT
    s.*,
    COALESCE(lead(s.applied_dts) OVER w_version, 'infinity'::timestamptz) AS applied_end_dts,
    greatest(s.load_dts, COALESCE(min(s.load_dts) OVER w_later, 'infinity'::timestamptz)) AS load_end_dts,
    lead(s.load_dts) OVER w_version IS NULL AS is_current
FROM raw_vault.sat_employer_details AS s
WINDOW
    w_version AS (PARTITION BY s.hk_employer ORDER BY s.applied_dts, s.load_dts, s.load_seq),
    w_later AS (w_version ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING);
COMMENT ON VIEW raw_vault.sat_employer_details_hist IS
    'Every version of satellite employer_details with virtual end dates [dv:8b0a23010de7a3ad]';

-- the latest version of each key: an anti-join on the version index, no window over the whole history
CREATE OR REPLACE VIEW raw_vault.sat_employer_details_current AS
SELECT s.*
FROM raw_vault.sat_employer_details AS s
WHERE NOT EXISTS (
    SELECT 1
    FROM raw_vault.sat_employer_details AS n
    WHERE n.hk_employer = s.hk_employer
      AND (n.applied_dts, n.load_dts, n.load_seq)
        > (s.applied_dts, s.load_dts, s.load_seq)
);
COMMENT ON VIEW raw_vault.sat_employer_details_current IS
    'Current version of each key of satellite employer_details [dv:8b0a23010de7a3ad]';
