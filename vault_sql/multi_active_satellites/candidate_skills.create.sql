-- generated from model/satellites/candidate.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- A version is a group: every member row of a key stored by one load shares load_dts, load_seq,
-- applied_dts and the group hashdiff; sub-keys (skill_id) tell the members apart.
-- Version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.msat_candidate_skills (
    hk_candidate uuid NOT NULL,
    skill_id integer NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    level smallint,
    CONSTRAINT msat_candidate_skills_pk PRIMARY KEY (hk_candidate, skill_id, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS msat_candidate_skills_ver ON raw_vault.msat_candidate_skills
    (hk_candidate, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS msat_candidate_skills_bid ON raw_vault.msat_candidate_skills USING brin (batch_id);
COMMENT ON TABLE raw_vault.msat_candidate_skills IS
    'The skills a candidate has with their level (1 beginner .. 5 expert), kept as one list per candidate and versioned as a whole.';
COMMENT ON COLUMN raw_vault.msat_candidate_skills.hk_candidate IS 'Hash key of hub candidate';
COMMENT ON COLUMN raw_vault.msat_candidate_skills.skill_id IS 'The skill, from the skills taxonomy.';
COMMENT ON COLUMN raw_vault.msat_candidate_skills.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.msat_candidate_skills.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.msat_candidate_skills.applied_dts IS
    'When the group was current at the source (platform_candidate_skills)';
COMMENT ON COLUMN raw_vault.msat_candidate_skills.hashdiff IS
    'Group hashdiff: hash of the sorted hashdiffs of every member of this version (same on each)';
COMMENT ON COLUMN raw_vault.msat_candidate_skills.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.msat_candidate_skills.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.msat_candidate_skills.level IS '1 (beginner) to 5 (expert).';

-- ghost record: a one-member group on the zero key
INSERT INTO raw_vault.msat_candidate_skills
    (hk_candidate, skill_id, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    0::integer,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_candidate, skill_id, load_dts, load_seq) DO NOTHING;
