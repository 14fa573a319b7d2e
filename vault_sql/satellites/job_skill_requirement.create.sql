-- generated from model/satellites/job.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_job_skill_requirement (
    hk_job_skill uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    requirement text,
    CONSTRAINT sat_job_skill_requirement_pk PRIMARY KEY (hk_job_skill, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_job_skill_requirement_ver ON raw_vault.sat_job_skill_requirement
    (hk_job_skill, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_job_skill_requirement_bid ON raw_vault.sat_job_skill_requirement USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_job_skill_requirement IS
    'Whether a job requires a skill or only would like it (required, nice_to_have).';
COMMENT ON COLUMN raw_vault.sat_job_skill_requirement.hk_job_skill IS 'Hash key of link job_skill';
COMMENT ON COLUMN raw_vault.sat_job_skill_requirement.load_dts IS
    'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_job_skill_requirement.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_job_skill_requirement.applied_dts IS
    'When the change happened at the source (platform_job_skills)';
COMMENT ON COLUMN raw_vault.sat_job_skill_requirement.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_job_skill_requirement.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_job_skill_requirement.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_job_skill_requirement.requirement IS 'required or nice_to_have.';

-- ghost record
INSERT INTO raw_vault.sat_job_skill_requirement
    (hk_job_skill, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_job_skill, load_dts, load_seq) DO NOTHING;
