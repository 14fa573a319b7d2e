-- generated from model/satellites/timesheet.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_timesheet_status (
    hk_timesheet uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    status text,
    approved_at timestamptz,
    CONSTRAINT sat_timesheet_status_pk PRIMARY KEY (hk_timesheet, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_timesheet_status_ver ON raw_vault.sat_timesheet_status
    (hk_timesheet, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_timesheet_status_bid ON raw_vault.sat_timesheet_status USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_timesheet_status IS
    'Whether a timesheet is submitted, approved or rejected, and when it was approved; the hours are in nhl_timesheet_hours.';
COMMENT ON COLUMN raw_vault.sat_timesheet_status.hk_timesheet IS 'Hash key of hub timesheet';
COMMENT ON COLUMN raw_vault.sat_timesheet_status.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_timesheet_status.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_timesheet_status.applied_dts IS
    'When the change happened at the source (platform_timesheets)';
COMMENT ON COLUMN raw_vault.sat_timesheet_status.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_timesheet_status.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_timesheet_status.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_timesheet_status.status IS 'submitted, approved or rejected.';
COMMENT ON COLUMN raw_vault.sat_timesheet_status.approved_at IS
    'When the employer approved it; empty unless approved.';

-- ghost record
INSERT INTO raw_vault.sat_timesheet_status
    (hk_timesheet, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_timesheet, load_dts, load_seq) DO NOTHING;
