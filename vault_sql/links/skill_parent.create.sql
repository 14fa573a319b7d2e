-- generated from model/links/skill_parent.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_skill_parent (
    hk_skill_parent uuid NOT NULL,
    hk_skill uuid NOT NULL,
    hk_parent uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_skill_parent_pk PRIMARY KEY (hk_skill_parent)
);
CREATE INDEX IF NOT EXISTS link_skill_parent_skill ON raw_vault.link_skill_parent (hk_skill);
CREATE INDEX IF NOT EXISTS link_skill_parent_parent ON raw_vault.link_skill_parent (hk_parent);
CREATE INDEX IF NOT EXISTS link_skill_parent_bid ON raw_vault.link_skill_parent USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_skill_parent IS
    'The skills hierarchy - a skill and its broader skill (Django under Python); the top skills point to the unknown skill.';
COMMENT ON COLUMN raw_vault.link_skill_parent.hk_skill_parent IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_skill_parent.hk_skill IS 'Hash key of hub skill';
COMMENT ON COLUMN raw_vault.link_skill_parent.hk_parent IS 'Hash key of hub skill as parent';
COMMENT ON COLUMN raw_vault.link_skill_parent.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_skill_parent.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_skill_parent.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_skill_parent (hk_skill_parent, hk_skill, hk_parent, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_skill_parent) DO NOTHING;
