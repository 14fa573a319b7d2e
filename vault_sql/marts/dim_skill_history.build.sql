-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_skill_history (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.dim_skill_history CASCADE;
CREATE TABLE marts.dim_skill_history AS
-- dv:select begin (dim_skill_history.refresh.sql selects these rows again)
WITH ref_v AS (
    SELECT r.skill_id, r.applied_dts, r.applied_end_dts, r.skill_name, r.category, r.parent_skill_id
      FROM raw_vault.ref_skill_hist AS r
     WHERE r.record_source <> 'SYSTEM.GHOST'
       AND r.applied_dts < r.applied_end_dts
), starts_at AS (
    SELECT skill_id, min(applied_dts) AS first_dts FROM ref_v GROUP BY skill_id
), points AS (
    SELECT skill_id, applied_dts AS p FROM ref_v
    UNION
    SELECT o.skill_id, pv.applied_dts AS p
      FROM ref_v AS o
      JOIN ref_v AS pv ON pv.skill_id = o.parent_skill_id
      JOIN starts_at AS sa ON sa.skill_id = o.skill_id
     WHERE pv.applied_dts >= sa.first_dts
), slices AS (
    SELECT pt.skill_id, pt.p, o.skill_name, o.category, o.parent_skill_id, par.skill_name AS parent_skill_name
      FROM points AS pt
      LEFT JOIN ref_v AS o
        ON o.skill_id = pt.skill_id AND o.applied_dts <= pt.p AND pt.p < o.applied_end_dts
      LEFT JOIN ref_v AS par
        ON par.skill_id = o.parent_skill_id AND par.applied_dts <= pt.p AND pt.p < par.applied_end_dts
), marked AS (
    SELECT s.*,
           (lag(s.p) OVER w IS NULL
            OR ROW(s.skill_name, s.category, s.parent_skill_id, s.parent_skill_name)
               IS DISTINCT FROM
               ROW(lag(s.skill_name) OVER w, lag(s.category) OVER w, lag(s.parent_skill_id) OVER w,
                   lag(s.parent_skill_name) OVER w)
           ) AS starts
      FROM slices AS s
    WINDOW w AS (PARTITION BY s.skill_id ORDER BY s.p)
), versions AS (
    SELECT m.*,
           COALESCE(lead(m.p) OVER (PARTITION BY m.skill_id ORDER BY m.p), 'infinity'::timestamptz) AS valid_to
      FROM marked AS m
     WHERE m.starts
)
SELECT md5(h.hk_skill::text || '|' || (v.p AT TIME ZONE 'UTC')::text)::uuid AS skill_version_key,
       h.hk_skill                             AS skill_key,
       v.skill_id,
       v.p                                    AS valid_from,
       v.valid_to,
       v.valid_to = 'infinity'::timestamptz   AS is_current,
       v.skill_name,
       v.category,
       v.parent_skill_id,
       ph.hk_skill                            AS parent_skill_key,
       v.parent_skill_name
  FROM versions AS v
  JOIN raw_vault.hub_skill AS h ON h.skill_id = v.skill_id AND h.record_source <> 'SYSTEM.GHOST'
  LEFT JOIN raw_vault.hub_skill AS ph
    ON ph.skill_id = v.parent_skill_id AND ph.record_source <> 'SYSTEM.GHOST'
-- dv:select end
;
ALTER TABLE marts.dim_skill_history ADD PRIMARY KEY (skill_version_key);
COMMENT ON TABLE marts.dim_skill_history IS
    'Type 2: one row per version of a skill''s taxonomy entry (ref_skill_hist) on the applied timeline, with the parent''s name valid at the same time: change points are the skill''s applied_dts and those of its parents'' entries (from the skill''s first version on); consecutive intervals with identical attributes are merged. Only skills of hub_skill (every skill of the platform''s taxonomy is there, through link_skill_parent). [dv:cb51b53180197984]';
