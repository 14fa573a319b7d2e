-- generated from 5 model files by dv generate — do not edit:
--   model/hubs/timesheet.yml, model/links/timesheet_hours.yml, model/links/timesheet_invoice.yml,
--   model/satellites/timesheet.yml, model/sources/platform_timesheets.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_timesheets (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    timesheet_id text,
    placement_id text,
    week_start text,
    hours text,
    status text,
    submitted_at text,
    approved_at text,
    invoice_id text,
    invoice_number text,
    updated_at text
);
COMMENT ON TABLE staging.platform_timesheets IS
    'Landing for source platform_timesheets (jtld.platform.timesheets): rows as extracted, emptied when staged. Weekly timesheets of contract placements: the hours worked in a week, their approval, and the invoice that billed them (the invoice number is looked up in invoices).';
COMMENT ON COLUMN staging.platform_timesheets.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_timesheets.timesheet_id IS 'The platform''s id of the timesheet.';
COMMENT ON COLUMN staging.platform_timesheets.placement_id IS 'The contract placement the hours were worked for.';
COMMENT ON COLUMN staging.platform_timesheets.week_start IS 'Monday of the week.';
COMMENT ON COLUMN staging.platform_timesheets.hours IS 'Hours worked that week (quarter hours).';
COMMENT ON COLUMN staging.platform_timesheets.status IS 'submitted, approved or rejected.';
COMMENT ON COLUMN staging.platform_timesheets.submitted_at IS 'When the candidate submitted it.';
COMMENT ON COLUMN staging.platform_timesheets.approved_at IS 'When the employer approved it; empty unless approved.';
COMMENT ON COLUMN staging.platform_timesheets.invoice_id IS
    'The platform''s id of the invoice that billed the hours; empty until invoiced.';
COMMENT ON COLUMN staging.platform_timesheets.invoice_number IS
    'Number of that invoice (INV-2026-0000123), from invoices.';
COMMENT ON COLUMN staging.platform_timesheets.updated_at IS 'Last change: submission, decision or invoicing.';

CREATE TABLE IF NOT EXISTS staging.platform_timesheets_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_timesheet uuid,
    hk_timesheet_invoice uuid,
    hk_timesheet_invoice__timesheet uuid,
    hk_timesheet_invoice__invoice uuid,
    hk_timesheet_hours uuid,
    hk_timesheet_hours__timesheet uuid,
    hk_timesheet_hours__placement uuid,
    hd_timesheet_status uuid,
    timesheet_id bigint,
    placement_id bigint,
    week_start date,
    hours numeric(5,2),
    status text,
    submitted_at timestamptz,
    approved_at timestamptz,
    invoice_id bigint,
    invoice_number text,
    updated_at timestamptz,
    CONSTRAINT platform_timesheets_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_timesheets_stage_k1 ON staging.platform_timesheets_stage
    (hk_timesheet, applied_dts);
COMMENT ON TABLE staging.platform_timesheets_stage IS
    'Staged rows of source platform_timesheets per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_timesheets_stage.timesheet_id IS 'The platform''s id of the timesheet.';
COMMENT ON COLUMN staging.platform_timesheets_stage.placement_id IS
    'The contract placement the hours were worked for.';
COMMENT ON COLUMN staging.platform_timesheets_stage.week_start IS 'Monday of the week.';
COMMENT ON COLUMN staging.platform_timesheets_stage.hours IS 'Hours worked that week (quarter hours).';
COMMENT ON COLUMN staging.platform_timesheets_stage.status IS 'submitted, approved or rejected.';
COMMENT ON COLUMN staging.platform_timesheets_stage.submitted_at IS 'When the candidate submitted it.';
COMMENT ON COLUMN staging.platform_timesheets_stage.approved_at IS
    'When the employer approved it; empty unless approved.';
COMMENT ON COLUMN staging.platform_timesheets_stage.invoice_id IS
    'The platform''s id of the invoice that billed the hours; empty until invoiced.';
COMMENT ON COLUMN staging.platform_timesheets_stage.invoice_number IS
    'Number of that invoice (INV-2026-0000123), from invoices.';
COMMENT ON COLUMN staging.platform_timesheets_stage.updated_at IS 'Last change: submission, decision or invoicing.';
