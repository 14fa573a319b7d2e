-- generated from model/satellites/job_details.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_job_details (
    hk_job uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    title text,
    city text,
    remote boolean,
    contract_type text,
    salary_min numeric(12,2),
    salary_max numeric(12,2),
    currency char(3),
    status text,
    posted_at timestamptz,
    CONSTRAINT sat_job_details_pk PRIMARY KEY (hk_job, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_job_details_ver ON raw_vault.sat_job_details (hk_job, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
COMMENT ON TABLE raw_vault.sat_job_details IS 'Title, place, terms and status of a job posting.';
COMMENT ON COLUMN raw_vault.sat_job_details.hk_job IS 'Hash key of hub job';
COMMENT ON COLUMN raw_vault.sat_job_details.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_job_details.load_seq IS 'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_job_details.applied_dts IS 'When the change happened at the source (platform_jobs)';
COMMENT ON COLUMN raw_vault.sat_job_details.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_job_details.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_job_details.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_job_details.contract_type IS 'contract or permanent.';
COMMENT ON COLUMN raw_vault.sat_job_details.status IS 'draft, open, filled, expired or closed.';

-- ghost record
INSERT INTO raw_vault.sat_job_details (hk_job, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 0, '0001-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000000'::uuid, 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_job, load_dts, load_seq) DO NOTHING;
