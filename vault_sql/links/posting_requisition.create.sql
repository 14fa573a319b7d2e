-- generated from model/links/posting_requisition.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_posting_requisition (
    hk_posting_requisition uuid NOT NULL,
    hk_board_posting uuid NOT NULL,
    hk_requisition uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_posting_requisition_pk PRIMARY KEY (hk_posting_requisition)
);
CREATE INDEX IF NOT EXISTS link_posting_requisition_board_posting ON raw_vault.link_posting_requisition
    (hk_board_posting);
CREATE INDEX IF NOT EXISTS link_posting_requisition_requisition ON raw_vault.link_posting_requisition (hk_requisition);
CREATE INDEX IF NOT EXISTS link_posting_requisition_bid ON raw_vault.link_posting_requisition USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_posting_requisition IS
    'The requisition number a partner board''s posting carries. Postings of both boards and the platform job with the same requisition number are the same position (see link_job_requisition).';
COMMENT ON COLUMN raw_vault.link_posting_requisition.hk_posting_requisition IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_posting_requisition.hk_board_posting IS 'Hash key of hub board_posting';
COMMENT ON COLUMN raw_vault.link_posting_requisition.hk_requisition IS 'Hash key of hub requisition';
COMMENT ON COLUMN raw_vault.link_posting_requisition.load_dts IS
    'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_posting_requisition.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_posting_requisition.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_posting_requisition
    (hk_posting_requisition, hk_board_posting, hk_requisition, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_posting_requisition) DO NOTHING;
