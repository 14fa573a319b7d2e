-- generated from 3 model files by dv generate — do not edit:
--   model/links/employer_user.yml, model/satellites/employer.yml, model/sources/platform_employer_users.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_employer_users (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    employer_id text,
    user_id text,
    role text,
    is_active text,
    created_at text,
    updated_at text
);
COMMENT ON TABLE staging.platform_employer_users IS
    'Landing for source platform_employer_users (jtld.platform.employer_users): rows as extracted, emptied when staged. Which users act for which employer (owner, recruiter, hiring manager), and whether they still do.';
COMMENT ON COLUMN staging.platform_employer_users.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_employer_users.employer_id IS 'The employer.';
COMMENT ON COLUMN staging.platform_employer_users.user_id IS 'The user acting for it.';
COMMENT ON COLUMN staging.platform_employer_users.role IS 'owner (one per employer), recruiter or hiring_manager.';
COMMENT ON COLUMN staging.platform_employer_users.is_active IS
    'False once the user left the employer''s team (never back).';
COMMENT ON COLUMN staging.platform_employer_users.created_at IS 'When the user joined the team.';
COMMENT ON COLUMN staging.platform_employer_users.updated_at IS 'Last change of the membership.';

CREATE TABLE IF NOT EXISTS staging.platform_employer_users_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_employer_user uuid,
    hk_employer_user__employer uuid,
    hk_employer_user__user uuid,
    hd_employer_user_role uuid,
    employer_id bigint,
    user_id bigint,
    role text,
    is_active boolean,
    created_at timestamptz,
    updated_at timestamptz,
    CONSTRAINT platform_employer_users_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_employer_users_stage_k1 ON staging.platform_employer_users_stage
    (hk_employer_user, applied_dts);
COMMENT ON TABLE staging.platform_employer_users_stage IS
    'Staged rows of source platform_employer_users per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_employer_users_stage.employer_id IS 'The employer.';
COMMENT ON COLUMN staging.platform_employer_users_stage.user_id IS 'The user acting for it.';
COMMENT ON COLUMN staging.platform_employer_users_stage.role IS
    'owner (one per employer), recruiter or hiring_manager.';
COMMENT ON COLUMN staging.platform_employer_users_stage.is_active IS
    'False once the user left the employer''s team (never back).';
COMMENT ON COLUMN staging.platform_employer_users_stage.created_at IS 'When the user joined the team.';
COMMENT ON COLUMN staging.platform_employer_users_stage.updated_at IS 'Last change of the membership.';
