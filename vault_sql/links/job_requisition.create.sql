-- generated from model/links/job_requisition.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_job_requisition (
    hk_job_requisition uuid NOT NULL,
    hk_job uuid NOT NULL,
    hk_requisition uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_job_requisition_pk PRIMARY KEY (hk_job_requisition)
);
CREATE INDEX IF NOT EXISTS link_job_requisition_job ON raw_vault.link_job_requisition (hk_job);
CREATE INDEX IF NOT EXISTS link_job_requisition_requisition ON raw_vault.link_job_requisition (hk_requisition);
CREATE INDEX IF NOT EXISTS link_job_requisition_bid ON raw_vault.link_job_requisition USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_job_requisition IS
    'The requisition number a platform job carries (its external_ref). With link_posting_requisition it finds every posting of one position: the platform job and its ads on the partner boards.';
COMMENT ON COLUMN raw_vault.link_job_requisition.hk_job_requisition IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_job_requisition.hk_job IS 'Hash key of hub job';
COMMENT ON COLUMN raw_vault.link_job_requisition.hk_requisition IS 'Hash key of hub requisition';
COMMENT ON COLUMN raw_vault.link_job_requisition.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_job_requisition.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_job_requisition.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_job_requisition
    (hk_job_requisition, hk_job, hk_requisition, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_job_requisition) DO NOTHING;
