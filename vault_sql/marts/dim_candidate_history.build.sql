-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_candidate_history (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.dim_candidate_history CASCADE;
CREATE TABLE marts.dim_candidate_history AS
-- dv:select begin (dim_candidate_history.refresh.sql selects these rows again)
WITH prof_v AS (
    SELECT s.hk_candidate, s.applied_dts, s.applied_end_dts, s.headline, s.city, s.country_code,
           s.years_experience, s.availability, s.desired_rate, s.rate_currency
      FROM raw_vault.sat_candidate_profile_hist AS s
     WHERE s.record_source <> 'SYSTEM.GHOST'
       AND s.applied_dts < s.applied_end_dts
), cu AS (
    SELECT DISTINCT ON (l.hk_candidate) l.hk_candidate, l.hk_user
      FROM raw_vault.link_candidate_user AS l
     WHERE l.record_source <> 'SYSTEM.GHOST'
     ORDER BY l.hk_candidate, l.load_dts, l.hk_user
), acct_v AS (
    SELECT cu.hk_candidate, a.applied_dts, a.applied_end_dts, a.status, a.registered_at
      FROM cu
      JOIN raw_vault.sat_user_account_hist AS a ON a.hk_user = cu.hk_user
     WHERE a.record_source <> 'SYSTEM.GHOST'
       AND a.applied_dts < a.applied_end_dts
), points AS (
    SELECT hk_candidate, applied_dts AS p FROM prof_v
    UNION
    SELECT hk_candidate, applied_dts AS p FROM acct_v
), slices AS (
    SELECT pt.hk_candidate, pt.p,
           a.registered_at, a.status AS account_status,
           pr.headline, pr.city, pr.country_code, pr.years_experience, pr.availability,
           pr.desired_rate, pr.rate_currency
      FROM points AS pt
      LEFT JOIN prof_v AS pr
        ON pr.hk_candidate = pt.hk_candidate AND pr.applied_dts <= pt.p AND pt.p < pr.applied_end_dts
      LEFT JOIN acct_v AS a
        ON a.hk_candidate = pt.hk_candidate AND a.applied_dts <= pt.p AND pt.p < a.applied_end_dts
), marked AS (
    SELECT s.*,
           (lag(s.p) OVER w IS NULL
            OR ROW(s.registered_at, s.account_status, s.headline, s.city, s.country_code, s.years_experience,
                   s.availability, s.desired_rate, s.rate_currency)
               IS DISTINCT FROM
               ROW(lag(s.registered_at) OVER w, lag(s.account_status) OVER w, lag(s.headline) OVER w,
                   lag(s.city) OVER w, lag(s.country_code) OVER w, lag(s.years_experience) OVER w,
                   lag(s.availability) OVER w, lag(s.desired_rate) OVER w, lag(s.rate_currency) OVER w)
           ) AS starts
      FROM slices AS s
    WINDOW w AS (PARTITION BY s.hk_candidate ORDER BY s.p)
), versions AS (
    SELECT m.*,
           COALESCE(lead(m.p) OVER (PARTITION BY m.hk_candidate ORDER BY m.p), 'infinity'::timestamptz) AS valid_to
      FROM marked AS m
     WHERE m.starts
)
SELECT md5(v.hk_candidate::text || '|' || (v.p AT TIME ZONE 'UTC')::text)::uuid AS candidate_version_key,
       v.hk_candidate                                        AS candidate_key,
       h.candidate_id,
       cu.hk_user                                            AS user_key,
       hu.user_id,
       v.p                                                   AS valid_from,
       v.valid_to,
       v.valid_to = 'infinity'::timestamptz                  AS is_current,
       v.registered_at,
       v.account_status,
       v.account_status = 'deleted'                          AS is_erased,
       v.headline,
       v.city,
       v.country_code,
       CASE WHEN v.city IS NOT NULL AND v.country_code IS NOT NULL
            THEN md5(v.country_code || '|' || v.city)::uuid END AS location_key,
       v.years_experience,
       v.availability,
       v.desired_rate,
       v.rate_currency
  FROM versions AS v
  JOIN raw_vault.hub_candidate AS h ON h.hk_candidate = v.hk_candidate
  LEFT JOIN cu ON cu.hk_candidate = v.hk_candidate
  LEFT JOIN raw_vault.hub_user AS hu ON hu.hk_user = cu.hk_user
-- dv:select end
;
ALTER TABLE marts.dim_candidate_history ADD PRIMARY KEY (candidate_version_key);
COMMENT ON TABLE marts.dim_candidate_history IS
    'Type 2: one row per version of a candidate on the applied timeline, combining the profile (sat_candidate_profile_hist) and the account of the candidate''s user (sat_user_account_hist through link_candidate_user). Change points: the union of both satellites'' applied_dts; each interval [valid_from, valid_to) takes the version of each satellite valid at valid_from (range join applied_dts <= p < applied_end_dts; NULL attributes before a satellite''s first version); consecutive intervals with identical attributes are merged into one version. A candidate with no profile and no account version (an orphan) has no row. The history starts with the first batch: the state the platform had then is each record''s first version, dated by its last change before it (a candidate_profiles or users updated_at, which logins and skill or language edits also move). [dv:4217659afa0803e0]';
