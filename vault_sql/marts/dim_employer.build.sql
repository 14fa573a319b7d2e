-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_employer (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.dim_employer CASCADE;
CREATE VIEW marts.dim_employer AS
SELECT h.hk_employer           AS employer_key,
       h.employer_id,
       d.name,
       d.industry,
       d.size_band,
       d.country_code,
       d.created_at,
       h.record_source = 'SYSTEM.GHOST' OR d.hk_employer IS NULL AS is_orphan
  FROM raw_vault.hub_employer AS h
  LEFT JOIN raw_vault.sat_employer_details_current AS d ON d.hk_employer = h.hk_employer
 -- the ghost record too: the unknown member (zero key) that facts point at when a party is unknown
;
COMMENT ON VIEW marts.dim_employer IS
    'Type 1: one row per employer (hub employer, the ghost record as the unknown member; orphans included, e.g. the unknown employer of a job or a CRM account) with the current details (sat_employer_details_current). [dv:68b91c41effc6e44]';
