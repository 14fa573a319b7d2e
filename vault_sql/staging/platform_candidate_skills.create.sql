-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/candidate.yml, model/links/candidate_skill.yml, model/satellites/candidate.yml,
--   model/sources/platform_candidate_skills.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_candidate_skills (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    candidate_id text,
    skill_id text,
    level text,
    updated_at text,
    profile_updated_at text
);
COMMENT ON TABLE staging.platform_candidate_skills IS
    'Landing for source platform_candidate_skills (jtld.platform.candidate_skills): rows as extracted, emptied when staged. The skills each candidate has, with a level from 1 (beginner) to 5 (expert). Extracted as whole lists: every skill of each candidate whose profile changed, dated by the profile''s updated_at.';
COMMENT ON COLUMN staging.platform_candidate_skills.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_candidate_skills.candidate_id IS 'The candidate who has the skill.';
COMMENT ON COLUMN staging.platform_candidate_skills.skill_id IS 'The skill, from the skills taxonomy.';
COMMENT ON COLUMN staging.platform_candidate_skills.level IS '1 (beginner) to 5 (expert).';
COMMENT ON COLUMN staging.platform_candidate_skills.updated_at IS
    'When this skill was added or its level last raised.';
COMMENT ON COLUMN staging.platform_candidate_skills.profile_updated_at IS
    'Last change of the candidate''s profile: dates the whole list.';

CREATE TABLE IF NOT EXISTS staging.platform_candidate_skills_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_candidate uuid,
    hk_candidate_skill uuid,
    hk_candidate_skill__candidate uuid,
    hk_candidate_skill__skill uuid,
    hd_candidate_skills uuid,
    candidate_id bigint,
    skill_id integer,
    level smallint,
    updated_at timestamptz,
    profile_updated_at timestamptz,
    CONSTRAINT platform_candidate_skills_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_candidate_skills_stage_k1 ON staging.platform_candidate_skills_stage
    (hk_candidate, applied_dts);
COMMENT ON TABLE staging.platform_candidate_skills_stage IS
    'Staged rows of source platform_candidate_skills per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_candidate_skills_stage.candidate_id IS 'The candidate who has the skill.';
COMMENT ON COLUMN staging.platform_candidate_skills_stage.skill_id IS 'The skill, from the skills taxonomy.';
COMMENT ON COLUMN staging.platform_candidate_skills_stage.level IS '1 (beginner) to 5 (expert).';
COMMENT ON COLUMN staging.platform_candidate_skills_stage.updated_at IS
    'When this skill was added or its level last raised.';
COMMENT ON COLUMN staging.platform_candidate_skills_stage.profile_updated_at IS
    'Last change of the candidate''s profile: dates the whole list.';
