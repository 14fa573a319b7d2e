-- generated from model/satellites/employer_details.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Virtual end dates: nothing in the raw vault is ever updated to close a version.
-- Version order of a key: applied_dts, load_dts, load_seq.
--   applied_end_dts: applied_dts of the next version ('infinity' for the current one)
--   load_end_dts:    load_dts of the next version loaded ('infinity' when none): what the warehouse knew when
--   is_current:      the last version in version order

CREATE OR REPLACE VIEW raw_vault.sat_employer_details_hist AS
SELECT
    s.*,
    COALESCE(
        lead(s.applied_dts) OVER (PARTITION BY s.hk_employer ORDER BY s.applied_dts, s.load_dts, s.load_seq),
        'infinity'
    ) AS applied_end_dts,
    COALESCE(
        lead(s.load_dts) OVER (PARTITION BY s.hk_employer ORDER BY s.load_dts, s.load_seq),
        'infinity'
    ) AS load_end_dts,
    row_number() OVER (PARTITION BY s.hk_employer ORDER BY s.applied_dts DESC, s.load_dts DESC, s.load_seq DESC) = 1 AS is_current
FROM raw_vault.sat_employer_details AS s;
COMMENT ON VIEW raw_vault.sat_employer_details_hist IS 'Every version of satellite employer_details with virtual end dates';

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
COMMENT ON VIEW raw_vault.sat_employer_details_current IS 'Current version of each key of satellite employer_details';
