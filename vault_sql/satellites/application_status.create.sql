-- generated from model/satellites/application.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, applied_seq, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_application_status (
    hk_application uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    applied_seq smallint NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    status text,
    CONSTRAINT sat_application_status_pk PRIMARY KEY (hk_application, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_application_status_ver ON raw_vault.sat_application_status
    (hk_application, applied_dts DESC, applied_seq DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_application_status_bid ON raw_vault.sat_application_status USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_application_status IS
    'Every status of an application in order (applied, screening, interview, offer, hired, rejected, withdrawn), from the platform''s status history; a return to an earlier status is a new version.';
COMMENT ON COLUMN raw_vault.sat_application_status.hk_application IS 'Hash key of hub application';
COMMENT ON COLUMN raw_vault.sat_application_status.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_application_status.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_application_status.applied_dts IS
    'When the change happened at the source (platform_application_status_history)';
COMMENT ON COLUMN raw_vault.sat_application_status.applied_seq IS
    'Source sequence (seq): order of changes with equal applied_dts';
COMMENT ON COLUMN raw_vault.sat_application_status.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_application_status.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_application_status.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_application_status.status IS 'The status the application moved to.';

-- ghost record
INSERT INTO raw_vault.sat_application_status
    (hk_application, load_dts, load_seq, applied_dts, applied_seq, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    0::smallint,
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_application, load_dts, load_seq) DO NOTHING;
