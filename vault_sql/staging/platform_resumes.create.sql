-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/resume.yml, model/links/candidate_resume.yml, model/satellites/resume.yml,
--   model/sources/platform_resumes.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_resumes (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    resume_id text,
    candidate_id text,
    file_path text,
    resume_text text,
    is_current text,
    uploaded_at text,
    updated_at text
);
COMMENT ON TABLE staging.platform_resumes IS
    'Landing for source platform_resumes (jtld.platform.resumes): rows as extracted, emptied when staged. Resumes (CVs) uploaded by candidates, with their text; the latest upload of a candidate is the current one. Path and text are emptied when the candidate''s data is erased.';
COMMENT ON COLUMN staging.platform_resumes.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_resumes.resume_id IS 'The platform''s id of the resume.';
COMMENT ON COLUMN staging.platform_resumes.candidate_id IS 'The candidate who uploaded it.';
COMMENT ON COLUMN staging.platform_resumes.file_path IS
    'Where the PDF is stored (resumes/<candidate>/<resume>.pdf); empty once erased.';
COMMENT ON COLUMN staging.platform_resumes.resume_text IS
    'The resume''s text: name, headline, experience, skills (personal data; empty once erased).';
COMMENT ON COLUMN staging.platform_resumes.is_current IS 'True for the candidate''s latest upload.';
COMMENT ON COLUMN staging.platform_resumes.uploaded_at IS 'When the resume was uploaded.';
COMMENT ON COLUMN staging.platform_resumes.updated_at IS 'Upload, replaced by a newer one, or erased.';

CREATE TABLE IF NOT EXISTS staging.platform_resumes_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_resume uuid,
    hk_candidate_resume uuid,
    hk_candidate_resume__candidate uuid,
    hk_candidate_resume__resume uuid,
    hd_resume_content uuid,
    hd_resume_status uuid,
    resume_id bigint,
    candidate_id bigint,
    file_path text,
    resume_text text,
    is_current boolean,
    uploaded_at timestamptz,
    updated_at timestamptz,
    CONSTRAINT platform_resumes_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_resumes_stage_k1 ON staging.platform_resumes_stage (hk_resume, applied_dts);
COMMENT ON TABLE staging.platform_resumes_stage IS
    'Staged rows of source platform_resumes per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_resumes_stage.resume_id IS 'The platform''s id of the resume.';
COMMENT ON COLUMN staging.platform_resumes_stage.candidate_id IS 'The candidate who uploaded it.';
COMMENT ON COLUMN staging.platform_resumes_stage.file_path IS
    'Where the PDF is stored (resumes/<candidate>/<resume>.pdf); empty once erased.';
COMMENT ON COLUMN staging.platform_resumes_stage.resume_text IS
    'The resume''s text: name, headline, experience, skills (personal data; empty once erased).';
COMMENT ON COLUMN staging.platform_resumes_stage.is_current IS 'True for the candidate''s latest upload.';
COMMENT ON COLUMN staging.platform_resumes_stage.uploaded_at IS 'When the resume was uploaded.';
COMMENT ON COLUMN staging.platform_resumes_stage.updated_at IS 'Upload, replaced by a newer one, or erased.';
