-- generated from model/satellites/application.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load satellite application_status from source platform_application_status_history (late data: insert).
-- Only the keys of this batch are read. Version order of a key: applied_dts, applied_seq, then load order.
-- Each staged version is compared with its predecessor in that order: the one before it in the batch,
-- or the latest stored version that stands no later than it, whichever stands later. So A->B->A in one
-- batch gives three rows, equal timestamps keep every distinct version, and versions the satellite
-- already holds (a rerun, a re-delivery) are skipped.
-- A row is late when an earlier batch already delivered a later position for its key.
-- Late rows are inserted back-dated. For their keys, the rows earlier batches staged after the first
-- late position are replayed with the batch: a late version can split a stretch of unchanged rows that
-- were no change before, and the first of them that differs from it becomes a version again.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.sat.application_status'));

-- the batch's rows, read once into a temporary table with statistics: every join below is planned on
-- their true number, whatever the stage table's statistics say (a delta is not mistaken for one row)
DROP TABLE IF EXISTS pg_temp.dv_batch_rows;
CREATE TEMPORARY TABLE dv_batch_rows ON COMMIT DROP AS
    SELECT
        s.hk_application AS hk_application,
        s.hd_application_status AS hashdiff,
        s.applied_dts,
        s.seq AS applied_seq,
        s.load_dts,
        s.load_dts AS dv_origin_dts,
        s.record_source,
        s.batch_id,
        s.dv_row_no,
        s.status AS status
    FROM staging.platform_application_status_history_stage AS s
    WHERE s.batch_id = current_setting('dv.batch_id')::bigint
      AND s.hk_application <> '00000000-0000-0000-0000-000000000000'::uuid;
ANALYZE dv_batch_rows;

WITH known AS (
    -- per key of the batch: the latest position an earlier batch delivered (stored, or staged and no change)
    SELECT k.hk_application, k.load_dts, m.applied_dts, m.applied_seq
    FROM (SELECT DISTINCT b.hk_application, b.load_dts FROM dv_batch_rows AS b) AS k
    CROSS JOIN LATERAL (
        SELECT c.*
        FROM (
            (SELECT t.applied_dts, t.applied_seq
             FROM raw_vault.sat_application_status AS t
             WHERE t.hk_application = k.hk_application AND t.load_dts < k.load_dts
             ORDER BY t.applied_dts DESC, t.applied_seq DESC
             LIMIT 1)
            UNION ALL
            (SELECT s.applied_dts, s.seq AS applied_seq
             FROM staging.platform_application_status_history_stage AS s
             WHERE s.hk_application = k.hk_application AND s.load_dts < k.load_dts
               AND s.hd_application_status IS NOT NULL  -- staged before this satellite existed: not its history
             ORDER BY s.applied_dts DESC, s.seq DESC
             LIMIT 1)
        ) AS c
        ORDER BY c.applied_dts DESC, c.applied_seq DESC
        LIMIT 1
    ) AS m
    -- a first load has no history to look up (nothing stored, nothing staged before): no probe per key
    WHERE (EXISTS (SELECT 1 FROM raw_vault.sat_application_status AS x WHERE x.record_source <> 'SYSTEM.GHOST')
           OR EXISTS (SELECT 1 FROM staging.platform_application_status_history_stage AS e
                      WHERE e.load_dts < (SELECT min(f.load_dts) FROM dv_batch_rows AS f)))
),
late AS (
    SELECT b.*
    FROM dv_batch_rows AS b
    JOIN known AS k ON k.hk_application = b.hk_application
    WHERE (b.applied_dts, b.applied_seq) < (k.applied_dts, k.applied_seq)
),
replayed AS (
    -- earlier batches' staged rows of the keys with late rows, from the first late position on
    SELECT
        s.hk_application AS hk_application,
        s.hd_application_status AS hashdiff,
        s.applied_dts,
        s.seq AS applied_seq,
        f.load_dts,
        s.load_dts AS dv_origin_dts,
        s.record_source,
        f.batch_id,
        s.dv_row_no,
        s.status AS status
    FROM (
        SELECT r.*
        FROM (
            SELECT
                l.hk_application, l.applied_dts, l.applied_seq, l.load_dts, l.batch_id,
                row_number() OVER (PARTITION BY l.hk_application ORDER BY l.applied_dts, l.applied_seq) AS dv_first
            FROM late AS l
        ) AS r
        WHERE r.dv_first = 1
    ) AS f
    JOIN staging.platform_application_status_history_stage AS s
      ON s.hk_application = f.hk_application
     AND s.load_dts < f.load_dts
     AND (s.applied_dts, s.seq) > (f.applied_dts, f.applied_seq)
     AND s.hd_application_status IS NOT NULL
),
candidates AS (
    SELECT * FROM dv_batch_rows
    UNION ALL
    SELECT * FROM replayed
),
unseen AS (
    -- versions not stored yet: the same key at the same position with the same content is already loaded
    SELECT b.*
    FROM candidates AS b
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.sat_application_status AS t
        WHERE t.hk_application = b.hk_application
          AND t.applied_dts = b.applied_dts
          AND t.applied_seq = b.applied_seq
          AND t.hashdiff = b.hashdiff
    )
),
ordered AS (
    SELECT
        u.*,
        lag(u.applied_dts) OVER w AS dv_prev_applied_dts,
        lag(u.applied_seq) OVER w AS dv_prev_applied_seq,
        lag(u.hashdiff) OVER w AS dv_prev_hashdiff
    FROM unseen AS u
    WINDOW w AS (PARTITION BY u.hk_application ORDER BY u.applied_dts, u.applied_seq, u.dv_origin_dts, u.dv_row_no)
),
compared AS (
    SELECT
        o.*,
        CASE
            WHEN o.dv_prev_applied_dts IS NOT NULL
             AND (
                 p.applied_dts IS NULL
                 OR (o.dv_prev_applied_dts, o.dv_prev_applied_seq) >= (p.applied_dts, p.applied_seq)
             )
            THEN o.dv_prev_hashdiff
            ELSE p.hashdiff
        END AS dv_pred_hashdiff
    FROM ordered AS o
    LEFT JOIN LATERAL (
        SELECT t.applied_dts, t.applied_seq, t.hashdiff
        FROM raw_vault.sat_application_status AS t
        WHERE t.hk_application = o.hk_application
          AND EXISTS (SELECT 1 FROM raw_vault.sat_application_status AS x WHERE x.record_source <> 'SYSTEM.GHOST')
              -- nothing stored yet: no probe per row
          AND (t.applied_dts, t.applied_seq) <= (o.applied_dts, o.applied_seq)
        ORDER BY t.applied_dts DESC, t.applied_seq DESC, t.load_dts DESC, t.load_seq DESC
        LIMIT 1
    ) AS p ON true
),
changes AS (
    SELECT
        c.*,
        row_number() OVER
            (PARTITION BY c.hk_application ORDER BY c.applied_dts, c.applied_seq, c.dv_origin_dts, c.dv_row_no) AS
            load_seq
    FROM compared AS c
    WHERE c.dv_pred_hashdiff IS DISTINCT FROM c.hashdiff
)
INSERT INTO raw_vault.sat_application_status (
    hk_application, load_dts, load_seq, applied_dts, applied_seq, hashdiff, record_source, batch_id, status
)
SELECT
    x.hk_application, x.load_dts, x.load_seq, x.applied_dts, x.applied_seq, x.hashdiff, x.record_source, x.batch_id,
    x.status
FROM changes AS x
ON CONFLICT (hk_application, load_dts, load_seq) DO NOTHING;
