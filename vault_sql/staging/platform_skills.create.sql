-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/skill.yml, model/links/skill_parent.yml, model/reference/skill.yml, model/sources/platform_skills.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_skills (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    skill_id text,
    name text,
    category text,
    parent_skill_id text,
    created_at text,
    updated_at text
);
COMMENT ON TABLE staging.platform_skills IS
    'Landing for source platform_skills (jtld.platform.skills): rows as extracted, emptied when staged. The platform''s skills taxonomy (Python, dbt, SAP S/4HANA, ...), with categories and a parent skill.';
COMMENT ON COLUMN staging.platform_skills.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_skills.skill_id IS 'The platform''s id of the skill.';
COMMENT ON COLUMN staging.platform_skills.name IS 'Name of the skill, e.g. Python.';
COMMENT ON COLUMN staging.platform_skills.category IS
    'language, framework, data, machine learning, cloud, security, testing, enterprise, methods or mobile.';
COMMENT ON COLUMN staging.platform_skills.parent_skill_id IS 'The broader skill (Django -> Python); empty at the top.';
COMMENT ON COLUMN staging.platform_skills.created_at IS 'When the skill was added to the taxonomy.';
COMMENT ON COLUMN staging.platform_skills.updated_at IS 'Last change of the skill.';

CREATE TABLE IF NOT EXISTS staging.platform_skills_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_skill uuid,
    hk_skill_parent uuid,
    hk_skill_parent__skill uuid,
    hk_skill_parent__parent uuid,
    hd_ref_skill uuid,
    skill_id integer,
    name text,
    category text,
    parent_skill_id integer,
    created_at timestamptz,
    updated_at timestamptz,
    CONSTRAINT platform_skills_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
COMMENT ON TABLE staging.platform_skills_stage IS
    'Staged rows of source platform_skills per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_skills_stage.skill_id IS 'The platform''s id of the skill.';
COMMENT ON COLUMN staging.platform_skills_stage.name IS 'Name of the skill, e.g. Python.';
COMMENT ON COLUMN staging.platform_skills_stage.category IS
    'language, framework, data, machine learning, cloud, security, testing, enterprise, methods or mobile.';
COMMENT ON COLUMN staging.platform_skills_stage.parent_skill_id IS
    'The broader skill (Django -> Python); empty at the top.';
COMMENT ON COLUMN staging.platform_skills_stage.created_at IS 'When the skill was added to the taxonomy.';
COMMENT ON COLUMN staging.platform_skills_stage.updated_at IS 'Last change of the skill.';
