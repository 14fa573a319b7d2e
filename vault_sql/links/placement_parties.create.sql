-- generated from model/links/placement_parties.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_placement_parties (
    hk_placement_parties uuid NOT NULL,
    hk_placement uuid NOT NULL,
    hk_application uuid NOT NULL,
    hk_candidate uuid NOT NULL,
    hk_job uuid NOT NULL,
    hk_employer uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_placement_parties_pk PRIMARY KEY (hk_placement_parties)
);
CREATE INDEX IF NOT EXISTS link_placement_parties_placement ON raw_vault.link_placement_parties (hk_placement);
CREATE INDEX IF NOT EXISTS link_placement_parties_application ON raw_vault.link_placement_parties (hk_application);
CREATE INDEX IF NOT EXISTS link_placement_parties_candidate ON raw_vault.link_placement_parties (hk_candidate);
CREATE INDEX IF NOT EXISTS link_placement_parties_job ON raw_vault.link_placement_parties (hk_job);
CREATE INDEX IF NOT EXISTS link_placement_parties_employer ON raw_vault.link_placement_parties (hk_employer);
CREATE INDEX IF NOT EXISTS link_placement_parties_bid ON raw_vault.link_placement_parties USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_placement_parties IS
    'A placement with the application that led to it, the candidate hired, the job filled and the employer who hired.';
COMMENT ON COLUMN raw_vault.link_placement_parties.hk_placement_parties IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_placement_parties.hk_placement IS 'Hash key of hub placement';
COMMENT ON COLUMN raw_vault.link_placement_parties.hk_application IS 'Hash key of hub application';
COMMENT ON COLUMN raw_vault.link_placement_parties.hk_candidate IS 'Hash key of hub candidate';
COMMENT ON COLUMN raw_vault.link_placement_parties.hk_job IS 'Hash key of hub job';
COMMENT ON COLUMN raw_vault.link_placement_parties.hk_employer IS 'Hash key of hub employer';
COMMENT ON COLUMN raw_vault.link_placement_parties.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_placement_parties.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_placement_parties.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_placement_parties (
    hk_placement_parties, hk_placement, hk_application, hk_candidate, hk_job, hk_employer, load_dts, record_source,
    batch_id
)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_placement_parties) DO NOTHING;
