-- generated from model/satellites/partner_boards.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_board_b_posting (
    hk_board_posting uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    employer_reference text,
    employer_name text,
    title text,
    city text,
    country_code char(2),
    remote boolean,
    employment_type text,
    compensation_min numeric,
    compensation_max numeric,
    compensation_currency char(3),
    compensation_unit text,
    published_at timestamptz,
    CONSTRAINT sat_board_b_posting_pk PRIMARY KEY (hk_board_posting, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_board_b_posting_ver ON raw_vault.sat_board_b_posting
    (hk_board_posting, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_board_b_posting_bid ON raw_vault.sat_board_b_posting USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_board_b_posting IS
    'A posting as partner board B shows it - employer, title, place, terms, pay and publication time.';
COMMENT ON COLUMN raw_vault.sat_board_b_posting.hk_board_posting IS 'Hash key of hub board_posting';
COMMENT ON COLUMN raw_vault.sat_board_b_posting.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_board_b_posting.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_board_b_posting.applied_dts IS
    'When the change happened at the source (board_b_postings)';
COMMENT ON COLUMN raw_vault.sat_board_b_posting.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_board_b_posting.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_board_b_posting.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_board_b_posting.employer_reference IS
    'The requisition number, lower-cased and sometimes padded (standardized like every business key).';
COMMENT ON COLUMN raw_vault.sat_board_b_posting.employment_type IS 'CONTRACT or PERMANENT.';
COMMENT ON COLUMN raw_vault.sat_board_b_posting.compensation_unit IS 'YEAR or HOUR.';

-- ghost record
INSERT INTO raw_vault.sat_board_b_posting
    (hk_board_posting, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_board_posting, load_dts, load_seq) DO NOTHING;
