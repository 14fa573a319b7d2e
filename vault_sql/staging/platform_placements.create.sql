-- generated from 4 model files by dv generate — do not edit:
--   model/hubs/placement.yml, model/links/placement_parties.yml, model/satellites/placement.yml,
--   model/sources/platform_placements.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_placements (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    placement_id text,
    application_id text,
    candidate_id text,
    job_id text,
    employer_id text,
    placement_type text,
    start_date text,
    end_date text,
    hourly_rate text,
    annual_salary text,
    fee_pct text,
    currency text,
    status text,
    created_at text,
    updated_at text
);
COMMENT ON TABLE staging.platform_placements IS
    'Landing for source platform_placements (jtld.platform.placements): rows as extracted, emptied when staged. Placements: a hire through the platform, a contract (hourly rate, end date) or a permanent job (salary), with JTLD''s fee and its status (planned, active, ended, terminated).';
COMMENT ON COLUMN staging.platform_placements.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_placements.placement_id IS 'The platform''s id of the placement (one per hire).';
COMMENT ON COLUMN staging.platform_placements.application_id IS 'The application that led to the hire.';
COMMENT ON COLUMN staging.platform_placements.candidate_id IS 'The candidate hired.';
COMMENT ON COLUMN staging.platform_placements.job_id IS 'The job filled.';
COMMENT ON COLUMN staging.platform_placements.employer_id IS 'The employer who hired.';
COMMENT ON COLUMN staging.platform_placements.placement_type IS 'contract or permanent.';
COMMENT ON COLUMN staging.platform_placements.start_date IS 'First working day.';
COMMENT ON COLUMN staging.platform_placements.end_date IS
    'Last day of a contract (moves when extended or terminated); empty for permanent.';
COMMENT ON COLUMN staging.platform_placements.hourly_rate IS 'Contracts: the candidate''s hourly rate.';
COMMENT ON COLUMN staging.platform_placements.annual_salary IS 'Permanent: the yearly salary.';
COMMENT ON COLUMN staging.platform_placements.fee_pct IS
    'JTLD''s fee in percent: of the hourly rate (contracts) or of the salary (permanent).';
COMMENT ON COLUMN staging.platform_placements.currency IS 'Currency of rate, salary and fee.';
COMMENT ON COLUMN staging.platform_placements.status IS
    'planned, active (from the start date), ended, or terminated (early).';
COMMENT ON COLUMN staging.platform_placements.created_at IS 'When the hire was made.';
COMMENT ON COLUMN staging.platform_placements.updated_at IS 'Last change: status, extension or termination.';

CREATE TABLE IF NOT EXISTS staging.platform_placements_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_placement uuid,
    hk_placement_parties uuid,
    hk_placement_parties__placement uuid,
    hk_placement_parties__application uuid,
    hk_placement_parties__candidate uuid,
    hk_placement_parties__job uuid,
    hk_placement_parties__employer uuid,
    hd_placement_terms uuid,
    hd_placement_status uuid,
    placement_id bigint,
    application_id bigint,
    candidate_id bigint,
    job_id bigint,
    employer_id bigint,
    placement_type text,
    start_date date,
    end_date date,
    hourly_rate numeric(10,2),
    annual_salary numeric(12,2),
    fee_pct numeric(5,2),
    currency char(3),
    status text,
    created_at timestamptz,
    updated_at timestamptz,
    CONSTRAINT platform_placements_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_placements_stage_k1 ON staging.platform_placements_stage
    (hk_placement, applied_dts);
COMMENT ON TABLE staging.platform_placements_stage IS
    'Staged rows of source platform_placements per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_placements_stage.placement_id IS
    'The platform''s id of the placement (one per hire).';
COMMENT ON COLUMN staging.platform_placements_stage.application_id IS 'The application that led to the hire.';
COMMENT ON COLUMN staging.platform_placements_stage.candidate_id IS 'The candidate hired.';
COMMENT ON COLUMN staging.platform_placements_stage.job_id IS 'The job filled.';
COMMENT ON COLUMN staging.platform_placements_stage.employer_id IS 'The employer who hired.';
COMMENT ON COLUMN staging.platform_placements_stage.placement_type IS 'contract or permanent.';
COMMENT ON COLUMN staging.platform_placements_stage.start_date IS 'First working day.';
COMMENT ON COLUMN staging.platform_placements_stage.end_date IS
    'Last day of a contract (moves when extended or terminated); empty for permanent.';
COMMENT ON COLUMN staging.platform_placements_stage.hourly_rate IS 'Contracts: the candidate''s hourly rate.';
COMMENT ON COLUMN staging.platform_placements_stage.annual_salary IS 'Permanent: the yearly salary.';
COMMENT ON COLUMN staging.platform_placements_stage.fee_pct IS
    'JTLD''s fee in percent: of the hourly rate (contracts) or of the salary (permanent).';
COMMENT ON COLUMN staging.platform_placements_stage.currency IS 'Currency of rate, salary and fee.';
COMMENT ON COLUMN staging.platform_placements_stage.status IS
    'planned, active (from the start date), ended, or terminated (early).';
COMMENT ON COLUMN staging.platform_placements_stage.created_at IS 'When the hire was made.';
COMMENT ON COLUMN staging.platform_placements_stage.updated_at IS 'Last change: status, extension or termination.';
