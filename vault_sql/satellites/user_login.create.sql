-- generated from model/satellites/user.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_user_login (
    hk_user uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    last_login_at timestamptz,
    CONSTRAINT sat_user_login_pk PRIMARY KEY (hk_user, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_user_login_ver ON raw_vault.sat_user_login
    (hk_user, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_user_login_bid ON raw_vault.sat_user_login USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_user_login IS
    'When a user last signed in; changes almost every day for active users, so it has a satellite of its own.';
COMMENT ON COLUMN raw_vault.sat_user_login.hk_user IS 'Hash key of hub user';
COMMENT ON COLUMN raw_vault.sat_user_login.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_user_login.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_user_login.applied_dts IS 'When the change happened at the source (platform_users)';
COMMENT ON COLUMN raw_vault.sat_user_login.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_user_login.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_user_login.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_user_login.last_login_at IS 'Latest sign-in; empty until the first.';

-- ghost record
INSERT INTO raw_vault.sat_user_login (hk_user, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_user, load_dts, load_seq) DO NOTHING;
