-- generated from model/satellites/placement.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_placement_terms (
    hk_placement uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    placement_type text,
    start_date date,
    hourly_rate numeric(10,2),
    annual_salary numeric(12,2),
    fee_pct numeric(5,2),
    currency char(3),
    created_at timestamptz,
    CONSTRAINT sat_placement_terms_pk PRIMARY KEY (hk_placement, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_placement_terms_ver ON raw_vault.sat_placement_terms
    (hk_placement, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_placement_terms_bid ON raw_vault.sat_placement_terms USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_placement_terms IS
    'The terms of a placement - contract or permanent, start date, hourly rate or salary, JTLD''s fee and currency.';
COMMENT ON COLUMN raw_vault.sat_placement_terms.hk_placement IS 'Hash key of hub placement';
COMMENT ON COLUMN raw_vault.sat_placement_terms.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_placement_terms.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_placement_terms.applied_dts IS
    'When the change happened at the source (platform_placements)';
COMMENT ON COLUMN raw_vault.sat_placement_terms.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_placement_terms.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_placement_terms.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_placement_terms.placement_type IS 'contract or permanent.';
COMMENT ON COLUMN raw_vault.sat_placement_terms.start_date IS 'First working day.';
COMMENT ON COLUMN raw_vault.sat_placement_terms.hourly_rate IS 'Contracts: the candidate''s hourly rate.';
COMMENT ON COLUMN raw_vault.sat_placement_terms.annual_salary IS 'Permanent: the yearly salary.';
COMMENT ON COLUMN raw_vault.sat_placement_terms.fee_pct IS
    'JTLD''s fee in percent: of the hourly rate (contracts) or of the salary (permanent).';
COMMENT ON COLUMN raw_vault.sat_placement_terms.currency IS 'Currency of rate, salary and fee.';
COMMENT ON COLUMN raw_vault.sat_placement_terms.created_at IS 'When the hire was made.';

-- ghost record
INSERT INTO raw_vault.sat_placement_terms
    (hk_placement, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_placement, load_dts, load_seq) DO NOTHING;
