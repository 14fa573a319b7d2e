-- generated from model/hubs/board_posting.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub board_posting from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.board_posting'));

INSERT INTO raw_vault.hub_board_posting (
    hk_board_posting, board, posting_id, load_dts, record_source, batch_id
)
SELECT
    r.hk_board_posting, r.board, r.posting_id, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_board_posting
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_board_posting AS hk_board_posting,
            NULLIF(upper(btrim(regexp_replace(s.board::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS board,
            NULLIF(upper(btrim(regexp_replace(s.posting_id::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS posting_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.board_a_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_board_posting <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_board_posting AS h
              WHERE h.hk_board_posting = s.hk_board_posting
          )
        UNION ALL
        SELECT
            s.hk_board_posting AS hk_board_posting,
            NULLIF(upper(btrim(regexp_replace(s.board::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS board,
            NULLIF(upper(btrim(regexp_replace(s.posting_id::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS posting_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.board_b_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_board_posting <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_board_posting AS h
              WHERE h.hk_board_posting = s.hk_board_posting
          )
        UNION ALL
        SELECT
            s.hk_posting_requisition__board_posting AS hk_board_posting,
            NULLIF(upper(btrim(regexp_replace(s.board::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS board,
            NULLIF(upper(btrim(regexp_replace(s.posting_id::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS posting_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.board_a_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_posting_requisition__board_posting <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_board_posting AS h
              WHERE h.hk_board_posting = s.hk_posting_requisition__board_posting
          )
        UNION ALL
        SELECT
            s.hk_posting_requisition__board_posting AS hk_board_posting,
            NULLIF(upper(btrim(regexp_replace(s.board::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS board,
            NULLIF(upper(btrim(regexp_replace(s.posting_id::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS posting_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.board_b_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_posting_requisition__board_posting <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_board_posting AS h
              WHERE h.hk_board_posting = s.hk_posting_requisition__board_posting
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_board_posting) DO NOTHING;
