-- generated from model/satellites/job.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- One row per change of a relationship's status (is_active true: starts, false: ends), never updated.
-- Row order of a relationship and of a driving key: applied_dts, load_dts, load_seq.
CREATE TABLE IF NOT EXISTS raw_vault.esat_job_employer (
    hk_job_employer uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    hk_job uuid NOT NULL,
    applied_dts timestamptz NOT NULL,
    is_active boolean NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT esat_job_employer_pk PRIMARY KEY (hk_job_employer, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS esat_job_employer_ver ON raw_vault.esat_job_employer
    (hk_job_employer, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (is_active);
CREATE INDEX IF NOT EXISTS esat_job_employer_drv ON raw_vault.esat_job_employer
    (hk_job, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hk_job_employer, is_active);
CREATE INDEX IF NOT EXISTS esat_job_employer_bid ON raw_vault.esat_job_employer USING brin (batch_id);
COMMENT ON TABLE raw_vault.esat_job_employer IS
    'When each job-employer relationship starts and ends; a job has one employer at a time.';
COMMENT ON COLUMN raw_vault.esat_job_employer.hk_job_employer IS 'Hash key of link job_employer: the relationship';
COMMENT ON COLUMN raw_vault.esat_job_employer.load_dts IS 'Load timestamp of the batch that saw the change';
COMMENT ON COLUMN raw_vault.esat_job_employer.load_seq IS
    'Order of this row among the rows of its driving key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.esat_job_employer.hk_job IS 'Driving key: hash key of hub job as job';
COMMENT ON COLUMN raw_vault.esat_job_employer.applied_dts IS
    'When the relationship started or ended at the source (platform_jobs)';
COMMENT ON COLUMN raw_vault.esat_job_employer.is_active IS
    'true: the relationship starts at applied_dts; false: it ends there';
COMMENT ON COLUMN raw_vault.esat_job_employer.record_source IS 'Source whose row caused the change';
COMMENT ON COLUMN raw_vault.esat_job_employer.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record: the ghost relationship of the link, open since the beginning of time
INSERT INTO raw_vault.esat_job_employer
    (hk_job_employer, load_dts, load_seq, hk_job, applied_dts, is_active, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', true, 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_job_employer, load_dts, load_seq) DO NOTHING;
