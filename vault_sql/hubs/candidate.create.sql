-- generated from model/hubs/candidate.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.hub_candidate (
    hk_candidate uuid NOT NULL,
    candidate_id bigint,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT hub_candidate_pk PRIMARY KEY (hk_candidate)
);
CREATE INDEX IF NOT EXISTS hub_candidate_bid ON raw_vault.hub_candidate USING brin (batch_id);
COMMENT ON TABLE raw_vault.hub_candidate IS
    'A person looking for work through the platform, by the platform''s candidate id (equal to their user id).';
COMMENT ON COLUMN raw_vault.hub_candidate.hk_candidate IS 'Hash key (md5, hash spec v1) of the business key';
COMMENT ON COLUMN raw_vault.hub_candidate.candidate_id IS
    'The platform''s id of the candidate. (standardized as hashed)';
COMMENT ON COLUMN raw_vault.hub_candidate.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.hub_candidate.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.hub_candidate.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record: the zero key, so satellites, PITs and marts never need outer-join guessing
INSERT INTO raw_vault.hub_candidate (hk_candidate, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_candidate) DO NOTHING;
