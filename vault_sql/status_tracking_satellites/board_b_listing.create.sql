-- generated from model/satellites/partner_boards.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Status tracking of hub board_posting in the full extracts of source board_b_postings: one row per change
-- of a key's status ('present' / 'deleted') and of its partition (board).
CREATE TABLE IF NOT EXISTS raw_vault.sts_board_b_listing (
    hk_board_posting uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    status text,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    board text,
    CONSTRAINT sts_board_b_listing_pk PRIMARY KEY (hk_board_posting, load_dts)
);
CREATE INDEX IF NOT EXISTS sts_board_b_listing_status ON raw_vault.sts_board_b_listing (board, status) INCLUDE
    (hk_board_posting, load_dts);
CREATE INDEX IF NOT EXISTS sts_board_b_listing_bid ON raw_vault.sts_board_b_listing USING brin (batch_id);
COMMENT ON TABLE raw_vault.sts_board_b_listing IS
    'Whether a posting is still listed on partner board B; a posting missing from the board''s daily full export was closed.';
COMMENT ON COLUMN raw_vault.sts_board_b_listing.hk_board_posting IS 'Hash key of hub board_posting';
COMMENT ON COLUMN raw_vault.sts_board_b_listing.load_dts IS 'Load timestamp of the batch that saw the change';
COMMENT ON COLUMN raw_vault.sts_board_b_listing.status IS
    '''present'': in the full extract of this batch (new, reappearing or moved partition); ''deleted'': missing from it. NULL only in the ghost record';
COMMENT ON COLUMN raw_vault.sts_board_b_listing.record_source IS 'Source whose extract showed the change';
COMMENT ON COLUMN raw_vault.sts_board_b_listing.batch_id IS 'Batch that loaded this row (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sts_board_b_listing.board IS
    'Partition of the key at this status (source column board: Always board_b (the partition).)';

-- ghost record (status unknown: NULL)
INSERT INTO raw_vault.sts_board_b_listing (hk_board_posting, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_board_posting, load_dts) DO NOTHING;
