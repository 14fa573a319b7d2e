-- generated from model/links/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- One row per event key, inserted once and never changed; the event's facts are columns of the row.
CREATE TABLE IF NOT EXISTS raw_vault.nhl_application_submit (
    hk_application_submit uuid NOT NULL,
    hk_application uuid NOT NULL,
    hk_job uuid NOT NULL,
    hk_user uuid NOT NULL,
    event_id text,
    applied_dts timestamptz NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    channel text,
    CONSTRAINT nhl_application_submit_pk PRIMARY KEY (hk_application_submit)
);
CREATE INDEX IF NOT EXISTS nhl_application_submit_application ON raw_vault.nhl_application_submit (hk_application);
CREATE INDEX IF NOT EXISTS nhl_application_submit_job ON raw_vault.nhl_application_submit (hk_job);
CREATE INDEX IF NOT EXISTS nhl_application_submit_user ON raw_vault.nhl_application_submit (hk_user);
CREATE INDEX IF NOT EXISTS nhl_application_submit_bid ON raw_vault.nhl_application_submit USING brin (batch_id);
COMMENT ON TABLE raw_vault.nhl_application_submit IS
    'A candidate submitted an application to a job, through which channel (click stream).';
COMMENT ON COLUMN raw_vault.nhl_application_submit.hk_application_submit IS
    'Hash key of the event: hubs'' keys and event key';
COMMENT ON COLUMN raw_vault.nhl_application_submit.hk_application IS 'Hash key of hub application';
COMMENT ON COLUMN raw_vault.nhl_application_submit.hk_job IS 'Hash key of hub job';
COMMENT ON COLUMN raw_vault.nhl_application_submit.hk_user IS 'Hash key of hub user';
COMMENT ON COLUMN raw_vault.nhl_application_submit.event_id IS
    'The click stream''s id of the event. (standardized as hashed)';
COMMENT ON COLUMN raw_vault.nhl_application_submit.applied_dts IS 'When the event happened at the source';
COMMENT ON COLUMN raw_vault.nhl_application_submit.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.nhl_application_submit.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.nhl_application_submit.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.nhl_application_submit
    (hk_application_submit, hk_application, hk_job, hk_user, applied_dts, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_application_submit) DO NOTHING;
