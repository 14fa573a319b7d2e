-- generated from model/satellites/candidate.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_candidate_profile (
    hk_candidate uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    headline text,
    city text,
    country_code char(2),
    years_experience integer,
    availability text,
    desired_rate numeric(10,2),
    rate_currency char(3),
    created_at timestamptz,
    CONSTRAINT sat_candidate_profile_pk PRIMARY KEY (hk_candidate, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_candidate_profile_ver ON raw_vault.sat_candidate_profile
    (hk_candidate, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_candidate_profile_bid ON raw_vault.sat_candidate_profile USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_candidate_profile IS
    'A candidate''s professional profile - headline, city, experience, availability and desired hourly rate.';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.hk_candidate IS 'Hash key of hub candidate';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.applied_dts IS
    'When the change happened at the source (platform_candidate_profiles)';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.headline IS
    'One-line professional headline, e.g. ''Senior Data Engineer | freelance''.';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.city IS 'City the candidate lives in.';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.country_code IS 'Country of the city (ISO 3166 alpha-2).';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.years_experience IS 'Years of professional experience.';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.availability IS
    'immediately, 2_weeks, 1_month, 3_months or not_looking.';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.desired_rate IS 'Desired hourly rate, in rate_currency.';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.rate_currency IS
    'Currency of the desired rate (of the country at registration).';
COMMENT ON COLUMN raw_vault.sat_candidate_profile.created_at IS
    'When the profile was created (the user''s registration).';

-- ghost record
INSERT INTO raw_vault.sat_candidate_profile
    (hk_candidate, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_candidate, load_dts, load_seq) DO NOTHING;
