-- generated from model/satellites/partner_boards.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Deletion detection: status tracking of hub board_posting in the full extract of source board_a_postings.
-- Each key of this batch's extract is compared with its status as of this batch (its latest row not
-- later than the batch's load_dts, found by an anti-join on the primary key):
--   'present' row: the key is new, was deleted, or stood in another partition
--   'deleted' row: the key is present in a partition this extract covers, and missing from it
-- No key is deleted when the extract of this batch is empty (more often a failed export than an empty
-- system), or when some of its rows went to quarantine (their keys are unknown, so a key missing from
-- the stage may still be at the source). Rows on the zero key are not tracked. A rerun inserts nothing.
-- Partitioned by board: an extract covers only the partitions it has rows of (with a
-- key); keys of other partitions keep their status. A key delivered in two partitions is stored with the
-- partition of its first row (landing order).
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.sts.board_a_listing'));

WITH batch AS (
    SELECT b.batch_id, b.load_dts
    FROM dv_meta.batch AS b
    WHERE b.batch_id = current_setting('dv.batch_id')::bigint
),
complete_extract AS (
    -- the source was staged in this batch and none of its rows went to quarantine
    SELECT 1 AS complete
    FROM dv_meta.batch_source AS bs
    WHERE bs.batch_id = current_setting('dv.batch_id')::bigint
      AND bs.source = 'board_a_postings'
      AND bs.rows_quarantined = 0
      -- nor did any record of its files (file feeds quarantine what they cannot parse when landing)
      AND NOT EXISTS (
          SELECT 1 FROM dv_meta.quarantine AS q
          WHERE q.batch_id = bs.batch_id AND q.source = bs.source
      )
),
batch_rows AS (
    SELECT
        s.hk_board_posting AS hk_board_posting,
        s.load_dts,
        s.record_source,
        s.batch_id,
        s.board,
        s.dv_row_no
    FROM staging.board_a_postings_stage AS s
    WHERE s.batch_id = current_setting('dv.batch_id')::bigint
      AND s.hk_board_posting <> '00000000-0000-0000-0000-000000000000'::uuid
),
batch_keys AS (
    -- one row per key of the extract: its first row in landing order
    SELECT r.*
    FROM (
        SELECT b.*, row_number() OVER (PARTITION BY b.hk_board_posting ORDER BY b.dv_row_no) AS dv_nth
        FROM batch_rows AS b
    ) AS r
    WHERE r.dv_nth = 1
),
batch_partitions AS (
    -- the partitions this extract covers
    SELECT DISTINCT r.board FROM batch_rows AS r
),
appeared AS (
    -- keys of the extract, unless their status as of this batch is already present in the same partition
    SELECT k.*
    FROM batch_keys AS k
    WHERE NOT EXISTS (
        SELECT 1
        FROM raw_vault.sts_board_a_listing AS t
        WHERE t.hk_board_posting = k.hk_board_posting
          AND t.load_dts <= k.load_dts
          AND t.status = 'present'
          AND t.board IS NOT DISTINCT FROM k.board
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.sts_board_a_listing AS n
              WHERE n.hk_board_posting = t.hk_board_posting
                AND n.load_dts > t.load_dts
                AND n.load_dts <= k.load_dts
          )
    )
),
missing AS (
    -- keys present as of this batch in a partition the extract covers, and not in the extract
    SELECT t.hk_board_posting, b.load_dts, b.batch_id, t.board
    FROM raw_vault.sts_board_a_listing AS t
    CROSS JOIN batch AS b
    -- a NULL partition value is a partition of its own; spelled with = so the _status index serves it
    JOIN batch_partitions AS p
      ON (t.board = p.board OR (t.board IS NULL AND p.board IS NULL))
    WHERE t.status = 'present'
      AND t.load_dts <= b.load_dts
      AND EXISTS (SELECT 1 FROM complete_extract)
      AND NOT EXISTS (
          SELECT 1 FROM raw_vault.sts_board_a_listing AS n
          WHERE n.hk_board_posting = t.hk_board_posting
            AND n.load_dts > t.load_dts
            AND n.load_dts <= b.load_dts
      )
      AND NOT EXISTS (SELECT 1 FROM batch_rows AS r WHERE r.hk_board_posting = t.hk_board_posting)
)
INSERT INTO raw_vault.sts_board_a_listing (
    hk_board_posting, load_dts, status, record_source, batch_id, board
)
SELECT a.hk_board_posting, a.load_dts, 'present', a.record_source, a.batch_id, a.board
FROM appeared AS a
UNION ALL
SELECT m.hk_board_posting, m.load_dts, 'deleted', 'jtld.partner.board_a', m.batch_id, m.board
FROM missing AS m
ON CONFLICT (hk_board_posting, load_dts) DO NOTHING;
