-- generated from model/satellites/resume.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load satellite resume_content from source platform_resumes (late data: insert).
-- Only the keys of this batch are read. Version order of a key: applied_dts, then load order.
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
SELECT pg_advisory_xact_lock(hashtext('dv.load.sat.resume_content'));

-- the batch's rows, read once into a temporary table with statistics: every join below is planned on
-- their true number, whatever the stage table's statistics say (a delta is not mistaken for one row)
DROP TABLE IF EXISTS pg_temp.dv_batch_rows;
CREATE TEMPORARY TABLE dv_batch_rows ON COMMIT DROP AS
    SELECT
        s.hk_resume AS hk_resume,
        s.hd_resume_content AS hashdiff,
        s.applied_dts,
        s.load_dts,
        s.load_dts AS dv_origin_dts,
        s.record_source,
        s.batch_id,
        s.dv_row_no,
        s.resume_text AS resume_text,
        s.file_path AS file_path
    FROM staging.platform_resumes_stage AS s
    WHERE s.batch_id = current_setting('dv.batch_id')::bigint
      AND s.hk_resume <> '00000000-0000-0000-0000-000000000000'::uuid;
ANALYZE dv_batch_rows;

WITH known AS (
    -- per key of the batch: the latest position an earlier batch delivered (stored, or staged and no change)
    SELECT k.hk_resume, k.load_dts, m.applied_dts
    FROM (SELECT DISTINCT b.hk_resume, b.load_dts FROM dv_batch_rows AS b) AS k
    CROSS JOIN LATERAL (
        SELECT c.*
        FROM (
            (SELECT t.applied_dts
             FROM raw_vault.sat_resume_content AS t
             WHERE t.hk_resume = k.hk_resume AND t.load_dts < k.load_dts
             ORDER BY t.applied_dts DESC
             LIMIT 1)
            UNION ALL
            (SELECT s.applied_dts
             FROM staging.platform_resumes_stage AS s
             WHERE s.hk_resume = k.hk_resume AND s.load_dts < k.load_dts
               AND s.hd_resume_content IS NOT NULL  -- staged before this satellite existed: not its history
             ORDER BY s.applied_dts DESC
             LIMIT 1)
        ) AS c
        ORDER BY c.applied_dts DESC
        LIMIT 1
    ) AS m
    -- a first load has no history to look up (nothing stored, nothing staged before): no probe per key
    WHERE (EXISTS (SELECT 1 FROM raw_vault.sat_resume_content AS x WHERE x.record_source <> 'SYSTEM.GHOST')
           OR EXISTS (SELECT 1 FROM staging.platform_resumes_stage AS e
                      WHERE e.load_dts < (SELECT min(f.load_dts) FROM dv_batch_rows AS f)))
),
late AS (
    SELECT b.*
    FROM dv_batch_rows AS b
    JOIN known AS k ON k.hk_resume = b.hk_resume
    WHERE (b.applied_dts) < (k.applied_dts)
),
replayed AS (
    -- earlier batches' staged rows of the keys with late rows, from the first late position on
    SELECT
        s.hk_resume AS hk_resume,
        s.hd_resume_content AS hashdiff,
        s.applied_dts,
        f.load_dts,
        s.load_dts AS dv_origin_dts,
        s.record_source,
        f.batch_id,
        s.dv_row_no,
        s.resume_text AS resume_text,
        s.file_path AS file_path
    FROM (
        SELECT r.*
        FROM (
            SELECT
                l.hk_resume, l.applied_dts, l.load_dts, l.batch_id,
                row_number() OVER (PARTITION BY l.hk_resume ORDER BY l.applied_dts) AS dv_first
            FROM late AS l
        ) AS r
        WHERE r.dv_first = 1
    ) AS f
    JOIN staging.platform_resumes_stage AS s
      ON s.hk_resume = f.hk_resume
     AND s.load_dts < f.load_dts
     AND (s.applied_dts) > (f.applied_dts)
     AND s.hd_resume_content IS NOT NULL
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
        SELECT 1 FROM raw_vault.sat_resume_content AS t
        WHERE t.hk_resume = b.hk_resume
          AND t.applied_dts = b.applied_dts
          AND t.hashdiff = b.hashdiff
    )
),
ordered AS (
    SELECT
        u.*,
        lag(u.applied_dts) OVER w AS dv_prev_applied_dts,
        lag(u.hashdiff) OVER w AS dv_prev_hashdiff
    FROM unseen AS u
    WINDOW w AS (PARTITION BY u.hk_resume ORDER BY u.applied_dts, u.dv_origin_dts, u.dv_row_no)
),
compared AS (
    SELECT
        o.*,
        CASE
            WHEN o.dv_prev_applied_dts IS NOT NULL
             AND (p.applied_dts IS NULL OR (o.dv_prev_applied_dts) >= (p.applied_dts))
            THEN o.dv_prev_hashdiff
            ELSE p.hashdiff
        END AS dv_pred_hashdiff
    FROM ordered AS o
    LEFT JOIN LATERAL (
        SELECT t.applied_dts, t.hashdiff
        FROM raw_vault.sat_resume_content AS t
        WHERE t.hk_resume = o.hk_resume
          AND EXISTS (SELECT 1 FROM raw_vault.sat_resume_content AS x WHERE x.record_source <> 'SYSTEM.GHOST')
              -- nothing stored yet: no probe per row
          AND (t.applied_dts) <= (o.applied_dts)
        ORDER BY t.applied_dts DESC, t.load_dts DESC, t.load_seq DESC
        LIMIT 1
    ) AS p ON true
),
changes AS (
    SELECT
        c.*,
        row_number() OVER (PARTITION BY c.hk_resume ORDER BY c.applied_dts, c.dv_origin_dts, c.dv_row_no) AS load_seq
    FROM compared AS c
    WHERE c.dv_pred_hashdiff IS DISTINCT FROM c.hashdiff
)
INSERT INTO raw_vault.sat_resume_content (
    hk_resume, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id, resume_text, file_path
)
SELECT
    x.hk_resume, x.load_dts, x.load_seq, x.applied_dts, x.hashdiff, x.record_source, x.batch_id, x.resume_text,
    x.file_path
FROM changes AS x
ON CONFLICT (hk_resume, load_dts, load_seq) DO NOTHING;
