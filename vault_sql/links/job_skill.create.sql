-- generated from model/links/job_skill.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_job_skill (
    hk_job_skill uuid NOT NULL,
    hk_job uuid NOT NULL,
    hk_skill uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_job_skill_pk PRIMARY KEY (hk_job_skill)
);
CREATE INDEX IF NOT EXISTS link_job_skill_job ON raw_vault.link_job_skill (hk_job);
CREATE INDEX IF NOT EXISTS link_job_skill_skill ON raw_vault.link_job_skill (hk_skill);
CREATE INDEX IF NOT EXISTS link_job_skill_bid ON raw_vault.link_job_skill USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_job_skill IS
    'A skill a job asks for; whether required or nice to have is in sat_job_skill_requirement.';
COMMENT ON COLUMN raw_vault.link_job_skill.hk_job_skill IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_job_skill.hk_job IS 'Hash key of hub job';
COMMENT ON COLUMN raw_vault.link_job_skill.hk_skill IS 'Hash key of hub skill';
COMMENT ON COLUMN raw_vault.link_job_skill.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_job_skill.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_job_skill.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_job_skill (hk_job_skill, hk_job, hk_skill, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_job_skill) DO NOTHING;
