-- generated from model/links/timesheet_hours.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load non-historized link timesheet_hours: one row per event (hubs' keys + event key), inserted by the
-- first batch that brings it and never changed. Within a batch the first delivery of an event is kept:
-- the earliest applied_dts, then record source, then landing order. Reruns and re-deliveries insert nothing.
-- A delivery whose payload differs from the one the link keeps (the stored row, or the batch's first
-- delivery of a new event) is a conflict: not loaded, and recorded once in dv_meta.late_data
-- (target nhl.timesheet_hours) with the staged row.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.nhl.timesheet_hours'));

-- the batch's rows, read once into a temporary table with statistics: every join below is planned on
-- their true number, whatever the stage table's statistics say (a delta is not mistaken for one row)
DROP TABLE IF EXISTS pg_temp.dv_batch_rows;
CREATE TEMPORARY TABLE dv_batch_rows ON COMMIT DROP AS
    SELECT
        1 AS dv_feed,
        s.hk_timesheet_hours AS hk_timesheet_hours,
        s.hk_timesheet_hours__timesheet AS hk_timesheet,
        s.hk_timesheet_hours__placement AS hk_placement,
        s.week_start::date AS week_start,
        s.hours AS hours,
        s.submitted_at AS submitted_at,
        s.applied_dts, s.load_dts, s.record_source, s.batch_id, s.dv_row_no
    FROM staging.platform_timesheets_stage AS s
    WHERE s.batch_id = current_setting('dv.batch_id')::bigint
      AND s.hk_timesheet_hours <> '00000000-0000-0000-0000-000000000000'::uuid
;
ANALYZE dv_batch_rows;

WITH ranked AS (
    -- each delivery with its rank among the batch's deliveries of the event, and the first delivery's
    -- applied time and payload (a window, not a join of the batch with itself)
    SELECT
        b.*,
        row_number() OVER w AS dv_rank,
        first_value(b.applied_dts) OVER w AS dv_first_applied_dts,
        first_value(b.hours) OVER w AS dv_first_hours,
        first_value(b.submitted_at) OVER w AS dv_first_submitted_at
    FROM dv_batch_rows AS b
    WINDOW w AS (
        PARTITION BY b.hk_timesheet_hours
        ORDER BY b.applied_dts, b.record_source, b.dv_row_no
    )
),
conflicts AS (
    -- deliveries whose payload differs from the event the link keeps: the stored row ...
    SELECT r.dv_feed, r.hk_timesheet_hours, r.batch_id, r.dv_row_no, r.applied_dts,
        t.applied_dts AS dv_kept_applied_dts
    FROM ranked AS r
    JOIN raw_vault.nhl_timesheet_hours AS t ON t.hk_timesheet_hours = r.hk_timesheet_hours
    WHERE (trim_scale(r.hours::numeric)::text IS DISTINCT FROM trim_scale(t.hours::numeric)::text
           OR to_char(r.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') IS DISTINCT FROM
               to_char(t.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    UNION ALL
    -- ... or, for an event the link does not hold yet, the batch's first delivery
    SELECT r.dv_feed, r.hk_timesheet_hours, r.batch_id, r.dv_row_no, r.applied_dts,
        r.dv_first_applied_dts AS dv_kept_applied_dts
    FROM ranked AS r
    WHERE r.dv_rank > 1
      AND NOT EXISTS (
          SELECT 1 FROM raw_vault.nhl_timesheet_hours AS t
          WHERE t.hk_timesheet_hours = r.hk_timesheet_hours
      )
      AND (trim_scale(r.hours::numeric)::text IS DISTINCT FROM trim_scale(r.dv_first_hours::numeric)::text
           OR to_char(r.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') IS DISTINCT FROM
               to_char(r.dv_first_submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
),
noted AS (
    -- each conflicting delivery once, with its staged row (a rerun of the batch adds nothing)
    INSERT INTO dv_meta.late_data
        (batch_id, target, hash_key, applied_dts, latest_applied_dts, reason, staged_row)
    SELECT x.batch_id, 'nhl.timesheet_hours', x.hash_key, x.applied_dts, x.dv_kept_applied_dts,
        'event delivered again with a different payload; the first delivery is kept', x.staged_row
    FROM (
        SELECT
            c.batch_id, CAST(c.hk_timesheet_hours AS text) AS hash_key, c.applied_dts, c.dv_kept_applied_dts,
            to_jsonb(s) - 'batch_id' AS staged_row
        FROM conflicts AS c
        JOIN staging.platform_timesheets_stage AS s
          ON s.batch_id = c.batch_id AND s.dv_row_no = c.dv_row_no
        WHERE c.dv_feed = 1
    ) AS x
    WHERE NOT EXISTS (
        SELECT 1 FROM dv_meta.late_data AS l
        WHERE l.batch_id = x.batch_id AND l.target = 'nhl.timesheet_hours' AND l.staged_row = x.staged_row
    )
    RETURNING 1
)
INSERT INTO raw_vault.nhl_timesheet_hours (
    hk_timesheet_hours, hk_timesheet, hk_placement, week_start, applied_dts, load_dts, record_source, batch_id, hours,
    submitted_at
)
SELECT
    r.hk_timesheet_hours, r.hk_timesheet, r.hk_placement, r.week_start, r.applied_dts, r.load_dts, r.record_source,
    r.batch_id, r.hours, r.submitted_at
FROM ranked AS r
WHERE r.dv_rank = 1
  AND NOT EXISTS (
      SELECT 1 FROM raw_vault.nhl_timesheet_hours AS t
      WHERE t.hk_timesheet_hours = r.hk_timesheet_hours
  )
ON CONFLICT (hk_timesheet_hours) DO NOTHING;
