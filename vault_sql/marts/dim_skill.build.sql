-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_skill (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.dim_skill CASCADE;
CREATE VIEW marts.dim_skill AS
SELECT h.hk_skill             AS skill_key,
       h.skill_id,
       r.skill_name,
       r.category,
       r.parent_skill_id,
       ph.hk_skill            AS parent_skill_key,
       pr.skill_name          AS parent_skill_name,
       h.record_source = 'SYSTEM.GHOST' OR r.skill_id IS NULL AS is_orphan
  FROM raw_vault.hub_skill AS h
  LEFT JOIN raw_vault.ref_skill_current AS r ON r.skill_id = h.skill_id
  LEFT JOIN raw_vault.ref_skill_current AS pr ON pr.skill_id = r.parent_skill_id
  LEFT JOIN raw_vault.hub_skill AS ph
    ON ph.skill_id = r.parent_skill_id AND ph.record_source <> 'SYSTEM.GHOST'
 -- the ghost record too: the unknown member (zero key) that facts point at when a party is unknown
;
COMMENT ON VIEW marts.dim_skill IS
    'Type 1: one row per skill (hub skill, the ghost record as the unknown member) with the current entry of the taxonomy (ref_skill_current, joined on skill_id) and its parent skill (the taxonomy''s parent_skill_id, its key from hub_skill and its current name). [dv:2b319cbd00646221]';
