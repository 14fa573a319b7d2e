-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_employer_history (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.dim_employer_history CASCADE;
CREATE TABLE marts.dim_employer_history AS
-- dv:select begin (dim_employer_history.refresh.sql selects these rows again)
WITH det AS (
    SELECT s.hk_employer, s.applied_dts AS p, s.name, s.industry, s.size_band, s.country_code, s.created_at
      FROM raw_vault.sat_employer_details_hist AS s
     WHERE s.record_source <> 'SYSTEM.GHOST'
       AND s.applied_dts < s.applied_end_dts
), marked AS (
    SELECT d.*,
           (lag(d.p) OVER w IS NULL
            OR ROW(d.name, d.industry, d.size_band, d.country_code, d.created_at)
               IS DISTINCT FROM
               ROW(lag(d.name) OVER w, lag(d.industry) OVER w, lag(d.size_band) OVER w,
                   lag(d.country_code) OVER w, lag(d.created_at) OVER w)
           ) AS starts
      FROM det AS d
    WINDOW w AS (PARTITION BY d.hk_employer ORDER BY d.p)
), versions AS (
    SELECT m.*,
           COALESCE(lead(m.p) OVER (PARTITION BY m.hk_employer ORDER BY m.p), 'infinity'::timestamptz) AS valid_to
      FROM marked AS m
     WHERE m.starts
)
SELECT md5(v.hk_employer::text || '|' || (v.p AT TIME ZONE 'UTC')::text)::uuid AS employer_version_key,
       v.hk_employer                          AS employer_key,
       h.employer_id,
       v.p                                    AS valid_from,
       v.valid_to,
       v.valid_to = 'infinity'::timestamptz   AS is_current,
       v.name,
       v.industry,
       v.size_band,
       v.country_code,
       v.created_at
  FROM versions AS v
  JOIN raw_vault.hub_employer AS h ON h.hk_employer = v.hk_employer
-- dv:select end
;
ALTER TABLE marts.dim_employer_history ADD PRIMARY KEY (employer_version_key);
COMMENT ON TABLE marts.dim_employer_history IS
    'Type 2: one row per version of an employer''s details (sat_employer_details_hist) on the applied timeline; consecutive versions with identical attributes are merged. Orphans have no row. [dv:eba33885da541fba]';
