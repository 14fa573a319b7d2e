-- generated from model/hubs/job.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.hub_job (
    hk_job uuid NOT NULL,
    job_id bigint,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT hub_job_pk PRIMARY KEY (hk_job)
);
CREATE INDEX IF NOT EXISTS hub_job_bid ON raw_vault.hub_job USING brin (batch_id);
COMMENT ON TABLE raw_vault.hub_job IS 'A job an employer publishes on the platform, by the platform''s job id.';
COMMENT ON COLUMN raw_vault.hub_job.hk_job IS 'Hash key (md5, hash spec v1) of the business key';
COMMENT ON COLUMN raw_vault.hub_job.job_id IS 'The platform''s id of the job. (standardized as hashed)';
COMMENT ON COLUMN raw_vault.hub_job.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.hub_job.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.hub_job.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record: the zero key, so satellites, PITs and marts never need outer-join guessing
INSERT INTO raw_vault.hub_job (hk_job, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_job) DO NOTHING;
