-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/candidate.yml, model/links/candidate_user.yml, model/satellites/candidate.yml,
--   model/sources/platform_candidate_profiles.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_candidate_profiles (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    candidate_id text,
    headline text,
    city text,
    country_code text,
    years_experience text,
    availability text,
    desired_rate text,
    rate_currency text,
    created_at text,
    updated_at text
);
COMMENT ON TABLE staging.platform_candidate_profiles IS
    'Landing for source platform_candidate_profiles (jtld.platform.candidate_profiles): rows as extracted, emptied when staged. The professional profile of each candidate: headline, place, experience, availability and desired rate. A change of the candidate''s languages or skills also sets updated_at.';
COMMENT ON COLUMN staging.platform_candidate_profiles.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_candidate_profiles.candidate_id IS
    'The platform''s id of the candidate (equal to their user id).';
COMMENT ON COLUMN staging.platform_candidate_profiles.headline IS
    'One-line professional headline, e.g. ''Senior Data Engineer | freelance''.';
COMMENT ON COLUMN staging.platform_candidate_profiles.city IS 'City the candidate lives in.';
COMMENT ON COLUMN staging.platform_candidate_profiles.country_code IS 'Country of the city (ISO 3166 alpha-2).';
COMMENT ON COLUMN staging.platform_candidate_profiles.years_experience IS 'Years of professional experience.';
COMMENT ON COLUMN staging.platform_candidate_profiles.availability IS
    'immediately, 2_weeks, 1_month, 3_months or not_looking.';
COMMENT ON COLUMN staging.platform_candidate_profiles.desired_rate IS 'Desired hourly rate, in rate_currency.';
COMMENT ON COLUMN staging.platform_candidate_profiles.rate_currency IS
    'Currency of the desired rate (of the country at registration).';
COMMENT ON COLUMN staging.platform_candidate_profiles.created_at IS
    'When the profile was created (the user''s registration).';
COMMENT ON COLUMN staging.platform_candidate_profiles.updated_at IS
    'Last change of the profile, its languages or its skills.';

CREATE TABLE IF NOT EXISTS staging.platform_candidate_profiles_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_candidate uuid,
    hk_candidate_user uuid,
    hk_candidate_user__candidate uuid,
    hk_candidate_user__user uuid,
    hd_candidate_profile uuid,
    candidate_id bigint,
    headline text,
    city text,
    country_code char(2),
    years_experience integer,
    availability text,
    desired_rate numeric(10,2),
    rate_currency char(3),
    created_at timestamptz,
    updated_at timestamptz,
    CONSTRAINT platform_candidate_profiles_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_candidate_profiles_stage_k1 ON staging.platform_candidate_profiles_stage
    (hk_candidate, applied_dts);
COMMENT ON TABLE staging.platform_candidate_profiles_stage IS
    'Staged rows of source platform_candidate_profiles per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_candidate_profiles_stage.candidate_id IS
    'The platform''s id of the candidate (equal to their user id).';
COMMENT ON COLUMN staging.platform_candidate_profiles_stage.headline IS
    'One-line professional headline, e.g. ''Senior Data Engineer | freelance''.';
COMMENT ON COLUMN staging.platform_candidate_profiles_stage.city IS 'City the candidate lives in.';
COMMENT ON COLUMN staging.platform_candidate_profiles_stage.country_code IS 'Country of the city (ISO 3166 alpha-2).';
COMMENT ON COLUMN staging.platform_candidate_profiles_stage.years_experience IS 'Years of professional experience.';
COMMENT ON COLUMN staging.platform_candidate_profiles_stage.availability IS
    'immediately, 2_weeks, 1_month, 3_months or not_looking.';
COMMENT ON COLUMN staging.platform_candidate_profiles_stage.desired_rate IS 'Desired hourly rate, in rate_currency.';
COMMENT ON COLUMN staging.platform_candidate_profiles_stage.rate_currency IS
    'Currency of the desired rate (of the country at registration).';
COMMENT ON COLUMN staging.platform_candidate_profiles_stage.created_at IS
    'When the profile was created (the user''s registration).';
COMMENT ON COLUMN staging.platform_candidate_profiles_stage.updated_at IS
    'Last change of the profile, its languages or its skills.';
