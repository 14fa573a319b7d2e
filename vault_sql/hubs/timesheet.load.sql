-- generated from model/hubs/timesheet.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub timesheet from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.timesheet'));

INSERT INTO raw_vault.hub_timesheet (
    hk_timesheet, timesheet_id, load_dts, record_source, batch_id
)
SELECT
    r.hk_timesheet, r.timesheet_id, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_timesheet
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_timesheet AS hk_timesheet,
            s.timesheet_id::bigint AS timesheet_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_timesheets_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_timesheet <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_timesheet AS h
              WHERE h.hk_timesheet = s.hk_timesheet
          )
        UNION ALL
        SELECT
            s.hk_timesheet_invoice__timesheet AS hk_timesheet,
            s.timesheet_id::bigint AS timesheet_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_timesheets_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_timesheet_invoice__timesheet <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_timesheet AS h
              WHERE h.hk_timesheet = s.hk_timesheet_invoice__timesheet
          )
        UNION ALL
        SELECT
            s.hk_timesheet_hours__timesheet AS hk_timesheet,
            s.timesheet_id::bigint AS timesheet_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_timesheets_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_timesheet_hours__timesheet <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_timesheet AS h
              WHERE h.hk_timesheet = s.hk_timesheet_hours__timesheet
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_timesheet) DO NOTHING;
