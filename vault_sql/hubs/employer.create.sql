-- generated from model/hubs/employer.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.hub_employer (
    hk_employer uuid NOT NULL,
    employer_id bigint,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT hub_employer_pk PRIMARY KEY (hk_employer)
);
CREATE INDEX IF NOT EXISTS hub_employer_bid ON raw_vault.hub_employer USING brin (batch_id);
COMMENT ON TABLE raw_vault.hub_employer IS
    'A company that hires through the platform, by the platform''s employer id.';
COMMENT ON COLUMN raw_vault.hub_employer.hk_employer IS 'Hash key (md5, hash spec v1) of the business key';
COMMENT ON COLUMN raw_vault.hub_employer.employer_id IS 'The platform''s id of the employer. (standardized as hashed)';
COMMENT ON COLUMN raw_vault.hub_employer.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.hub_employer.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.hub_employer.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record: the zero key, so satellites, PITs and marts never need outer-join guessing
INSERT INTO raw_vault.hub_employer (hk_employer, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_employer) DO NOTHING;
