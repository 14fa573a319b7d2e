-- generated from 3 model files by dv generate — do not edit:
--   model/hubs/employer.yml, model/satellites/employer.yml, model/sources/platform_employers.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_employers (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    employer_id text,
    name text,
    industry text,
    size_band text,
    country_code text,
    created_at text,
    updated_at text
);
COMMENT ON TABLE staging.platform_employers IS
    'Landing for source platform_employers (jtld.platform.employers): rows as extracted, emptied when staged. Companies that hire through the platform.';
COMMENT ON COLUMN staging.platform_employers.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_employers.employer_id IS 'The platform''s id of the employer.';
COMMENT ON COLUMN staging.platform_employers.name IS 'Company name, e.g. Blue Systems GmbH.';
COMMENT ON COLUMN staging.platform_employers.industry IS 'One of 12 industries.';
COMMENT ON COLUMN staging.platform_employers.size_band IS
    'Number of employees: 1-10, 11-50, 51-200, 201-1000, 1001-5000, 5000+.';
COMMENT ON COLUMN staging.platform_employers.country_code IS 'Country of the company (ISO 3166 alpha-2).';
COMMENT ON COLUMN staging.platform_employers.created_at IS 'When the employer registered.';
COMMENT ON COLUMN staging.platform_employers.updated_at IS 'Last change (size band or industry).';

CREATE TABLE IF NOT EXISTS staging.platform_employers_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_employer uuid,
    hd_employer_details uuid,
    employer_id bigint,
    name text,
    industry text,
    size_band text,
    country_code char(2),
    created_at timestamptz,
    updated_at timestamptz,
    CONSTRAINT platform_employers_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_employers_stage_k1 ON staging.platform_employers_stage (hk_employer, applied_dts);
COMMENT ON TABLE staging.platform_employers_stage IS
    'Staged rows of source platform_employers per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_employers_stage.employer_id IS 'The platform''s id of the employer.';
COMMENT ON COLUMN staging.platform_employers_stage.name IS 'Company name, e.g. Blue Systems GmbH.';
COMMENT ON COLUMN staging.platform_employers_stage.industry IS 'One of 12 industries.';
COMMENT ON COLUMN staging.platform_employers_stage.size_band IS
    'Number of employees: 1-10, 11-50, 51-200, 201-1000, 1001-5000, 5000+.';
COMMENT ON COLUMN staging.platform_employers_stage.country_code IS 'Country of the company (ISO 3166 alpha-2).';
COMMENT ON COLUMN staging.platform_employers_stage.created_at IS 'When the employer registered.';
COMMENT ON COLUMN staging.platform_employers_stage.updated_at IS 'Last change (size band or industry).';
