-- generated from 3 model files by dv generate — do not edit:
--   model/links/job_skill.yml, model/satellites/job.yml, model/sources/platform_job_skills.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_job_skills (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    job_id text,
    skill_id text,
    requirement text,
    created_at text
);
COMMENT ON TABLE staging.platform_job_skills IS
    'Landing for source platform_job_skills (jtld.platform.job_skills): rows as extracted, emptied when staged. The skills a job asks for, required or nice to have. Rows are only ever added, with the job.';
COMMENT ON COLUMN staging.platform_job_skills.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_job_skills.job_id IS 'The job.';
COMMENT ON COLUMN staging.platform_job_skills.skill_id IS 'The skill, from the skills taxonomy.';
COMMENT ON COLUMN staging.platform_job_skills.requirement IS 'required or nice_to_have.';
COMMENT ON COLUMN staging.platform_job_skills.created_at IS 'When the job was created with this skill.';

CREATE TABLE IF NOT EXISTS staging.platform_job_skills_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_job_skill uuid,
    hk_job_skill__job uuid,
    hk_job_skill__skill uuid,
    hd_job_skill_requirement uuid,
    job_id bigint,
    skill_id integer,
    requirement text,
    created_at timestamptz,
    CONSTRAINT platform_job_skills_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_job_skills_stage_k1 ON staging.platform_job_skills_stage
    (hk_job_skill, applied_dts);
COMMENT ON TABLE staging.platform_job_skills_stage IS
    'Staged rows of source platform_job_skills per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_job_skills_stage.job_id IS 'The job.';
COMMENT ON COLUMN staging.platform_job_skills_stage.skill_id IS 'The skill, from the skills taxonomy.';
COMMENT ON COLUMN staging.platform_job_skills_stage.requirement IS 'required or nice_to_have.';
COMMENT ON COLUMN staging.platform_job_skills_stage.created_at IS 'When the job was created with this skill.';
