-- generated from model/links/timesheet_hours.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- One row per event key, inserted once and never changed; the event's facts are columns of the row.
CREATE TABLE IF NOT EXISTS raw_vault.nhl_timesheet_hours (
    hk_timesheet_hours uuid NOT NULL,
    hk_timesheet uuid NOT NULL,
    hk_placement uuid NOT NULL,
    week_start date,
    applied_dts timestamptz NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    hours numeric(5,2),
    submitted_at timestamptz,
    CONSTRAINT nhl_timesheet_hours_pk PRIMARY KEY (hk_timesheet_hours)
);
CREATE INDEX IF NOT EXISTS nhl_timesheet_hours_timesheet ON raw_vault.nhl_timesheet_hours (hk_timesheet);
CREATE INDEX IF NOT EXISTS nhl_timesheet_hours_placement ON raw_vault.nhl_timesheet_hours (hk_placement);
CREATE INDEX IF NOT EXISTS nhl_timesheet_hours_bid ON raw_vault.nhl_timesheet_hours USING brin (batch_id);
COMMENT ON TABLE raw_vault.nhl_timesheet_hours IS
    'The hours worked in one week for a contract placement, as submitted on a timesheet: a fact that does not change once submitted (the timesheet''s approval is in sat_timesheet_status).';
COMMENT ON COLUMN raw_vault.nhl_timesheet_hours.hk_timesheet_hours IS
    'Hash key of the event: hubs'' keys and event key';
COMMENT ON COLUMN raw_vault.nhl_timesheet_hours.hk_timesheet IS 'Hash key of hub timesheet';
COMMENT ON COLUMN raw_vault.nhl_timesheet_hours.hk_placement IS 'Hash key of hub placement';
COMMENT ON COLUMN raw_vault.nhl_timesheet_hours.week_start IS
    'Monday of the week the hours were worked. (standardized as hashed)';
COMMENT ON COLUMN raw_vault.nhl_timesheet_hours.applied_dts IS 'When the event happened at the source';
COMMENT ON COLUMN raw_vault.nhl_timesheet_hours.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.nhl_timesheet_hours.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.nhl_timesheet_hours.batch_id IS 'Batch that loaded this row (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.nhl_timesheet_hours.hours IS 'Hours worked that week (quarter hours).';
COMMENT ON COLUMN raw_vault.nhl_timesheet_hours.submitted_at IS 'When the candidate submitted it.';

-- ghost record
INSERT INTO raw_vault.nhl_timesheet_hours
    (hk_timesheet_hours, hk_timesheet, hk_placement, applied_dts, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_timesheet_hours) DO NOTHING;
