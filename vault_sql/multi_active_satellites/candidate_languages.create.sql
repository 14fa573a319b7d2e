-- generated from model/satellites/candidate.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- A version is a group: every member row of a key stored by one load shares load_dts, load_seq,
-- applied_dts and the group hashdiff; sub-keys (language_code) tell the members apart.
-- Version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.msat_candidate_languages (
    hk_candidate uuid NOT NULL,
    language_code char(2) NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    proficiency text,
    CONSTRAINT msat_candidate_languages_pk PRIMARY KEY (hk_candidate, language_code, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS msat_candidate_languages_ver ON raw_vault.msat_candidate_languages
    (hk_candidate, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS msat_candidate_languages_bid ON raw_vault.msat_candidate_languages USING brin (batch_id);
COMMENT ON TABLE raw_vault.msat_candidate_languages IS
    'The languages a candidate speaks and how well, kept as one list per candidate and versioned as a whole.';
COMMENT ON COLUMN raw_vault.msat_candidate_languages.hk_candidate IS 'Hash key of hub candidate';
COMMENT ON COLUMN raw_vault.msat_candidate_languages.language_code IS
    'Language (ISO 639-1): en, de, nl, fr, es, pl, it.';
COMMENT ON COLUMN raw_vault.msat_candidate_languages.load_dts IS
    'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.msat_candidate_languages.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.msat_candidate_languages.applied_dts IS
    'When the group was current at the source (platform_candidate_languages)';
COMMENT ON COLUMN raw_vault.msat_candidate_languages.hashdiff IS
    'Group hashdiff: hash of the sorted hashdiffs of every member of this version (same on each)';
COMMENT ON COLUMN raw_vault.msat_candidate_languages.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.msat_candidate_languages.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.msat_candidate_languages.proficiency IS 'Level: A2, B1, B2, C1, C2 or native.';

-- ghost record: a one-member group on the zero key
INSERT INTO raw_vault.msat_candidate_languages
    (hk_candidate, language_code, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    ''::char(2),
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_candidate, language_code, load_dts, load_seq) DO NOTHING;
