-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_candidate (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.dim_candidate CASCADE;
CREATE TABLE marts.dim_candidate AS
-- dv:select begin (dim_candidate.refresh.sql selects these rows again)
SELECT h.hk_candidate                                        AS candidate_key,
       h.candidate_id,
       cu.hk_user                                            AS user_key,
       hu.user_id,
       a.registered_at,
       a.status                                              AS account_status,
       a.status = 'deleted'                                  AS is_erased,
       p.headline,
       p.city,
       p.country_code,
       CASE WHEN p.city IS NOT NULL AND p.country_code IS NOT NULL
            THEN md5(p.country_code || '|' || p.city)::uuid END AS location_key,
       p.years_experience,
       p.availability,
       p.desired_rate,
       p.rate_currency,
       h.record_source = 'SYSTEM.GHOST' OR p.hk_candidate IS NULL AS is_orphan
  FROM raw_vault.hub_candidate AS h
  LEFT JOIN raw_vault.sat_candidate_profile_current AS p ON p.hk_candidate = h.hk_candidate
  LEFT JOIN LATERAL (
        SELECT l.hk_user
          FROM raw_vault.link_candidate_user AS l
         WHERE l.hk_candidate = h.hk_candidate
           AND l.record_source <> 'SYSTEM.GHOST'
         ORDER BY l.load_dts, l.hk_user
         LIMIT 1
       ) AS cu ON true
  LEFT JOIN raw_vault.hub_user AS hu ON hu.hk_user = cu.hk_user
  LEFT JOIN raw_vault.sat_user_account_current AS a ON a.hk_user = cu.hk_user
 -- the ghost record too: the unknown member (zero key) that facts point at when a party is unknown
-- dv:select end
;
ALTER TABLE marts.dim_candidate ADD PRIMARY KEY (candidate_key);
COMMENT ON TABLE marts.dim_candidate IS
    'Type 1: one row per candidate (hub candidate, the ghost record as the unknown member; orphans included) with the current profile (sat_candidate_profile_current) and the current account of the candidate''s user (link_candidate_user -> sat_user_account_current). Personal data (full_name, email) is not exposed. is_erased is true when the account''s status is ''deleted'' (the platform erased the personal data; the profile''s headline, city, experience, availability and rate are then NULL). [dv:d8dbbbcf0fc690e4]';
