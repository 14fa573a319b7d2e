-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_skill_history (refresh: table): every row selected again, in the build's transaction
TRUNCATE marts.dim_skill_history;
INSERT INTO marts.dim_skill_history (
    skill_version_key, skill_key, skill_id, valid_from, valid_to, is_current, skill_name, category, parent_skill_id,
    parent_skill_key, parent_skill_name
)
SELECT q.skill_version_key, q.skill_key, q.skill_id, q.valid_from, q.valid_to, q.is_current, q.skill_name, q.category,
    q.parent_skill_id, q.parent_skill_key, q.parent_skill_name
  FROM (
-- dv:select here (dim_skill_history.build.sql)
) AS q;
