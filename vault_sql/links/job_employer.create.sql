-- generated from model/links/job_employer.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_job_employer (
    hk_job_employer uuid NOT NULL,
    hk_job uuid NOT NULL,
    hk_employer uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_job_employer_pk PRIMARY KEY (hk_job_employer)
);
CREATE INDEX IF NOT EXISTS link_job_employer_job ON raw_vault.link_job_employer (hk_job);
CREATE INDEX IF NOT EXISTS link_job_employer_employer ON raw_vault.link_job_employer (hk_employer);
CREATE INDEX IF NOT EXISTS link_job_employer_bid ON raw_vault.link_job_employer USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_job_employer IS
    'The employer that posted a job; when the relationship starts and ends is in esat_job_employer.';
COMMENT ON COLUMN raw_vault.link_job_employer.hk_job_employer IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_job_employer.hk_job IS 'Hash key of hub job';
COMMENT ON COLUMN raw_vault.link_job_employer.hk_employer IS 'Hash key of hub employer';
COMMENT ON COLUMN raw_vault.link_job_employer.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_job_employer.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_job_employer.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_job_employer (hk_job_employer, hk_job, hk_employer, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_job_employer) DO NOTHING;
