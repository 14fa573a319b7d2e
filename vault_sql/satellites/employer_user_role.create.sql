-- generated from model/satellites/employer.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_employer_user_role (
    hk_employer_user uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    role text,
    is_active boolean,
    created_at timestamptz,
    CONSTRAINT sat_employer_user_role_pk PRIMARY KEY (hk_employer_user, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_employer_user_role_ver ON raw_vault.sat_employer_user_role
    (hk_employer_user, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_employer_user_role_bid ON raw_vault.sat_employer_user_role USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_employer_user_role IS
    'The role a user has for an employer (owner, recruiter, hiring manager) and whether they still act for it.';
COMMENT ON COLUMN raw_vault.sat_employer_user_role.hk_employer_user IS 'Hash key of link employer_user';
COMMENT ON COLUMN raw_vault.sat_employer_user_role.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_employer_user_role.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_employer_user_role.applied_dts IS
    'When the change happened at the source (platform_employer_users)';
COMMENT ON COLUMN raw_vault.sat_employer_user_role.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_employer_user_role.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_employer_user_role.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_employer_user_role.role IS 'owner (one per employer), recruiter or hiring_manager.';
COMMENT ON COLUMN raw_vault.sat_employer_user_role.is_active IS
    'False once the user left the employer''s team (never back).';
COMMENT ON COLUMN raw_vault.sat_employer_user_role.created_at IS 'When the user joined the team.';

-- ghost record
INSERT INTO raw_vault.sat_employer_user_role
    (hk_employer_user, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_employer_user, load_dts, load_seq) DO NOTHING;
