-- generated from model/hubs/candidate.yml, model/satellites/candidate_personal.yml, model/satellites/candidate_profile.yml, model/sources/platform_candidates.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_candidates (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY,
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

CREATE TABLE IF NOT EXISTS staging.platform_candidates_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_candidate uuid NOT NULL,
    hd_candidate_personal uuid NOT NULL,
    hd_candidate_profile uuid NOT NULL,
    candidate_id text,
    full_name text,
    email text,
    headline text,
    city text,
    country_code char(2),
    years_experience integer,
    desired_rate numeric(10,2),
    updated_at timestamptz,
    PRIMARY KEY (batch_id, dv_row_no)
);
COMMENT ON TABLE staging.platform_candidates_stage IS 'Staged rows of source platform_candidates per batch: typed, with hash keys and hashdiffs computed in SQL.';
