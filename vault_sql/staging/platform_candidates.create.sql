-- generated from model/hubs/candidate.yml, model/satellites/candidate_personal.yml, model/satellites/candidate_profile.yml, model/sources/platform_candidates.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_candidates (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    candidate_id text,
    full_name text,
    email text,
    headline text,
    city text,
    country_code text,
    years_experience text,
    desired_rate text,
    updated_at text
);
COMMENT ON TABLE staging.platform_candidates IS 'Landing for source platform_candidates (jtld.platform.candidate_profiles): rows as extracted, emptied when staged. Candidate profiles of the JTLD platform.';
COMMENT ON COLUMN staging.platform_candidates.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_candidates.candidate_id IS 'Platform id of the candidate (C-12345).';
COMMENT ON COLUMN staging.platform_candidates.full_name IS 'Name as entered by the candidate.';
COMMENT ON COLUMN staging.platform_candidates.headline IS 'One-line professional headline.';
COMMENT ON COLUMN staging.platform_candidates.desired_rate IS 'Desired hourly rate.';
COMMENT ON COLUMN staging.platform_candidates.updated_at IS 'Last change of the profile at the source.';

CREATE TABLE IF NOT EXISTS staging.platform_candidates_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_candidate uuid,
    hd_candidate_personal uuid,
    hd_candidate_profile uuid,
    candidate_id text,
    full_name text,
    email text,
    headline text,
    city text,
    country_code char(2),
    years_experience integer,
    desired_rate numeric(10,2),
    updated_at timestamptz,
    CONSTRAINT platform_candidates_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_candidates_stage_k1 ON staging.platform_candidates_stage (hk_candidate, applied_dts);
COMMENT ON TABLE staging.platform_candidates_stage IS 'Staged rows of source platform_candidates per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_candidates_stage.candidate_id IS 'Platform id of the candidate (C-12345).';
COMMENT ON COLUMN staging.platform_candidates_stage.full_name IS 'Name as entered by the candidate.';
COMMENT ON COLUMN staging.platform_candidates_stage.headline IS 'One-line professional headline.';
COMMENT ON COLUMN staging.platform_candidates_stage.desired_rate IS 'Desired hourly rate.';
COMMENT ON COLUMN staging.platform_candidates_stage.updated_at IS 'Last change of the profile at the source.';
