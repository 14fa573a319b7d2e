-- generated from model/satellites/employer.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_employer_details (
    hk_employer uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    name text,
    industry text,
    size_band text,
    country_code char(2),
    created_at timestamptz,
    CONSTRAINT sat_employer_details_pk PRIMARY KEY (hk_employer, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_employer_details_ver ON raw_vault.sat_employer_details
    (hk_employer, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_employer_details_bid ON raw_vault.sat_employer_details USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_employer_details IS 'An employer''s name, industry, size band and country.';
COMMENT ON COLUMN raw_vault.sat_employer_details.hk_employer IS 'Hash key of hub employer';
COMMENT ON COLUMN raw_vault.sat_employer_details.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_employer_details.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_employer_details.applied_dts IS
    'When the change happened at the source (platform_employers)';
COMMENT ON COLUMN raw_vault.sat_employer_details.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_employer_details.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_employer_details.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_employer_details.name IS 'Company name, e.g. Blue Systems GmbH.';
COMMENT ON COLUMN raw_vault.sat_employer_details.industry IS 'One of 12 industries.';
COMMENT ON COLUMN raw_vault.sat_employer_details.size_band IS
    'Number of employees: 1-10, 11-50, 51-200, 201-1000, 1001-5000, 5000+.';
COMMENT ON COLUMN raw_vault.sat_employer_details.country_code IS 'Country of the company (ISO 3166 alpha-2).';
COMMENT ON COLUMN raw_vault.sat_employer_details.created_at IS 'When the employer registered.';

-- ghost record
INSERT INTO raw_vault.sat_employer_details
    (hk_employer, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_employer, load_dts, load_seq) DO NOTHING;
