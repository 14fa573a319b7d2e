-- generated from model/satellites/candidate.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Virtual end dates, per group: nothing in the raw vault is ever updated to close a version.
-- A version is a group (the members sharing hk_candidate, load_dts, load_seq); every member carries
-- its group's end dates. Version order of a key: applied_dts, load_dts, load_seq.
--   applied_end_dts: applied_dts of the next group in version order ('infinity' for the last)
--   load_end_dts:    when the warehouse learned of a group that stands later ('infinity' if none);
--                    a late (back-dated) group gets an empty range [load_dts, load_dts)
--   is_current:      the members of the last group in version order

CREATE OR REPLACE VIEW raw_vault.msat_candidate_languages_hist AS
WITH versions AS (
    -- one row per group
    SELECT DISTINCT s.hk_candidate, s.load_dts, s.load_seq, s.applied_dts
    FROM raw_vault.msat_candidate_languages AS s
),
ends AS (
    SELECT
        v.hk_candidate, v.load_dts, v.load_seq,
        COALESCE(lead(v.applied_dts) OVER w_version, 'infinity'::timestamptz) AS applied_end_dts,
        greatest(v.load_dts, COALESCE(min(v.load_dts) OVER w_later, 'infinity'::timestamptz)) AS load_end_dts,
        lead(v.load_dts) OVER w_version IS NULL AS is_current
    FROM versions AS v
    WINDOW
        w_version AS (PARTITION BY v.hk_candidate ORDER BY v.applied_dts, v.load_dts, v.load_seq),
        w_later AS (w_version ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
)
SELECT
    s.*,
    e.applied_end_dts,
    e.load_end_dts,
    e.is_current
FROM raw_vault.msat_candidate_languages AS s
JOIN ends AS e
  ON e.hk_candidate = s.hk_candidate
 AND e.load_dts = s.load_dts
 AND e.load_seq = s.load_seq;
COMMENT ON VIEW raw_vault.msat_candidate_languages_hist IS
    'Every member of every group of multi-active satellite candidate_languages with its group''s virtual end dates [dv:75ac2df5c4f1dc25]';

-- the members of the latest group of each key: an anti-join on the version index, no window over the whole history
CREATE OR REPLACE VIEW raw_vault.msat_candidate_languages_current AS
SELECT s.*
FROM raw_vault.msat_candidate_languages AS s
WHERE NOT EXISTS (
    SELECT 1
    FROM raw_vault.msat_candidate_languages AS n
    WHERE n.hk_candidate = s.hk_candidate
      AND (n.applied_dts, n.load_dts, n.load_seq)
        > (s.applied_dts, s.load_dts, s.load_seq)
);
COMMENT ON VIEW raw_vault.msat_candidate_languages_current IS
    'Current group (every member) of each key of multi-active satellite candidate_languages [dv:75ac2df5c4f1dc25]';
