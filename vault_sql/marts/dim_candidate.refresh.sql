-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_candidate (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.dim_candidate;
INSERT INTO marts.dim_candidate
SELECT * FROM (
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
) AS q;
