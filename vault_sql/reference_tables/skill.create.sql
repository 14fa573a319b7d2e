-- generated from model/reference/skill.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Reference table skill: keyed by its code (skill_id), no hash key; versions like a satellite's.
-- version order of a code: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
-- No ghost record: lookups join on the code itself, and an unknown code finds no row.
CREATE TABLE IF NOT EXISTS raw_vault.ref_skill (
    skill_id integer NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    skill_name text,
    category text,
    parent_skill_id integer,
    CONSTRAINT ref_skill_pk PRIMARY KEY (skill_id, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS ref_skill_ver ON raw_vault.ref_skill
    (skill_id, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS ref_skill_bid ON raw_vault.ref_skill USING brin (batch_id);
COMMENT ON TABLE raw_vault.ref_skill IS
    'The skills taxonomy - name, category and broader skill of each skill id - with its history.';
COMMENT ON COLUMN raw_vault.ref_skill.skill_id IS 'The platform''s id of the skill.';
COMMENT ON COLUMN raw_vault.ref_skill.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.ref_skill.load_seq IS
    'Order of this version among the versions of its code loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.ref_skill.applied_dts IS 'When the change happened at the source (platform_skills)';
COMMENT ON COLUMN raw_vault.ref_skill.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.ref_skill.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.ref_skill.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.ref_skill.skill_name IS 'Name of the skill, e.g. Python.';
COMMENT ON COLUMN raw_vault.ref_skill.category IS
    'language, framework, data, machine learning, cloud, security, testing, enterprise, methods or mobile.';
COMMENT ON COLUMN raw_vault.ref_skill.parent_skill_id IS 'The broader skill (Django -> Python); empty at the top.';
