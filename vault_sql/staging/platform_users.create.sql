-- generated from 3 model files by dv generate — do not edit:
--   model/hubs/user.yml, model/satellites/user.yml, model/sources/platform_users.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_users (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    user_id text,
    role text,
    email text,
    full_name text,
    registered_at text,
    last_login_at text,
    status text,
    updated_at text
);
COMMENT ON TABLE staging.platform_users IS
    'Landing for source platform_users (jtld.platform.users): rows as extracted, emptied when staged. Everyone who can sign in to the platform: candidates, people acting for an employer, and JTLD''s administrators. A candidate''s user id is their candidate id. Every change sets updated_at, a sign-in too.';
COMMENT ON COLUMN staging.platform_users.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_users.user_id IS
    'The platform''s id of the user (for a candidate also the candidate id).';
COMMENT ON COLUMN staging.platform_users.role IS 'candidate, employer (acts for an employer) or admin.';
COMMENT ON COLUMN staging.platform_users.email IS 'Sign-in e-mail address (personal data; empty once erased).';
COMMENT ON COLUMN staging.platform_users.full_name IS 'The person''s name (personal data; empty once erased).';
COMMENT ON COLUMN staging.platform_users.registered_at IS 'When the user registered.';
COMMENT ON COLUMN staging.platform_users.last_login_at IS 'Latest sign-in; empty until the first.';
COMMENT ON COLUMN staging.platform_users.status IS 'active, suspended, or deleted (erased on request, final).';
COMMENT ON COLUMN staging.platform_users.updated_at IS 'Last change of the user at the platform, sign-ins included.';

CREATE TABLE IF NOT EXISTS staging.platform_users_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_user uuid,
    hd_user_personal uuid,
    hd_user_account uuid,
    hd_user_login uuid,
    user_id bigint,
    role text,
    email text,
    full_name text,
    registered_at timestamptz,
    last_login_at timestamptz,
    status text,
    updated_at timestamptz,
    CONSTRAINT platform_users_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_users_stage_k1 ON staging.platform_users_stage (hk_user, applied_dts);
COMMENT ON TABLE staging.platform_users_stage IS
    'Staged rows of source platform_users per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_users_stage.user_id IS
    'The platform''s id of the user (for a candidate also the candidate id).';
COMMENT ON COLUMN staging.platform_users_stage.role IS 'candidate, employer (acts for an employer) or admin.';
COMMENT ON COLUMN staging.platform_users_stage.email IS 'Sign-in e-mail address (personal data; empty once erased).';
COMMENT ON COLUMN staging.platform_users_stage.full_name IS 'The person''s name (personal data; empty once erased).';
COMMENT ON COLUMN staging.platform_users_stage.registered_at IS 'When the user registered.';
COMMENT ON COLUMN staging.platform_users_stage.last_login_at IS 'Latest sign-in; empty until the first.';
COMMENT ON COLUMN staging.platform_users_stage.status IS 'active, suspended, or deleted (erased on request, final).';
COMMENT ON COLUMN staging.platform_users_stage.updated_at IS
    'Last change of the user at the platform, sign-ins included.';
