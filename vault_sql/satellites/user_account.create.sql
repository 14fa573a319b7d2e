-- generated from model/satellites/user.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_user_account (
    hk_user uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    role text,
    status text,
    registered_at timestamptz,
    CONSTRAINT sat_user_account_pk PRIMARY KEY (hk_user, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_user_account_ver ON raw_vault.sat_user_account
    (hk_user, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_user_account_bid ON raw_vault.sat_user_account USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_user_account IS
    'A user''s role on the platform (candidate, employer, admin), registration and account status (active, suspended, deleted).';
COMMENT ON COLUMN raw_vault.sat_user_account.hk_user IS 'Hash key of hub user';
COMMENT ON COLUMN raw_vault.sat_user_account.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_user_account.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_user_account.applied_dts IS 'When the change happened at the source (platform_users)';
COMMENT ON COLUMN raw_vault.sat_user_account.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_user_account.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_user_account.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_user_account.role IS 'candidate, employer (acts for an employer) or admin.';
COMMENT ON COLUMN raw_vault.sat_user_account.status IS 'active, suspended, or deleted (erased on request, final).';
COMMENT ON COLUMN raw_vault.sat_user_account.registered_at IS 'When the user registered.';

-- ghost record
INSERT INTO raw_vault.sat_user_account (hk_user, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_user, load_dts, load_seq) DO NOTHING;
