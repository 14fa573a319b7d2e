-- generated from 3 model files by dv generate — do not edit:
--   model/hubs/candidate.yml, model/satellites/candidate.yml, model/sources/platform_candidate_languages.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_candidate_languages (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    candidate_id text,
    language_code text,
    proficiency text,
    updated_at text,
    profile_updated_at text
);
COMMENT ON TABLE staging.platform_candidate_languages IS
    'Landing for source platform_candidate_languages (jtld.platform.candidate_languages): rows as extracted, emptied when staged. The languages each candidate speaks, with their level. Extracted as whole lists: every language of each candidate whose profile changed, dated by the profile''s updated_at (a change of a language always changes the profile''s updated_at).';
COMMENT ON COLUMN staging.platform_candidate_languages.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_candidate_languages.candidate_id IS 'The candidate who speaks the language.';
COMMENT ON COLUMN staging.platform_candidate_languages.language_code IS
    'Language (ISO 639-1): en, de, nl, fr, es, pl, it.';
COMMENT ON COLUMN staging.platform_candidate_languages.proficiency IS 'Level: A2, B1, B2, C1, C2 or native.';
COMMENT ON COLUMN staging.platform_candidate_languages.updated_at IS
    'When this language was added or its level last raised.';
COMMENT ON COLUMN staging.platform_candidate_languages.profile_updated_at IS
    'Last change of the candidate''s profile: dates the whole list.';

CREATE TABLE IF NOT EXISTS staging.platform_candidate_languages_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_candidate uuid,
    hd_candidate_languages uuid,
    candidate_id bigint,
    language_code char(2),
    proficiency text,
    updated_at timestamptz,
    profile_updated_at timestamptz,
    CONSTRAINT platform_candidate_languages_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_candidate_languages_stage_k1 ON staging.platform_candidate_languages_stage
    (hk_candidate, applied_dts);
COMMENT ON TABLE staging.platform_candidate_languages_stage IS
    'Staged rows of source platform_candidate_languages per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_candidate_languages_stage.candidate_id IS 'The candidate who speaks the language.';
COMMENT ON COLUMN staging.platform_candidate_languages_stage.language_code IS
    'Language (ISO 639-1): en, de, nl, fr, es, pl, it.';
COMMENT ON COLUMN staging.platform_candidate_languages_stage.proficiency IS 'Level: A2, B1, B2, C1, C2 or native.';
COMMENT ON COLUMN staging.platform_candidate_languages_stage.updated_at IS
    'When this language was added or its level last raised.';
COMMENT ON COLUMN staging.platform_candidate_languages_stage.profile_updated_at IS
    'Last change of the candidate''s profile: dates the whole list.';
