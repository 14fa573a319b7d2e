-- generated from model/hubs/skill.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub skill from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.skill'));

INSERT INTO raw_vault.hub_skill (
    hk_skill, skill_id, load_dts, record_source, batch_id
)
SELECT
    r.hk_skill, r.skill_id, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_skill
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_skill AS hk_skill,
            s.skill_id::integer AS skill_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_skills_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_skill <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_skill AS h
              WHERE h.hk_skill = s.hk_skill
          )
        UNION ALL
        SELECT
            s.hk_candidate_skill__skill AS hk_skill,
            s.skill_id::integer AS skill_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_candidate_skills_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_candidate_skill__skill <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_skill AS h
              WHERE h.hk_skill = s.hk_candidate_skill__skill
          )
        UNION ALL
        SELECT
            s.hk_job_skill__skill AS hk_skill,
            s.skill_id::integer AS skill_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_job_skills_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_skill__skill <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_skill AS h
              WHERE h.hk_skill = s.hk_job_skill__skill
          )
        UNION ALL
        SELECT
            s.hk_skill_parent__skill AS hk_skill,
            s.skill_id::integer AS skill_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_skills_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_skill_parent__skill <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_skill AS h
              WHERE h.hk_skill = s.hk_skill_parent__skill
          )
        UNION ALL
        SELECT
            s.hk_skill_parent__parent AS hk_skill,
            s.parent_skill_id::integer AS skill_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_skills_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_skill_parent__parent <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_skill AS h
              WHERE h.hk_skill = s.hk_skill_parent__parent
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_skill) DO NOTHING;
