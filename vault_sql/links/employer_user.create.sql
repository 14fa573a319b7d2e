-- generated from model/links/employer_user.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_employer_user (
    hk_employer_user uuid NOT NULL,
    hk_employer uuid NOT NULL,
    hk_user uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_employer_user_pk PRIMARY KEY (hk_employer_user)
);
CREATE INDEX IF NOT EXISTS link_employer_user_employer ON raw_vault.link_employer_user (hk_employer);
CREATE INDEX IF NOT EXISTS link_employer_user_user ON raw_vault.link_employer_user (hk_user);
CREATE INDEX IF NOT EXISTS link_employer_user_bid ON raw_vault.link_employer_user USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_employer_user IS
    'A user who acts for an employer (owner, recruiter or hiring manager); the role and whether it still holds are in sat_employer_user_role.';
COMMENT ON COLUMN raw_vault.link_employer_user.hk_employer_user IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_employer_user.hk_employer IS 'Hash key of hub employer';
COMMENT ON COLUMN raw_vault.link_employer_user.hk_user IS 'Hash key of hub user';
COMMENT ON COLUMN raw_vault.link_employer_user.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_employer_user.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_employer_user.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_employer_user (hk_employer_user, hk_employer, hk_user, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_employer_user) DO NOTHING;
