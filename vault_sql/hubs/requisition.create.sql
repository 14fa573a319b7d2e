-- generated from model/hubs/requisition.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.hub_requisition (
    hk_requisition uuid NOT NULL,
    requisition_ref text,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT hub_requisition_pk PRIMARY KEY (hk_requisition)
);
CREATE INDEX IF NOT EXISTS hub_requisition_bid ON raw_vault.hub_requisition USING brin (batch_id);
COMMENT ON TABLE raw_vault.hub_requisition IS
    'An employer''s requisition number: the position to fill, as the employer numbers it. The platform''s job and the partner boards'' postings of one position carry the same number, so it ties them together.';
COMMENT ON COLUMN raw_vault.hub_requisition.hk_requisition IS 'Hash key (md5, hash spec v1) of the business key';
COMMENT ON COLUMN raw_vault.hub_requisition.requisition_ref IS
    'The requisition number, trimmed and upper-cased (BAJ-2025-0006). (standardized as hashed)';
COMMENT ON COLUMN raw_vault.hub_requisition.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.hub_requisition.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.hub_requisition.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record: the zero key, so satellites, PITs and marts never need outer-join guessing
INSERT INTO raw_vault.hub_requisition (hk_requisition, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_requisition) DO NOTHING;
