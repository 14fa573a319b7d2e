-- generated from model/satellites/application.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_application_details (
    hk_application uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    channel text,
    applied_at timestamptz,
    CONSTRAINT sat_application_details_pk PRIMARY KEY (hk_application, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_application_details_ver ON raw_vault.sat_application_details
    (hk_application, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_application_details_bid ON raw_vault.sat_application_details USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_application_details IS 'How a candidate came to apply (channel) and when they applied.';
COMMENT ON COLUMN raw_vault.sat_application_details.hk_application IS 'Hash key of hub application';
COMMENT ON COLUMN raw_vault.sat_application_details.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_application_details.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_application_details.applied_dts IS
    'When the change happened at the source (platform_applications)';
COMMENT ON COLUMN raw_vault.sat_application_details.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_application_details.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_application_details.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_application_details.channel IS
    'How the candidate came to the job: direct, search, recommendation, referral, board_a or board_b.';
COMMENT ON COLUMN raw_vault.sat_application_details.applied_at IS 'When the application was submitted.';

-- ghost record
INSERT INTO raw_vault.sat_application_details
    (hk_application, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_application, load_dts, load_seq) DO NOTHING;
