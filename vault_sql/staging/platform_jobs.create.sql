-- generated from model/hubs/job.yml, model/links/job_employer.yml, model/satellites/job_details.yml, model/sources/platform_jobs.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_jobs (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    job_id text,
    employer_id text,
    title text,
    city text,
    remote text,
    contract_type text,
    salary_min text,
    salary_max text,
    currency text,
    status text,
    posted_at text,
    updated_at text
);
COMMENT ON TABLE staging.platform_jobs IS 'Landing for source platform_jobs (jtld.platform.jobs): rows as extracted, emptied when staged. Job postings published by employers.';
COMMENT ON COLUMN staging.platform_jobs.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_jobs.contract_type IS 'contract or permanent.';
COMMENT ON COLUMN staging.platform_jobs.status IS 'draft, open, filled, expired or closed.';

CREATE TABLE IF NOT EXISTS staging.platform_jobs_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_job uuid,
    hk_job_employer uuid,
    hk_job_employer__job uuid,
    hk_job_employer__employer uuid,
    hd_job_details uuid,
    job_id text,
    employer_id text,
    title text,
    city text,
    remote boolean,
    contract_type text,
    salary_min numeric(12,2),
    salary_max numeric(12,2),
    currency char(3),
    status text,
    posted_at timestamptz,
    updated_at timestamptz,
    CONSTRAINT platform_jobs_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_jobs_stage_k1 ON staging.platform_jobs_stage (hk_job, applied_dts);
COMMENT ON TABLE staging.platform_jobs_stage IS 'Staged rows of source platform_jobs per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_jobs_stage.contract_type IS 'contract or permanent.';
COMMENT ON COLUMN staging.platform_jobs_stage.status IS 'draft, open, filled, expired or closed.';
