-- generated from model/hubs/application.yml, model/links/application_candidate_job.yml, model/satellites/application_status.yml, model/sources/platform_applications.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_applications (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    application_id text,
    candidate_id text,
    job_id text,
    referrer_id text,
    channel text,
    status text,
    applied_at text,
    updated_at text
);
COMMENT ON TABLE staging.platform_applications IS 'Landing for source platform_applications (jtld.platform.applications): rows as extracted, emptied when staged. Applications of candidates to jobs, with their current status.';
COMMENT ON COLUMN staging.platform_applications.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_applications.referrer_id IS 'Candidate who referred the applicant, if any.';
COMMENT ON COLUMN staging.platform_applications.status IS 'applied, screening, interview, offer, hired, rejected or withdrawn.';

CREATE TABLE IF NOT EXISTS staging.platform_applications_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_application uuid,
    hk_application_candidate_job uuid,
    hk_application_candidate_job__application uuid,
    hk_application_candidate_job__candidate uuid,
    hk_application_candidate_job__job uuid,
    hk_application_candidate_job__referrer uuid,
    hd_application_status uuid,
    application_id text,
    candidate_id text,
    job_id text,
    referrer_id text,
    channel text,
    status text,
    applied_at timestamptz,
    updated_at timestamptz,
    CONSTRAINT platform_applications_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_applications_stage_k1 ON staging.platform_applications_stage (hk_application, applied_dts);
COMMENT ON TABLE staging.platform_applications_stage IS 'Staged rows of source platform_applications per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_applications_stage.referrer_id IS 'Candidate who referred the applicant, if any.';
COMMENT ON COLUMN staging.platform_applications_stage.status IS 'applied, screening, interview, offer, hired, rejected or withdrawn.';
