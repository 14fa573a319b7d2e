-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/application.yml, model/links/application_candidate_job.yml, model/satellites/application.yml,
--   model/sources/platform_applications.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_applications (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    application_id text,
    candidate_id text,
    job_id text,
    channel text,
    referrer_candidate_id text,
    applied_at text,
    updated_at text
);
COMMENT ON TABLE staging.platform_applications IS
    'Landing for source platform_applications (jtld.platform.applications): rows as extracted, emptied when staged. Applications of candidates to jobs: who applied to which job, through which channel, and who referred them. The status history is its own source (platform_application_status_history).';
COMMENT ON COLUMN staging.platform_applications.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_applications.application_id IS 'The platform''s id of the application.';
COMMENT ON COLUMN staging.platform_applications.candidate_id IS 'The candidate who applied.';
COMMENT ON COLUMN staging.platform_applications.job_id IS 'The job applied to.';
COMMENT ON COLUMN staging.platform_applications.channel IS
    'How the candidate came to the job: direct, search, recommendation, referral, board_a or board_b.';
COMMENT ON COLUMN staging.platform_applications.referrer_candidate_id IS
    'The candidate who referred the applicant (referral only).';
COMMENT ON COLUMN staging.platform_applications.applied_at IS 'When the application was submitted.';
COMMENT ON COLUMN staging.platform_applications.updated_at IS 'Time of the latest status change.';

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
    hd_application_details uuid,
    application_id bigint,
    candidate_id bigint,
    job_id bigint,
    channel text,
    referrer_candidate_id bigint,
    applied_at timestamptz,
    updated_at timestamptz,
    CONSTRAINT platform_applications_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_applications_stage_k1 ON staging.platform_applications_stage
    (hk_application, applied_dts);
COMMENT ON TABLE staging.platform_applications_stage IS
    'Staged rows of source platform_applications per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_applications_stage.application_id IS 'The platform''s id of the application.';
COMMENT ON COLUMN staging.platform_applications_stage.candidate_id IS 'The candidate who applied.';
COMMENT ON COLUMN staging.platform_applications_stage.job_id IS 'The job applied to.';
COMMENT ON COLUMN staging.platform_applications_stage.channel IS
    'How the candidate came to the job: direct, search, recommendation, referral, board_a or board_b.';
COMMENT ON COLUMN staging.platform_applications_stage.referrer_candidate_id IS
    'The candidate who referred the applicant (referral only).';
COMMENT ON COLUMN staging.platform_applications_stage.applied_at IS 'When the application was submitted.';
COMMENT ON COLUMN staging.platform_applications_stage.updated_at IS 'Time of the latest status change.';
