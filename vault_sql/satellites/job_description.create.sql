-- generated from model/satellites/job.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_job_description (
    hk_job uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
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
    created_at timestamptz,
    CONSTRAINT sat_job_description_pk PRIMARY KEY (hk_job, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_job_description_ver ON raw_vault.sat_job_description
    (hk_job, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_job_description_bid ON raw_vault.sat_job_description USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_job_description IS
    'What a job offers - title, text, place, contract, seniority and pay range.';
COMMENT ON COLUMN raw_vault.sat_job_description.hk_job IS 'Hash key of hub job';
COMMENT ON COLUMN raw_vault.sat_job_description.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_job_description.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_job_description.applied_dts IS
    'When the change happened at the source (platform_jobs)';
COMMENT ON COLUMN raw_vault.sat_job_description.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_job_description.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_job_description.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_job_description.title IS 'Job title: seniority and role.';
COMMENT ON COLUMN raw_vault.sat_job_description.description IS
    'The ad''s text: employer, city, required and nice-to-have skills, a perk.';
COMMENT ON COLUMN raw_vault.sat_job_description.city IS 'Where the work is.';
COMMENT ON COLUMN raw_vault.sat_job_description.country_code IS 'Country of the city.';
COMMENT ON COLUMN raw_vault.sat_job_description.remote IS 'onsite, hybrid or remote.';
COMMENT ON COLUMN raw_vault.sat_job_description.contract_type IS
    'contract (freelance, hourly) or permanent (employment, yearly salary).';
COMMENT ON COLUMN raw_vault.sat_job_description.seniority IS 'junior, medior, senior, lead or principal.';
COMMENT ON COLUMN raw_vault.sat_job_description.salary_min IS 'Lower end of the pay range (per salary_period).';
COMMENT ON COLUMN raw_vault.sat_job_description.salary_max IS 'Upper end of the pay range (per salary_period).';
COMMENT ON COLUMN raw_vault.sat_job_description.salary_currency IS 'Currency of the pay range.';
COMMENT ON COLUMN raw_vault.sat_job_description.salary_period IS 'year (permanent) or hour (contract).';
COMMENT ON COLUMN raw_vault.sat_job_description.created_at IS 'When the job was created.';

-- ghost record
INSERT INTO raw_vault.sat_job_description (hk_job, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_job, load_dts, load_seq) DO NOTHING;
