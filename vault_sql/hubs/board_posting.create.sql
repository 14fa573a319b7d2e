-- generated from model/hubs/board_posting.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.hub_board_posting (
    hk_board_posting uuid NOT NULL,
    board text,
    posting_id text,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT hub_board_posting_pk PRIMARY KEY (hk_board_posting)
);
CREATE INDEX IF NOT EXISTS hub_board_posting_bid ON raw_vault.hub_board_posting USING brin (batch_id);
COMMENT ON TABLE raw_vault.hub_board_posting IS
    'A job ad on a partner job board, by the board and the board''s own posting id.';
COMMENT ON COLUMN raw_vault.hub_board_posting.hk_board_posting IS 'Hash key (md5, hash spec v1) of the business key';
COMMENT ON COLUMN raw_vault.hub_board_posting.board IS 'The job board: BOARD_A or BOARD_B. (standardized as hashed)';
COMMENT ON COLUMN raw_vault.hub_board_posting.posting_id IS
    'The board''s id of the posting (A0000095, BB-000067). (standardized as hashed)';
COMMENT ON COLUMN raw_vault.hub_board_posting.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.hub_board_posting.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.hub_board_posting.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record: the zero key, so satellites, PITs and marts never need outer-join guessing
INSERT INTO raw_vault.hub_board_posting (hk_board_posting, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_board_posting) DO NOTHING;
