-- generated from model/satellites/job.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load effectivity satellite job_employer of link job_employer from source platform_jobs.
-- Driving key: job; it has one partner at a time. Only the
-- driving keys of this batch are read. Their rows are walked in order (applied_dts,
-- then landing order), each compared with the partner before it: the previous row of the batch, or the
-- latest stored start of the driving key that stands no later than the row, whichever stands later.
-- A new partner ends the old relationship and starts the new one at the row's applied time; the same
-- partner again is no change. So A->B->A gives three starts and two ends, in one batch or across batches.
-- A back-dated change also ends where the next stored start of its driving key begins. A relationship
-- that already starts at a row's position (a rerun, a re-delivery) is skipped.
-- A row is late when an earlier batch already delivered a later position for its driving key (stored, or
-- staged and no change). For the driving keys with late rows, the rows earlier batches staged after the
-- first late position are replayed with the batch: a late row can split a stretch of rows that were no
-- change before (the same partner again), and the first of them that differs from it is a change again.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.esat.job_employer'));

-- the batch's rows, read once into a temporary table with statistics: every join below is planned on
-- their true number, whatever the stage table's statistics say (a delta is not mistaken for one row)
DROP TABLE IF EXISTS pg_temp.dv_batch_rows;
CREATE TEMPORARY TABLE dv_batch_rows ON COMMIT DROP AS
    SELECT
        s.hk_job_employer AS hk_job_employer,
        s.hk_job_employer__job AS hk_job,
        s.applied_dts,
        s.load_dts,
        s.load_dts AS dv_origin_dts,
        s.record_source,
        s.batch_id,
        s.dv_row_no
    FROM staging.platform_jobs_stage AS s
    WHERE s.batch_id = current_setting('dv.batch_id')::bigint
      AND s.hk_job_employer <> '00000000-0000-0000-0000-000000000000'::uuid
      AND s.hk_job_employer__job <> '00000000-0000-0000-0000-000000000000'::uuid
;
ANALYZE dv_batch_rows;

WITH known AS (
    -- per driving key of the batch: the latest position an earlier batch delivered (stored, or staged)
    SELECT k.hk_job, k.load_dts, m.applied_dts
    FROM (SELECT DISTINCT b.hk_job, b.load_dts FROM dv_batch_rows AS b) AS k
    CROSS JOIN LATERAL (
        SELECT c.*
        FROM (
            (SELECT t.applied_dts
             FROM raw_vault.esat_job_employer AS t
             WHERE t.hk_job = k.hk_job AND t.load_dts < k.load_dts
             ORDER BY t.applied_dts DESC
             LIMIT 1)
            UNION ALL
            (SELECT s.applied_dts
             FROM staging.platform_jobs_stage AS s
             WHERE s.hk_job_employer__job = k.hk_job AND s.load_dts < k.load_dts
               AND s.hk_job_employer <> '00000000-0000-0000-0000-000000000000'::uuid
             ORDER BY s.applied_dts DESC
             LIMIT 1)
        ) AS c
        ORDER BY c.applied_dts DESC
        LIMIT 1
    ) AS m
    -- a first load has no history to look up (nothing stored, nothing staged before): no probe per key
    WHERE (EXISTS (SELECT 1 FROM raw_vault.esat_job_employer AS x WHERE x.record_source <> 'SYSTEM.GHOST')
           OR EXISTS (SELECT 1 FROM staging.platform_jobs_stage AS e
                      WHERE e.load_dts < (SELECT min(f.load_dts) FROM dv_batch_rows AS f)))
),
late AS (
    -- the first late position of each driving key of the batch
    SELECT r.*
    FROM (
        SELECT
            b.hk_job, b.applied_dts, b.load_dts, b.batch_id,
            row_number() OVER (PARTITION BY b.hk_job ORDER BY b.applied_dts) AS dv_first
        FROM dv_batch_rows AS b
        JOIN known AS k ON k.hk_job = b.hk_job
        WHERE (b.applied_dts) < (k.applied_dts)
    ) AS r
    WHERE r.dv_first = 1
),
replayed AS (
    -- earlier batches' staged rows of the driving keys with late rows, from the first late position on
    SELECT
        s.hk_job_employer AS hk_job_employer,
        s.hk_job_employer__job AS hk_job,
        s.applied_dts,
        f.load_dts,
        s.load_dts AS dv_origin_dts,
        s.record_source,
        f.batch_id,
        s.dv_row_no
    FROM late AS f
    JOIN staging.platform_jobs_stage AS s
      ON s.hk_job_employer__job = f.hk_job AND s.load_dts < f.load_dts
     AND (s.applied_dts) > (f.applied_dts)
     AND s.hk_job_employer <> '00000000-0000-0000-0000-000000000000'::uuid
),
candidates AS (
    SELECT * FROM dv_batch_rows
    UNION ALL
    SELECT * FROM replayed
),
unseen AS (
    SELECT b.*
    FROM candidates AS b
    WHERE NOT EXISTS (
        -- a driving key this batch has written already is done (a rerun)
        SELECT 1 FROM raw_vault.esat_job_employer AS t
        WHERE t.hk_job = b.hk_job
          AND t.batch_id = b.batch_id
    )
      AND NOT EXISTS (
        -- a relationship that already starts at this position is no news (a re-delivery) ...
        SELECT 1 FROM raw_vault.esat_job_employer AS t
        WHERE t.hk_job_employer = b.hk_job_employer
          AND t.applied_dts = b.applied_dts
          AND t.is_active
    )
      AND NOT EXISTS (
        -- ... nor is the partner a driving key had just before a position where its partner changed
        -- (rows of one driving key at one position, in a source without a sequence, delivered again)
        SELECT 1
        FROM (
            SELECT t.hk_job_employer
            FROM raw_vault.esat_job_employer AS t
            WHERE t.hk_job = b.hk_job
              AND t.is_active
              AND (t.applied_dts) < (b.applied_dts)
            ORDER BY t.applied_dts DESC, t.load_dts DESC, t.load_seq DESC
            LIMIT 1
        ) AS p
        WHERE p.hk_job_employer = b.hk_job_employer
          AND EXISTS (
              SELECT 1 FROM raw_vault.esat_job_employer AS t
              WHERE t.hk_job = b.hk_job
                AND t.applied_dts = b.applied_dts
          )
    )
),
ordered AS (
    SELECT
        u.*,
        lag(u.applied_dts) OVER w AS dv_prev_applied_dts,
        lag(u.hk_job_employer) OVER w AS dv_prev_link
    FROM unseen AS u
    WINDOW w AS (PARTITION BY u.hk_job ORDER BY u.applied_dts, u.dv_origin_dts, u.dv_row_no)
),
compared AS (
    -- the partner before each row: the previous row of the batch, or the latest stored start of the
    -- driving key at or before the row's position, whichever stands later
    SELECT
        o.*,
        CASE
            WHEN o.dv_prev_applied_dts IS NOT NULL
             AND (p.applied_dts IS NULL OR (o.dv_prev_applied_dts) >= (p.applied_dts))
            THEN o.dv_prev_link
            ELSE p.hk_job_employer
        END AS dv_pred_link
    FROM ordered AS o
    LEFT JOIN LATERAL (
        SELECT t.hk_job_employer, t.applied_dts
        FROM raw_vault.esat_job_employer AS t
        WHERE t.hk_job = o.hk_job
          AND t.is_active
          AND (t.applied_dts) <= (o.applied_dts)
        ORDER BY t.applied_dts DESC, t.load_dts DESC, t.load_seq DESC
        LIMIT 1
    ) AS p ON true
),
changes AS (
    -- the rows that change their driving key's partner, each with the position of the next one
    SELECT
        c.*,
        lead(c.applied_dts) OVER w AS dv_next_applied_dts
    FROM compared AS c
    WHERE c.dv_pred_link IS DISTINCT FROM c.hk_job_employer
    WINDOW w AS (PARTITION BY c.hk_job ORDER BY c.applied_dts, c.dv_origin_dts, c.dv_row_no)
),
closing AS (
    -- the first stored start of the driving key after a change: a back-dated change ends there
    SELECT
        ch.*,
        n.hk_job_employer AS dv_close_link,
        n.applied_dts AS dv_close_applied_dts
    FROM changes AS ch
    LEFT JOIN LATERAL (
        SELECT t.hk_job_employer, t.applied_dts
        FROM raw_vault.esat_job_employer AS t
        WHERE t.hk_job = ch.hk_job
          AND t.is_active
          AND (t.applied_dts) > (ch.applied_dts)
        ORDER BY t.applied_dts, t.load_dts, t.load_seq
        LIMIT 1
    ) AS n ON true
),
emitted AS (
    -- the end of the relationship before the change ...
    SELECT
        x.dv_pred_link AS hk_job_employer, x.hk_job, x.applied_dts, false AS is_active,
        x.load_dts, x.record_source, x.batch_id, x.dv_origin_dts, x.dv_row_no, 0 AS dv_step
    FROM closing AS x
    WHERE x.dv_pred_link IS NOT NULL
    UNION ALL
    -- ... the start of the new one ...
    SELECT
        x.hk_job_employer, x.hk_job, x.applied_dts, true,
        x.load_dts, x.record_source, x.batch_id, x.dv_origin_dts, x.dv_row_no, 1
    FROM closing AS x
    UNION ALL
    -- ... and, for a back-dated change, its end where the next stored start of the driving key begins
    -- (unless the batch changes the partner again before that, or that start is the same partner)
    SELECT
        x.hk_job_employer, x.hk_job, x.dv_close_applied_dts, false,
        x.load_dts, x.record_source, x.batch_id, x.dv_origin_dts, x.dv_row_no, 0
    FROM closing AS x
    WHERE x.dv_close_link IS NOT NULL
      AND x.dv_close_link <> x.hk_job_employer
      AND (x.dv_next_applied_dts IS NULL OR (x.dv_close_applied_dts) <= (x.dv_next_applied_dts))
)
INSERT INTO raw_vault.esat_job_employer (
    hk_job_employer, load_dts, load_seq, hk_job, applied_dts, is_active, record_source, batch_id
)
SELECT
    e.hk_job_employer,
    e.load_dts,
    row_number() OVER (PARTITION BY e.hk_job ORDER BY e.applied_dts, e.dv_origin_dts, e.dv_row_no, e.dv_step),
    e.hk_job,
    e.applied_dts,
    e.is_active,
    e.record_source,
    e.batch_id
FROM emitted AS e
ON CONFLICT (hk_job_employer, load_dts, load_seq) DO NOTHING;
