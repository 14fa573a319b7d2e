-- generated from model/links/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load non-historized link job_view: one row per event (hubs' keys + event key), inserted by the
-- first batch that brings it and never changed. Within a batch the first delivery of an event is kept:
-- the earliest applied_dts, then record source, then landing order. Reruns and re-deliveries insert nothing.
-- A delivery whose payload differs from the one the link keeps (the stored row, or the batch's first
-- delivery of a new event) is a conflict: not loaded, and recorded once in dv_meta.late_data
-- (target nhl.job_view) with the staged row.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.nhl.job_view'));

-- the batch's rows, read once into a temporary table with statistics: every join below is planned on
-- their true number, whatever the stage table's statistics say (a delta is not mistaken for one row)
DROP TABLE IF EXISTS pg_temp.dv_batch_rows;
CREATE TEMPORARY TABLE dv_batch_rows ON COMMIT DROP AS
    SELECT
        1 AS dv_feed,
        s.hk_job_view AS hk_job_view,
        s.hk_job_view__job AS hk_job,
        s.hk_job_view__user AS hk_user,
        CASE
            WHEN s.event_id::text !~
                E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
                THEN btrim(regexp_replace(s.event_id::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ')
        END AS event_id,
        s.view_source AS view_source,
        s.applied_dts, s.load_dts, s.record_source, s.batch_id, s.dv_row_no
    FROM staging.events_job_views_stage AS s
    WHERE s.batch_id = current_setting('dv.batch_id')::bigint
      AND s.hk_job_view <> '00000000-0000-0000-0000-000000000000'::uuid
;
ANALYZE dv_batch_rows;

WITH ranked AS (
    -- each delivery with its rank among the batch's deliveries of the event, and the first delivery's
    -- applied time and payload (a window, not a join of the batch with itself)
    SELECT
        b.*,
        row_number() OVER w AS dv_rank,
        first_value(b.applied_dts) OVER w AS dv_first_applied_dts,
        first_value(b.view_source) OVER w AS dv_first_view_source
    FROM dv_batch_rows AS b
    WINDOW w AS (
        PARTITION BY b.hk_job_view
        ORDER BY b.applied_dts, b.record_source, b.dv_row_no
    )
),
conflicts AS (
    -- deliveries whose payload differs from the event the link keeps: the stored row ...
    SELECT r.dv_feed, r.hk_job_view, r.batch_id, r.dv_row_no, r.applied_dts, t.applied_dts AS dv_kept_applied_dts
    FROM ranked AS r
    JOIN raw_vault.nhl_job_view AS t ON t.hk_job_view = r.hk_job_view
    WHERE (r.view_source::text IS DISTINCT FROM t.view_source::text)
    UNION ALL
    -- ... or, for an event the link does not hold yet, the batch's first delivery
    SELECT r.dv_feed, r.hk_job_view, r.batch_id, r.dv_row_no, r.applied_dts,
        r.dv_first_applied_dts AS dv_kept_applied_dts
    FROM ranked AS r
    WHERE r.dv_rank > 1
      AND NOT EXISTS (
          SELECT 1 FROM raw_vault.nhl_job_view AS t
          WHERE t.hk_job_view = r.hk_job_view
      )
      AND (r.view_source::text IS DISTINCT FROM r.dv_first_view_source::text)
),
noted AS (
    -- each conflicting delivery once, with its staged row (a rerun of the batch adds nothing)
    INSERT INTO dv_meta.late_data
        (batch_id, target, hash_key, applied_dts, latest_applied_dts, reason, staged_row)
    SELECT x.batch_id, 'nhl.job_view', x.hash_key, x.applied_dts, x.dv_kept_applied_dts,
        'event delivered again with a different payload; the first delivery is kept', x.staged_row
    FROM (
        SELECT
            c.batch_id, CAST(c.hk_job_view AS text) AS hash_key, c.applied_dts, c.dv_kept_applied_dts,
            to_jsonb(s) - 'batch_id' AS staged_row
        FROM conflicts AS c
        JOIN staging.events_job_views_stage AS s
          ON s.batch_id = c.batch_id AND s.dv_row_no = c.dv_row_no
        WHERE c.dv_feed = 1
    ) AS x
    WHERE NOT EXISTS (
        SELECT 1 FROM dv_meta.late_data AS l
        WHERE l.batch_id = x.batch_id AND l.target = 'nhl.job_view' AND l.staged_row = x.staged_row
    )
    RETURNING 1
)
INSERT INTO raw_vault.nhl_job_view (
    hk_job_view, hk_job, hk_user, event_id, applied_dts, load_dts, record_source, batch_id, view_source
)
SELECT
    r.hk_job_view, r.hk_job, r.hk_user, r.event_id, r.applied_dts, r.load_dts, r.record_source, r.batch_id,
    r.view_source
FROM ranked AS r
WHERE r.dv_rank = 1
  AND NOT EXISTS (
      SELECT 1 FROM raw_vault.nhl_job_view AS t
      WHERE t.hk_job_view = r.hk_job_view
  )
ON CONFLICT (hk_job_view) DO NOTHING;
