-- generated from model/satellites/user.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_user_personal (
    hk_user uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    full_name text,
    email text,
    CONSTRAINT sat_user_personal_pk PRIMARY KEY (hk_user, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_user_personal_ver ON raw_vault.sat_user_personal
    (hk_user, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_user_personal_bid ON raw_vault.sat_user_personal USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_user_personal IS
    'Personal data of a user - name and e-mail address - kept apart from everything else so that it can be erased on request without touching the rest of the history.';
COMMENT ON COLUMN raw_vault.sat_user_personal.hk_user IS 'Hash key of hub user';
COMMENT ON COLUMN raw_vault.sat_user_personal.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_user_personal.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_user_personal.applied_dts IS 'When the change happened at the source (platform_users)';
COMMENT ON COLUMN raw_vault.sat_user_personal.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_user_personal.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_user_personal.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_user_personal.full_name IS 'The person''s name (personal data; empty once erased).';
COMMENT ON COLUMN raw_vault.sat_user_personal.email IS 'Sign-in e-mail address (personal data; empty once erased).';

-- ghost record
INSERT INTO raw_vault.sat_user_personal (hk_user, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_user, load_dts, load_seq) DO NOTHING;
