-- generated from model/links/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- One row per event key, inserted once and never changed; the event's facts are columns of the row.
CREATE TABLE IF NOT EXISTS raw_vault.nhl_job_view (
    hk_job_view uuid NOT NULL,
    hk_job uuid NOT NULL,
    hk_user uuid NOT NULL,
    event_id text,
    applied_dts timestamptz NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    view_source text,
    CONSTRAINT nhl_job_view_pk PRIMARY KEY (hk_job_view)
);
CREATE INDEX IF NOT EXISTS nhl_job_view_job ON raw_vault.nhl_job_view (hk_job);
CREATE INDEX IF NOT EXISTS nhl_job_view_user ON raw_vault.nhl_job_view (hk_user);
CREATE INDEX IF NOT EXISTS nhl_job_view_bid ON raw_vault.nhl_job_view USING brin (batch_id);
COMMENT ON TABLE raw_vault.nhl_job_view IS
    'A job ad viewed on the platform, by a signed-in user or anonymously (the unknown user), and where the viewer came from.';
COMMENT ON COLUMN raw_vault.nhl_job_view.hk_job_view IS 'Hash key of the event: hubs'' keys and event key';
COMMENT ON COLUMN raw_vault.nhl_job_view.hk_job IS 'Hash key of hub job';
COMMENT ON COLUMN raw_vault.nhl_job_view.hk_user IS 'Hash key of hub user';
COMMENT ON COLUMN raw_vault.nhl_job_view.event_id IS
    'The click stream''s id of the event (32 hex digits). (standardized as hashed)';
COMMENT ON COLUMN raw_vault.nhl_job_view.applied_dts IS 'When the event happened at the source';
COMMENT ON COLUMN raw_vault.nhl_job_view.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.nhl_job_view.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.nhl_job_view.batch_id IS 'Batch that loaded this row (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.nhl_job_view.view_source IS 'search, recommendation, direct or email.';

-- ghost record
INSERT INTO raw_vault.nhl_job_view (hk_job_view, hk_job, hk_user, applied_dts, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_job_view) DO NOTHING;
