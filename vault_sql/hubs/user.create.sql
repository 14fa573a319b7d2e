-- generated from model/hubs/user.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.hub_user (
    hk_user uuid NOT NULL,
    user_id bigint,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT hub_user_pk PRIMARY KEY (hk_user)
);
CREATE INDEX IF NOT EXISTS hub_user_bid ON raw_vault.hub_user USING brin (batch_id);
COMMENT ON TABLE raw_vault.hub_user IS
    'A person who can sign in to the platform (candidate, employer staff or administrator), by the platform''s user id.';
COMMENT ON COLUMN raw_vault.hub_user.hk_user IS 'Hash key (md5, hash spec v1) of the business key';
COMMENT ON COLUMN raw_vault.hub_user.user_id IS 'The platform''s id of the user. (standardized as hashed)';
COMMENT ON COLUMN raw_vault.hub_user.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.hub_user.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.hub_user.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record: the zero key, so satellites, PITs and marts never need outer-join guessing
INSERT INTO raw_vault.hub_user (hk_user, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_user) DO NOTHING;
