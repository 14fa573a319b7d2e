-- generated from model/links/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- One row per event key, inserted once and never changed; the event's facts are columns of the row.
CREATE TABLE IF NOT EXISTS raw_vault.nhl_user_login_event (
    hk_user_login_event uuid NOT NULL,
    hk_user uuid NOT NULL,
    event_id text,
    applied_dts timestamptz NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    login_method text,
    CONSTRAINT nhl_user_login_event_pk PRIMARY KEY (hk_user_login_event)
);
CREATE INDEX IF NOT EXISTS nhl_user_login_event_user ON raw_vault.nhl_user_login_event (hk_user);
CREATE INDEX IF NOT EXISTS nhl_user_login_event_bid ON raw_vault.nhl_user_login_event USING brin (batch_id);
COMMENT ON TABLE raw_vault.nhl_user_login_event IS 'A user signed in, and how (password, google, linkedin).';
COMMENT ON COLUMN raw_vault.nhl_user_login_event.hk_user_login_event IS
    'Hash key of the event: hubs'' keys and event key';
COMMENT ON COLUMN raw_vault.nhl_user_login_event.hk_user IS 'Hash key of hub user';
COMMENT ON COLUMN raw_vault.nhl_user_login_event.event_id IS
    'The click stream''s id of the event. (standardized as hashed)';
COMMENT ON COLUMN raw_vault.nhl_user_login_event.applied_dts IS 'When the event happened at the source';
COMMENT ON COLUMN raw_vault.nhl_user_login_event.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.nhl_user_login_event.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.nhl_user_login_event.batch_id IS 'Batch that loaded this row (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.nhl_user_login_event.login_method IS 'password, google or linkedin.';

-- ghost record
INSERT INTO raw_vault.nhl_user_login_event
    (hk_user_login_event, hk_user, applied_dts, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_user_login_event) DO NOTHING;
