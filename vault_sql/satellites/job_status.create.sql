-- generated from model/satellites/job.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_job_status (
    hk_job uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    status text,
    posted_at timestamptz,
    expires_at timestamptz,
    filled_at timestamptz,
    CONSTRAINT sat_job_status_pk PRIMARY KEY (hk_job, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_job_status_ver ON raw_vault.sat_job_status
    (hk_job, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_job_status_bid ON raw_vault.sat_job_status USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_job_status IS
    'A job''s status (draft, open, filled, expired, closed) and its dates - posted, expires, filled.';
COMMENT ON COLUMN raw_vault.sat_job_status.hk_job IS 'Hash key of hub job';
COMMENT ON COLUMN raw_vault.sat_job_status.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_job_status.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_job_status.applied_dts IS 'When the change happened at the source (platform_jobs)';
COMMENT ON COLUMN raw_vault.sat_job_status.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_job_status.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_job_status.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_job_status.status IS
    'draft, open, filled (first hire), expired or closed (withdrawn).';
COMMENT ON COLUMN raw_vault.sat_job_status.posted_at IS 'When it opened; empty while a draft.';
COMMENT ON COLUMN raw_vault.sat_job_status.expires_at IS
    'When it stops being open unless filled or extended; empty while a draft.';
COMMENT ON COLUMN raw_vault.sat_job_status.filled_at IS 'When the first candidate was hired.';

-- ghost record
INSERT INTO raw_vault.sat_job_status (hk_job, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_job, load_dts, load_seq) DO NOTHING;
