-- generated from model/links/candidate_skill.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_candidate_skill (
    hk_candidate_skill uuid NOT NULL,
    hk_candidate uuid NOT NULL,
    hk_skill uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_candidate_skill_pk PRIMARY KEY (hk_candidate_skill)
);
CREATE INDEX IF NOT EXISTS link_candidate_skill_candidate ON raw_vault.link_candidate_skill (hk_candidate);
CREATE INDEX IF NOT EXISTS link_candidate_skill_skill ON raw_vault.link_candidate_skill (hk_skill);
CREATE INDEX IF NOT EXISTS link_candidate_skill_bid ON raw_vault.link_candidate_skill USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_candidate_skill IS
    'A skill a candidate has (or had); the current list with levels is in msat_candidate_skills.';
COMMENT ON COLUMN raw_vault.link_candidate_skill.hk_candidate_skill IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_candidate_skill.hk_candidate IS 'Hash key of hub candidate';
COMMENT ON COLUMN raw_vault.link_candidate_skill.hk_skill IS 'Hash key of hub skill';
COMMENT ON COLUMN raw_vault.link_candidate_skill.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_candidate_skill.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_candidate_skill.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_candidate_skill
    (hk_candidate_skill, hk_candidate, hk_skill, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_candidate_skill) DO NOTHING;
