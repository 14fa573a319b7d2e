-- generated from 6 model files by dv generate — do not edit:
--   model/hubs/job.yml, model/hubs/requisition.yml, model/links/job_employer.yml, model/links/job_requisition.yml,
--   model/satellites/job.yml, model/sources/platform_jobs.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_jobs (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    job_id text,
    employer_id text,
    external_ref text,
    title text,
    description text,
    city text,
    country_code text,
    remote text,
    contract_type text,
    seniority text,
    salary_min text,
    salary_max text,
    salary_currency text,
    salary_period text,
    status text,
    created_at text,
    posted_at text,
    expires_at text,
    filled_at text,
    updated_at text
);
COMMENT ON TABLE staging.platform_jobs IS
    'Landing for source platform_jobs (jtld.platform.jobs): rows as extracted, emptied when staged. Jobs employers publish on the platform: the ad (title, description, place, terms) and its status (draft, open, filled, expired, closed). external_ref is the employer''s requisition number, the same one the partner job boards carry.';
COMMENT ON COLUMN staging.platform_jobs.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_jobs.job_id IS 'The platform''s id of the job.';
COMMENT ON COLUMN staging.platform_jobs.employer_id IS 'The employer who posted it.';
COMMENT ON COLUMN staging.platform_jobs.external_ref IS
    'The employer''s requisition number (BAJ-2025-0006); the cross-reference to the partner boards.';
COMMENT ON COLUMN staging.platform_jobs.title IS 'Job title: seniority and role.';
COMMENT ON COLUMN staging.platform_jobs.description IS
    'The ad''s text: employer, city, required and nice-to-have skills, a perk.';
COMMENT ON COLUMN staging.platform_jobs.city IS 'Where the work is.';
COMMENT ON COLUMN staging.platform_jobs.country_code IS 'Country of the city.';
COMMENT ON COLUMN staging.platform_jobs.remote IS 'onsite, hybrid or remote.';
COMMENT ON COLUMN staging.platform_jobs.contract_type IS
    'contract (freelance, hourly) or permanent (employment, yearly salary).';
COMMENT ON COLUMN staging.platform_jobs.seniority IS 'junior, medior, senior, lead or principal.';
COMMENT ON COLUMN staging.platform_jobs.salary_min IS 'Lower end of the pay range (per salary_period).';
COMMENT ON COLUMN staging.platform_jobs.salary_max IS 'Upper end of the pay range (per salary_period).';
COMMENT ON COLUMN staging.platform_jobs.salary_currency IS 'Currency of the pay range.';
COMMENT ON COLUMN staging.platform_jobs.salary_period IS 'year (permanent) or hour (contract).';
COMMENT ON COLUMN staging.platform_jobs.status IS 'draft, open, filled (first hire), expired or closed (withdrawn).';
COMMENT ON COLUMN staging.platform_jobs.created_at IS 'When the job was created.';
COMMENT ON COLUMN staging.platform_jobs.posted_at IS 'When it opened; empty while a draft.';
COMMENT ON COLUMN staging.platform_jobs.expires_at IS
    'When it stops being open unless filled or extended; empty while a draft.';
COMMENT ON COLUMN staging.platform_jobs.filled_at IS 'When the first candidate was hired.';
COMMENT ON COLUMN staging.platform_jobs.updated_at IS 'Last change: status, or an extension.';

CREATE TABLE IF NOT EXISTS staging.platform_jobs_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_job uuid,
    hk_requisition uuid,
    hk_job_employer uuid,
    hk_job_employer__job uuid,
    hk_job_employer__employer uuid,
    hk_job_requisition uuid,
    hk_job_requisition__job uuid,
    hk_job_requisition__requisition uuid,
    hd_job_description uuid,
    hd_job_status uuid,
    job_id bigint,
    employer_id bigint,
    external_ref text,
    title text,
    description text,
    city text,
    country_code char(2),
    remote text,
    contract_type text,
    seniority text,
    salary_min numeric(12,2),
    salary_max numeric(12,2),
    salary_currency char(3),
    salary_period text,
    status text,
    created_at timestamptz,
    posted_at timestamptz,
    expires_at timestamptz,
    filled_at timestamptz,
    updated_at timestamptz,
    CONSTRAINT platform_jobs_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_jobs_stage_k1 ON staging.platform_jobs_stage (hk_job, applied_dts);
CREATE INDEX IF NOT EXISTS platform_jobs_stage_k2 ON staging.platform_jobs_stage (hk_job_employer__job, applied_dts);
COMMENT ON TABLE staging.platform_jobs_stage IS
    'Staged rows of source platform_jobs per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_jobs_stage.job_id IS 'The platform''s id of the job.';
COMMENT ON COLUMN staging.platform_jobs_stage.employer_id IS 'The employer who posted it.';
COMMENT ON COLUMN staging.platform_jobs_stage.external_ref IS
    'The employer''s requisition number (BAJ-2025-0006); the cross-reference to the partner boards.';
COMMENT ON COLUMN staging.platform_jobs_stage.title IS 'Job title: seniority and role.';
COMMENT ON COLUMN staging.platform_jobs_stage.description IS
    'The ad''s text: employer, city, required and nice-to-have skills, a perk.';
COMMENT ON COLUMN staging.platform_jobs_stage.city IS 'Where the work is.';
COMMENT ON COLUMN staging.platform_jobs_stage.country_code IS 'Country of the city.';
COMMENT ON COLUMN staging.platform_jobs_stage.remote IS 'onsite, hybrid or remote.';
COMMENT ON COLUMN staging.platform_jobs_stage.contract_type IS
    'contract (freelance, hourly) or permanent (employment, yearly salary).';
COMMENT ON COLUMN staging.platform_jobs_stage.seniority IS 'junior, medior, senior, lead or principal.';
COMMENT ON COLUMN staging.platform_jobs_stage.salary_min IS 'Lower end of the pay range (per salary_period).';
COMMENT ON COLUMN staging.platform_jobs_stage.salary_max IS 'Upper end of the pay range (per salary_period).';
COMMENT ON COLUMN staging.platform_jobs_stage.salary_currency IS 'Currency of the pay range.';
COMMENT ON COLUMN staging.platform_jobs_stage.salary_period IS 'year (permanent) or hour (contract).';
COMMENT ON COLUMN staging.platform_jobs_stage.status IS
    'draft, open, filled (first hire), expired or closed (withdrawn).';
COMMENT ON COLUMN staging.platform_jobs_stage.created_at IS 'When the job was created.';
COMMENT ON COLUMN staging.platform_jobs_stage.posted_at IS 'When it opened; empty while a draft.';
COMMENT ON COLUMN staging.platform_jobs_stage.expires_at IS
    'When it stops being open unless filled or extended; empty while a draft.';
COMMENT ON COLUMN staging.platform_jobs_stage.filled_at IS 'When the first candidate was hired.';
COMMENT ON COLUMN staging.platform_jobs_stage.updated_at IS 'Last change: status, or an extension.';
