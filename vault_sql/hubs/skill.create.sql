-- generated from model/hubs/skill.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.hub_skill (
    hk_skill uuid NOT NULL,
    skill_id integer,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT hub_skill_pk PRIMARY KEY (hk_skill)
);
CREATE INDEX IF NOT EXISTS hub_skill_bid ON raw_vault.hub_skill USING brin (batch_id);
COMMENT ON TABLE raw_vault.hub_skill IS
    'A skill of the platform''s taxonomy (Python, dbt, ...), by the platform''s skill id; its name and category are in the reference table ref_skill.';
COMMENT ON COLUMN raw_vault.hub_skill.hk_skill IS 'Hash key (md5, hash spec v1) of the business key';
COMMENT ON COLUMN raw_vault.hub_skill.skill_id IS 'The platform''s id of the skill. (standardized as hashed)';
COMMENT ON COLUMN raw_vault.hub_skill.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.hub_skill.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.hub_skill.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record: the zero key, so satellites, PITs and marts never need outer-join guessing
INSERT INTO raw_vault.hub_skill (hk_skill, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_skill) DO NOTHING;
