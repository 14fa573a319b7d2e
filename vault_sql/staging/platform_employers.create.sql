-- generated from model/hubs/employer.yml, model/satellites/employer_details.yml, model/sources/platform_employers.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_employers (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    employer_id text,
    company_name text,
    industry text,
    company_size text,
    country_code text,
    updated_at text
);
COMMENT ON TABLE staging.platform_employers IS 'Landing for source platform_employers (jtld.platform.employers): rows as extracted, emptied when staged. Employers (companies hiring through the platform).';
COMMENT ON COLUMN staging.platform_employers.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_employers.company_size IS 'Size band: 1-10, 11-50, 51-200, 201-1000, 1000+.';

CREATE TABLE IF NOT EXISTS staging.platform_employers_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_employer uuid,
    hd_employer_details uuid,
    employer_id text,
    company_name text,
    industry text,
    company_size text,
    country_code char(2),
    updated_at timestamptz,
    CONSTRAINT platform_employers_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_employers_stage_k1 ON staging.platform_employers_stage (hk_employer, applied_dts);
COMMENT ON TABLE staging.platform_employers_stage IS 'Staged rows of source platform_employers per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_employers_stage.company_size IS 'Size band: 1-10, 11-50, 51-200, 201-1000, 1000+.';
